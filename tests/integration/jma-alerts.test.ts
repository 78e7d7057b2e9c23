/**
 * jma_warning and jma_volcano end to end: an own instance of the offline weather fake on a free
 * port, the local stack's engine and a state table of this file's own. Each report lands once,
 * a rerun of the same report changes nothing, and a new report adds its rows beside the old.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jmaVolcano } from '#connectors/jma_volcano/connector.ts';
import { jmaWarning } from '#connectors/jma_warning/connector.ts';
import { runConnector } from '#shared/runtime/run.ts';
import { createWeatherFake, type WeatherFake } from '../../local/fakes/weather/server.ts';
import { cliContext, ensureLocalStateTable } from '../../cli/context.ts';
import { testEngine, uniqueNamespace } from '../helpers/local.ts';

const engine = testEngine();
const ctx = cliContext({
  ...process.env,
  FUJI_ETL_TARGET: 'local',
  FUJI_ETL_STATE_TABLE: `state-${uniqueNamespace('jma_alerts')}`,
});
let fake: WeatherFake;
const deps = (now: Date) => ({
  engine,
  dialect: 'trino' as const,
  store: ctx.store,
  staging: ctx.staging,
  now: () => now,
});
const written = (s: { slices: readonly { rowsWritten: number }[] }) =>
  s.slices.reduce((n, x) => n + x.rowsWritten, 0);

beforeAll(async () => {
  fake = await createWeatherFake({ now: new Date('2026-07-15T02:30:00Z') });
  process.env.FUJI_ETL_JMA_BASE_URL = fake.url;
  await ensureLocalStateTable(ctx);
});

afterAll(async () => {
  delete process.env.FUJI_ETL_JMA_BASE_URL;
  await fake.close();
});

describe('jma_warning', () => {
  it('keeps every report: a rerun merges onto its rows, the next report adds its own', async () => {
    const first = new Date('2026-07-15T03:30:00Z'); // the 12:10 JST report
    fake.setNow(first);
    const run = await runConnector(jmaWarning, deps(first));
    expect(run.ok).toBe(true);
    expect(run.slices.map((s) => s.slice)).toEqual(['220000']);
    expect(written(await runConnector(jmaWarning, deps(first)))).toBe(0);
    const later = new Date('2026-07-15T06:30:00Z'); // the 15:10 JST report
    fake.setNow(later);
    expect((await runConnector(jmaWarning, deps(later))).ok).toBe(true);
    const r = await engine.query(
      `SELECT report_datetime, count(*), count_if(warning_code = '00'), array_join(array_sort(array_agg(DISTINCT status)), ',') ` +
        `FROM weather.jma_warnings WHERE report_datetime IN (TIMESTAMP '2026-07-15 03:10:00 UTC', TIMESTAMP '2026-07-15 06:10:00 UTC') ` +
        `GROUP BY 1 ORDER BY 1`,
    );
    expect(r.text.map((row) => row.slice(1))).toEqual([
      // 雷注意報 継続 in 13 areas, 波浪注意報 継続 on the coast, one class10 area calm (00)
      ['14', '1', '発表警報・注意報はなし,継続'],
      // the next report lifts 雷注意報: its 解除 rows are kept, they say when it ended
      ['14', '1', '発表警報・注意報はなし,継続,解除'],
    ]);
    const fuji = await engine.query(
      `SELECT warning_name_ja, warning_level, status, area_class FROM weather.jma_warnings ` +
        `WHERE report_datetime = TIMESTAMP '2026-07-15 06:10:00 UTC' AND area_code = '2220700' ORDER BY warning_code`,
    );
    expect(fuji.text).toEqual([['雷注意報', 'advisory', '解除', 'class20']]);
  });
});

describe('jma_volcano', () => {
  it('lands Mt. Fuji’s level from the list and merges a rerun onto the same rows', async () => {
    const now = new Date('2026-07-15T06:30:00Z'); // 15:30 JST: today's 11:00 and 14:00 reports
    fake.setNow(now);
    expect((await runConnector(jmaVolcano, deps(now))).ok).toBe(true);
    expect(written(await runConnector(jmaVolcano, deps(now)))).toBe(0);
    const r = await engine.query(
      `SELECT volcano_name, alert_level, condition, municipality_codes FROM weather.jma_volcano_alerts ` +
        `WHERE volcano_code = '314' AND report_datetime = TIMESTAMP '2026-07-15 05:00:00 UTC'`,
    );
    expect(r.text).toEqual([['富士山', '1', '継続', '2220700,2221500,1942900']]);
  });
});
