/**
 * The report, rendered from demo-like data in a namespace of its own and opened in Debian's
 * Chromium (driven by playwright-core by path: nothing downloads a browser): the charts drew, no
 * console error, nothing but the file was requested, and every number shown is the engine's
 * answer to the SQL printed under its table. Screenshots are kept in test-output/report/.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyticsSources } from '#connectors/index.ts';
import { dailyRoute, forecastVintage } from '#shared/analytics/tables.ts';
import type { AnalyticsSources } from '#shared/analytics/rebuild.ts';
import { fullName, type TableModel } from '#shared/model/table.ts';
import { quarantine, runLedger } from '#shared/ops/tables.ts';
import { rebuildAndRender, type ReportTables } from '#shared/report/index.ts';
import { qualifiedName } from '#shared/sql/identifier.ts';
import { sqlLiteral } from '#shared/sql/literal.ts';
import { addDays } from '#shared/time/days.ts';
import { ensureTable } from '#shared/writer/ensure-table.ts';
import { ensureChromium } from '#local/stack/provision.ts';
import { inNamespace, testEngine, uniqueNamespace } from '../helpers/local.ts';

const ns = uniqueNamespace('report');
const engine = testEngine();
const OUT = new URL('../../test-output/report/', import.meta.url).pathname;
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const base = analyticsSources();
const sources = Object.fromEntries(
  Object.entries(base).map(([k, m]) => [k, inNamespace(m, ns)]),
) as unknown as AnalyticsSources;
const tables: ReportTables = {
  ledger: inNamespace(runLedger, ns),
  quarantine: inNamespace(quarantine, ns),
  dailyRoute: inNamespace(dailyRoute, ns),
  forecastVintage: inNamespace(forecastVintage, ns),
};
const connector = `it_report_${randomBytes(3).toString('hex')}`;
const freshness = [
  {
    name: connector,
    cadence: { hours: 24, why: 'test' },
    tables: [sources.climbers, sources.observations].map((model) => ({ model })),
  },
];
/** 10:00 JST on 17 July 2026, the morning after the last day of data. */
const NOW = new Date('2026-07-17T01:00:00Z');
const DAYS = [0, 1, 2, 3, 4, 5, 6].map((i) => addDays('2026-07-10', i));
const ROUTES = ['fujinomiya', 'gotemba'] as const;
const jst = (day: string, hour: number) =>
  new Date(Date.parse(`${day}T00:00:00+09:00`) + hour * 3_600_000);
/** The summit's observed temperature on day i at JST hour h: 5 °C, 8 °C from 10 to 14. */
const summitTemp = (i: number, h: number) => (h >= 10 && h <= 14 ? 8 : 5) + i / 10;

async function insert(model: TableModel, rows: Record<string, unknown>[]): Promise<void> {
  await ensureTable(engine, 'trino', model);
  if (rows.length === 0) return;
  const cols = model.columns;
  const values = rows
    .map((r) => `(${cols.map((c) => sqlLiteral(c.type, r[c.name] ?? null)).join(', ')})`)
    .join(', ');
  await engine.query(
    `INSERT INTO ${qualifiedName(model.namespace, model.name)} (${cols.map((c) => `"${c.name}"`).join(', ')}) VALUES ${values}`,
  );
}

const lineage = (source: string) => ({ source, source_line: 1 });

async function loadFixture(): Promise<void> {
  await insert(
    sources.climbers,
    DAYS.flatMap((day, i) =>
      ROUTES.flatMap((route, r) => [
        { count_point: '8th_station', route, count_date: day, climbers: 1000 / (r + 1) + 10 * i },
        { count_point: '5th_station', route, count_date: day, climbers: 1200 / (r + 1) + 10 * i },
      ]).map((x) => ({ ...x, ...lineage('test://climbers.csv') })),
    ),
  );
  await insert(
    sources.registrations,
    DAYS.flatMap((day, i) =>
      ROUTES.flatMap((route) => [
        {
          entry_date: day,
          route,
          channel: 'app',
          country: 'JP',
          registrations: 100 + i,
          hut_stays: 50,
        },
        {
          entry_date: day,
          route,
          channel: 'on_site',
          country: 'JP',
          registrations: 20,
          hut_stays: 50,
        },
      ]).map((x) => ({ ...x, ...lineage('test://registrations.csv') })),
    ),
  );
  await insert(
    sources.webTotals,
    DAYS.flatMap((date, i) => [
      { property_id: '1', date, sessions: 3000 + 100 * i },
      { property_id: '2', date, sessions: 500 },
    ]),
  );
  const hours = [...Array(24).keys()];
  await insert(
    sources.observations,
    DAYS.flatMap((day, i) =>
      hours.flatMap((h) => [
        {
          station_code: '50066',
          observed_at: jst(day, h),
          temp_c: summitTemp(i, h),
          wind_speed_ms: 10 + (h % 5),
        },
        { station_code: '50206', observed_at: jst(day, h), temp_c: h === 13 ? 30 + (i % 3) : 25 },
      ]),
    ),
  );
  // Open-Meteo at 06:00 JST each day from the 9th: today (lead 0, +0.5 °C) and tomorrow (+1 °C).
  await insert(
    sources.openMeteo,
    [-1, 0, 1, 2, 3, 4, 5].flatMap((e) =>
      [0, 1].flatMap((lead) =>
        hours.map((h) => ({
          point_id: 'summit',
          issued_at: jst(addDays('2026-07-10', e), 6),
          valid_at: jst(addDays('2026-07-10', e + lead), h),
          temperature_c: summitTemp(e + lead, h) + (lead === 0 ? 0.5 : 1),
        })),
      ),
    ),
  );
  await insert(
    sources.jmaArea,
    DAYS.map((day, i) => ({
      publishing_office: '静岡地方気象台',
      report_datetime: jst(addDays(day, -1), 17),
      area_code: '220030',
      area_name: '東部',
      target_date: day,
      weather_text: i % 2 === 0 ? '晴れ' : 'くもり',
    })),
  );
  // JMA for Mishima: the evening before (lead 1, +1 °C) and the same morning (lead 0, exact).
  await insert(
    sources.jmaTemp,
    DAYS.flatMap((day, i) => [
      {
        publishing_office: '静岡地方気象台',
        report_datetime: jst(addDays(day, -1), 17),
        station_code: '50206',
        station_name: '三島',
        target_date: day,
        temp_max_c: 31 + (i % 3),
      },
      {
        publishing_office: '静岡地方気象台',
        report_datetime: jst(day, 5),
        station_code: '50206',
        station_name: '三島',
        target_date: day,
        temp_max_c: 30 + (i % 3),
      },
    ]),
  );
  await insert(sources.jmaWeeklyTemp, []);
  await insert(tables.ledger, [
    ...['2026-07-15', '2026-07-16'].flatMap((day, d) =>
      [0, 1, 2].map((k) => ({
        run_id: `run-${d}`,
        connector,
        slice: `slice-${k}`,
        started_at: jst(day, 9),
        finished_at: new Date(jst(day, 9).getTime() + 1500),
        status: k === 2 && d === 1 ? 'failed' : 'succeeded',
        rows_written: 10 * (k + 1),
      })),
    ),
  ]);
  await insert(tables.quarantine, [
    ...[1, 2, 3].map((n) => ({
      record_id: `r${n}`,
      run_id: 'run-1',
      connector,
      target_table: 'climbing.climber_counts',
      reason: `climbers: not a number (line ${n})`,
      contract: 'moe_climbers_8th',
      quarantined_at: jst('2026-07-16', 9),
    })),
    {
      record_id: 'r4',
      run_id: 'run-1',
      connector,
      target_table: 'weather.amedas_observation',
      reason: 'temp_c: out of range',
      quarantined_at: jst('2026-07-16', 9),
    },
  ]);
}

let context: BrowserContext;
let page: Page;
let html: string;
const errors: string[] = [];
const requests: string[] = [];
let renderMs = 0;
let profile: string | undefined;
let rebuilt: readonly { table: string; rowsChanged: number }[] = [];

beforeAll(async () => {
  const executablePath = ensureChromium(() => {});
  await loadFixture();
  const r = await rebuildAndRender({
    engine,
    dialect: 'trino',
    now: NOW,
    sources: freshness,
    analyticsSources: sources,
    tables,
    season: { from: '2026-07-10', to: '2026-07-17' },
  });
  html = r.html;
  renderMs = r.totalMs;
  rebuilt = r.rebuilt;
  mkdirSync(OUT, { recursive: true });
  writeFileSync(join(OUT, 'report.html'), html);
  profile = mkdtempSync(join(tmpdir(), 'fuji-etl-chromium-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    args: FLAGS,
    viewport: { width: 1400, height: 1000 },
  });
  page = await context.newPage();
  page.on('console', (m) => {
    // Plot warns (console.warn) about data it cannot chart well: as bad as an error here.
    if (m.type() === 'error' || m.type() === 'warning') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('request', (q) => requests.push(q.url()));
  await page.goto(`file://${join(OUT, 'report.html')}`);
  await page.waitForSelector('[data-chart="accuracy"] svg');
});

afterAll(async () => {
  await context?.close();
  for (const m of [...Object.values(sources), ...Object.values(tables)]) {
    await engine.query(`DROP TABLE IF EXISTS ${qualifiedName(m.namespace, m.name)}`);
  }
  await engine.query(`DROP SCHEMA IF EXISTS "${ns}"`);
  if (profile) rmSync(profile, { recursive: true, force: true });
});

/** The cells of a section's table as text, '–' read back as NULL. */
function cellsOf(id: string): Promise<(string | null)[][]> {
  return page.$$eval(`table[data-table="${id}"] tbody tr`, (trs) =>
    trs.map((tr) =>
      [...tr.querySelectorAll('td')].map((td) =>
        td.dataset.null === 'true' ? null : (td.textContent ?? ''),
      ),
    ),
  );
}

describe('the report', () => {
  it('rebuilds the analytics tables with one MERGE each, and a second rebuild changes nothing', async () => {
    expect(rebuilt.map((r) => r.table)).toEqual([
      fullName(tables.dailyRoute),
      fullName(tables.forecastVintage),
    ]);
    const n = await engine.query(`SELECT count(*) FROM ${qualifiedName(ns, 'daily_route')}`);
    expect(n.rows[0]![0]).toBe(14n);
    const again = await rebuildAndRender({
      engine,
      dialect: 'trino',
      now: NOW,
      sources: freshness,
      analyticsSources: sources,
      tables,
      season: { from: '2026-07-10', to: '2026-07-17' },
    });
    expect(again.rebuilt.map((r) => r.rowsChanged)).toEqual([0, 0]);
  });

  it('opens offline: the charts drew, no console error or warning, no request but the file', async () => {
    expect(errors).toEqual([]);
    expect(requests.every((u) => u.startsWith('file://'))).toBe(true);
    const charts = await page.$$eval('[data-chart]', (els) =>
      els.map((e) => ({
        id: e.getAttribute('data-chart'),
        drawn: Number(e.getAttribute('data-drawn') ?? 0),
        marks: e.querySelectorAll('svg [aria-label] path, svg [aria-label] rect, svg circle')
          .length,
      })),
    );
    expect(charts.map((c) => c.id)).toEqual([
      'runs',
      'quarantine',
      'climbers',
      'weather',
      'demand',
      'accuracy',
    ]);
    for (const c of charts) {
      expect(c.drawn, c.id).toBeGreaterThan(0);
      expect(c.marks, c.id).toBeGreaterThan(0);
    }
    // Japanese and English labels side by side.
    expect(await page.locator('#climbers h3').textContent()).toMatch(/登山者数.*Daily climbers/);
    await page.screenshot({ path: join(OUT, 'report-full.png'), fullPage: true });
    for (const id of ['page-operations', 'page-analysis']) {
      await page.locator(`#${id}`).screenshot({ path: join(OUT, `${id}.png`) });
    }
  });

  it('shows in every table exactly what its SQL returns', async () => {
    const blocks = await page.$$eval('section.block', (els) =>
      els.map((e) => ({ id: e.id, sql: e.querySelector('details pre')?.textContent ?? null })),
    );
    const withSql = blocks.filter((b) => b.sql !== null);
    expect(withSql.map((b) => b.id)).toEqual([
      'runs',
      'quarantine',
      'climbers',
      'weather',
      'demand',
      'accuracy',
    ]);
    for (const b of withSql) {
      const r = await engine.query(b.sql!);
      expect(await cellsOf(b.id), b.id).toEqual(r.text);
      expect(r.text.length, b.id).toBeGreaterThan(0);
    }
  });

  it('derives the numbers the fixture implies', async () => {
    const demand = await cellsOf('demand');
    // Two routes × (100 + i app + 20 on site); sessions of both properties.
    expect(demand[0]).toEqual(['2026-07-10', '240', '200', '3500']);
    expect(demand[6]).toEqual(['2026-07-16', '252', '200', '4100']);
    const weather = await cellsOf('weather');
    expect(weather[0]).toEqual(['2026-07-10', '8.0', '5.0', '9.0', '14.0', '晴れ']);
    expect(weather[1]).toEqual(['2026-07-11', '8.1', '5.1', '9.1', '14.0', 'くもり']);
    expect(await cellsOf('accuracy')).toEqual([
      ['jma_short', '0', '7', '0.0', '0.0'],
      ['jma_short', '1', '7', '1.0', '1.0'],
      ['open_meteo', '0', '6', '0.5', '0.5'],
      ['open_meteo', '1', '7', '1.0', '1.0'],
    ]);
    const runs = await cellsOf('runs');
    expect(runs).toEqual([
      ['2026-07-15', connector, '1', '3', '3', '0', '60', '4.5'],
      ['2026-07-16', connector, '1', '3', '2', '1', '60', '4.5'],
    ]);
    expect(await cellsOf('quarantine')).toEqual([
      [
        connector,
        'climbing.climber_counts',
        'moe_climbers_8th',
        'climbers',
        '3',
        '2026-07-16 09:00',
        'npm run fuji-etl -- csv replay --dataset moe_climbers_8th',
      ],
      [connector, 'weather.amedas_observation', '', 'temp_c', '1', '2026-07-16 09:00', ''],
    ]);
  });

  it('states each table’s freshness, its last run and its restore window', async () => {
    const fresh = await cellsOf('freshness');
    // Newest counts: the end of 16 July (JST), 10 hours before now; the last run failed a slice
    // but landed others, so the state follows the age.
    expect(fresh).toEqual([
      [
        fullName(sources.climbers),
        connector,
        'fresh',
        '2026-07-16 15:00 UTC',
        '2026-07-17 00:00 JST',
        '10.0',
        '24',
        '2026-07-16 09:00 JST',
        'landed',
      ],
      [
        fullName(sources.observations),
        connector,
        'fresh',
        '2026-07-16 14:00 UTC',
        '2026-07-16 23:00 JST',
        '11.0',
        '24',
        '2026-07-16 09:00 JST',
        'landed',
      ],
    ]);
    const snaps = await cellsOf('snapshots');
    expect(snaps.map((r) => r[0])).toEqual([
      fullName(sources.climbers),
      fullName(sources.observations),
      fullName(tables.dailyRoute),
      fullName(tables.forecastVintage),
    ]);
    for (const r of snaps) {
      expect(Number(r[1])).toBeGreaterThan(0);
      expect(r[5]).toMatch(/days \(and the newest \d+ snapshots\)/);
    }
  });

  it('is one self-contained file of reasonable size, rendered in reasonable time', () => {
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=/);
    expect(Buffer.byteLength(html)).toBeLessThan(1024 * 1024);
    console.log(
      `report: ${Math.round(Buffer.byteLength(html) / 1024)} KiB, rendered in ${(renderMs / 1000).toFixed(1)} s`,
    );
  });
});
