/**
 * Typed configuration of the open-data catalogue connector, failing fast with the variable's
 * name. Production default: the prefecture's catalogue; on the local target, the offline fake.
 */
import { envInt, envList, envUrl, isLocalTarget, type Env } from '#shared/config/env.ts';
import { localUrls } from '#local/config.ts';

export interface OpendataConfig {
  readonly baseUrl: string;
  /** Resource formats whose content is downloaded and hashed for change detection. */
  readonly hashFormats: readonly string[];
  /** Largest resource downloaded; open-data files are small, a runaway one is refused. */
  readonly maxBytes: number;
  readonly httpTimeoutMs: number;
}

export function opendataConfig(env: Env = process.env): OpendataConfig {
  const local = isLocalTarget(env);
  return {
    baseUrl: envUrl(
      env,
      'FUJI_ETL_OPENDATA_URL',
      local ? localUrls().opendata : 'https://opendata.pref.shizuoka.jp',
    ),
    hashFormats: envList(
      env,
      'FUJI_ETL_OPENDATA_HASH_FORMATS',
      'CSV',
      /^[A-Za-z0-9]+$/,
      'file formats (CSV, XLSX…)',
    ).map((f) => f.toUpperCase()),
    maxBytes: envInt(env, 'FUJI_ETL_OPENDATA_MAX_BYTES', 50 * 1024 * 1024, 1024),
    httpTimeoutMs: envInt(env, 'FUJI_ETL_HTTP_TIMEOUT_MS', 30_000, 100),
  };
}
