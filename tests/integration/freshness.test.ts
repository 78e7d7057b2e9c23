/**
 * Freshness from the data: a source that stops updating turns late, then stale, though every run
 * succeeds; a source that fails turns failing. The clock is passed in, never read.
 */
import { randomBytes } from 'node:crypto';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { FujiEtlError } from '#shared/errors/index.ts';
import { col, defineTable } from '#shared/model/table.ts';
import { tableFreshness } from '#shared/ops/freshness.ts';
import { defineConnector } from '#shared/runtime/connector.ts';
import { runConnector } from '#shared/runtime/run.ts';
import { qualifiedName } from '#shared/sql/identifier.ts';
import { cliContext } from '../../cli/context.ts';
import { testEngine, uniqueNamespace } from '../helpers/local.ts';

const ns = uniqueNamespace('fresh');
const model = defineTable({
  namespace: ns,
  name: 'observations',
  doc: { ja: '観測', en: 'Observations' },
  columns: [
    col('station', 'string', '地点', 'Station', true),
    col('observed_at', 'timestamptz', '観測時刻', 'Observed at', true),
    col('temp_c', 'double', '気温', 'Temperature'),
  ],
  key: ['station', 'observed_at'],
  eventTime: 'observed_at',
});

/** What the source answers: it stops updating, then fails. */
const source = { rows: [] as Record<string, unknown>[], down: false };
const connector = defineConnector({
  name: `it_fresh_${randomBytes(3).toString('hex')}`,
  cadence: { hours: 1, why: 'observations hourly' },
  tables: [{ model, disposition: 'merge' }],
  slices: () => [{ id: 'latest' }],
  fetch: async () => {
    if (source.down) throw new FujiEtlError('HTTP_STATUS', 'source answered 503');
    return { rows: { observations: source.rows }, rowsRead: source.rows.length };
  },
});

const ctx = cliContext({ ...process.env, FUJI_ETL_TARGET: 'local' });
const engine = testEngine();
let clock = new Date('2026-07-10T00:00:00Z');
const deps = {
  engine,
  dialect: 'trino' as const,
  store: ctx.store,
  staging: ctx.staging,
  now: () => clock,
};
const at = (minutesAfterT0: number) =>
  new Date(Date.parse('2026-07-10T00:00:00Z') + minutesAfterT0 * 60_000);

/** Runs the connector at `minutes` after T0, then reads freshness at the same instant. */
async function runAndCheck(minutes: number) {
  clock = at(minutes);
  const run = await runConnector(connector, deps);
  const [f] = await tableFreshness(engine, [connector], { now: clock });
  return { run, f: f! };
}

afterAll(async () => {
  await engine.query(`DROP TABLE IF EXISTS ${qualifiedName(ns, model.name)}`);
  await engine.query(`DROP SCHEMA IF EXISTS "${ns}"`);
});

describe('freshness from the data', () => {
  it('is fresh after a run that lands new observations', async () => {
    source.rows = [{ station: '50066', observed_at: at(-10), temp_c: 8.5 }];
    const { run, f } = await runAndCheck(0);
    expect(run.ok).toBe(true);
    expect(f).toMatchObject({
      table: `${ns}.observations`,
      connector: connector.name,
      eventTime: 'observed_at',
      cadenceHours: 1,
      state: 'fresh',
      newestData: at(-10),
      lastRun: { runId: run.runId, outcome: 'landed', rowsWritten: 1, failedSlices: 0 },
    });
    expect(f.ageHours).toBeCloseTo(10 / 60, 5);
  });

  it('turns late, then stale, when the source stops updating though every run succeeds', async () => {
    // The source answers the same observation: each run succeeds and writes nothing.
    const late = await runAndCheck(90);
    expect(late.run.slices.map((s) => [s.status, s.rowsWritten])).toEqual([['succeeded', 0]]);
    expect(late.f.state).toBe('late');
    expect(late.f.newestData).toEqual(at(-10));
    expect(late.f.lastRun).toMatchObject({
      runId: late.run.runId,
      outcome: 'landed',
      rowsWritten: 0,
    });
    const stale = await runAndCheck(131);
    expect(stale.run.ok).toBe(true);
    expect(stale.f.state).toBe('stale');
    expect(stale.f.ageHours).toBeCloseTo(141 / 60, 5);
  });

  it('is fresh again once new data lands, and failing when the last run failed', async () => {
    source.rows = [...source.rows, { station: '50066', observed_at: at(130), temp_c: 9 }];
    expect((await runAndCheck(135)).f.state).toBe('fresh');
    source.down = true;
    const failed = await runAndCheck(140);
    expect(failed.run.ok).toBe(false);
    // The data is ten minutes old, but the source is down: the age will only grow.
    expect(failed.f).toMatchObject({
      state: 'failing',
      newestData: at(130),
      lastRun: { runId: failed.run.runId, outcome: 'failed', failedSlices: 1 },
    });
    expect(failed.f.lastRun!.error).toMatch(/503/);
  });

  it('is printed by fuji-etl freshness for every declared table with an event time, in UTC and JST', async () => {
    const cli = new URL('../../cli/fuji-etl.ts', import.meta.url).pathname;
    const { stdout } = await promisify(execFile)(process.execPath, [cli, 'freshness'], {
      env: { ...process.env, FUJI_ETL_TARGET: 'local' },
    });
    const lines = stdout.split('\n');
    expect(lines[0]).toMatch(
      /^table\s+\| connector\s+\| event time\s+\| cadence h\s+\| newest data \(UTC\)\s+\| newest data \(JST\)\s+\| age h\s+\| state\s+\| last run \(JST\)\s+\| last run/,
    );
    const row = lines.find((l) => l.startsWith('weather.amedas_observation '));
    expect(row).toMatch(/\| jma_amedas\s+\| observed_at\s+\| 2\s+\|/);
    expect(row).toMatch(/\| (fresh|late|stale|failing)\s+\|/);
    // Code lists have no event time, so no freshness.
    expect(stdout).not.toMatch(/jma_weather_codes/);
  });
});
