/**
 * The CloudFormation custom-resource protocol: the request CloudFormation sends, and the one
 * response it waits for (a PUT of JSON to the presigned ResponseURL). Node's fetch does the PUT:
 * a single request to a presigned URL needs no HTTP library, and S3 rejects a Content-Type the
 * URL was not signed with, so it is sent empty.
 */
import { FujiEtlError } from '../errors/index.ts';

export interface CustomResourceEvent<P> {
  readonly RequestType: 'Create' | 'Update' | 'Delete';
  readonly ResponseURL: string;
  readonly StackId: string;
  readonly RequestId: string;
  readonly LogicalResourceId: string;
  readonly ResourceType: string;
  readonly PhysicalResourceId?: string;
  readonly ResourceProperties: P & { readonly ServiceToken: string };
  readonly OldResourceProperties?: P & { readonly ServiceToken: string };
}

export interface CustomResourceResult {
  readonly physicalResourceId: string;
  readonly data?: Record<string, string>;
}

export async function respond(
  event: CustomResourceEvent<unknown>,
  outcome: { ok: true; result: CustomResourceResult } | { ok: false; reason: string },
): Promise<void> {
  const body = JSON.stringify({
    Status: outcome.ok ? 'SUCCESS' : 'FAILED',
    // CloudFormation shows the reason in the stack events; it is capped at 4 KiB there.
    Reason: outcome.ok ? 'done' : outcome.reason.slice(0, 3_000),
    PhysicalResourceId: outcome.ok
      ? outcome.result.physicalResourceId
      : (event.PhysicalResourceId ?? event.LogicalResourceId),
    StackId: event.StackId,
    RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId,
    Data: outcome.ok ? (outcome.result.data ?? {}) : {},
  });
  const res = await fetch(event.ResponseURL, {
    method: 'PUT',
    body,
    headers: { 'content-type': '' },
  });
  if (!res.ok) {
    throw new FujiEtlError('CFN_RESPONSE', `CloudFormation response URL answered ${res.status}`, {
      retryable: true,
      context: { logicalResourceId: event.LogicalResourceId, status: res.status },
    });
  }
}
