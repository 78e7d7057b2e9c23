/**
 * `npm run demo`: starts the local stack, runs every connector twice (the rerun changes
 * nothing), puts the sample files into the local upload bucket so S3 events load them, then
 * prints what landed: tables, rows, snapshots, a few first queries and the quarantine, and ends
 * by writing the HTML report (analytics tables rebuilt first) and printing its path.
 */
import { runConnector } from '#shared/runtime/run.ts';
import { stringLiteral } from '#shared/sql/literal.ts';
import { connectors, allTables } from '#connectors/index.ts';
import { stackUp } from '#local/stack/index.ts';
import {
  cliContext,
  ensureLocalGa4Credentials,
  ensureLocalStateTable,
  runDeps,
} from './context.ts';
import { formatRows } from './format.ts';
import { demoFiles } from './demo-files.ts';
import { writeReport } from './report.ts';

const RANGE = { from: '2026-07-10', to: '2026-07-17' };

export async function demo(log: (line: string) => void): Promise<number> {
  const t0 = Date.now();
  await stackUp({ log });
  log(`stack ready in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  // A week of GA4 keeps the demo short; a deployment's first run loads 30 days.
  const ctx = cliContext({ FUJI_ETL_GA4_FIRST_RUN_DAYS: '7', ...process.env });
  await ensureLocalStateTable(ctx);
  await ensureLocalGa4Credentials(ctx);
  const deps = runDeps(ctx);
  let ok = true;
  // On the rerun only GA4's last days may change: the fake's numbers are still settling, as GA's do.
  for (const pass of ['first load', 'rerun']) {
    for (const def of Object.values(connectors)) {
      // The weather sources (offline fakes on the real clock) read their current data.
      const s = await runConnector(def, deps, def.name === 'synthetic' ? { range: RANGE } : {});
      ok &&= s.ok;
      const written = s.slices.reduce((n, x) => n + x.rowsWritten, 0);
      const quarantined = s.slices.reduce((n, x) => n + x.rowsQuarantined, 0);
      // Members that failed alone (a station, a variable the model lacks): named, never silent.
      const members = [...new Set(s.slices.flatMap((x) => x.failures.map((f) => f.member)))];
      console.log(
        `${pass}: ${def.name} → ${s.slices.length} slices, ${written} rows written, ${quarantined} quarantined` +
          (members.length ? `, members failed alone: ${members.join(', ')}` : ''),
      );
    }
  }
  ok = (await demoFiles(ctx.engine)) && ok;
  // The analytics tables rebuilt from what just landed (before the listing below counts them),
  // and the report people look at; its path is the demo's last line but one.
  const report = await writeReport(ctx, { out: 'report' });
  const rows: (string | null)[][] = [];
  for (const m of allTables()) {
    const t = ctx.engine.names.of(m);
    const count = await ctx.engine.query(`SELECT count(*) FROM ${t}`);
    const snaps = await ctx.engine.query(
      `SELECT count(*) FROM ${ctx.engine.names.metadata(m.namespace, m.name, 'snapshots')}`,
    );
    rows.push([`${m.namespace}.${m.name}`, String(count.rows[0]?.[0]), String(snaps.rows[0]?.[0])]);
  }
  console.log(`\nWhat landed:\n${formatRows(['table', 'rows', 'snapshots'], rows, 'table')}`);
  const daily = await ctx.engine.query(
    `SELECT route, CAST(counted_at AT TIME ZONE 'Asia/Tokyo' AS date) AS day_jst, sum(climbers_up) AS up, sum(climbers_down) AS down ` +
      `FROM "sandbox"."trail_counts" GROUP BY 1, 2 ORDER BY 2, 1 LIMIT 8`,
  );
  console.log(
    `\nDaily climbers (first rows):\n${formatRows(
      daily.columns.map((c) => c.name),
      daily.text,
      'table',
    )}`,
  );
  // Today's summit forecast next to the latest summit observation (AMeDAS 50066 富士山).
  const summit = await ctx.engine.query(
    `SELECT 'open_meteo forecast' AS source, max_by(valid_at, issued_at) AS at, max_by(temperature_c, issued_at) AS temp_c, max_by(wind_speed_ms, issued_at) AS wind_ms ` +
      `FROM weather.open_meteo_hourly WHERE point_id = 'summit' AND valid_at = date_trunc('hour', current_timestamp) ` +
      `UNION ALL SELECT 'amedas observed', max(observed_at), max_by(temp_c, observed_at), NULL FROM weather.amedas_observation WHERE station_code = '50066' AND temp_c IS NOT NULL`,
  );
  console.log(
    `\nMt. Fuji summit now:\n${formatRows(
      summit.columns.map((c) => c.name),
      summit.text,
      'table',
    )}`,
  );
  // Climbers' safety next to the weather: Mt. Fuji's alert level (volcano 314) and what is in
  // force around the mountain (富士宮市, 御殿場市, 小山町) in the latest report of each phenomenon.
  const safety = await ctx.engine.query(
    `SELECT 'volcano 314' AS what, CAST(max_by(alert_level, report_datetime) AS varchar) AS now, max(report_datetime) AS at FROM weather.jma_volcano_alerts WHERE volcano_code = '314' ` +
      `UNION ALL SELECT 'warnings ' || w.area_code, array_join(array_agg(coalesce(w.warning_name_ja, w.warning_code) || ' ' || w.status), ', '), max(w.report_datetime) ` +
      `FROM weather.jma_warnings w JOIN (SELECT data_type_code, max(report_datetime) AS latest FROM weather.jma_warnings GROUP BY 1) l ` +
      `ON w.data_type_code = l.data_type_code AND w.report_datetime = l.latest ` +
      `WHERE w.area_code IN ('2220700', '2221500', '2234400') GROUP BY w.area_code ORDER BY 1`,
  );
  console.log(
    `\nMt. Fuji alerts:\n${formatRows(
      safety.columns.map((c) => c.name),
      safety.text,
      'table',
    )}`,
  );
  // Users are not additive: the date-only totals are less than the sum over channel rows.
  const web = await ctx.engine.query(
    `SELECT t.property_id, CAST(t."date" AS varchar) AS day, t.sessions, t.total_users, s.summed_users, m.subject_to_thresholding AS thresholded ` +
      `FROM web_analytics.ga4_daily_totals t ` +
      `JOIN (SELECT property_id, "date", sum(total_users) AS summed_users FROM web_analytics.ga4_traffic GROUP BY 1, 2) s ON s.property_id = t.property_id AND s."date" = t."date" ` +
      `JOIN web_analytics.ga4_slice_metadata m ON m.report = 'traffic' AND m.property_id = t.property_id AND m."date" = t."date" ` +
      `ORDER BY t."date" DESC, t.property_id LIMIT 4`,
  );
  console.log(
    `\nGA4, latest days (total users vs the sum over channel × device × country rows):\n${formatRows(
      web.columns.map((c) => c.name),
      web.text,
      'table',
    )}`,
  );
  const q = await ctx.engine.query(
    `SELECT target_table, reason FROM "ops"."quarantine" WHERE connector IN (${Object.keys(
      connectors,
    )
      .map((c) => stringLiteral(c))
      .join(', ')}) AND target_table NOT LIKE 'it\\_%' ESCAPE '\\' ORDER BY quarantined_at LIMIT 3`,
  );
  console.log(
    `\nQuarantine (first rows):\n${formatRows(
      q.columns.map((c) => c.name),
      q.text,
      'table',
    )}`,
  );
  console.log(
    `\nReport (opens offline): ${report.path} (${Math.round(report.bytes / 1024)} KiB, ${(report.totalMs / 1000).toFixed(1)} s)`,
  );
  console.log(
    `\nDone in ${((Date.now() - t0) / 1000).toFixed(1)} s. Query more with: npm run fuji-etl -- sql "SELECT …"; stop with: npm run fuji-etl -- stack down`,
  );
  return ok ? 0 : 1;
}
