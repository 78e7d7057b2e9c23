/**
 * `jma_warning`: the weather warnings and advisories in force for each configured office
 * (default 220000 静岡県), per municipality and class10 area, one slice per office. It reads
 * `bosai/warning/data/r8/{office}.json`, the list of reports (one per phenomenon) JMA's page
 * reads since the 2026 reform; the legacy `warning/data/warning/{office}.json` stopped being
 * updated in late May 2026 (the parser still reads that shape). Every report is kept; reading
 * the same report again merges onto its rows, and the list's older reports merge unchanged.
 */
import { getJson, runBounds } from '#shared/http/client.ts';
import { defineConnector } from '#shared/runtime/connector.ts';
import { settings } from './settings.ts';
import { parseWarnings } from './parse.ts';
import { jmaWarnings } from './tables.ts';

export const jmaWarning = defineConnector({
  name: 'jma_warning',
  // EventBridge Scheduler, Asia/Tokyo (infra/schedules.json is generated from it).
  schedule: {
    cron: 'cron(5/15 * * * ? *)',
    why: 'JMA issues warnings whenever they change, at any hour; every 15 minutes a new report lands within about a quarter hour (safety data for climbers)',
  },
  cadence: {
    hours: 48,
    why: 'JMA issues a report only when an office’s warnings change; in Shizuoka some advisory (乾燥, 強風, 波浪, 雷) changes on most days, calm spells of a day or two happen, and the load runs every 15 minutes',
  },
  tables: [{ model: jmaWarnings, disposition: 'merge' }],
  settings,
  // Only the current answer is served: a past range cannot be read again.
  backfill: false,
  slices({ settings }) {
    return settings.offices.map((office) => ({ id: office, office }));
  },
  async fetch(slice, ctx) {
    const cfg = ctx.settings;
    const url = `${cfg.baseUrl}/bosai/warning/data/r8/${slice.office}.json`;
    const payload = await getJson(url, runBounds(ctx, cfg.timeoutMs));
    const { rows, rejected } = parseWarnings(payload, url, slice.office);
    return {
      rows: { [jmaWarnings.name]: rows },
      rowsRead: rows.length + rejected.length,
      rejected,
      source: url,
    };
  },
});
