/**
 * `jma_amedas`: 10-minute observations of the configured stations (default 富士山, 御殿場, 富士,
 * 白糸, 三島) from JMA's per-station 3-hour files, one slice per 3-hour block, planned by the
 * runtime from the declaration below (cursor, re-reads of unsettled blocks, backfills).
 */
import { getJson, runBounds } from '#shared/http/client.ts';
import { defineConnector } from '#shared/runtime/connector.ts';
import { eachMember } from '#shared/runtime/members.ts';
import { settings } from './settings.ts';
import { parsePoint } from './parse.ts';
import { amedasObservation } from './tables.ts';

export const jmaAmedas = defineConnector({
  name: 'jma_amedas',
  // EventBridge Scheduler, Asia/Tokyo (infra/schedules.json is generated from it).
  schedule: {
    cron: 'cron(15 * * * ? *)',
    why: 'AMeDAS observations every 10 minutes; hourly loads keep the table within the hour',
  },
  cadence: {
    hours: 2,
    why: 'observations every 10 minutes, loaded hourly at :15: the newest is at most about 75 minutes old',
  },
  tables: [{ model: amedasObservation, disposition: 'merge' }],
  settings,
  // JMA's per-station files hold 3-hour JST blocks and JMA corrects recent values for a few
  // hours: the last two whole blocks are re-read every run; a first run loads the last 24 hours
  // (nine blocks, the current one partly).
  incremental: { step: { hours: 3 }, firstRun: 9, settledAfter: 2, until: 'now', backfill: true },
  async fetch(slice, ctx) {
    const cfg = ctx.settings;
    const urlOf = (station: string) =>
      `${cfg.baseUrl}/bosai/amedas/data/point/${station}/${slice.id}.json`;
    // One station's bad file or 404 (a station not reporting yet) costs only its own rows.
    const read = await eachMember(
      ctx,
      cfg.stations,
      (station) => `station:${station}`,
      async (station) => {
        const url = urlOf(station);
        const payload = await getJson(url, runBounds(ctx, cfg.timeoutMs));
        return parsePoint(payload, url, station);
      },
    );
    const rows = read.values.flatMap((v) => v.value.rows);
    const rejected = read.values.flatMap((v) => v.value.rejected);
    return {
      rows: { [amedasObservation.name]: rows },
      rowsRead: rows.length + rejected.length,
      rejected,
      failures: read.failures,
      members: read.members,
      source: urlOf('*'),
    };
  },
});
