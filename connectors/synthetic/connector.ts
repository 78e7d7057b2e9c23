/**
 * A deterministic synthetic source shaped like 5th-station trail counters, one slice per day.
 * It exercises the same runtime path as every real connector (ensure, lock, write, ledger,
 * cursor, quarantine): one row a day carries a NUL character and lands in ops.quarantine.
 */
import { defineConnector } from '#shared/runtime/connector.ts';
import { jstDayStartUtc } from '#shared/time/days.ts';
import { trailCounts } from './tables.ts';

const ROUTES = ['fujinomiya', 'gotemba', 'subashiri', 'yoshida'] as const;

/** Small deterministic PRNG so reruns produce exactly the same rows. */
function rand(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export function syntheticRows(day: string): Record<string, unknown>[] {
  const r = rand(Number(day.replaceAll('-', '')));
  const start = jstDayStartUtc(day);
  const rows: Record<string, unknown>[] = [];
  for (const route of ROUTES) {
    for (let h = 0; h < 24; h++) {
      const busy = h >= 1 && h <= 5 ? 3 : h >= 9 && h <= 15 ? 2 : 0.3;
      rows.push({
        route,
        counted_at: new Date(start.getTime() + h * 3_600_000),
        climbers_up: Math.round(r() * 80 * busy),
        climbers_down: Math.round(r() * 60 * busy),
        temperature_c: Math.round((2 + r() * 8) * 10) / 10,
        counter_note: h === 3 && route === 'fujinomiya' ? 'ご来光渋滞 🌄' : null,
      });
    }
  }
  // A counter's corrupted note: the encoder refuses NUL, so the row is quarantined, not lost.
  rows.push({
    route: 'gotemba',
    counted_at: new Date(start.getTime() + 23.5 * 3_600_000),
    climbers_up: 1,
    counter_note: 'bad\u0000byte',
  });
  return rows;
}

export const synthetic = defineConnector({
  name: 'synthetic',
  schedule: { unscheduled: 'a demonstration source for the local stack and tests' },
  cadence: { hours: 24, why: 'demonstration data: a range is loaded by hand' },
  tables: [{ model: trailCounts, disposition: 'merge' }],
  // Days in Asia/Tokyo up to yesterday; a first run loads three; any past range can be loaded.
  incremental: { step: { days: 1 }, firstRun: 3, until: 'complete', backfill: true },
  async fetch(slice) {
    const rows = syntheticRows(slice.day);
    return {
      rows: { [trailCounts.name]: rows },
      rowsRead: rows.length,
      source: `synthetic://trail_counts/${slice.day}`,
    };
  },
});
