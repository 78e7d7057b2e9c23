/**
 * `fuji-etl report [--out DIR] [--from YYYY-MM-DD --to YYYY-MM-DD]`: rebuilds the analytics
 * tables and writes the self-contained HTML report (it opens offline, from the file system).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { analyticsSources, freshnessSources } from '#connectors/index.ts';
import { dailyRoute, forecastVintage } from '#shared/analytics/tables.ts';
import { quarantine, runLedger } from '#shared/ops/tables.ts';
import { rebuildAndRender } from '#shared/report/index.ts';
import type { DateRange } from '#shared/runtime/connector.ts';
import type { CliContext } from './context.ts';

export const REPORT_FILE = 'fuji-etl-report.html';

export interface WrittenReport {
  readonly path: string;
  readonly bytes: number;
  readonly totalMs: number;
  readonly queryMs: number;
}

export async function writeReport(
  ctx: CliContext,
  opts: { out?: string; season?: DateRange; now?: Date } = {},
): Promise<WrittenReport> {
  const r = await rebuildAndRender({
    engine: ctx.engine,
    dialect: ctx.cfg.dialect,
    now: opts.now ?? new Date(),
    sources: freshnessSources(),
    analyticsSources: analyticsSources(),
    tables: { ledger: runLedger, quarantine, dailyRoute, forecastVintage },
    ...(opts.season && { season: opts.season }),
  });
  const dir = resolve(opts.out ?? 'report');
  mkdirSync(dir, { recursive: true });
  const path = resolve(dir, REPORT_FILE);
  writeFileSync(path, r.html);
  return { path, bytes: Buffer.byteLength(r.html), totalMs: r.totalMs, queryMs: r.queryMs };
}
