import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { defineTable } from '../model/table.ts';
import { partitionKey } from '../model/partition.ts';
import { describeError } from '../errors/index.ts';
import { canonical } from '../sql/canonical.ts';
import { encodeRow, keyOf } from './encode.ts';

const doc = { ja: '説明', en: 'doc' };
const model = defineTable({
  namespace: 'sandbox',
  name: 'encoded',
  doc,
  columns: [
    { name: 'day', type: 'date', required: true, doc },
    { name: 'site', type: 'string', required: true, doc },
    { name: 'n', type: 'long', doc },
    { name: 'i', type: 'int', doc },
    { name: 'x', type: 'double', doc },
    { name: 'amount', type: 'decimal(10,2)', doc },
    { name: 'note', type: 'string', doc },
  ],
  key: ['day', 'site'],
  partitionBy: [
    { column: 'day', transform: 'year' },
    { column: 'site', transform: 'bucket', width: 4 },
  ],
});

/** What encodeRow answered before it remembered anything: canonical, column by column. */
function reference(row: Record<string, unknown>) {
  for (const k of Object.keys(row))
    if (!model.columns.some((c) => c.name === k)) return { error: `unknown column ${k}` };
  const values: Record<string, unknown> = {};
  for (const c of model.columns) {
    let v: unknown;
    try {
      v = canonical(c.type, row[c.name]);
    } catch (err) {
      return { error: `column ${c.name}: ${describeError(err)}` };
    }
    if (v === null && c.required) return { error: `column ${c.name} is required` };
    values[c.name] = v;
  }
  return { values, partition: partitionKey(model, values), key: keyOf(model, values) };
}

function encoded(row: Record<string, unknown>) {
  try {
    const e = encodeRow(model, row);
    // The values by name and the cells in model order are the same values.
    expect(e.cells).toEqual(model.columns.map((c) => e.values[c.name]));
    return { values: e.values, partition: e.partition, key: e.key };
  } catch (err) {
    return { error: (err as Error).message };
  }
}

// Few distinct values, so the remembered answers are asked again and again, valid or not; each
// column mostly gets values of its own type, so most rows get as far as their last column.
const any = fc.oneof(
  fc.constantFrom('2025-02-29', '2025-1-1', 'a\u0000b', 'lone \ud800', '', '1.5', '-0.00'),
  fc.constantFrom(0, -0, 1, 2 ** 31, 2 ** 53, 2 ** 53 - 1, 1.5, Number.NaN),
  fc.constantFrom(0n, -1n, 2n ** 63n, 2n ** 63n - 1n, 2n ** 53n + 1n),
  fc.constantFrom(null, undefined, true),
);
const mostly = (own: fc.Arbitrary<unknown>) =>
  fc.oneof({ arbitrary: own, weight: 6 }, { arbitrary: any, weight: 1 });
const text = fc.constantFrom('P00001', 'P00002', '富士宮口', 'a\u0000b', 'lone \ud800');
const row = fc.record(
  {
    day: mostly(fc.constantFrom('2025-01-01', '2025-12-31', '2024-02-29', '2026-07-10')),
    site: mostly(text),
    n: mostly(fc.constantFrom(0, 1, -100, 2 ** 53 - 1, 5n, 2n ** 53n + 1n)),
    i: mostly(fc.constantFrom(0, -0, 7, 2 ** 31 - 1)),
    x: mostly(fc.constantFrom(0, -0, 1.5, Number.NaN)),
    amount: mostly(fc.constantFrom('1.5', '12.34', '-0.00', 3, 12n)),
    note: mostly(fc.oneof(text, fc.constant(null))),
    extra: fc.constant(1),
  },
  { requiredKeys: ['day', 'site'] },
);

describe('encoding a row', () => {
  it('answers exactly as canonical and partitionKey do, row after row with repeated values', () => {
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 40 }), (rows) => {
        for (const r of rows) expect(encoded(r)).toEqual(reference(r));
      }),
      { numRuns: 300 },
    );
  });

  it('reads rows whose keys come in any order, and a column a row inherits, as by name', () => {
    const rows: Record<string, unknown>[] = [
      { day: '2025-07-10', site: 'a', n: 1, note: 'x' },
      { note: 'y', n: 2, site: 'b', day: '2025-07-11' },
      { site: 'c', day: '2025-07-12' },
      Object.assign(Object.create({ note: 'inherited', n: 5 }) as object, {
        day: '2025-07-13',
        site: 'd',
      }),
      { day: '2025-07-14', site: 'e', extra: true },
      { day: '2025-07-15', site: 'f', n: 3, note: 'z' },
    ];
    for (const r of rows) expect(encoded(r)).toEqual(reference(r));
    expect(encodeRow(model, rows[3]!).values).toMatchObject({ note: 'inherited', n: 5n });
  });

  it('turns a safe integer into the long it stands for, and keeps a bigint past 2^53 exact', () => {
    const e = encodeRow(model, { day: '2025-07-10', site: 'P1', n: 2 ** 53 - 1 });
    expect(e.values.n).toBe(9_007_199_254_740_991n);
    expect(encodeRow(model, { day: '2025-07-10', site: 'P1', n: 2n ** 53n + 1n }).cells[2]).toBe(
      9_007_199_254_740_993n,
    );
    expect(() => encodeRow(model, { day: '2025-07-10', site: 'P1', n: 2 ** 53 })).toThrow(
      /column n: .*safe integer/,
    );
  });
});
