/**
 * Typed configuration of the GA4 connector, read from the environment and failing fast with
 * the variable's name. Production defaults are Google's endpoint; on the local target the
 * offline GA4 fake of the local stack.
 */
import { ConfigError } from '#shared/errors/index.ts';
import { envInt, envList, envOneOf, envUrl, isLocalTarget, type Env } from '#shared/config/env.ts';
import { localUrls } from '#local/config.ts';

export type OnSampled = 'reread' | 'accept' | 'fail';

export interface Ga4Config {
  readonly baseUrl: string;
  readonly properties: readonly string[];
  /** Secrets Manager id of the service-account key JSON (or workload identity configuration). */
  readonly credentialsSecret: string;
  /** The properties' reporting time zone: "yesterday" and `date` are in it. */
  readonly timeZone: string;
  /** Days before yesterday read again every run, because GA's numbers settle over 24–48 h. */
  readonly trailingDays: number;
  /** Days a first run (no cursor) loads. */
  readonly firstRunDays: number;
  readonly pageSize: number;
  /** A sampled day: read it again (then keep it, flagged), keep it flagged, or fail the slice. */
  readonly onSampled: OnSampled;
  readonly sampledRereads: number;
  /** Stop the run when a quota's remaining share falls below this (percent), leaving room for people. */
  readonly quotaReservePct: number;
  readonly httpTimeoutMs: number;
}

/** The local fake's two properties: the registration site and the FUJI NAVI web pages. */
export const LOCAL_PROPERTIES = '400000001,400000002';

function timeZone(env: Env): string {
  const tz = env.FUJI_ETL_GA4_TIME_ZONE || 'Asia/Tokyo';
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
  } catch {
    throw new ConfigError(`FUJI_ETL_GA4_TIME_ZONE is not an IANA time zone: ${JSON.stringify(tz)}`);
  }
  return tz;
}

export function ga4Config(env: Env = process.env): Ga4Config {
  const local = isLocalTarget(env);
  if (!local && !env.FUJI_ETL_GA4_PROPERTIES)
    throw new ConfigError('FUJI_ETL_GA4_PROPERTIES must list the GA4 property ids');
  return {
    baseUrl: envUrl(
      env,
      'FUJI_ETL_GA4_BASE_URL',
      local ? localUrls().ga4 : 'https://analyticsdata.googleapis.com',
    ),
    properties: envList(
      env,
      'FUJI_ETL_GA4_PROPERTIES',
      LOCAL_PROPERTIES,
      /^\d{1,20}$/,
      'numeric GA4 property ids (not the G- measurement id)',
    ),
    credentialsSecret: env.FUJI_ETL_GA4_CREDENTIALS_SECRET || 'fuji-etl/ga4-credentials',
    timeZone: timeZone(env),
    trailingDays: envInt(env, 'FUJI_ETL_GA4_TRAILING_DAYS', 3, 0, 60),
    firstRunDays: envInt(env, 'FUJI_ETL_GA4_FIRST_RUN_DAYS', 30, 1, 3650),
    pageSize: envInt(env, 'FUJI_ETL_GA4_PAGE_SIZE', 100_000, 1, 250_000),
    onSampled: envOneOf<OnSampled>(
      env,
      'FUJI_ETL_GA4_ON_SAMPLED',
      ['reread', 'accept', 'fail'],
      'reread',
    ),
    sampledRereads: envInt(env, 'FUJI_ETL_GA4_SAMPLED_REREADS', 2, 0, 10),
    quotaReservePct: envInt(env, 'FUJI_ETL_GA4_QUOTA_RESERVE_PCT', 10, 0, 90),
    httpTimeoutMs: envInt(env, 'FUJI_ETL_HTTP_TIMEOUT_MS', 60_000),
  };
}
