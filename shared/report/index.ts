/**
 * The report: `buildReport` runs the queries, `renderReport` makes the self-contained HTML,
 * `renderReportHtml` does both with the inlined chart library.
 */
import type { Dialect } from '../model/ddl.ts';
import {
  rebuildAnalytics,
  type AnalyticsSources,
  type RebuildResult,
} from '../analytics/rebuild.ts';
import { chartLibrary } from './assets.ts';
import { buildReport, type ReportInput } from './build.ts';
import { renderReport } from './render.ts';

export { buildReport, type ReportInput, type ReportTables } from './build.ts';
export { renderReport } from './render.ts';
export type { Report, Section } from './sections.ts';

export interface RenderedReport {
  readonly html: string;
  /** Query time and total time, ms. */
  readonly queryMs: number;
  readonly totalMs: number;
}

/**
 * @example
 * const { html } = await renderReportHtml({ engine, now: new Date(), sources, tables });
 */
export async function renderReportHtml(input: ReportInput): Promise<RenderedReport> {
  const t0 = Date.now();
  const report = await buildReport(input);
  const html = renderReport(report, chartLibrary());
  return { html, queryMs: report.queryMs, totalMs: Date.now() - t0 };
}

/**
 * The daily job: rebuild the analytics tables (one MERGE each) from the loads so far, then
 * render the report from them.
 */
export async function rebuildAndRender(
  input: ReportInput & { readonly dialect: Dialect; readonly analyticsSources: AnalyticsSources },
): Promise<RenderedReport & { readonly rebuilt: readonly RebuildResult[] }> {
  const rebuilt = await rebuildAnalytics(
    input.engine,
    input.dialect,
    input.analyticsSources,
    { dailyRoute: input.tables.dailyRoute, forecastVintage: input.tables.forecastVintage },
    input.signal,
  );
  return { ...(await renderReportHtml(input)), rebuilt };
}
