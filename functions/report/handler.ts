/**
 * Daily (EventBridge, 10:30 JST: after the morning loads of GA4, Open-Meteo and the forecasts):
 * rebuilds the analytics tables, each with one MERGE, and renders the self-contained HTML report
 * into the private `reports/` prefix (FUJI_ETL_REPORT_LOCATION) that the data team's role reads:
 * `reports/<JST day>.html` and `reports/latest.html`. A manual invoke may name the analysis
 * season: `{"from": "2026-07-01", "to": "2026-09-16"}`.
 */
import { loadConfig } from '#shared/config/index.ts';
import { readSettings } from '#shared/settings/read.ts';
import { settings } from './settings.ts';
import { FujiEtlError } from '#shared/errors/index.ts';
import { lambdaHandler } from '#shared/lambda/handler.ts';
import { dailyRoute, forecastVintage } from '#shared/analytics/tables.ts';
import { putObject } from '#shared/aws/put-object.ts';
import { s3ClientFor } from '#shared/aws/s3.ts';
import { quarantine, runLedger } from '#shared/ops/tables.ts';
import { rebuildAndRender } from '#shared/report/index.ts';
import { depsFor } from '#shared/runtime/deps.ts';
import { dayRange } from '#shared/runtime/select.ts';
import { jstDay } from '#shared/time/days.ts';
import { analyticsSources, freshnessSources } from '#connectors/index.ts';

export interface ReportEvent {
  readonly from?: string;
  readonly to?: string;
}

export interface ReportWritten {
  readonly bucket: string;
  readonly keys: readonly string[];
  readonly bytes: number;
  readonly totalMs: number;
}

/** `s3://bucket/prefix/` → bucket and prefix; anything else fails at cold start. */
export function reportLocation(value: string | undefined): { bucket: string; prefix: string } {
  const m = /^s3:\/\/([a-z0-9.-]{3,63})\/((?:[^/]+\/)*)$/.exec(value ?? '');
  if (!m) {
    throw new FujiEtlError(
      'CONFIG',
      `FUJI_ETL_REPORT_LOCATION must be s3://<bucket>/<prefix>/, got ${JSON.stringify(value)}`,
    );
  }
  return { bucket: m[1]!, prefix: m[2]! };
}

const cfg = loadConfig(process.env);
const { engine } = depsFor(cfg, process.env);
const s3 = s3ClientFor(cfg);
const location = reportLocation(readSettings(settings, process.env, 'function report').location);

export const handler = lambdaHandler(
  async (event: ReportEvent | null, { signal, log }): Promise<ReportWritten> => {
    const season =
      event?.from === undefined && event?.to === undefined
        ? undefined
        : dayRange(event.from, event.to, { code: 'BAD_EVENT', context: { event } });
    const now = new Date();
    const r = await rebuildAndRender({
      engine,
      dialect: cfg.dialect,
      now,
      sources: freshnessSources(),
      analyticsSources: analyticsSources(),
      tables: { ledger: runLedger, quarantine, dailyRoute, forecastVintage },
      ...(season && { season }),
      signal,
    });
    const keys = [`${location.prefix}${jstDay(now)}.html`, `${location.prefix}latest.html`];
    for (const key of keys) {
      await putObject(s3, location.bucket, key, r.html, 'text/html; charset=utf-8', signal);
    }
    const bytes = Buffer.byteLength(r.html);
    log({
      code: 'REPORT_WRITTEN',
      bucket: location.bucket,
      keys,
      bytes,
      queryMs: r.queryMs,
      totalMs: r.totalMs,
      rebuilt: r.rebuilt,
    });
    return { bucket: location.bucket, keys, bytes, totalMs: r.totalMs };
  },
  // Lambda retries this function's invocations: a failure marked not retryable is answered.
  { notRetried: 'answer' },
);
