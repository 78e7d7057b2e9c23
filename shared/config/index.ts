/**
 * The suite's own settings (engine, catalog, state, staging, locks), declared once and read once
 * from the environment, failing fast with a message naming each bad variable.
 *
 * Defaults are production's: a Lambda needs only what serverless.yml sets. The local stack's
 * endpoints are never a default here; the CLI and the tests supply them (local/config.ts).
 */
import type { Dialect } from '../model/ddl.ts';
import { namespaceCatalogs } from '../model/domains.ts';
import { readSettings } from '../settings/read.ts';
import { int, oneOf, text, type Setting } from '../settings/define.ts';
import { type Env } from '../settings/env.ts';

export type Target = 'local' | 'aws';

/** The suite's settings, by the name the code reads them under (the settings tables list them). */
export const SUITE_SETTINGS = {
  target: oneOf<Target>('FUJI_ETL_TARGET', {
    values: ['aws', 'local'],
    default: 'aws',
    doc: '`aws` uses the SDK defaults and the function role; `local` (the CLI’s default) points every client at the local stack with throwaway credentials.',
  }),
  region: text('AWS_REGION', {
    default: 'ap-northeast-1',
    doc: 'Region of every AWS client (set by Lambda).',
  }),
  athenaEndpoint: text('FUJI_ETL_ATHENA_ENDPOINT', {
    pattern: /^https?:\/\/[^/]+/,
    what: 'http(s) URL',
    doc: 'Athena API endpoint; unset in AWS. Locally the Athena-compatible server in front of Trino.',
  }),
  catalog: text('FUJI_ETL_ATHENA_CATALOG', {
    default: 's3tablescatalog/fuji-etl',
    doc: 'Catalog of the Iceberg tables: the S3 Tables bucket as Athena names it.',
  }),
  uploadsCatalog: text('FUJI_ETL_UPLOADS_CATALOG', {
    default: 's3tablescatalog/fuji-etl-uploads',
    doc: 'Catalog of the uploaded-data domains (climbing, entry, mobility): their own S3 Tables bucket, named in front of their tables.',
  }),
  workGroup: text('FUJI_ETL_ATHENA_WORKGROUP', {
    default: 'fuji-etl',
    doc: 'Athena workgroup of the suite’s queries (its output location and query history).',
  }),
  outputLocation: text('FUJI_ETL_ATHENA_OUTPUT', {
    pattern: /^s3:\/\/[^/]+/,
    what: 's3:// URL',
    doc: 'Query result location, when the workgroup does not enforce one.',
  }),
  dialect: oneOf<Dialect>('FUJI_ETL_SQL_DIALECT', {
    values: ['athena', 'trino'],
    default: 'athena',
    doc: 'DDL dialect: Athena’s in AWS, Trino’s on the local stack (DML is the same on both).',
  }),
  timeoutMs: int('FUJI_ETL_QUERY_TIMEOUT_MS', {
    default: 15 * 60_000,
    unit: 'ms',
    doc: 'Longest a single Athena statement may run before it is cancelled.',
  }),
  stateTable: text('FUJI_ETL_STATE_TABLE', {
    default: 'fuji-etl-state',
    doc: 'DynamoDB table of cursors, locks and member health.',
  }),
  awsEndpoint: text('FUJI_ETL_AWS_ENDPOINT', {
    pattern: /^https?:\/\/[^/]+/,
    what: 'http(s) URL',
    doc: 'Endpoint for DynamoDB, Secrets Manager, SSM, S3 and Glue; unset in AWS, moto locally.',
  }),
  lambdaEndpoint: text('FUJI_ETL_LAMBDA_ENDPOINT', {
    pattern: /^https?:\/\/[^/]+/,
    what: 'http(s) URL',
    doc: 'Lambda API endpoint for self-invocations (continuations); unset in AWS.',
  }),
  stagingLocation: text('FUJI_ETL_STAGING_LOCATION', {
    required: true,
    pattern: /^s3:\/\/[^/]+\//,
    what: 's3://<bucket>/<prefix>/',
    doc: 'Where batches are staged as Parquet before their one MERGE (serverless.yml sets it).',
  }),
  stagingDatabase: text('FUJI_ETL_STAGING_DATABASE', {
    default: 'fuji_etl_staging',
    doc: 'Glue database of the staged tables, in AwsDataCatalog.',
  }),
  lockTtlMs: int('FUJI_ETL_LOCK_TTL_MS', {
    default: 120_000,
    min: 1_000,
    unit: 'ms',
    doc: 'Table locks live this long unless their run’s heartbeat renews them.',
  }),
} satisfies Record<string, Setting<unknown>>;

export interface SuiteConfig {
  readonly target: Target;
  readonly region: string;
  readonly athena: {
    readonly endpoint: string | undefined;
    /** The lake's catalog: the statements' context, and where every other namespace lives. */
    readonly catalog: string;
    /** Namespaces in another table bucket's catalog (shared/model/domains.ts), by namespace. */
    readonly namespaces: Readonly<Record<string, string>>;
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

/**
 * The suite's configuration, read once (cold start, CLI start).
 *
 * @example
 * const cfg = loadConfig(process.env);
 */
export function loadConfig(env: Env): SuiteConfig {
  const s = readSettings(SUITE_SETTINGS, env, 'suite settings');
  return Object.freeze({
    target: s.target,
    region: s.region,
    athena: {
      endpoint: s.athenaEndpoint,
      catalog: s.catalog,
      namespaces: namespaceCatalogs({ lake: s.catalog, uploads: s.uploadsCatalog }),
      workGroup: s.workGroup,
      outputLocation: s.outputLocation,
      timeoutMs: s.timeoutMs,
    },
    dialect: s.dialect,
    stateTable: s.stateTable,
    awsEndpoint: s.awsEndpoint,
    lambdaEndpoint: s.lambdaEndpoint,
    staging: { location: s.stagingLocation, database: s.stagingDatabase },
    lockTtlMs: s.lockTtlMs,
  });
}
