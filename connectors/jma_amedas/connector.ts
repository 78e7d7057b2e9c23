/**
 * `jma_amedas`: 10-minute observations of the configured stations (default 富士山, 御殿場, 富士,
 * 白糸, 三島) from JMA's per-station 3-hour files, one slice per 3-hour block. Incremental from a
 * cursor on the last observation time, re-reading the blocks of the last few hours because JMA
 * corrects recent values; a backfill walks the blocks of `--from/--to`.
 */
import { getJson } from '#shared/http/client.ts';
import { defineConnector } from '#shared/runtime/connector.ts';
import { eachMember } from '#shared/runtime/members.ts';
import { jstDayStartUtc } from '#shared/time/days.ts';
import { settings } from './settings.ts';
import { parsePoint } from './parse.ts';
import { amedasObservation } from './tables.ts';

const BLOCK_MS = 3 * 3_600_000;
const JST_MS = 9 * 3_600_000;
/** How far before the cursor each run reads again, for JMA's late corrections. */
const REREAD_MS = 6 * 3_600_000;
/** A first run without a cursor loads the last day. */
const FIRST_RUN_MS = 24 * 3_600_000;

/** Start of the 3-hour JST block holding `t` (blocks start at 00, 03, … 21 JST). */
export function blockStart(t: Date): Date {
  return new Date(Math.floor((t.getTime() + JST_MS) / BLOCK_MS) * BLOCK_MS - JST_MS);
}

/** The file name part of a block: `YYYYMMDD_HH` in JST. */
export function blockName(start: Date): string {
  const j = new Date(start.getTime() + JST_MS).toISOString();
  return `${j.slice(0, 4)}${j.slice(5, 7)}${j.slice(8, 10)}_${j.slice(11, 13)}`;
}

export function blocks(from: Date, toExclusive: Date): { id: string; start: Date }[] {
  const out = [];
  for (let t = blockStart(from).getTime(); t < toExclusive.getTime(); t += BLOCK_MS) {
    out.push({ id: blockName(new Date(t)), start: new Date(t) });
  }
  return out;
}

export const jmaAmedas = defineConnector({
  name: 'jma_amedas',
  cadence: {
    hours: 2,
    why: 'observations every 10 minutes, loaded hourly at :15: the newest is at most about 75 minutes old',
  },
  tables: [{ model: amedasObservation, disposition: 'merge' }],
  settings,
  slices({ range, cursor, now }) {
    if (range) {
      const end = Math.min(jstDayStartUtc(range.to).getTime(), now.getTime() + 1);
      // A range run's cursor is its own progress: a resumed backfill starts near it.
      const start = Math.max(
        jstDayStartUtc(range.from).getTime(),
        cursor ? new Date(cursor).getTime() - REREAD_MS : 0,
      );
      return blocks(new Date(start), new Date(end));
    }
    const from = cursor
      ? new Date(new Date(cursor).getTime() - REREAD_MS)
      : new Date(now.getTime() - FIRST_RUN_MS);
    return blocks(from, new Date(now.getTime() + 1));
  },
  sliceFromId(id) {
    const m = /^(\d{4})(\d{2})(\d{2})_(\d{2})$/.exec(id);
    if (!m) return undefined;
    const start = new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!) - JST_MS);
    return blockName(start) === id ? { id, start } : undefined;
  },
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
        const payload = await getJson(url, {
          signal: ctx.signal,
          deadline: ctx.deadline,
          timeoutMs: cfg.timeoutMs,
        });
        return parsePoint(payload, url, station);
      },
    );
    const rows = read.values.flatMap((v) => v.value.rows);
    const rejected = read.values.flatMap((v) => v.value.rejected);
    const last = rows.reduce<Date | undefined>(
      (m, r) => (m && m >= (r.observed_at as Date) ? m : (r.observed_at as Date)),
      undefined,
    );
    return {
      rows: { [amedasObservation.name]: rows },
      rowsRead: rows.length + rejected.length,
      rejected,
      failures: read.failures,
      members: read.members,
      source: urlOf('*'),
      ...(last && { cursor: last.toISOString() }),
    };
  },
});
