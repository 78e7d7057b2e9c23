import { describe, expect, it } from 'vitest';
import type { GlueClient } from '@aws-sdk/client-glue';
import type { S3Client } from '@aws-sdk/client-s3';
import { parquetReadObjects } from 'hyparquet';
import type { AthenaEngine } from '../engine/athena.ts';
import { defineTable } from '../model/table.ts';
import { STAGE_PART_COLUMN } from './parquet.ts';
import { StagingArea } from './staging.ts';
import { TableWriter } from './table-writer.ts';

const doc = { ja: '説明', en: 'doc' };
const model = defineTable({
  namespace: 'sandbox',
  name: 'staged',
  doc,
  columns: [
    { name: 'day', type: 'date', required: true, doc },
    { name: 'site', type: 'string', required: true, doc },
    { name: 'n', type: 'long', doc },
  ],
  key: ['day', 'site'],
  partitionBy: [{ column: 'day', transform: 'year' }],
});

/** A staging area whose S3 keeps the parts' bytes in memory, by key. */
function memoryStaging(): { staging: StagingArea; parts: Map<string, Uint8Array> } {
  const parts = new Map<string, Uint8Array>();
  const s3 = {
    send: async (cmd: { input: { Key?: string; Body?: unknown } }) => {
      if (cmd.input.Body instanceof Uint8Array) parts.set(cmd.input.Key!, cmd.input.Body);
      return {};
    },
  };
  const staging = new StagingArea(
    { location: 's3://test-staging/stage/', database: 'test_staging' },
    { s3: s3 as unknown as S3Client, glue: { send: async () => ({}) } as unknown as GlueClient },
  );
  return { staging, parts };
}

async function rowsOf(parts: Map<string, Uint8Array>) {
  const out: Record<string, unknown>[][] = [];
  for (const key of [...parts.keys()].sort()) {
    const b = parts.get(key)!;
    const file = b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
    out.push(await parquetReadObjects({ file, columns: ['site', 'n', STAGE_PART_COLUMN] }));
  }
  return out;
}

// Staging needs no engine: the statements come at commit.
const noEngine = {} as AthenaEngine;

describe('a writer staging its rows', () => {
  it('stages the rows of a source with unique keys in the order they came, by partition in each part', async () => {
    const { staging, parts } = memoryStaging();
    const w = new TableWriter(noEngine, model, {
      disposition: 'replace',
      staging,
      uniqueKeys: true,
      partRows: 2,
    });
    const rows = [
      { day: '2026-01-01', site: 'a', n: 1 },
      { day: '2025-01-01', site: 'b', n: 2 },
      { day: '2026-01-02', site: 'c', n: 3 },
      { day: '2025-01-02', site: 'd', n: 4 },
      { day: '2025-01-03', site: 'e', n: 2 ** 53 - 1 },
    ];
    expect(await w.add(rows.slice(0, 3))).toEqual([]);
    expect(await w.add(rows.slice(3))).toEqual([]);
    const checkpoint = await w.suspend();
    expect(checkpoint).toMatchObject({ parts: 3, rowsStaged: 5, rowsIn: 5, duplicates: 0 });
    expect(checkpoint.partitions.map(([k]) => k).sort()).toEqual(['55', '56']);
    expect(await rowsOf(parts)).toEqual([
      [
        { site: 'b', n: 2n, [STAGE_PART_COLUMN]: 0 },
        { site: 'a', n: 1n, [STAGE_PART_COLUMN]: 0 },
      ],
      [
        { site: 'd', n: 4n, [STAGE_PART_COLUMN]: 1 },
        { site: 'c', n: 3n, [STAGE_PART_COLUMN]: 1 },
      ],
      [{ site: 'e', n: 9_007_199_254_740_991n, [STAGE_PART_COLUMN]: 2 }],
    ]);
  });

  it('keeps the last of a repeated key within a part when the source may repeat keys', async () => {
    const { staging, parts } = memoryStaging();
    const w = new TableWriter(noEngine, model, { disposition: 'merge', staging, partRows: 3 });
    await w.add([
      { day: '2025-01-01', site: 'a', n: 1 },
      { day: '2025-01-01', site: 'b', n: 2 },
      { day: '2025-01-01', site: 'c', n: 3 },
      { day: '2025-01-01', site: 'd', n: 4 },
      { day: '2025-01-01', site: 'd', n: 5 },
      { day: '2025-01-01', site: 'e', n: 6 },
    ]);
    const checkpoint = await w.suspend();
    expect(checkpoint).toMatchObject({ parts: 2, rowsStaged: 5, rowsIn: 6, duplicates: 1 });
    expect((await rowsOf(parts)).map((p) => p.map((r) => [r.site, r.n]))).toEqual([
      [
        ['a', 1n],
        ['b', 2n],
        ['c', 3n],
      ],
      [
        ['d', 5n],
        ['e', 6n],
      ],
    ]);
  });

  it('rejects a bad row alone, with its reason, and stages the others', async () => {
    const { staging } = memoryStaging();
    const w = new TableWriter(noEngine, model, {
      disposition: 'replace',
      staging,
      uniqueKeys: true,
      partRows: 1,
    });
    const bad = { day: '2025-02-30', site: 'x', n: 1 };
    const rejected = await w.add([{ day: '2025-01-01', site: 'a', n: 1 }, bad]);
    expect(rejected).toEqual([{ row: bad, reason: expect.stringMatching(/^column day: /) }]);
    expect(await w.suspend()).toMatchObject({ parts: 1, rowsStaged: 1, rowsIn: 2 });
  });
});
