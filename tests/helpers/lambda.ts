/**
 * Functions as deployed (target aws, clients from the environment), pointed at the local stack by
 * endpoint configuration only, invoked through the Lambda Invoke API of local/lambda/server.ts
 * with the sample events of events/.
 */
import { readFileSync } from 'node:fs';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { LOCAL_STAGING } from '#local/config.ts';
import { startLocalLambda, type LocalLambda } from '#local/lambda/server.ts';
import { urls } from './local.ts';
import { fileStateTable } from './state.ts';

export const sampleEvent = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(`../../events/${name}.json`, import.meta.url), 'utf8'));

let started: LocalLambda | undefined;

/** Starts (once per test file) the invoke server; the environment is what Lambda would have. */
export async function localLambda(
  opts: { timeoutMs?: number; marginMs?: number } = {},
): Promise<LocalLambda> {
  Object.assign(process.env, {
    FUJI_ETL_TARGET: 'aws',
    FUJI_ETL_ATHENA_ENDPOINT: urls.athena,
    FUJI_ETL_AWS_ENDPOINT: urls.moto,
    FUJI_ETL_SQL_DIALECT: 'trino',
    // The test file's own state table (tests/setup/state-table.ts): a cursor another file left
    // in a shared one made the scheduled run catch up one slice per calendar day since.
    FUJI_ETL_STATE_TABLE: fileStateTable(),
    FUJI_ETL_ATHENA_WORKGROUP: 'primary',
    // What serverless.yml gives the deployed functions, pointed at the local stack's staging.
    FUJI_ETL_STAGING_LOCATION: LOCAL_STAGING.location,
    FUJI_ETL_STAGING_DATABASE: LOCAL_STAGING.database,
    FUJI_ETL_CHECKPOINT_MARGIN_MS: String(opts.marginMs ?? 30_000),
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    POWERTOOLS_DEV: 'true',
    POWERTOOLS_TRACE_ENABLED: 'false',
  });
  started ??= await startLocalLambda({ timeoutMs: opts.timeoutMs ?? 900_000 });
  process.env.FUJI_ETL_LAMBDA_ENDPOINT = started.url;
  return started;
}

export interface Invoked<R> {
  readonly result?: R;
  readonly error?: { errorMessage: string };
}

/** A synchronous invoke through the real SDK client and wire API. */
export async function invoke<R>(functionName: string, event: unknown): Promise<Invoked<R>> {
  // Not localLambda(): that would reset the environment the test chose.
  const lambda = started ?? (await localLambda());
  const client = new LambdaClient({
    endpoint: lambda.url,
    region: 'ap-northeast-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const out = await client.send(
    new InvokeCommand({
      FunctionName: `fuji-etl-local-${functionName}`,
      Payload: new TextEncoder().encode(JSON.stringify(event)),
    }),
  );
  const payload = JSON.parse(new TextDecoder().decode(out.Payload));
  return out.FunctionError ? { error: payload } : { result: payload as R };
}
