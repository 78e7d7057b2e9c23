/**
 * The weather connectors against the offline fakes and the local stack: each issue variant
 * parses, reruns change nothing, late corrections converge, and bad payloads fail their slice
 * with the URL and path while the other slices land.
 */
import { CreateSecretCommand } from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { envClients } from '#shared/aws/clients.ts';
import { jmaAmedas } from '#connectors/jma_amedas/connector.ts';
import { jmaForecast } from '#connectors/jma_forecast/connector.ts';
import { openMeteo } from '#connectors/open_meteo/connector.ts';
import { runConnector } from '#shared/runtime/run.ts';
import { createWeatherFake, type WeatherFake } from '../../local/fakes/weather/server.ts';
import { cliContext, ensureLocalStateTable } from '../../cli/context.ts';
import { testEngine, uniqueNamespace } from '../helpers/local.ts';

const engine = testEngine();
const ctx = cliContext({
  ...process.env,
  FUJI_ETL_TARGET: 'local',
  FUJI_ETL_STATE_TABLE: `state-${uniqueNamespace('weather')}`,
});
let fake: WeatherFake;
const at = (iso: string) => new Date(iso);
const deps = (now: Date) => ({
  engine,
  dialect: 'trino' as const,
  store: ctx.store,
  now: () => now,
});
const written = (s: { slices: readonly { rowsWritten: number }[] }) =>
  s.slices.reduce((n, x) => n + x.rowsWritten, 0);

beforeAll(async () => {
  fake = await createWeatherFake({ now: at('2026-07-15T02:30:00Z') });
  process.env.FUJI_ETL_JMA_BASE_URL = fake.url;
  process.env.FUJI_ETL_OPEN_METEO_URL = fake.url;
  await ensureLocalStateTable(ctx);
});

afterAll(async () => {
  delete process.env.FUJI_ETL_JMA_BASE_URL;
  delete process.env.FUJI_ETL_OPEN_METEO_URL;
  await fake.close();
});

describe('jma_forecast', () => {
  it('parses the 05:00, 11:00 and 17:00 issues and merges a rerun onto the same rows', async () => {
    const issues = [
      ['2026-07-14T20:30:00Z', '2026-07-15 05:00', 4],
      ['2026-07-15T02:30:00Z', '2026-07-15 11:00', 4],
      ['2026-07-15T08:30:00Z', '2026-07-15 17:00', 2],
    ] as const;
    for (const [now, , temps] of issues) {
      fake.setNow(at(now));
      const run = await runConnector(jmaForecast, deps(at(now)));
      expect(run.ok).toBe(true);
      const rerun = await runConnector(jmaForecast, deps(at(now)));
      expect(written(rerun)).toBe(0);
      const r = await engine.query(
        `SELECT count(*) FROM weather.jma_forecast_temp WHERE report_datetime = TIMESTAMP '${now.slice(0, 10)} ${now.slice(11, 19)} UTC' - INTERVAL '30' MINUTE AND station_code = '50206'`,
      );
      // Temperatures are per day: 4 values are two days, 2 values one day.
      expect(r.rows[0]![0]).toBe(BigInt(temps / 2));
    }
    const t = await engine.query(
      `SELECT temp_min_c, temp_max_c FROM weather.jma_forecast_temp WHERE report_datetime = TIMESTAMP '2026-07-15 02:00:00 UTC' AND station_code = '50206' ORDER BY target_date`,
    );
    // The issue's own day has no minimum (JMA repeats the maximum there).
    expect(t.rows[0]![0]).toBeNull();
    expect(t.rows[1]![0]).not.toBeNull();
    const area = await engine.query(
      `SELECT weather_text, wave_text FROM weather.jma_forecast_area WHERE report_datetime = TIMESTAMP '2026-07-15 02:00:00 UTC' AND area_code = '220030'`,
    );
    expect(area.rows).toHaveLength(3);
    expect(area.rows.every((r) => r[1] === null)).toBe(true);
    const weekly = await engine.query(
      `SELECT pop_percent, reliability FROM weather.jma_weekly_area WHERE report_datetime = TIMESTAMP '2026-07-15 02:00:00 UTC' ORDER BY target_date`,
    );
    expect(weekly.rows[0]).toEqual([null, null]);
    expect(weekly.rows).toHaveLength(7);
  });

  it('fails the slice with the URL and JSON path when the payload breaks its shape', async () => {
    fake.injectFaults({ path: 'forecast/220000', kind: 'shape', count: 1 });
    const run = await runConnector(jmaForecast, deps(at('2026-07-15T02:30:00Z')));
    expect(run.ok).toBe(false);
    expect(run.slices[0]!.error).toMatch(
      /SOURCE_SHAPE: http:\/\/127\.0\.0\.1:\d+\/bosai\/forecast\/data\/forecast\/220000\.json at \$\[0\]\.timeSeries: expected an array/,
    );
    expect(run.slices[0]!.rowsWritten).toBe(0);
  });
});

describe('jma_amedas', () => {
  it('loads 10-minute records with flags, and converges on a late correction', async () => {
    const now = at('2026-07-15T02:35:00Z'); // 11:35 JST
    fake.setNow(now);
    const range = { from: '2026-07-15', to: '2026-07-16' };
    const first = await runConnector(jmaAmedas, deps(now), { range });
    expect(first.ok).toBe(true);
    expect(first.slices.map((s) => s.slice)).toEqual([
      '20260715_00',
      '20260715_03',
      '20260715_06',
      '20260715_09',
    ]);
    // The summit observes no wind: the element and its flag stay NULL.
    const summit = await engine.query(
      `SELECT count(*), count(temp_c), count(wind_speed_ms), count(wind_speed_ms_aqc), count_if(temp_c_aqc <> 0) FROM weather.amedas_observation WHERE station_code = '50066' AND observed_at BETWEEN TIMESTAMP '2026-07-14 15:00:00 UTC' AND TIMESTAMP '2026-07-15 02:30:00 UTC'`,
    );
    const [n, temps, wind, windFlags, flagged] = summit.rows[0] as bigint[];
    expect(n).toBe(70n);
    expect(wind).toBe(0n);
    expect(windFlags).toBe(0n);
    // A value lands only with quality flag 0: every record has one or the other.
    expect(temps! + flagged!).toBe(n);
    const rerun = await runConnector(jmaAmedas, deps(now), { range });
    expect(written(rerun)).toBe(0);
    fake.reviseAmedas('50206', '20260715100000', 'temp', 31.4);
    const corrected = await runConnector(jmaAmedas, deps(now), { range });
    expect(written(corrected)).toBe(1);
    const v = await engine.query(
      `SELECT temp_c FROM weather.amedas_observation WHERE station_code = '50206' AND observed_at = TIMESTAMP '2026-07-15 01:00:00 UTC'`,
    );
    expect(v.rows[0]![0]).toBe(31.4);
  });

  it('retries 429 with Retry-After and 500 and still lands the block', async () => {
    const now = at('2026-07-15T02:35:00Z');
    fake.injectFaults({ path: '50136/20260715_06', kind: 'status429', count: 1, retryAfterS: 1 });
    fake.injectFaults({ path: '50196/20260715_06', kind: 'status500', count: 1 });
    const t0 = Date.now();
    const run = await runConnector(jmaAmedas, deps(now), {
      range: { from: '2026-07-15', to: '2026-07-16' },
    });
    expect(run.ok).toBe(true);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1_000);
    fake.clearFaults();
  });
});

describe('jma_amedas faults and increments', () => {
  it('fails only the block whose payload is truncated or not JSON, and a rerun converges', async () => {
    const now = at('2026-07-15T02:35:00Z');
    const range = { from: '2026-07-15', to: '2026-07-16' };
    fake.injectFaults({ path: '50056/20260715_03', kind: 'truncated', count: 1 });
    fake.injectFaults({ path: '50056/20260715_06', kind: 'malformed', count: 1 });
    const run = await runConnector(jmaAmedas, deps(now), { range });
    expect(run.ok).toBe(false);
    const failed = run.slices.filter((x) => x.error);
    expect(failed.map((x) => x.slice)).toEqual(['20260715_03', '20260715_06']);
    for (const f of failed) {
      expect(f.error).toMatch(
        /SOURCE_SHAPE: http:\/\/127\.0\.0\.1:\d+\/bosai\/amedas\/data\/point\/50056\/\d{8}_\d{2}\.json at \$: not JSON/,
      );
      expect(f.rowsWritten).toBe(0);
    }
    const ledger = await engine.query(
      `SELECT slice, status, error IS NOT NULL FROM ops.run_ledger WHERE run_id = '${run.runId}' ORDER BY slice`,
    );
    expect(ledger.text).toEqual([
      ['20260715_00', 'succeeded', 'false'],
      ['20260715_03', 'failed', 'true'],
      ['20260715_06', 'failed', 'true'],
      ['20260715_09', 'succeeded', 'false'],
    ]);
    const again = await runConnector(jmaAmedas, deps(now), { range });
    expect(again.ok).toBe(true);
  });

  it('abandons a hung request after the timeout and retries it', async () => {
    process.env.FUJI_ETL_HTTP_TIMEOUT_MS = '300';
    try {
      fake.injectFaults({ path: '50066/20260715_09', kind: 'timeout', count: 1 });
      const run = await runConnector(jmaAmedas, deps(at('2026-07-15T02:35:00Z')), {
        range: { from: '2026-07-15', to: '2026-07-16' },
      });
      expect(run.ok).toBe(true);
      const asked = fake.requests().filter((r) => r.includes('50066/20260715_09'));
      expect(asked.length).toBeGreaterThanOrEqual(2);
    } finally {
      delete process.env.FUJI_ETL_HTTP_TIMEOUT_MS;
    }
  });

  it('runs incrementally from its cursor, re-reading the last hours for late corrections', async () => {
    const own = cliContext({
      ...process.env,
      FUJI_ETL_TARGET: 'local',
      FUJI_ETL_STATE_TABLE: `state-${uniqueNamespace('amedas')}`,
    });
    await ensureLocalStateTable(own);
    const ownDeps = (now: Date) => ({ ...deps(now), store: own.store });
    const t1 = at('2026-07-16T02:35:00Z'); // 11:35 JST
    fake.setNow(t1);
    const first = await runConnector(jmaAmedas, ownDeps(t1));
    // No cursor yet: the last 24 hours, from the block holding 11:35 JST the day before.
    expect(first.slices.map((x) => x.slice)).toEqual([
      '20260715_09',
      '20260715_12',
      '20260715_15',
      '20260715_18',
      '20260715_21',
      '20260716_00',
      '20260716_03',
      '20260716_06',
      '20260716_09',
    ]);
    expect(await own.store.getCursor('jma_amedas', 'main')).toBe('2026-07-16T02:30:00.000Z');
    // Three hours later JMA corrects a value from 4 hours ago: inside the 6-hour re-read.
    const t2 = at('2026-07-16T05:35:00Z'); // 14:35 JST
    fake.setNow(t2);
    // A value of its own per test run: the warehouse outlives runs, the fake's revisions do not.
    const revised = (100 + Math.floor(Math.random() * 99)) / 10;
    fake.reviseAmedas('50136', '20260716100000', 'temp', revised);
    const next = await runConnector(jmaAmedas, ownDeps(t2));
    expect(next.slices.map((x) => x.slice)).toEqual([
      '20260716_03',
      '20260716_06',
      '20260716_09',
      '20260716_12',
    ]);
    expect(written(next)).toBeGreaterThanOrEqual(1);
    const v = await engine.query(
      `SELECT temp_c FROM weather.amedas_observation WHERE station_code = '50136' AND observed_at = TIMESTAMP '2026-07-16 01:00:00 UTC'`,
    );
    expect(v.rows[0]![0]).toBe(revised);
    // The three new hours landed for all five stations: 12:00–14:30 JST, 16 records each.
    const fresh = await engine.query(
      `SELECT count(*) FROM weather.amedas_observation WHERE observed_at BETWEEN TIMESTAMP '2026-07-16 03:00:00 UTC' AND TIMESTAMP '2026-07-16 05:30:00 UTC'`,
    );
    expect(fresh.rows[0]![0]).toBe(80n);
    expect(await own.store.getCursor('jma_amedas', 'main')).toBe('2026-07-16T05:30:00.000Z');
  });
});

describe('open_meteo', () => {
  it('lands 7 days of hourly forecasts per point with m/s winds, keyed by the fetch hour', async () => {
    const now = at('2026-07-15T02:35:00Z');
    fake.setNow(now);
    const run = await runConnector(openMeteo, deps(now));
    expect(run.ok).toBe(true);
    expect(run.slices.map((s) => s.rowsRead)).toEqual([168, 168, 168, 168]);
    const rerun = await runConnector(openMeteo, deps(now));
    expect(written(rerun)).toBe(0);
    const r = await engine.query(
      `SELECT count(*), count(visibility_m), min(valid_at), max(temperature_c) < 10 FROM weather.open_meteo_hourly WHERE point_id = 'summit' AND issued_at = TIMESTAMP '2026-07-15 02:00:00 UTC'`,
    );
    // Local times without offset become instants: today 00:00 JST is 15:00 UTC the day before.
    expect(r.text[0]).toEqual(['168', '72', '2026-07-14 15:00:00.000000 UTC', 'true']);
    const attribution = await engine.query(
      `SELECT DISTINCT attribution FROM weather.open_meteo_hourly WHERE issued_at = TIMESTAMP '2026-07-15 02:00:00 UTC'`,
    );
    expect(attribution.rows).toEqual([[expect.stringContaining('Open-Meteo.com')]]);
  });

  it('sends the commercial API key from Secrets Manager and never shows it in errors', async () => {
    const secrets = envClients().secrets;
    const good = uniqueNamespace('om_key');
    const bad = uniqueNamespace('om_badkey');
    await secrets.send(new CreateSecretCommand({ Name: good, SecretString: 'test-key' }));
    await secrets.send(new CreateSecretCommand({ Name: bad, SecretString: 'revoked-key-123' }));
    const now = at('2026-07-15T03:35:00Z');
    fake.setNow(now);
    try {
      process.env.FUJI_ETL_OPEN_METEO_KEY_SECRET = good;
      const run = await runConnector(openMeteo, deps(now));
      expect(run.ok).toBe(true);
      expect(fake.requests().filter((r) => r.includes('apikey=test-key'))).toHaveLength(4);
      process.env.FUJI_ETL_OPEN_METEO_KEY_SECRET = bad;
      const refused = await runConnector(openMeteo, deps(now));
      expect(refused.ok).toBe(false);
      const error = refused.slices[0]!.error!;
      expect(error).toMatch(/apikey=\*\*\*.* answered HTTP 400/);
      expect(error).not.toContain('revoked-key-123');
      const ledger = await engine.query(
        `SELECT count(*) FROM ops.run_ledger WHERE run_id = '${refused.runId}' AND strpos(error, 'revoked-key-123') > 0`,
      );
      expect(ledger.rows[0]![0]).toBe(0n);
    } finally {
      delete process.env.FUJI_ETL_OPEN_METEO_KEY_SECRET;
    }
  });
});
