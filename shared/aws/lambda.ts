/**
 * The Lambda client, for the one function that invokes itself (backfill). Apart from clients.ts
 * so that only that bundle carries its SDK. Locally it points at local/lambda's invoke server.
 */
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { FujiEtlError } from '../errors/index.ts';
import { clientOptions, perConfig } from './clients.ts';

export const lambdaClientFor = perConfig(
  (cfg) => new LambdaClient(clientOptions(cfg, cfg.lambdaEndpoint)),
);

/** Queues an asynchronous invocation (Lambda retries it and sends failures to its destination). */
export async function invokeAsync(
  client: LambdaClient,
  functionName: string,
  payload: unknown,
): Promise<void> {
  const out = await client.send(
    new InvokeCommand({
      FunctionName: functionName,
      InvocationType: 'Event',
      Payload: new TextEncoder().encode(JSON.stringify(payload)),
    }),
  );
  if (out.StatusCode !== 202) {
    throw new FujiEtlError(
      'INVOKE',
      `asynchronous invoke of ${functionName} answered ${out.StatusCode}`,
      {
        retryable: true,
        context: { functionName, status: out.StatusCode },
      },
    );
  }
}
