import { describe, expect, it } from 'vitest';
import { defineTable } from '../model/table.ts';
import { planWrite, ATHENA_MAX_QUERY_BYTES } from './plan.ts';

const doc = { ja: '説明', en: 'doc' };
const counts = defineTable({
  namespace: 'sandbox',
  name: 'counts',
  doc,
  columns: [
    { name: 'route', type: 'string', required: true, doc },
    { name: 'day', type: 'date', required: true, doc },
    { name: 'n', type: 'int', doc },
    { name: 'note', type: 'string', doc },
  ],
  key: ['route', 'day'],
  partitionBy: [{ column: 'day', transform: 'day' }],
});

function dayOf(i: number): string {
  return new Date(Date.UTC(2020, 0, 1) + i * 86_400_000).toISOString().slice(0, 10);
}

describe('planning a write', () => {
  it('keeps the last record of each key and counts the duplicates', () => {
    const plan = planWrite(
      counts,
      [
        { route: 'gotemba', day: '2026-07-10', n: 1 },
        { route: 'gotemba', day: '2026-07-10', n: 2 },
        { route: 'subashiri', day: '2026-07-10', n: 3 },
      ],
      { disposition: 'merge' },
    );
    expect(plan.duplicates).toBe(1);
    expect(plan.statements).toHaveLength(1);
    expect(plan.statements[0]!.sql).toContain("('gotemba', DATE '2026-07-10', 2, NULL)");
    expect(plan.statements[0]!.sql).not.toContain("('gotemba', DATE '2026-07-10', 1, NULL)");
  });

  it('rejects bad rows with a reason and plans the rest', () => {
    const plan = planWrite(
      counts,
      [
        { route: null, day: '2026-07-10' },
        { route: 'a', day: '2026-13-01' },
        { route: 'a', day: '2026-07-10', extra: 1 },
        { route: 'a', day: '2026-07-10', note: 'ok' },
      ],
      { disposition: 'merge' },
    );
    expect(plan.rejected.map((r) => r.reason)).toEqual([
      'column route is required',
      expect.stringMatching(/column day: .*not a calendar date/),
      'unknown column extra',
    ]);
    expect(plan.statements[0]!.rows).toBe(1);
  });

  it('splits 50,000 rows into statements under the byte limit and 100 partitions each', () => {
    const rows = Array.from({ length: 50_000 }, (_, i) => ({
      route: `route-${i % 500}`,
      day: dayOf(Math.floor(i / 500)),
      n: i,
      note: 'ご来光 🌄 '.repeat(i % 5),
    }));
    const plan = planWrite(counts, rows, { disposition: 'merge' });
    expect(plan.statements.length).toBeGreaterThan(1);
    for (const s of plan.statements) {
      expect(Buffer.byteLength(s.sql)).toBeLessThan(ATHENA_MAX_QUERY_BYTES);
      expect(s.partitions).toBeLessThanOrEqual(100);
    }
    expect(plan.statements.reduce((n, s) => n + s.rows, 0)).toBe(50_000);
  });

  it('opens a new statement when a 101st partition would be touched', () => {
    const rows = Array.from({ length: 150 }, (_, i) => ({ route: 'a', day: dayOf(i) }));
    const plan = planWrite(counts, rows, { disposition: 'append' });
    expect(plan.statements.map((s) => s.partitions)).toEqual([100, 50]);
    expect(plan.statements[0]!.sql).toMatch(/^INSERT INTO "sandbox"."counts"/);
  });

  it('confines each merge to its partitions in the ON clause so the engine prunes', () => {
    const plan = planWrite(counts, [{ route: 'a', day: '2026-07-10' }], { disposition: 'merge' });
    expect(plan.statements[0]!.sql).toContain(
      `ON t."route" = s."route" AND t."day" = s."day" AND ((t."day" >= DATE '2026-07-10' AND t."day" < DATE '2026-07-11'))`,
    );
  });

  it('replaces partitions: deletes the scope and the batch partitions before inserting', () => {
    const plan = planWrite(counts, [{ route: 'a', day: '2026-07-10' }], {
      disposition: 'replace',
      scope: { column: 'day', from: '2026-07-10', to: '2026-07-12' },
    });
    expect(plan.statements.map((s) => s.kind)).toEqual(['delete', 'delete', 'insert']);
    expect(plan.statements[0]!.sql).toBe(
      `DELETE FROM "sandbox"."counts" WHERE "day" >= DATE '2026-07-10' AND "day" < DATE '2026-07-12'`,
    );
  });

  it('refuses merge on a table whose partition column is outside the key', () => {
    const bad = defineTable({ ...counts, name: 'bad', key: ['route'] });
    expect(() => planWrite(bad, [], { disposition: 'merge' })).toThrow(
      /partition column day in the key/,
    );
  });
});
