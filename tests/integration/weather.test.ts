/**
 * The weather connectors against the offline fakes and the local stack: each issue variant
 * parses, reruns change nothing, late corrections converge, and bad payloads fail their slice
 * with the URL and path while the other slices land.
 */
import { fileURLToPath } from 'node:url';
import { CreateSecretCommand } from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientsFor } from '#shared/aws/clients.ts';
import { jmaAmedas as declaredAmedas } from '#connectors/jma_amedas/connector.ts';
import { jmaForecast as declaredForecast } from '#connectors/jma_forecast/connector.ts';
import { openMeteo as declaredOpenMeteo } from '#connectors/open_meteo/connector.ts';
import { runConnector } from '#shared/runtime/run.ts';
import { createWeatherFake, type WeatherFake } from '../../local/fakes/weather/server.ts';
import { cliContext } from '../../cli/context.ts';
import { testEngine, uniqueNamespace } from '../helpers/local.ts';
import { freshStateTable } from '../helpers/state.ts';
import { connectorIn, dropConnectorTables } from '../helpers/namespaces.ts';
import { realFixtures } from '../helpers/golden.ts';

const connectorDir = (name: string) =>
  fileURLToPath(new URL(`../../connectors/${name}/`, import.meta.url));

const engine = testEngine();
// The declared weather tables are the demo's: this file's rows go to a namespace of its own.
const ns = uniqueNamespace('weather');
const jmaForecast = connectorIn(declaredForecast, ns);
const jmaAmedas = connectorIn(declaredAmedas, ns);
const openMeteo = connectorIn(declaredOpenMeteo, ns);
const ctx = cliContext({ ...process.env, FUJI_ETL_TARGET: 'local' });
let fake: WeatherFake;
const at = (iso: string) => new Date(iso);
const deps = (now: Date, store = ctx.store) => ({
  engine,
  dialect: 'trino' as const,
  store,
  staging: ctx.staging,
  secrets: ctx.secrets,
  now: () => now,
});
/** A state table of the test's own (dropped after it): cursors and member health of its own. */
async function ownState(name: string) {
  return cliContext({
    ...process.env,
    FUJI_ETL_TARGET: 'local',
    FUJI_ETL_STATE_TABLE: await freshStateTable(name),
  });
}
const written = (s: { slices: readonly { rowsWritten: number }[] }) =>
  s.slices.reduce((n, x) => n + x.rowsWritten, 0);

beforeAll(async () => {
  fake = await createWeatherFake({ now: at('2026-07-15T02:30:00Z') });
  process.env.FUJI_ETL_JMA_BASE_URL = fake.url;
  process.env.FUJI_ETL_OPEN_METEO_URL = fake.url;
});

afterAll(async () => {
  await dropConnectorTables(engine, [jmaForecast, jmaAmedas, openMeteo]);
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
        `SELECT count(*) FROM ${ns}.jma_forecast_temp WHERE report_datetime = TIMESTAMP '${now.slice(0, 10)} ${now.slice(11, 19)} UTC' - INTERVAL '30' MINUTE AND station_code = '50206'`,
      );
      // Temperatures are per day: 4 values are two days, 2 values one day.
      expect(r.rows[0]![0]).toBe(BigInt(temps / 2));
    }
    const t = await engine.query(
      `SELECT temp_min_c, temp_max_c FROM ${ns}.jma_forecast_temp WHERE report_datetime = TIMESTAMP '2026-07-15 02:00:00 UTC' AND station_code = '50206' ORDER BY target_date`,
    );
    // The issue's own day has no minimum: its 00:00 slot holds the whole day's maximum.
    expect(t.rows[0]![0]).toBeNull();
    expect(t.rows[1]![0]).not.toBeNull();
    const area = await engine.query(
      `SELECT weather_text, wave_text FROM ${ns}.jma_forecast_area WHERE report_datetime = TIMESTAMP '2026-07-15 02:00:00 UTC' AND area_code = '220030'`,
    );
    expect(area.rows).toHaveLength(3);
    expect(area.rows.every((r) => r[1] === null)).toBe(true);
    const weekly = await engine.query(
      `SELECT pop_percent, reliability FROM ${ns}.jma_weekly_area WHERE report_datetime = TIMESTAMP '2026-07-15 02:00:00 UTC' ORDER BY target_date`,
    );
    expect(weekly.rows[0]).toEqual([null, null]);
    expect(weekly.rows).toHaveLength(7);
  });

  it('lands an off-schedule 20:00 correction and the issue day’s whole-day maximum', async () => {
    const morning = at('2026-07-16T02:30:00Z'); // 11:30 JST: the 11:00 issue
    fake.setNow(morning);
    expect((await runConnector(jmaForecast, deps(morning))).ok).toBe(true);
    const hamamatsu = await engine.query(
      `SELECT temp_min_c, temp_max_c, temp_max_whole_day_c FROM ${ns}.jma_forecast_temp WHERE report_datetime = TIMESTAMP '2026-07-16 02:00:00 UTC' AND station_code = '50456' AND target_date = DATE '2026-07-16'`,
    );
    const [min, daytime, wholeDay] = hamamatsu.rows[0]! as [null, number, number];
    expect(min).toBeNull();
    expect(wholeDay - daytime).toBe(2);
    const evening = at('2026-07-16T11:30:00Z'); // 20:30 JST on an even day: a correction
    fake.setNow(evening);
    expect((await runConnector(jmaForecast, deps(evening))).ok).toBe(true);
    const corrected = await engine.query(
      `SELECT count(*), count(temp_min_c), min(target_date) FROM ${ns}.jma_forecast_temp WHERE report_datetime = TIMESTAMP '2026-07-16 11:00:00 UTC'`,
    );
    // On the 17:00 issue's axes: tomorrow's minimum and maximum for each of the 4 stations.
    expect(corrected.text[0]).toEqual(['4', '4', '2026-07-17']);
  });

  it('fails the forecast alone with the URL and JSON path when it breaks its shape, and still lands the overview', async () => {
    fake.injectFaults({ path: 'forecast/220000', kind: 'shape', count: 1 });
    const run = await runConnector(jmaForecast, deps(at('2026-07-15T02:30:00Z')));
    expect(run.slices[0]).toMatchObject({ status: 'partial', rowsRead: 1 });
    expect(run.slices[0]!.failures).toEqual([
      {
        member: 'forecast:220000',
        reason: expect.stringMatching(
          /SOURCE_SHAPE: http:\/\/127\.0\.0\.1:\d+\/bosai\/forecast\/data\/forecast\/220000\.json at \$\[0\]\.timeSeries: expected an array/,
        ),
      },
    ]);
    fake.injectFaults({ path: '220000', kind: 'shape', count: 2 });
    const both = await runConnector(jmaForecast, deps(at('2026-07-15T02:30:00Z')));
    expect(both.ok).toBe(false);
    expect(both.slices[0]).toMatchObject({ status: 'failed', rowsWritten: 0 });
    expect(both.slices[0]!.error).toMatch(
      /^ALL_MEMBERS_FAILED: every member failed: forecast:220000: SOURCE_SHAPE/,
    );
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
      `SELECT count(*), count(temp_c), count(wind_speed_ms), count(wind_speed_ms_aqc), count_if(temp_c_aqc <> 0) FROM ${ns}.amedas_observation WHERE station_code = '50066' AND observed_at BETWEEN TIMESTAMP '2026-07-14 15:00:00 UTC' AND TIMESTAMP '2026-07-15 02:30:00 UTC'`,
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
      `SELECT temp_c FROM ${ns}.amedas_observation WHERE station_code = '50206' AND observed_at = TIMESTAMP '2026-07-15 01:00:00 UTC'`,
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
  it('fails only the station whose file is truncated or not JSON, lands the others, and re-reads it on the next run', async () => {
    const own = await ownState('amedas_isolation');
    const now = at('2026-07-15T08:35:00Z');
    const range = { from: '2026-07-15', to: '2026-07-16' };
    fake.setNow(now);
    fake.injectFaults({ path: '50056/20260715_03', kind: 'truncated', count: 1 });
    fake.injectFaults({ path: '50056/20260715_06', kind: 'malformed', count: 1 });
    const run = await runConnector(jmaAmedas, deps(now, own.store), { range });
    // One station's bad file costs only that station's rows of that block.
    expect(run.ok && run.complete).toBe(true);
    expect(run.slices.map((x) => [x.slice, x.status])).toEqual([
      ['20260715_00', 'succeeded'],
      ['20260715_03', 'partial'],
      ['20260715_06', 'partial'],
      ['20260715_09', 'succeeded'],
      ['20260715_12', 'succeeded'],
      ['20260715_15', 'succeeded'],
    ]);
    for (const f of run.slices.filter((x) => x.status === 'partial')) {
      expect(f.failures).toEqual([
        {
          member: 'station:50056',
          reason: expect.stringMatching(
            /^SOURCE_SHAPE: http:\/\/127\.0\.0\.1:\d+\/bosai\/amedas\/data\/point\/50056\/\d{8}_\d{2}\.json at \$: not JSON/,
          ),
        },
      ]);
      // The other four stations' 18 records each landed.
      expect(f.rowsRead).toBe(4 * 18);
    }
    const ledger = await engine.query(
      `SELECT slice, status, members_failed, failed_members LIKE 'station:50056: SOURCE_SHAPE%' FROM ops.run_ledger WHERE run_id = '${run.runId}' ORDER BY slice`,
    );
    expect(ledger.text).toEqual([
      ['20260715_00', 'succeeded', '0', null],
      ['20260715_03', 'partial', '1', 'true'],
      ['20260715_06', 'partial', '1', 'true'],
      ['20260715_09', 'succeeded', '0', null],
      ['20260715_12', 'succeeded', '0', null],
      ['20260715_15', 'succeeded', '0', null],
    ]);
    expect(JSON.parse((await own.store.getCursor('jma_amedas', 'members'))!)).toMatchObject({
      // Read fine in the later blocks (no failure in a row now), but two blocks still owed.
      'station:50056': { failures: 0, owed: { '20260715_03': 0, '20260715_06': 0 } },
    });
    // The next incremental run reads its window (from 09 JST) and re-reads the owed blocks
    // for the failed station only.
    const later = at('2026-07-15T09:05:00Z');
    fake.setNow(later);
    const again = await runConnector(jmaAmedas, deps(later, own.store));
    expect(again.ok).toBe(true);
    expect(again.slices.map((x) => [x.slice, x.status, x.rowsRead])).toEqual([
      ['20260715_09', 'succeeded', 5 * 18],
      ['20260715_12', 'succeeded', 5 * 18],
      ['20260715_15', 'succeeded', 5 * 18],
      ['20260715_18', 'succeeded', 5 * 1],
      ['20260715_03', 'succeeded', 18],
      ['20260715_06', 'succeeded', 18],
    ]);
    expect(await own.store.getCursor('jma_amedas', 'members')).toBe('{}');
    fake.setNow(at('2026-07-15T02:35:00Z'));
  });

  it('fails a station that answers 404 alone, and a block where every station fails holds the cursor', async () => {
    const own = await ownState('amedas_404');
    process.env.FUJI_ETL_AMEDAS_STATIONS = '50066,99999';
    try {
      const now = at('2026-07-15T02:35:00Z');
      fake.injectFaults({ path: '50066/20260715_06', kind: 'status500', count: 99 });
      const run = await runConnector(jmaAmedas, deps(now, own.store), {
        range: { from: '2026-07-15', to: '2026-07-16' },
      });
      expect(run.slices.map((x) => [x.slice, x.status])).toEqual([
        ['20260715_00', 'partial'],
        ['20260715_03', 'partial'],
        ['20260715_06', 'failed'],
        ['20260715_09', 'partial'],
      ]);
      expect(run.slices[0]!.failures).toEqual([
        { member: 'station:99999', reason: expect.stringMatching(/answered HTTP 404/) },
      ]);
      expect(run.slices[2]!.error).toMatch(
        /ALL_MEMBERS_FAILED: every member failed: station:50066: HTTP_STATUS.*station:99999/,
      );
      // The whole-block failure holds the range's progress before it. At 11:35 JST only the
      // 00–03 block has settled (JMA corrects the last six hours), so the progress is its end.
      expect(run.complete).toBe(false);
      expect(await own.store.getCursor('jma_amedas', 'range:2026-07-15..2026-07-16')).toBe(
        '2026-07-14T18:00:00.000Z',
      );
    } finally {
      delete process.env.FUJI_ETL_AMEDAS_STATIONS;
      fake.clearFaults();
    }
  });

  it('lands every observation of the real captured blocks in a backfill served at the base URL', async () => {
    const own = await ownState('amedas_real');
    const captured = realFixtures(connectorDir('jma_amedas')).filter((f) =>
      f.name.startsWith('point_'),
    );
    const blocks = captured.map((f) => {
      const [, station, day] = /^point_(\d{5})_(\d{8})_\d{2}\.json$/.exec(f.name)!;
      return {
        station: station!,
        day: `${day!.slice(0, 4)}-${day!.slice(4, 6)}-${day!.slice(6)}`,
        keys: Object.keys(f.json as object),
      };
    });
    process.env.FUJI_ETL_AMEDAS_STATIONS = [...new Set(blocks.map((b) => b.station))].join(',');
    try {
      const now = at('2026-12-01T00:00:00Z');
      for (const day of [...new Set(blocks.map((b) => b.day))]) {
        const next = new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000)
          .toISOString()
          .slice(0, 10);
        const run = await runConnector(jmaAmedas, deps(now, own.store), {
          range: { from: day, to: next },
        });
        // Blocks nobody captured answer 404 for every station: those slices fail, loudly.
        expect(run.slices.some((x) => x.status === 'succeeded' || x.status === 'partial')).toBe(
          true,
        );
      }
      let total = 0;
      for (const b of blocks) {
        const r = await engine.query(
          `SELECT count(*) FROM ${ns}.amedas_observation WHERE station_code = '${b.station}' AND observed_at IN (${b.keys
            .map(
              (k) =>
                `TIMESTAMP '${k.slice(0, 4)}-${k.slice(4, 6)}-${k.slice(6, 8)} ${k.slice(8, 10)}:${k.slice(10, 12)}:00 Asia/Tokyo'`,
            )
            .join(', ')})`,
        );
        expect(r.rows[0]![0]).toBe(BigInt(b.keys.length));
        total += b.keys.length;
      }
      expect(total).toBe(captured.reduce((n, f) => n + Object.keys(f.json as object).length, 0));
      // A value as JMA sent it: 東京 06:00 JST on 4 October 2026, temp [17.1, 0].
      const tokyo = await engine.query(
        `SELECT temp_c, snowfall_1h_cm, snowfall_1h_cm_aqc FROM ${ns}.amedas_observation WHERE station_code = '44132' AND observed_at = TIMESTAMP '2026-10-03 21:00:00 UTC'`,
      );
      expect(tokyo.rows).toEqual([[17.1, null, 6]]);
    } finally {
      delete process.env.FUJI_ETL_AMEDAS_STATIONS;
    }
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
    const own = await ownState('amedas');
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
    // The cursor: the end of the last block that has settled (JMA corrects the last six hours),
    // 00–03 JST; the blocks after it are read again next time.
    expect(await own.store.getCursor('jma_amedas', 'main')).toBe('2026-07-15T18:00:00.000Z');
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
      `SELECT temp_c FROM ${ns}.amedas_observation WHERE station_code = '50136' AND observed_at = TIMESTAMP '2026-07-16 01:00:00 UTC'`,
    );
    expect(v.rows[0]![0]).toBe(revised);
    // The three new hours landed for all five stations: 12:00–14:30 JST, 16 records each.
    const fresh = await engine.query(
      `SELECT count(*) FROM ${ns}.amedas_observation WHERE observed_at BETWEEN TIMESTAMP '2026-07-16 03:00:00 UTC' AND TIMESTAMP '2026-07-16 05:30:00 UTC'`,
    );
    expect(fresh.rows[0]![0]).toBe(80n);
    expect(await own.store.getCursor('jma_amedas', 'main')).toBe('2026-07-15T21:00:00.000Z');
  });
});

describe('open_meteo', () => {
  it('lands 7 days of hourly forecasts per point with m/s winds, keyed by the fetch hour', async () => {
    const now = at('2026-07-15T02:35:00Z');
    fake.setNow(now);
    const run = await runConnector(openMeteo, deps(now));
    expect(run.ok).toBe(true);
    expect(run.slices.map((s) => s.rowsRead)).toEqual([168, 168, 168, 168]);
    // The summit's model lacks visibility (unit "undefined"): that variable alone is NULL.
    expect(run.slices.map((s) => s.status)).toEqual([
      'partial',
      'succeeded',
      'succeeded',
      'succeeded',
    ]);
    expect(run.slices[0]!.failures).toEqual([
      { member: 'variable:visibility', reason: expect.stringContaining('unit "undefined"') },
    ]);
    const rerun = await runConnector(openMeteo, deps(now));
    expect(written(rerun)).toBe(0);
    const r = await engine.query(
      `SELECT count(*), count(visibility_m), min(valid_at), max(temperature_c) < 10 FROM ${ns}.open_meteo_hourly WHERE point_id = 'summit' AND issued_at = TIMESTAMP '2026-07-15 02:00:00 UTC'`,
    );
    // Local times without offset become instants: today 00:00 JST is 15:00 UTC the day before.
    expect(r.text[0]).toEqual(['168', '0', '2026-07-14 15:00:00.000000 UTC', 'true']);
    const notes = await engine.query(
      `SELECT DISTINCT point_id, null_notes FROM ${ns}.open_meteo_hourly WHERE issued_at = TIMESTAMP '2026-07-15 02:00:00 UTC' ORDER BY 1`,
    );
    expect(notes.rows).toEqual([
      ['fujinomiya_5th', null],
      ['gotemba_5th', null],
      ['subashiri_5th', null],
      ['summit', expect.stringContaining('$.hourly_units.visibility: unit "undefined"')],
    ]);
    const fifth = await engine.query(
      `SELECT count(visibility_m) FROM ${ns}.open_meteo_hourly WHERE point_id = 'gotemba_5th' AND issued_at = TIMESTAMP '2026-07-15 02:00:00 UTC'`,
    );
    expect(fifth.rows[0]![0]).toBe(72n);
    const ledger = await engine.query(
      `SELECT slice, status, members_failed, failed_members FROM ops.run_ledger WHERE run_id = '${run.runId}' AND status = 'partial'`,
    );
    expect(ledger.rows).toEqual([
      ['summit', 'partial', 1, expect.stringContaining('variable:visibility: ')],
    ]);
    const attribution = await engine.query(
      `SELECT DISTINCT attribution FROM ${ns}.open_meteo_hourly WHERE issued_at = TIMESTAMP '2026-07-15 02:00:00 UTC'`,
    );
    expect(attribution.rows).toEqual([[expect.stringContaining('Open-Meteo.com')]]);
  });

  it('sends the commercial API key from Secrets Manager and never shows it in errors', async () => {
    const secrets = clientsFor(ctx.cfg).secrets;
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
