/**
 * Where the local stack lives and listens. Everything is overridable by environment so two
 * checkouts (or CI beside a developer's stack) can run side by side.
 *
 * The cache sits outside the clone so a fresh clone and CI reuse the downloads (Trino, the
 * moto virtual environment) instead of fetching hundreds of megabytes again.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Env } from '#shared/settings/env.ts';
import { int, text, type Setting } from '#shared/settings/define.ts';

export interface LocalStackConfig {
  /** Downloads and installs (Trino, JDK-independent artefacts, moto venv). */
  readonly cacheDir: string;
  /** Running stack: configs, pid files, logs, the Iceberg warehouse and metastore. */
  readonly stackDir: string;
  readonly host: string;
  readonly trinoPort: number;
  readonly athenaPort: number;
  readonly motoPort: number;
  /** Offline fakes of the external sources (JMA, Open-Meteo…). */
  readonly fakesPort: number;
  /** The GA4 Data API fake, in the same process as the other fakes. */
  readonly ga4Port: number;
  /** The prefecture's open-data catalogue (SHIRASAGI CMS API) fake, same process. */
  readonly opendataPort: number;
}

function port(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 65535) {
    throw new Error(`${name} must be a TCP port (1-65535), got ${JSON.stringify(raw)}`);
  }
  return n;
}

/** The region every local client and the local catalogs agree on (the deployed one). */
export const LOCAL_REGION = 'ap-northeast-1';

export function localStackConfig(): LocalStackConfig {
  const cacheDir =
    process.env.FUJI_ETL_CACHE_DIR ||
    join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'fuji-etl');
  return {
    cacheDir,
    stackDir: process.env.FUJI_ETL_STACK_DIR || join(cacheDir, 'stack'),
    host: '127.0.0.1',
    trinoPort: port('FUJI_ETL_TRINO_PORT', 18080),
    athenaPort: port('FUJI_ETL_ATHENA_PORT', 18090),
    motoPort: port('FUJI_ETL_MOTO_PORT', 18070),
    fakesPort: port('FUJI_ETL_FAKES_PORT', 18110),
    ga4Port: port('FUJI_ETL_GA4_FAKE_PORT', 18111),
    opendataPort: port('FUJI_ETL_OPENDATA_FAKE_PORT', 18112),
  };
}

export function localUrls(cfg: LocalStackConfig = localStackConfig()) {
  return {
    trino: `http://${cfg.host}:${cfg.trinoPort}`,
    athena: `http://${cfg.host}:${cfg.athenaPort}`,
    moto: `http://${cfg.host}:${cfg.motoPort}`,
    fakes: `http://${cfg.host}:${cfg.fakesPort}`,
    ga4: `http://${cfg.host}:${cfg.ga4Port}`,
    opendata: `http://${cfg.host}:${cfg.opendataPort}`,
  };
}

/** The local stack's staging bucket and database (created by `stack up`). */
export const LOCAL_STAGING = {
  location: 's3://fuji-etl-staging-local/staging/',
  database: 'fuji_etl_staging',
} as const;

/** The GA4 fake's two properties: the registration site and the FUJI NAVI web pages. */
export const LOCAL_GA4_PROPERTIES = '400000001,400000002';

/**
 * The local target as settings: every endpoint at the local stack and its fakes. Product code
 * defaults to AWS; the CLI and the test helpers lay these under the process's own environment,
 * so a variable someone set still wins.
 */
export function localEnv(urls = localUrls()): Env {
  return {
    FUJI_ETL_TARGET: 'local',
    FUJI_ETL_ATHENA_ENDPOINT: urls.athena,
    FUJI_ETL_AWS_ENDPOINT: urls.moto,
    FUJI_ETL_ATHENA_WORKGROUP: 'primary',
    FUJI_ETL_SQL_DIALECT: 'trino',
    FUJI_ETL_STAGING_LOCATION: LOCAL_STAGING.location,
    FUJI_ETL_STAGING_DATABASE: LOCAL_STAGING.database,
    FUJI_ETL_JMA_BASE_URL: urls.fakes,
    FUJI_ETL_OPEN_METEO_URL: urls.fakes,
    FUJI_ETL_GA4_BASE_URL: urls.ga4,
    FUJI_ETL_GA4_PROPERTIES: LOCAL_GA4_PROPERTIES,
    FUJI_ETL_OPENDATA_URL: urls.opendata,
  };
}

/**
 * The environment the CLI runs with: the process's own, over the local stack's unless the target
 * is `aws` (then nothing local is added). The CLI's default target is `local`.
 */
export function cliEnv(env: Env = process.env): Env {
  const target = env.FUJI_ETL_TARGET || 'local';
  if (target !== 'local') return env;
  const set = Object.fromEntries(
    Object.entries(env).filter(([, v]) => v !== undefined && v !== ''),
  );
  return { ...localEnv(), ...set, FUJI_ETL_TARGET: 'local' };
}

const doc = (name: Setting<unknown>['name'], d: string, fallback: string, type = 'text') =>
  text(name, { default: fallback, doc: d, what: type });

/** The local stack's own settings (the settings tables list them under "local stack"). */
export const LOCAL_SETTINGS: readonly Setting<unknown>[] = [
  doc(
    'FUJI_ETL_CACHE_DIR',
    'Downloads and installs (Trino, the moto venv), outside the clone so clones share them.',
    '~/.cache/fuji-etl',
    'directory',
  ),
  doc(
    'FUJI_ETL_STACK_DIR',
    'The running stack: configs, pid files, logs, the Iceberg warehouse.',
    '<cache>/stack',
    'directory',
  ),
  int('FUJI_ETL_TRINO_PORT', { default: 18080, max: 65535, doc: 'Trino’s port.' }),
  int('FUJI_ETL_ATHENA_PORT', { default: 18090, max: 65535, doc: 'The local Athena API’s port.' }),
  int('FUJI_ETL_MOTO_PORT', {
    default: 18070,
    max: 65535,
    doc: 'moto’s port (S3, Glue, DynamoDB, Secrets Manager, SSM).',
  }),
  int('FUJI_ETL_FAKES_PORT', {
    default: 18110,
    max: 65535,
    doc: 'The offline fakes of JMA and Open-Meteo.',
  }),
  int('FUJI_ETL_GA4_FAKE_PORT', { default: 18111, max: 65535, doc: 'The GA4 Data API fake.' }),
  int('FUJI_ETL_OPENDATA_FAKE_PORT', {
    default: 18112,
    max: 65535,
    doc: 'The open-data catalogue fake.',
  }),
  doc(
    'FUJI_ETL_TRINO_URL',
    'Trino for the local Athena server (set by `stack up`).',
    'http://127.0.0.1:<trino port>',
    'http(s) URL',
  ),
  doc('FUJI_ETL_TRINO_HEAP', 'Trino’s JVM heap.', '3G', 'size like 3G or 3072M'),
  doc(
    'FUJI_ETL_JAVA_HOME',
    'The JDK Trino runs on, when the one found is not wanted.',
    'found on the machine',
    'directory',
  ),
  doc(
    'FUJI_ETL_KEEP_STACK',
    'Set to keep a stack the test run started running after it.',
    'unset',
    'any value',
  ),
];
