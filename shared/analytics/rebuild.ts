/**
 * Rebuilds the analytics tables, each with ONE MERGE whose source is the derived SELECT joined
 * (full outer) with the table's current rows: new keys are inserted, changed rows updated, keys
 * the sources no longer give deleted, unchanged rows left alone. One statement is one snapshot,
 * so a rebuild is atomic and can be restored like any write. Run after the loads that feed them
 * (the daily report function, `fuji-etl report`, the demo).
 *
 * The sources are passed in (the declared tables by default, at the call site) so tests rebuild
 * from copies in their own namespaces.
 */
import type { AthenaEngine } from '../engine/athena.ts';
import type { Dialect } from '../model/ddl.ts';
import { fullName, type TableModel } from '../model/table.ts';
import { quoteIdent } from '../sql/identifier.ts';
import type { TableNames } from '../sql/table-names.ts';
import { stringLiteral } from '../sql/literal.ts';
import { ensureTable } from '../writer/ensure-table.ts';
import { FUJI_AREA, SUMMIT_POINT, SUMMIT_STATION } from './tables.ts';

export interface AnalyticsSources {
  /** climbing.climber_counts */
  readonly climbers: TableModel;
  /** entry.registrations_daily */
  readonly registrations: TableModel;
  /** web_analytics.ga4_daily_totals */
  readonly webTotals: TableModel;
  /** weather.amedas_observation */
  readonly observations: TableModel;
  /** weather.open_meteo_hourly */
  readonly openMeteo: TableModel;
  /** weather.jma_forecast_area */
  readonly jmaArea: TableModel;
  /** weather.jma_forecast_temp */
  readonly jmaTemp: TableModel;
  /** weather.jma_weekly_temp */
  readonly jmaWeeklyTemp: TableModel;
}

export interface AnalyticsTargets {
  readonly dailyRoute: TableModel;
  readonly forecastVintage: TableModel;
}

const JST = `'Asia/Tokyo'`;
/** The JST day of an instant column. */
const jstDay = (c: string) => `CAST(${c} AT TIME ZONE ${JST} AS date)`;
/** 00:00 JST of a date column, as an instant: "issued before the day began". */
const dayStart = (c: string) => `with_timezone(CAST(${c} AS timestamp), ${JST})`;

/** The derived rows of analytics.daily_route: one per day and route any count or registration has. */
export function dailyRouteSelect(names: TableNames, s: AnalyticsSources): string {
  return `WITH days AS (
  SELECT count_date AS day, route FROM ${names.of(s.climbers)}
  UNION SELECT entry_date, route FROM ${names.of(s.registrations)}
), climbers AS (
  SELECT count_date AS day, route,
    sum(CASE WHEN count_point = '8th_station' THEN climbers END) AS c8,
    sum(CASE WHEN count_point = '5th_station' THEN climbers END) AS c5
  FROM ${names.of(s.climbers)} GROUP BY 1, 2
), reg AS (
  SELECT entry_date AS day, route, sum(registrations) AS r, sum(hut_stays) AS h
  FROM ${names.of(s.registrations)} GROUP BY 1, 2
), web AS (
  SELECT "date" AS day, sum(sessions) AS sessions FROM ${names.of(s.webTotals)} GROUP BY 1
), obs AS (
  SELECT ${jstDay('observed_at')} AS day, max(temp_c) AS tmax, min(temp_c) AS tmin, max(wind_speed_ms) AS wmax
  FROM ${names.of(s.observations)} WHERE station_code = ${stringLiteral(SUMMIT_STATION)} GROUP BY 1
), om_issue AS (
  SELECT ${jstDay('valid_at')} AS day, issued_at, max(temperature_c) AS tmax
  FROM ${names.of(s.openMeteo)} WHERE point_id = ${stringLiteral(SUMMIT_POINT)} GROUP BY 1, 2
), om AS (
  SELECT day, max_by(tmax, issued_at) AS tmax FROM om_issue
  WHERE issued_at < ${dayStart('day')} GROUP BY day
), jma AS (
  SELECT target_date AS day, max_by(weather_text, report_datetime) AS txt FROM ${names.of(s.jmaArea)}
  WHERE area_code = ${stringLiteral(FUJI_AREA)} AND report_datetime < ${dayStart('target_date')}
  GROUP BY 1
)
SELECT d.day, d.route,
  CAST(c.c8 AS bigint) AS climbers_8th, CAST(c.c5 AS bigint) AS climbers_5th,
  CAST(r.r AS bigint) AS registrations, CAST(r.h AS bigint) AS hut_stays,
  CAST(w.sessions AS bigint) AS web_sessions,
  CAST(o.tmax AS double) AS summit_temp_max_c, CAST(o.tmin AS double) AS summit_temp_min_c,
  CAST(o.wmax AS double) AS summit_wind_max_ms, CAST(om.tmax AS double) AS summit_forecast_temp_max_c,
  j.txt AS jma_weather_text
FROM days d
LEFT JOIN climbers c ON c.day = d.day AND c.route = d.route
LEFT JOIN reg r ON r.day = d.day AND r.route = d.route
LEFT JOIN web w ON w.day = d.day
LEFT JOIN obs o ON o.day = d.day
LEFT JOIN om ON om.day = d.day
LEFT JOIN jma j ON j.day = d.day`;
}

/**
 * The derived rows of analytics.forecast_vintage: per forecast source, station, day and lead
 * time, the last issue's maximum against the observed maximum. Observed days need 18 hours of
 * observations (a partial day's maximum is too low); an Open-Meteo day needs all 24 hours.
 */
export function forecastVintageSelect(names: TableNames, s: AnalyticsSources): string {
  const lead = (issued: string, day: string) =>
    `CAST(date_diff('day', ${jstDay(issued)}, ${day}) AS integer)`;
  return `WITH obs AS (
  SELECT station_code, ${jstDay('observed_at')} AS day, max(temp_c) AS tmax
  FROM ${names.of(s.observations)} WHERE temp_c IS NOT NULL GROUP BY 1, 2
  HAVING count(DISTINCT hour(observed_at)) >= 18
), om_day AS (
  SELECT ${jstDay('valid_at')} AS day, issued_at, max(temperature_c) AS tmax
  FROM ${names.of(s.openMeteo)} WHERE point_id = ${stringLiteral(SUMMIT_POINT)}
  GROUP BY 1, 2 HAVING count(temperature_c) = 24
), fc AS (
  SELECT 'jma_short' AS source, station_code, target_date, ${lead('report_datetime', 'target_date')} AS lead_days,
    report_datetime AS issued_at, temp_max_c AS fmax
  FROM ${names.of(s.jmaTemp)} WHERE temp_max_c IS NOT NULL
  UNION ALL
  SELECT 'jma_weekly', station_code, target_date, ${lead('report_datetime', 'target_date')},
    report_datetime, temp_max_c
  FROM ${names.of(s.jmaWeeklyTemp)} WHERE temp_max_c IS NOT NULL
  UNION ALL
  SELECT 'open_meteo', ${stringLiteral(SUMMIT_STATION)}, day, ${lead('issued_at', 'day')}, issued_at, tmax FROM om_day
), latest AS (
  SELECT source, station_code, target_date, lead_days, max(issued_at) AS issued_at,
    max_by(fmax, issued_at) AS fmax
  FROM fc WHERE lead_days >= 0 GROUP BY 1, 2, 3, 4
)
SELECT l.source, l.station_code, l.target_date, l.lead_days, l.issued_at,
  CAST(l.fmax AS double) AS forecast_temp_max_c, CAST(o.tmax AS double) AS observed_temp_max_c,
  CAST(l.fmax - o.tmax AS double) AS error_c
FROM latest l JOIN obs o ON o.station_code = l.station_code AND o.day = l.target_date`;
}

/**
 * ONE MERGE that makes `target` equal to the rows of `select` (which names every column of the
 * model, with its type): the current rows join the new ones in full, so a key the select no
 * longer gives is marked and deleted in the same statement.
 */
export function mergeFromSelectSql(names: TableNames, target: TableModel, select: string): string {
  const keys = target.key.map((k) => quoteIdent(k));
  const others = target.columns.map((c) => c.name).filter((c) => !target.key.includes(c));
  const q = (c: string) => quoteIdent(c);
  const gone = quoteIdent('fuji_gone');
  const source = [
    ...keys.map((k) => `coalesce(n.${k}, o.${k}) AS ${k}`),
    ...others.map((c) => `n.${q(c)} AS ${q(c)}`),
    `n.${keys[0]} IS NULL AS ${gone}`,
  ].join(', ');
  const on = (a: string, b: string) => keys.map((k) => `${a}.${k} = ${b}.${k}`).join(' AND ');
  const same = others.map((c) => `t.${q(c)} IS NOT DISTINCT FROM s.${q(c)}`).join(' AND ');
  const all = target.columns.map((c) => q(c.name));
  return (
    `MERGE INTO ${names.of(target)} t USING (SELECT ${source} FROM (${select}) n ` +
    `FULL OUTER JOIN ${names.of(target)} o ON ${on('o', 'n')}) s ON ${on('t', 's')} ` +
    `WHEN MATCHED AND s.${gone} THEN DELETE ` +
    (others.length > 0
      ? `WHEN MATCHED AND NOT (${same}) THEN UPDATE SET ${others.map((c) => `${q(c)} = s.${q(c)}`).join(', ')} `
      : '') +
    `WHEN NOT MATCHED THEN INSERT (${all.join(', ')}) VALUES (${all.map((c) => `s.${c}`).join(', ')})`
  );
}

export interface RebuildResult {
  readonly table: string;
  /** Rows the MERGE inserted, updated or deleted (0 when nothing changed). */
  readonly rowsChanged: number;
  readonly ms: number;
}

/**
 * Creates the analytics tables when missing and rebuilds each with one MERGE.
 *
 * @example
 * await rebuildAnalytics(engine, 'athena', defaultAnalyticsSources(), { dailyRoute, forecastVintage });
 */
export async function rebuildAnalytics(
  engine: AthenaEngine,
  dialect: Dialect,
  sources: AnalyticsSources,
  targets: AnalyticsTargets,
  signal?: AbortSignal,
): Promise<RebuildResult[]> {
  for (const m of Object.values(sources)) await ensureTable(engine, dialect, m, signal);
  const out: RebuildResult[] = [];
  for (const [target, select] of [
    [targets.dailyRoute, dailyRouteSelect(engine.names, sources)],
    [targets.forecastVintage, forecastVintageSelect(engine.names, sources)],
  ] as const) {
    await ensureTable(engine, dialect, target, signal);
    const t0 = Date.now();
    const r = await engine.query(mergeFromSelectSql(engine.names, target, select), {
      kind: 'merge',
      signal,
    });
    out.push({ table: fullName(target), rowsChanged: r.updateCount ?? 0, ms: Date.now() - t0 });
  }
  return out;
}
