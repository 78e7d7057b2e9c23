/**
 * Where the local stack lives and listens. Everything is overridable by environment so two
 * checkouts (or CI beside a developer's stack) can run side by side.
 *
 * The cache sits outside the clone so a fresh clone and CI reuse the downloads (Trino, the
 * moto virtual environment) instead of fetching hundreds of megabytes again.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';

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
