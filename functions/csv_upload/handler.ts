/**
 * S3 ObjectCreated on the upload bucket's `uploads/` prefix: each object is loaded through its
 * dataset's contract (connectors/csv_upload/upload.ts). A file that is wrong is tagged failed and
 * not retried (the same bytes fail the same way); an infrastructure failure (engine, lock, S3) is
 * thrown so Lambda's retries and the on-failure destination take it.
 *
 * A file too large for one invocation is read until FUJI_ETL_UPLOAD_COMMIT_RESERVE_MS before
 * the deadline, handed on (its staged parts, its read position) and the function invokes itself
 * with `{ continue: … }`; the last invocation commits once, so readers see the old version of the
 * file or the new one whole. FUJI_ETL_UPLOAD_MAX_INVOCATIONS bounds the hops.
 */
import { loadConfig } from '#shared/config/index.ts';
import { readSettings } from '#shared/settings/read.ts';
import { settings } from './settings.ts';
import { objectsOf, type S3Event } from '#shared/aws/s3-event.ts';
import { invokeAsync, lambdaClientFor } from '#shared/aws/lambda.ts';
import { s3ClientFor } from '#shared/aws/s3.ts';
import { FujiEtlError } from '#shared/errors/index.ts';
import { lambdaHandler } from '#shared/lambda/handler.ts';
import { depsFor } from '#shared/runtime/deps.ts';
import { contractFileDeps, contracts } from '#connectors/contracts.ts';
import { loadUpload, type UploadOutcome } from '#connectors/csv_upload/upload.ts';

/** The event an upload's next invocation gets. */
export interface ContinueEvent {
  readonly continue: {
    readonly bucket: string;
    readonly key: string;
    readonly etag: string;
    readonly continuation: string;
    /** This invocation's number (the S3 event's is 1). */
    readonly invocation: number;
  };
}

const cfg = loadConfig(process.env);
const { engine, store, staging } = depsFor(cfg, process.env);
const s3 = s3ClientFor(cfg);
const lambda = lambdaClientFor(cfg);
// Kept free of reading for the hand-over, or for the commit of the last part of a file.
const { commitReserveMs, maxInvocations } = readSettings(
  settings,
  process.env,
  'function csv_upload',
);

const isContinue = (e: unknown): e is ContinueEvent =>
  typeof e === 'object' && e !== null && 'continue' in e;

export const handler = lambdaHandler(
  async (
    event: S3Event | ContinueEvent,
    { signal, deadline, log, context },
  ): Promise<UploadOutcome[]> => {
    const deps = {
      engine,
      dialect: cfg.dialect,
      store,
      staging,
      s3,
      contracts,
      contractFileDeps,
      log,
    };
    const c = isContinue(event) ? event.continue : undefined;
    if (c && (typeof c.continuation !== 'string' || typeof c.etag !== 'string'))
      throw new FujiEtlError('BAD_EVENT', 'a continue event names its continuation and etag', {
        retryable: false,
        context: { event },
      });
    const invocation = c?.invocation ?? 1;
    const objects = c ? [{ bucket: c.bucket, key: c.key }] : objectsOf(event as S3Event);
    const outcomes: UploadOutcome[] = [];
    for (const o of objects) {
      // The last invocation allowed reads to the end; earlier ones hand on in time to commit.
      const handOverAt =
        invocation < maxInvocations && context.functionName
          ? deadline - commitReserveMs
          : undefined;
      const outcome = await loadUpload(deps, o, {
        signal,
        deadline,
        handOverAt,
        ...(c && { resume: { continuation: c.continuation, etag: c.etag } }),
      });
      outcomes.push(outcome);
      if (outcome.status === 'continued' && context.functionName) {
        const next: ContinueEvent = {
          continue: {
            bucket: o.bucket,
            key: o.key,
            etag: outcome.etag!,
            continuation: outcome.continuation!,
            invocation: invocation + 1,
          },
        };
        await invokeAsync(lambda, context.functionName, next);
        log({ code: 'UPLOAD_HANDED_ON', bucket: o.bucket, key: o.key, next });
      }
    }
    const retry = outcomes.filter((o) => o.retryable);
    if (retry.length > 0) {
      throw new FujiEtlError(
        'UPLOAD_RETRY',
        `${retry.length} upload(s) failed for a passing reason`,
        {
          retryable: true,
          context: { keys: retry.map((o) => o.key), error: retry[0]!.error },
        },
      );
    }
    return outcomes;
  },
  // Lambda retries this function's invocations: a failure marked not retryable is answered.
  { notRetried: 'answer' },
);
