import { describe, expect, it } from 'vitest';
import { defineTable, ModelError } from './table.ts';
import { addColumnSql, createTableSql } from './ddl.ts';
import { icebergMetadata } from './iceberg-metadata.ts';
import { murmur3, longBytes, decimalBytes } from './murmur3.ts';
import { partitionPredicate, partitionValue } from './partition.ts';
import { icebergTypeOf } from './describe.ts';

const doc = { ja: '説明', en: 'doc' };
const model = defineTable({
  namespace: 'weather',
  name: 'obs',
  doc,
  columns: [
    { name: 'station', type: 'string', required: true, doc },
    { name: 'observed_at', type: 'timestamptz', required: true, doc },
    { name: 'day', type: 'date', required: true, doc },
    { name: 'temp', type: 'decimal(4,1)', doc },
  ],
  key: ['station', 'observed_at', 'day'],
  partitionBy: [
    { column: 'observed_at', transform: 'day' },
    { column: 'station', transform: 'bucket', width: 16 },
    { column: 'day', transform: 'month' },
  ],
  sortBy: [{ column: 'station', direction: 'desc', nulls: 'last' }],
});

describe('table models', () => {
  it('fail fast on nullable keys, unknown columns and bad transforms', () => {
    const base = { namespace: 'x', name: 'y', doc };
    const cols = [{ name: 'a', type: 'string' as const, doc }];
    expect(() => defineTable({ ...base, columns: cols, key: ['a'] })).toThrow(/must be required/);
    expect(() => defineTable({ ...base, columns: cols, key: ['b'] })).toThrow(ModelError);
    expect(() =>
      defineTable({
        ...base,
        columns: cols,
        key: [],
        partitionBy: [{ column: 'a', transform: 'day' }],
      }),
    ).toThrow(/needs a date/);
    expect(() => defineTable({ ...base, name: 'Bad', columns: cols, key: [] })).toThrow(
      /invalid table name/,
    );
  });

  it('generate Trino DDL with partitioning, sort order, NOT NULL and comments', () => {
    const sql = createTableSql('trino', model);
    expect(sql).toContain('"observed_at" timestamp(6) with time zone NOT NULL');
    expect(sql).toContain(
      `partitioning = ARRAY['day("observed_at")', 'bucket("station", 16)', 'month("day")']`,
    );
    expect(sql).toContain(`sorted_by = ARRAY['"station" DESC NULLS LAST']`);
  });

  it('generate Hive-style Athena DDL with the bucket width first, and refuse timestamptz', () => {
    const athenaModel = defineTable({
      ...model,
      columns: model.columns.map((c) =>
        c.type === 'timestamptz' ? { ...c, type: 'timestamp' as const } : c,
      ),
    });
    const sql = createTableSql('athena', athenaModel);
    expect(sql).toContain(
      'PARTITIONED BY (day(`observed_at`), bucket(16, `station`), month(`day`))',
    );
    expect(sql).toContain("TBLPROPERTIES ('table_type'='ICEBERG'");
    expect(() => createTableSql('athena', model)).toThrow(/IcebergMetadata/);
  });

  it('generate ALTER TABLE ADD COLUMN(S) for nullable columns only', () => {
    expect(addColumnSql('trino', model, { name: 'wind', type: 'double', doc })).toMatch(
      /^ALTER TABLE "weather"."obs" ADD COLUMN "wind" double COMMENT/,
    );
    expect(addColumnSql('athena', model, { name: 'wind', type: 'double', doc })).toMatch(
      /ADD COLUMNS \(`wind` double/,
    );
    expect(() =>
      addColumnSql('trino', model, { name: 'w', type: 'double', required: true, doc }),
    ).toThrow(/nullable/);
  });

  it('generate the CloudFormation IcebergMetadata with field ids and transforms', () => {
    const meta = icebergMetadata(model);
    expect(meta.IcebergSchema.SchemaFieldList[1]).toEqual({
      Id: 2,
      Name: 'observed_at',
      Type: 'timestamptz',
      Required: true,
    });
    expect(meta.IcebergPartitionSpec?.Fields[1]).toEqual({
      SourceId: 1,
      Transform: 'bucket[16]',
      Name: 'station_bucket',
      FieldId: 1001,
    });
    expect(meta.IcebergSortOrder?.Fields[0]).toMatchObject({
      SourceId: 1,
      Direction: 'desc',
      NullOrder: 'nulls-last',
    });
  });

  it('map engine type names back to Iceberg types', () => {
    expect(icebergTypeOf('timestamp(6) with time zone')).toBe('timestamptz');
    expect(icebergTypeOf('decimal(12, 3)')).toBe('decimal(12,3)');
    expect(icebergTypeOf('varchar')).toBe('string');
    expect(icebergTypeOf('real')).toBe('float');
  });
});

describe('partition values', () => {
  it('hash buckets exactly as the Iceberg spec test vectors', () => {
    expect(murmur3(longBytes(34n))).toBe(2017239379);
    expect(murmur3(new TextEncoder().encode('iceberg'))).toBe(1210000089);
    expect(murmur3(decimalBytes(1420n))).toBe(-500754589);
    expect(murmur3(Uint8Array.from([0, 1, 2, 3]))).toBe(-188683207);
    expect(murmur3(longBytes(BigInt(Date.UTC(2017, 10, 16) / 86_400_000)))).toBe(-653330422);
  });

  it('give day and month ordinals in UTC and merge adjacent days into one range', () => {
    expect(partitionValue(model, model.partitionBy[0]!, 0n)).toBe('0');
    const rows = ['2026-07-10', '2026-07-11', '2026-07-13'].map((d) => ({
      station: 's',
      observed_at: BigInt(Date.parse(`${d}T12:00:00Z`)) * 1000n,
      day: d,
    }));
    const p = partitionPredicate(model, rows)!;
    expect(p).toContain(
      `(t."observed_at" >= TIMESTAMP '2026-07-10 00:00:00.000000 UTC' AND t."observed_at" < TIMESTAMP '2026-07-12 00:00:00.000000 UTC')`,
    );
    expect(p).toContain(`TIMESTAMP '2026-07-13 00:00:00.000000 UTC'`);
    expect(p).toContain(`t."station" IN ('s')`);
    expect(p).toContain(`(t."day" >= DATE '2026-07-01' AND t."day" < DATE '2026-08-01')`);
  });
});
