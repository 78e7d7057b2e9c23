/**
 * The GA4 connector's settings. Production defaults are Google's endpoint; the property ids have
 * no default (a deployment lists its own), so a missing list fails the cold start.
 */
import { ConfigError } from '#shared/errors/index.ts';
import type { Env } from '#shared/settings/env.ts';
import { readSettings } from '#shared/settings/read.ts';
import {
  custom,
  HTTP_TIMEOUT_MS,
  int,
  list,
  oneOf,
  text,
  url,
  type SettingsOf,
} from '#shared/settings/index.ts';

export type OnSampled = 'reread' | 'accept' | 'fail';

function timeZone(raw: string | undefined): string {
  const tz = raw || 'Asia/Tokyo';
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
  } catch {
    throw new ConfigError(`FUJI_ETL_GA4_TIME_ZONE is not an IANA time zone: ${JSON.stringify(tz)}`);
  }
  return tz;
}

export const settings = {
  baseUrl: url('FUJI_ETL_GA4_BASE_URL', {
    default: 'https://analyticsdata.googleapis.com',
    doc: 'GA4 Data API endpoint.',
  }),
  properties: list('FUJI_ETL_GA4_PROPERTIES', {
    item: /^\d{1,20}$/,
    what: 'numeric GA4 property ids (not the G- measurement id)',
    doc: 'The GA4 properties read (the registration site, the FUJI NAVI pages); each is a member of its day.',
  }),
  credentialsSecret: text('FUJI_ETL_GA4_CREDENTIALS_SECRET', {
    default: 'fuji-etl/ga4-credentials',
    what: 'Secrets Manager secret id',
    doc: 'Secret holding the service-account key JSON (or workload identity configuration).',
  }),
  timeZone: custom('FUJI_ETL_GA4_TIME_ZONE', {
    type: 'IANA time zone',
    fallback: 'Asia/Tokyo',
    doc: 'The properties’ reporting time zone: “yesterday” and `date` are in it.',
    parse: timeZone,
  }),
  trailingDays: int('FUJI_ETL_GA4_TRAILING_DAYS', {
    default: 3,
    min: 0,
    max: 60,
    unit: 'days',
    doc: 'Days before yesterday read again every run, because GA’s numbers settle over 24–48 h.',
  }),
  firstRunDays: int('FUJI_ETL_GA4_FIRST_RUN_DAYS', {
    default: 30,
    max: 3650,
    unit: 'days',
    doc: 'Days a first run (no cursor) loads.',
  }),
  pageSize: int('FUJI_ETL_GA4_PAGE_SIZE', {
    default: 100_000,
    max: 250_000,
    unit: 'rows',
    doc: 'Rows per runReport page (the API allows 250,000).',
  }),
  onSampled: oneOf<OnSampled>('FUJI_ETL_GA4_ON_SAMPLED', {
    values: ['reread', 'accept', 'fail'],
    default: 'reread',
    doc: 'A sampled day: read it again (then keep it, flagged), keep it flagged, or fail the slice.',
  }),
  sampledRereads: int('FUJI_ETL_GA4_SAMPLED_REREADS', {
    default: 2,
    min: 0,
    max: 10,
    doc: 'Re-reads of a sampled day before it is kept flagged.',
  }),
  quotaReservePct: int('FUJI_ETL_GA4_QUOTA_RESERVE_PCT', {
    default: 10,
    min: 0,
    max: 90,
    unit: '%',
    doc: 'Stop the run when a quota’s remaining share falls below this, leaving room for people.',
  }),
  httpTimeoutMs: HTTP_TIMEOUT_MS,
};

export type Ga4Config = SettingsOf<typeof settings>;

/** The settings read from `env` (tests; the runtime reads them through the connector). */
export function ga4Config(env: Env): Ga4Config {
  return readSettings(settings, env, 'connector ga4');
}
