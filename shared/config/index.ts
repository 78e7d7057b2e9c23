/**
 * Typed configuration read once from the environment, failing fast with a message naming the
 * variable. Every variable the suite reads is listed in {@link EnvName}, so a typo fails to compile.
 */
import { ConfigError } from '../errors/index.ts';
import type { Dialect } from '../model/ddl.ts';
import { envInt, envOneOf } from './env.ts';

export type EnvName =
  | 'FUJI_ETL_TARGET'
  | 'AWS_REGION'
  | 'FUJI_ETL_ATHENA_ENDPOINT'
  | 'FUJI_ETL_ATHENA_CATALOG'
  | 'FUJI_ETL_ATHENA_WORKGROUP'
  | 'FUJI_ETL_ATHENA_OUTPUT'
  | 'FUJI_ETL_SQL_DIALECT'
  | 'FUJI_ETL_QUERY_TIMEOUT_MS'
  | 'FUJI_ETL_STATE_TABLE'
  | 'FUJI_ETL_AWS_ENDPOINT'
  | 'FUJI_ETL_LAMBDA_ENDPOINT'
  | 'FUJI_ETL_CHECKPOINT_MARGIN_MS'
  | 'FUJI_ETL_BACKFILL_MAX_INVOCATIONS'
  | 'FUJI_ETL_UPLOAD_COMMIT_RESERVE_MS'
  | 'FUJI_ETL_UPLOAD_MAX_INVOCATIONS'
  | 'FUJI_ETL_STAGING_LOCATION'
  | 'FUJI_ETL_STAGING_DATABASE'
  | 'FUJI_ETL_LOCK_TTL_MS';

export type Target = 'local' | 'aws';

export interface SuiteConfig {
  readonly target: Target;
  readonly region: string;
  readonly athena: {
    readonly endpoint: string | undefined;
    readonly catalog: string;
    readonly workGroup: string;
    readonly outputLocation: string | undefined;
    readonly timeoutMs: number;
  };
  /** Athena DDL in production; Trino DDL on the local stack (DML is the same on both). */
  readonly dialect: Dialect;
  readonly stateTable: string;
  /** Endpoint for DynamoDB, Secrets Manager, SSM and S3 (moto locally). */
  readonly awsEndpoint: string | undefined;
  /** Lambda's endpoint: the local invoke server on the stack (local/lambda), AWS's default otherwise. */
  readonly lambdaEndpoint: string | undefined;
  /** Where batches too large for one statement are staged as Parquet, and their Glue database. */
  readonly staging: { readonly location: string; readonly database: string };
  /** Table locks live this long unless their run's heartbeat renews them. */
  readonly lockTtlMs: number;
}

/** The local stack's staging bucket and database (created by `stack up`). */
export const LOCAL_STAGING = {
  location: 's3://fuji-etl-staging-local/staging/',
  database: 'fuji_etl_staging',
} as const;

type Env = Partial<Record<EnvName, string>>;

function stagingDefault(target: Target): string {
  if (target === 'local') return LOCAL_STAGING.location;
  // Deployed functions get it from serverless.yml; failing here fails the cold start, not a slice.
  throw new ConfigError('FUJI_ETL_STAGING_LOCATION is not set (s3://<bucket>/<prefix>/)');
}

/**
 * The suite's configuration. `local` (the CLI's default, so a laptop never writes to AWS by
 * accident) points every client at the local stack; `aws` (Lambda's) uses the SDK defaults.
 *
 * @example
 * const cfg = loadConfig({ ...process.env, FUJI_ETL_TARGET: 'aws' });
 */
export function loadConfig(env: Env, local?: { athena: string; aws: string }): SuiteConfig {
  const target = envOneOf<Target>(env, 'FUJI_ETL_TARGET', ['local', 'aws'], 'local');
  if (target === 'local' && !local && !env.FUJI_ETL_ATHENA_ENDPOINT) {
    throw new ConfigError('FUJI_ETL_TARGET=local needs the local stack URLs');
  }
  return {
    target,
    region: env.AWS_REGION || 'ap-northeast-1',
    athena: {
      endpoint: env.FUJI_ETL_ATHENA_ENDPOINT || (target === 'local' ? local?.athena : undefined),
      catalog: env.FUJI_ETL_ATHENA_CATALOG || 's3tablescatalog/fuji-etl',
      workGroup: env.FUJI_ETL_ATHENA_WORKGROUP || (target === 'local' ? 'primary' : 'fuji-etl'),
      outputLocation: env.FUJI_ETL_ATHENA_OUTPUT || undefined,
      timeoutMs: envInt(env, 'FUJI_ETL_QUERY_TIMEOUT_MS', 15 * 60_000),
    },
    dialect: envOneOf<Dialect>(
      env,
      'FUJI_ETL_SQL_DIALECT',
      ['athena', 'trino'],
      target === 'local' ? 'trino' : 'athena',
    ),
    stateTable: env.FUJI_ETL_STATE_TABLE || 'fuji-etl-state',
    awsEndpoint: env.FUJI_ETL_AWS_ENDPOINT || (target === 'local' ? local?.aws : undefined),
    lambdaEndpoint: env.FUJI_ETL_LAMBDA_ENDPOINT || undefined,
    staging: {
      location: env.FUJI_ETL_STAGING_LOCATION || stagingDefault(target),
      database: env.FUJI_ETL_STAGING_DATABASE || LOCAL_STAGING.database,
    },
    lockTtlMs: envInt(env, 'FUJI_ETL_LOCK_TTL_MS', 120_000),
  };
}
