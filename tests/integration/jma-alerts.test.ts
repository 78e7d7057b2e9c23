/**
 * jma_warning and jma_volcano end to end: an own instance of the offline weather fake on a free
 * port, the local stack's engine, and a namespace and state table of this file's own (so rows
 * of the demo or of an earlier run, and a table made from an older model, are never seen). Each report lands once,
 * a rerun of the same report changes nothing, and a new report adds its rows beside the old.
 * jma_warning reads the r8 list (one report per phenomenon; 大雨 and 土砂災害 share a time).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jmaVolcano as declaredVolcano } from '#connectors/jma_volcano/connector.ts';
import { jmaWarning as declaredWarning } from '#connectors/jma_warning/connector.ts';
import { runConnector } from '#shared/runtime/run.ts';
import { createWeatherFake, type WeatherFake } from '../../local/fakes/weather/server.ts';
import { cliContext, ensureLocalStateTable } from '../../cli/context.ts';
import { testEngine, uniqueNamespace } from '../helpers/local.ts';
import { connectorIn, dropConnectorTables } from '../helpers/namespaces.ts';

const engine = testEngine();
const ns = uniqueNamespace('jma_alerts');
const jmaWarning = connectorIn(declaredWarning, ns);
const jmaVolcano = connectorIn(declaredVolcano, ns);
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
  await dropConnectorTables(engine, [jmaWarning, jmaVolcano]);
});

describe('jma_warning', () => {
  it('keeps every report of the r8 list: a rerun merges onto its rows, the next reports add their own', async () => {
    const first = new Date('2026-07-15T03:30:00Z'); // 12:30 JST: the 12:10 大雨 and 土砂災害 reports
    fake.setNow(first);
    const run = await runConnector(jmaWarning, deps(first));
    expect(run.ok).toBe(true);
    expect(run.slices.map((s) => s.slice)).toEqual(['220000']);
    expect(written(run)).toBe(40);
    expect(written(await runConnector(jmaWarning, deps(first)))).toBe(0);
    const later = new Date('2026-07-15T06:30:00Z'); // the 15:10 JST reports; 波浪 and 濃霧 unchanged
    fake.setNow(later);
    const next = await runConnector(jmaWarning, deps(later));
    expect(next.ok).toBe(true);
    expect(written(next)).toBe(20);
    const r = await engine.query(
      `SELECT report_datetime, data_type_code, count(*), count_if(warning_code = '00'), array_join(array_sort(array_agg(DISTINCT status)), ',') ` +
        `FROM ${ns}.jma_warnings GROUP BY 1, 2 ORDER BY 1, 2`,
    );
    expect(r.text.map((row) => row.slice(1))).toEqual([
      // 05:10 JST: 濃霧注意報 継続 in 東部, 富士宮市, 御殿場市
      ['VPWW61', '10', '7', '発表警報・注意報はなし,継続'],
      // 06:10 JST: 波浪注意報 継続 on the coast
      ['VPWW59', '10', '5', '発表警報・注意報はなし,継続'],
      // 12:10 JST: two reports of one time, apart by their data type
      ['VPWW55', '10', '1', '発表警報・注意報はなし,継続'],
      ['VPWW56', '10', '4', '発表警報・注意報はなし,継続'],
      // 15:10 JST: both lifted; the 解除 rows are kept, they say when it ended
      ['VPWW55', '10', '1', '発表警報・注意報はなし,解除'],
      ['VPWW56', '10', '4', '発表警報・注意報はなし,解除'],
    ]);
    const fuji = await engine.query(
      `SELECT data_type_code, warning_name_ja, warning_level, status, area_class FROM ${ns}.jma_warnings ` +
        `WHERE report_datetime = TIMESTAMP '2026-07-15 06:10:00 UTC' AND area_code = '2220700' ORDER BY data_type_code`,
    );
    expect(fuji.text).toEqual([
      ['VPWW55', '大雨注意報', 'advisory', '解除', 'class20'],
      ['VPWW56', '土砂災害注意報', 'advisory', '解除', 'class20'],
    ]);
    const control = await engine.query(
      `SELECT DISTINCT CAST(control_datetime AS varchar), info_type FROM ${ns}.jma_warnings ` +
        `WHERE report_datetime = TIMESTAMP '2026-07-15 06:10:00 UTC'`,
    );
    expect(control.text).toEqual([['2026-07-15 06:10:31.000000 UTC', '発表']]);
  });
});

describe('jma_volcano', () => {
  it('lands Mt. Fuji’s level from the list and merges a rerun onto the same rows', async () => {
    const now = new Date('2026-07-15T06:30:00Z'); // 15:30 JST: today's 11:00 and 14:00 reports
    fake.setNow(now);
    expect((await runConnector(jmaVolcano, deps(now))).ok).toBe(true);
    expect(written(await runConnector(jmaVolcano, deps(now)))).toBe(0);
    const r = await engine.query(
      `SELECT volcano_name, alert_level, condition, municipality_codes FROM ${ns}.jma_volcano_alerts ` +
        `WHERE volcano_code = '314' AND report_datetime = TIMESTAMP '2026-07-15 05:00:00 UTC'`,
    );
    expect(r.text).toEqual([['富士山', '1', '継続', '2220700,2221500,1942900']]);
  });
});
