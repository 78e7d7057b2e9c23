/**
 * `jma_volcano`: JMA's eruption warnings and volcanic alert levels (Mt. Fuji is volcano 314),
 * from the list of recent reports, one slice. Every report is kept; reading the list again
 * merges onto the same rows, and a new report adds its own.
 */
import { getJson, runBounds } from '#shared/http/client.ts';
import { defineConnector } from '#shared/runtime/connector.ts';
import { settings } from './settings.ts';
import { parseVolcanoWarnings } from './parse.ts';
import { jmaVolcanoAlerts } from './tables.ts';

export const jmaVolcano = defineConnector({
  name: 'jma_volcano',
  // EventBridge Scheduler, Asia/Tokyo (infra/schedules.json is generated from it).
  schedule: {
    cron: 'cron(25 * * * ? *)',
    why: 'eruption warnings come at any hour but rarely; hourly is far under the 8-day cadence and cheap (one small file)',
  },
  cadence: {
    hours: 24 * 8,
    why: 'the list holds only recent reports; JMA re-issues the warnings of its active volcanoes (桜島, 阿蘇山, …) within days, so a week without any new report means the source or the load broke',
  },
  tables: [{ model: jmaVolcanoAlerts, disposition: 'merge' }],
  settings,
  // Only the current answer is served: a past range cannot be read again.
  backfill: false,
  slices() {
    return [{ id: 'warning' }];
  },
  async fetch(_slice, ctx) {
    const cfg = ctx.settings;
    const url = `${cfg.baseUrl}/bosai/volcano/data/warning.json`;
    const payload = await getJson(url, runBounds(ctx, cfg.timeoutMs));
    const { rows, rejected } = parseVolcanoWarnings(payload, url);
    return {
      rows: { [jmaVolcanoAlerts.name]: rows },
      rowsRead: rows.length + rejected.length,
      rejected,
      source: url,
    };
  },
});
