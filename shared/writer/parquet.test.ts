import { describe, expect, it } from 'vitest';
import { parquetReadObjects } from 'hyparquet';
import { defineTable } from '../model/table.ts';
import { encodeRow } from './encode.ts';
import { PartBuilder, STAGE_PART_COLUMN, STAGE_PARTITION_COLUMN } from './parquet.ts';

const doc = { ja: '説明', en: 'doc' };
const model = defineTable({
  namespace: 'sandbox',
  name: 'parts',
  doc,
  columns: [
    { name: 'day', type: 'date', required: true, doc },
    { name: 'site', type: 'string', required: true, doc },
    { name: 'n', type: 'long', doc },
    { name: 'amount', type: 'decimal(10,2)', doc },
  ],
  key: ['day', 'site'],
  partitionBy: [{ column: 'day', transform: 'year' }],
});

async function read(bytes: Uint8Array): Promise<Record<string, unknown>[]> {
  const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  return parquetReadObjects({ file: file as ArrayBuffer });
}

describe('a staged part built column by column', () => {
  it('holds its rows ordered by partition, keeping the arrival order within one', async () => {
    const rows = [
      { day: '2026-03-01', site: 'a', n: 1 },
      { day: '2025-07-10', site: 'b', n: 2 },
      { day: '2026-01-01', site: 'c', n: 3 },
      { day: '2025-01-01', site: 'd', n: 4 },
    ];
    const part = new PartBuilder(model);
    for (const r of rows) {
      const e = encodeRow(model, r);
      part.push(e.cells, e.partition);
    }
    expect(part.rows).toBe(4);
    const back = await read(part.bytes(7));
    expect(back.map((r) => r.site)).toEqual(['b', 'd', 'a', 'c']);
    expect(back.map((r) => r[STAGE_PARTITION_COLUMN])).toEqual(['55', '55', '56', '56']);
    expect(back.every((r) => r[STAGE_PART_COLUMN] === 7)).toBe(true);
  });

  it('stages every value exactly: longs past 2^53, negative and null ones, decimals, dates', async () => {
    const rows = [
      { day: '2025-07-10', site: 'big', n: 2n ** 63n - 1n, amount: '12.34' },
      { day: '2025-07-11', site: 'small', n: -(2 ** 53 - 1), amount: -0.5 },
      { day: '2025-07-12', site: 'none', n: null, amount: null },
      { day: '2025-07-13', site: 'next', n: 2n ** 53n + 1n },
    ];
    const part = new PartBuilder(model);
    for (const r of rows) {
      const e = encodeRow(model, r);
      part.push(e.cells, e.partition);
    }
    const back = await read(part.bytes(0));
    expect(back.map((r) => r.n)).toEqual([
      9_223_372_036_854_775_807n,
      -9_007_199_254_740_991n,
      null,
      9_007_199_254_740_993n,
    ]);
    expect(back.map((r) => r.amount)).toEqual([12.34, -0.5, null, null]);
    expect(back.map((r) => r.day)).toEqual(rows.map((r) => new Date(`${r.day}T00:00:00Z`)));
  });
});
