/**
 * Builds the report's pages from queries through the engine: the Operations page (freshness,
 * runs of the last 14 days, quarantine by reason with the replay command, snapshots and the
 * restore window) and the Analysis page (climbers beside the summit weather, registrations and
 * web sessions over the season, forecast accuracy by lead time), read from the analytics tables.
 *
 * Every table's cells are the engine's own text for the section's SQL (rounding is done in the
 * SQL), so the numbers shown are the numbers the statement returns.
 */
import { describeError } from '../errors/index.ts';
import type { AthenaEngine } from '../engine/athena.ts';
import { describeRetention, retentionOf } from '../model/retention.ts';
import { fullName, type TableModel } from '../model/table.ts';
import { tableFreshness, type FreshnessSource } from '../ops/freshness.ts';
import { tableHistory } from '../ops/history.ts';
import type { DateRange } from '../runtime/connector.ts';
import type { TableNames } from '../sql/table-names.ts';
import { sqlLiteral, stringLiteral } from '../sql/literal.ts';
import { jstText, utcText } from '../time/display.ts';
import { addDays, jstDay, jstDayStartUtc } from '../time/days.ts';
import { column, type Cell, type Page, type Report, type Section } from './sections.ts';

export interface ReportTables {
  readonly ledger: TableModel;
  readonly quarantine: TableModel;
  readonly dailyRoute: TableModel;
  readonly forecastVintage: TableModel;
}

export interface ReportInput {
  readonly engine: AthenaEngine;
  /** The report's clock: "the last 14 days", ages and windows are measured from it. */
  readonly now: Date;
  /** The connectors (and upload source) whose tables, runs and quarantine are reported. */
  readonly sources: readonly FreshnessSource[];
  readonly tables: ReportTables;
  /** The analysis window; default: 1 July – 15 September of the newest season with data. */
  readonly season?: DateRange;
  readonly signal?: AbortSignal;
}

const inList = (xs: readonly string[]) =>
  xs.length === 0 ? `(NULL)` : `(${xs.map(stringLiteral).join(', ')})`;

async function sqlSection(
  input: ReportInput,
  s: Omit<Section, 'rows'> & { sql: string },
): Promise<Section> {
  const r = await input.engine.query(s.sql, { kind: 'select', signal: input.signal });
  return { ...s, rows: r.text };
}

/** The statement behind the runs section: per JST day and connector, the last 14 days. */
export function runsSql(input: ReportInput): string {
  const from = jstDayStartUtc(addDays(jstDay(input.now), -13));
  const jst = `CAST(started_at AT TIME ZONE 'Asia/Tokyo' AS date)`;
  return (
    `SELECT CAST(${jst} AS varchar) AS day, connector, count(DISTINCT run_id) AS runs, count(*) AS slices, ` +
    `count_if(status IN ('succeeded', 'partial')) AS landed, count_if(status = 'failed') AS failed, ` +
    `coalesce(sum(rows_written), 0) AS rows_written, ` +
    `round(coalesce(sum(date_diff('millisecond', started_at, finished_at)), 0) / 1000.0, 1) AS duration_s ` +
    `FROM ${input.engine.names.of(input.tables.ledger)} WHERE started_at >= ${sqlLiteral('timestamptz', from)} ` +
    `AND started_at <= ${sqlLiteral('timestamptz', input.now)} ` +
    `AND connector IN ${inList(input.sources.map((s) => s.name))} GROUP BY 1, 2 ORDER BY 1, 2`
  );
}

export function quarantineSql(input: ReportInput): string {
  return (
    `SELECT connector, target_table, coalesce(contract, '') AS contract, split_part(reason, ':', 1) AS reason, ` +
    `count(*) AS records, format_datetime(max(quarantined_at) AT TIME ZONE 'Asia/Tokyo', 'yyyy-MM-dd HH:mm') AS latest_jst, ` +
    `CASE WHEN contract IS NULL THEN '' ELSE 'npm run fuji-etl -- csv replay --dataset ' || contract END AS replay ` +
    `FROM ${input.engine.names.of(input.tables.quarantine)} WHERE connector IN ${inList(input.sources.map((s) => s.name))} ` +
    `GROUP BY connector, target_table, contract, split_part(reason, ':', 1) ORDER BY records DESC, 1, 2, 3, 4`
  );
}

/** The newest season (1 July – 15 September) with counts or registrations, not after `now`. */
async function defaultSeason(input: ReportInput): Promise<DateRange> {
  const today = jstDay(input.now);
  const r = await input.engine.query(
    `SELECT max(year(day)) FROM ${input.engine.names.of(input.tables.dailyRoute)} WHERE day <= ${sqlLiteral('date', today)} ` +
      `AND (climbers_8th IS NOT NULL OR climbers_5th IS NOT NULL OR registrations IS NOT NULL)`,
    { kind: 'select', signal: input.signal },
  );
  const year = r.rows[0]?.[0] ?? Number(today.slice(0, 4));
  return { from: `${String(year)}-07-01`, to: `${String(year)}-09-16` };
}

function seasonWhere(season: DateRange): string {
  return `day >= ${sqlLiteral('date', season.from)} AND day < ${sqlLiteral('date', season.to)}`;
}

export function climbersSql(names: TableNames, tables: ReportTables, season: DateRange): string {
  return (
    `SELECT CAST(day AS varchar) AS day, route, climbers_8th, climbers_5th FROM ${names.of(tables.dailyRoute)} ` +
    `WHERE ${seasonWhere(season)} AND (climbers_8th IS NOT NULL OR climbers_5th IS NOT NULL) ORDER BY day, route`
  );
}

export function weatherSql(names: TableNames, tables: ReportTables, season: DateRange): string {
  // The summit values repeat on every route's row: one row per day.
  return (
    `SELECT CAST(day AS varchar) AS day, round(max(summit_temp_max_c), 1) AS observed_max_c, round(max(summit_temp_min_c), 1) AS observed_min_c, ` +
    `round(max(summit_forecast_temp_max_c), 1) AS forecast_max_c, round(max(summit_wind_max_ms), 1) AS wind_max_ms, max(jma_weather_text) AS jma_weather ` +
    `FROM ${names.of(tables.dailyRoute)} WHERE ${seasonWhere(season)} GROUP BY day ORDER BY day`
  );
}

export function demandSql(names: TableNames, tables: ReportTables, season: DateRange): string {
  return (
    `SELECT CAST(day AS varchar) AS day, sum(registrations) AS registrations, sum(hut_stays) AS hut_stays, ` +
    `max(web_sessions) AS web_sessions FROM ${names.of(tables.dailyRoute)} WHERE ${seasonWhere(season)} ` +
    `GROUP BY day ORDER BY day`
  );
}

export function accuracySql(names: TableNames, tables: ReportTables): string {
  return (
    `SELECT source, lead_days, count(*) AS days, round(avg(abs(error_c)), 2) AS mae_c, round(avg(error_c), 2) AS bias_c ` +
    `FROM ${names.of(tables.forecastVintage)} GROUP BY 1, 2 ORDER BY 1, 2`
  );
}

async function freshnessSection(input: ReportInput): Promise<Section> {
  const rows = await tableFreshness(input.engine, input.sources, {
    now: input.now,
    ledger: input.tables.ledger,
  });
  return {
    id: 'freshness',
    title: { ja: 'データの鮮度', en: 'Freshness of the data' },
    note: {
      ja: '最新データ時刻（各テーブルのデータ時刻列の最大値）とコネクタの周期から判定: fresh（周期内）、late（周期超過）、stale（周期の2倍超過）、failing（最後の実行が失敗）。',
      en: 'From the newest data time (the maximum of each table’s event-time column) against its connector’s cadence: fresh, late (past the cadence), stale (past twice) or failing (the last run failed).',
    },
    columns: [
      column('table', 'テーブル', 'Table'),
      column('connector', 'コネクタ', 'Connector'),
      column('state', '状態', 'State'),
      column('newest_utc', '最新データ（UTC）', 'Newest data (UTC)'),
      column('newest_jst', '最新データ（日本時間）', 'Newest data (JST)'),
      column('age_h', '経過時間（時間）', 'Age (hours)', true),
      column('cadence_h', '周期（時間）', 'Cadence (hours)', true),
      column('last_run_jst', '最後の実行（日本時間）', 'Last run (JST)'),
      column('last_outcome', '最後の実行の結果', 'Last run outcome'),
    ],
    rows: rows.map((f): Cell[] => [
      f.table,
      f.connector,
      f.state,
      f.newestData ? utcText(f.newestData) : null,
      f.newestData ? jstText(f.newestData) : null,
      f.ageHours === undefined ? null : f.ageHours.toFixed(1),
      String(f.cadenceHours),
      f.lastRun ? jstText(f.lastRun.startedAt) : null,
      f.lastRun ? f.lastRun.outcome : null,
    ]),
  };
}

async function snapshotsSection(input: ReportInput): Promise<Section> {
  const models = [
    ...new Set(input.sources.flatMap((s) => s.tables.map((x) => x.model))),
    input.tables.dailyRoute,
    input.tables.forecastVintage,
  ];
  const rows: Cell[][] = [];
  // A few at a time: each reads one table's snapshots (the runs behind them are not shown here).
  for (let i = 0; i < models.length; i += 4) {
    const batch = models.slice(i, i + 4);
    const histories = await Promise.all(
      batch.map((m) =>
        // A table not created yet (a connector never run) says so, and the others still show.
        tableHistory(input.engine, m, { now: input.now, signal: input.signal, runs: false }).catch(
          (err: unknown) => describeError(err),
        ),
      ),
    );
    batch.forEach((m, j) => {
      const h = histories[j]!;
      if (typeof h === 'string') {
        rows.push([fullName(m), '0', '0', null, null, `history unavailable: ${h.slice(0, 200)}`]);
        return;
      }
      const kept = h.filter((s) => s.inWindow);
      rows.push([
        fullName(m),
        String(h.length),
        String(kept.length),
        kept.at(-1) ? jstText(kept.at(-1)!.committedAt) : null,
        h[0] ? jstText(h[0].committedAt) : null,
        describeRetention(retentionOf(m)),
      ]);
    });
  }
  return {
    id: 'snapshots',
    title: { ja: 'スナップショットと復元可能期間', en: 'Snapshots and the restore window' },
    note: {
      ja: '復元: npm run fuji-etl -- restore <テーブル> --to <スナップショットID|時刻>（既定はドライラン）',
      en: 'Restore: npm run fuji-etl -- restore <table> --to <snapshot-id|time> (a dry run unless --apply)',
    },
    columns: [
      column('table', 'テーブル', 'Table'),
      column('snapshots', 'スナップショット数', 'Snapshots', true),
      column('in_window', '復元可能な数', 'In the restore window', true),
      column('oldest_jst', '復元できる最古の状態（日本時間）', 'Oldest restorable state (JST)'),
      column('newest_jst', '最新のコミット（日本時間）', 'Newest commit (JST)'),
      column('window', '保持期間', 'Retention'),
    ],
    rows,
  };
}

/** Runs every query of the report. */
export async function buildReport(input: ReportInput): Promise<Report> {
  const t0 = Date.now();
  const season = input.season ?? (await defaultSeason(input));
  const seasonText = `${season.from} – ${addDays(season.to, -1)}`;
  const operations: Section[] = [
    await freshnessSection(input),
    await sqlSection(input, {
      id: 'runs',
      title: {
        ja: '直近14日間の実行（コネクタ別）',
        en: 'Runs of the last 14 days, per connector',
      },
      note: {
        ja: '日本時間の日別。行数は書き込み（挿入・変更）行数。',
        en: 'Per day in Asia/Tokyo; rows are rows inserted or changed.',
      },
      sql: runsSql(input),
      columns: [
        column('day', '日付', 'Day'),
        column('connector', 'コネクタ', 'Connector'),
        column('runs', '実行数', 'Runs', true),
        column('slices', 'スライス数', 'Slices', true),
        column('landed', '成功スライス', 'Slices landed', true),
        column('failed', '失敗スライス', 'Slices failed', true),
        column('rows_written', '書き込み行数', 'Rows written', true),
        column('duration_s', '所要時間（秒）', 'Duration (s)', true),
      ],
      chart: {
        mark: 'bar',
        x: 'day',
        xType: 'band',
        ys: ['rows_written'],
        series: 'connector',
        yLabel: { ja: '書き込み行数', en: 'Rows written' },
      },
    }),
    await sqlSection(input, {
      id: 'quarantine',
      title: { ja: '隔離されたレコード（理由別）', en: 'Quarantined records by reason' },
      note: {
        ja: '契約を直した後、表示のコマンドで再取り込みする。',
        en: 'After fixing the contract, load them again with the command shown.',
      },
      sql: quarantineSql(input),
      columns: [
        column('connector', 'コネクタ', 'Connector'),
        column('target_table', '書き込み先', 'Target table'),
        column('contract', 'データ契約', 'Contract'),
        column('reason', '理由（先頭）', 'Reason (first part)'),
        column('records', '件数', 'Records', true),
        column('latest_jst', '最新（日本時間）', 'Latest (JST)'),
        column('replay', '再取り込みコマンド', 'Replay command'),
      ],
      chart: {
        mark: 'bar',
        x: 'reason',
        xType: 'band',
        ys: ['records'],
        series: 'connector',
        yLabel: { ja: '件数', en: 'Records' },
      },
    }),
    await snapshotsSection(input),
  ];
  const analysis: Section[] = [
    await sqlSection(input, {
      id: 'climbers',
      title: {
        ja: `登山道別・計測地点別の日別登山者数（${seasonText}）`,
        en: `Daily climbers per route and counting point (${seasonText})`,
      },
      note: {
        ja: '8合目（環境省カウンター）と5合目（県調査）は別の計測で、合算しない。',
        en: 'The 8th station (MOE counters) and the 5th station (prefecture) are separate counts: never add them.',
      },
      sql: climbersSql(input.engine.names, input.tables, season),
      columns: [
        column('day', '日付', 'Day'),
        column('route', '登山道', 'Route'),
        column('climbers_8th', '8合目', '8th station', true),
        column('climbers_5th', '5合目', '5th station', true),
      ],
      chart: {
        mark: 'line',
        x: 'day',
        xType: 'date',
        ys: ['climbers_8th', 'climbers_5th'],
        series: 'route',
        yLabel: { ja: '登山者数', en: 'Climbers' },
      },
    }),
    await sqlSection(input, {
      id: 'weather',
      title: {
        ja: `山頂の天気（アメダス富士山の観測、Open-Meteo・気象庁の予報）（${seasonText}）`,
        en: `Summit weather: AMeDAS Mt. Fuji observed, Open-Meteo and JMA forecasts (${seasonText})`,
      },
      note: {
        ja: '予報は前日までの最新の発表。気象庁の天気は静岡県東部の予報。出典：気象庁ホームページ（加工して作成）、Weather data by Open-Meteo.com (CC BY 4.0)',
        en: 'Forecasts: the latest issue before the day. JMA weather: the forecast for eastern Shizuoka. Sources: JMA (processed), Weather data by Open-Meteo.com (CC BY 4.0)',
      },
      sql: weatherSql(input.engine.names, input.tables, season),
      columns: [
        column('day', '日付', 'Day'),
        column('observed_max_c', '観測最高気温（℃）', 'Observed max (°C)', true),
        column('observed_min_c', '観測最低気温（℃）', 'Observed min (°C)', true),
        column(
          'forecast_max_c',
          '予想最高気温（℃、Open-Meteo）',
          'Forecast max (°C, Open-Meteo)',
          true,
        ),
        column('wind_max_ms', '最大風速（m/s）', 'Max wind (m/s)', true),
        column('jma_weather', '天気予報（気象庁）', 'JMA forecast'),
      ],
      chart: {
        mark: 'line',
        x: 'day',
        xType: 'date',
        ys: ['observed_max_c', 'observed_min_c', 'forecast_max_c'],
        yLabel: { ja: '気温（℃）', en: 'Temperature (°C)' },
      },
    }),
    await sqlSection(input, {
      id: 'demand',
      title: {
        ja: `入山事前登録とWebセッション（${seasonText}）`,
        en: `Entry registrations and GA4 sessions (${seasonText})`,
      },
      note: {
        ja: '登録は入山予定日別（全登山道）。セッションはサイト全体。',
        en: 'Registrations by planned entry day (all routes); sessions are site-wide.',
      },
      sql: demandSql(input.engine.names, input.tables, season),
      columns: [
        column('day', '日付', 'Day'),
        column('registrations', '登録者数', 'Registrations', true),
        column('hut_stays', '山小屋宿泊予定', 'Hut stays', true),
        column('web_sessions', 'GA4 セッション', 'GA4 sessions', true),
      ],
      chart: {
        mark: 'line',
        x: 'day',
        xType: 'date',
        ys: ['registrations', 'web_sessions'],
        yLabel: { ja: '人数・セッション数', en: 'People, sessions' },
      },
    }),
    await sqlSection(input, {
      id: 'accuracy',
      title: {
        ja: '予報の精度: 予想最高気温と観測の誤差（先行日数別）',
        en: 'Forecast vintage accuracy: forecast maximum temperature against observed, by lead time',
      },
      note: {
        ja: 'MAE＝平均絶対誤差、バイアス＝平均誤差（予想－観測）。気象庁は地点（三島など）、Open-Meteo は山頂をアメダスと比較。',
        en: 'MAE = mean absolute error, bias = mean error (forecast minus observed). JMA per station (Mishima, …), Open-Meteo at the summit, against AMeDAS.',
      },
      sql: accuracySql(input.engine.names, input.tables),
      columns: [
        column('source', '予報', 'Forecast'),
        column('lead_days', '先行日数', 'Lead (days)', true),
        column('days', '日数', 'Days', true),
        column('mae_c', 'MAE（℃）', 'MAE (°C)', true),
        column('bias_c', 'バイアス（℃）', 'Bias (°C)', true),
      ],
      chart: {
        mark: 'line',
        x: 'lead_days',
        xType: 'linear',
        ys: ['mae_c'],
        series: 'source',
        yLabel: { ja: '平均絶対誤差（℃）', en: 'Mean absolute error (°C)' },
      },
    }),
  ];
  const pages: Page[] = [
    { id: 'operations', title: { ja: '運用', en: 'Operations' }, sections: operations },
    { id: 'analysis', title: { ja: '分析', en: 'Analysis' }, sections: analysis },
  ];
  return { generatedAt: input.now, pages, queryMs: Date.now() - t0 };
}
