import { describe, expect, it } from 'vitest';
import { defineTable } from '../model/table.ts';
import {
  checkDisposition,
  encodeRow,
  partitionGroups,
  planValues,
  scopePredicate,
  ATHENA_MAX_QUERY_BYTES,
  type Encoded,
} from './plan.ts';
import { mergeSql } from './merge-sql.ts';
import { TableNames } from '../sql/table-names.ts';

const doc = { ja: '説明', en: 'doc' };
const names = new TableNames({ catalog: 's3tablescatalog/fuji-etl-test' });
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

function encodeAll(rows: Record<string, unknown>[]): { ok: Encoded[]; bad: string[] } {
  const ok: Encoded[] = [];
  const bad: string[] = [];
  for (const r of rows) {
    try {
      ok.push(encodeRow(counts, r));
    } catch (err) {
      bad.push((err as Error).message);
    }
  }
  return { ok, bad };
}

describe('planning a write', () => {
  it('rejects bad rows with the column and the reason', () => {
    const { ok, bad } = encodeAll([
      { route: null, day: '2026-07-10' },
      { route: 'a', day: '2026-13-01' },
      { route: 'a', day: '2026-07-10', extra: 1 },
      { route: 'a', day: '2026-07-10', note: 'ok' },
    ]);
    expect(bad).toEqual([
      'column route is required',
      expect.stringMatching(/column day: .*not a calendar date/),
      'unknown column extra',
    ]);
    expect(ok).toHaveLength(1);
  });

  it('writes a small batch as one literal MERGE confined to its partitions', () => {
    const { ok } = encodeAll([{ route: 'a', day: '2026-07-10', n: 1 }]);
    const plan = planValues(names, counts, ok, { disposition: 'merge' })!;
    expect(plan.partitions).toBe(1);
    expect(plan.sql).toMatch(/^MERGE INTO "sandbox"."counts" AS fuji_t\nUSING \(WITH fuji_v/);
    expect(plan.sql).toContain(
      `ON fuji_t."route" = fuji_s."route" AND fuji_t."day" = fuji_s."day" AND ((fuji_t."day" >= DATE '2026-07-10' AND fuji_t."day" < DATE '2026-07-11'))`,
    );
    // An unchanged row is not rewritten: the update is guarded by a difference.
    expect(plan.sql).toContain('WHEN MATCHED AND NOT (fuji_t."n" IS NOT DISTINCT FROM fuji_s."n"');
  });

  it('gives up the literal path past 262,144 bytes or 100 partitions (the batch is staged)', () => {
    const big = encodeAll(
      Array.from({ length: 5_000 }, (_, i) => ({
        route: `r${i}`,
        day: '2026-07-10',
        note: 'ご来光 🌄'.repeat(5),
      })),
    ).ok;
    expect(planValues(names, counts, big, { disposition: 'merge' })).toBeUndefined();
    const wide = encodeAll(
      Array.from({ length: 101 }, (_, i) => ({ route: 'a', day: dayOf(i) })),
    ).ok;
    expect(planValues(names, counts, wide, { disposition: 'append' })).toBeUndefined();
    const fits = planValues(names, counts, wide.slice(0, 100), { disposition: 'append' })!;
    expect(fits.sql).toMatch(/^INSERT INTO "sandbox"."counts"/);
    expect(Buffer.byteLength(fits.sql)).toBeLessThan(ATHENA_MAX_QUERY_BYTES);
  });

  it('cuts partitions into sorted groups of 100: one statement each', () => {
    const keys = Array.from({ length: 250 }, (_, i) => dayOf(249 - i));
    const groups = partitionGroups(keys);
    expect(groups.map((g) => g.length)).toEqual([100, 100, 50]);
    expect(groups[0]![0]).toBe(dayOf(0));
    expect(partitionGroups([])).toEqual([[]]);
  });

  it('replaces a scope in one MERGE that deletes the scope rows the batch lacks', () => {
    const { ok } = encodeAll([{ route: 'a', day: '2026-07-10', n: 2 }]);
    const scope = scopePredicate(
      counts,
      { route: { in: ['a', 'b'] }, day: { from: '2026-07-10', to: '2026-07-12' } },
      'fuji_d',
    );
    expect(scope).toBe(
      `fuji_d."route" IN ('a', 'b') AND (fuji_d."day" >= DATE '2026-07-10' AND fuji_d."day" < DATE '2026-07-12')`,
    );
    const sql = planValues(names, counts, ok, { disposition: 'replace', scope })!.sql;
    expect(sql).toContain(
      'UNION ALL\nSELECT fuji_d."route" AS "route", fuji_d."day" AS "day", NULL AS "n"',
    );
    expect(sql).toContain(
      'NOT EXISTS (SELECT 1 FROM fuji_v fuji_n WHERE fuji_n."route" = fuji_d."route" AND fuji_n."day" = fuji_d."day")',
    );
    expect(sql).toContain('WHEN MATCHED AND fuji_s.fuji_delete THEN DELETE');
    expect(sql).toContain('WHEN NOT MATCHED AND NOT fuji_s.fuji_delete THEN INSERT');
  });

  it('writes a replace whose scope holds no row yet (a first version) as the plain merge', () => {
    const { ok } = encodeAll([{ route: 'a', day: '2026-07-10', n: 2 }]);
    const sql = planValues(names, counts, ok, { disposition: 'replace' })!.sql;
    expect(sql).not.toContain('undefined');
    expect(sql).not.toContain('UNION ALL');
    expect(sql).toContain('WHEN NOT MATCHED THEN INSERT');
  });

  it('still deletes the scope when the new batch is empty', () => {
    const scope = scopePredicate(counts, { route: { in: ['gone'] } }, 'fuji_d');
    const sql = planValues(names, counts, [], { disposition: 'replace', scope })!.sql;
    expect(sql).toContain(
      'SELECT CAST(NULL AS varchar), CAST(NULL AS date), CAST(NULL AS integer), CAST(NULL AS varchar) WHERE FALSE',
    );
    expect(scopePredicate(counts, { route: { in: [] } }, 'fuji_d')).toBe('FALSE');
  });

  it('reads staged timestamps as exact text and keeps the latest part of a repeated key', () => {
    const events = defineTable({
      ...counts,
      name: 'events',
      columns: [...counts.columns, { name: 'at', type: 'timestamptz', doc }],
    });
    const sql = mergeSql(names, events, {
      kind: 'staged',
      sqlName: '"awsdatacatalog"."stg"."x"',
      dedupe: true,
    });
    expect(sql).toContain(`CAST(fuji_v."at" || ' UTC' AS timestamp(6) with time zone) AS "at"`);
    expect(sql).toContain(
      'row_number() OVER (PARTITION BY "route", "day" ORDER BY fuji_r."fuji_part" DESC)',
    );
  });

  it('refuses merge and replace on a table whose partition column is outside the key', () => {
    const bad = defineTable({ ...counts, name: 'bad', key: ['route'] });
    expect(() => checkDisposition(bad, 'merge')).toThrow(/partition column day in the key/);
    expect(() => checkDisposition(bad, 'replace')).toThrow(/partition column day in the key/);
    expect(() => checkDisposition(bad, 'append')).not.toThrow();
  });
});
