/**
 * One staged part of a batch as Parquet, and the staging table's column types that read it.
 *
 * The writer is hyparquet-writer (pure JavaScript, one dependency, MIT, released monthly): the
 * bundle stays small (about 60 KiB minified, against 2+ MiB for parquet-wasm with Apache Arrow
 * or @dsnp/parquetjs, which pulls an S3 client, brotli-wasm and bson), and it takes bigint for
 * INT64 and for a decimal's unscaled value, so nothing passes through a float.
 *
 * Every model type is a native Parquet type read by a Glue column of the same type, except
 * timestamps: Athena reads timestamps of Hive (Glue) tables at millisecond precision (AWS DMS
 * documents "Athena and Glue can handle only millisecond precision for TIMESTAMP values"), and
 * some JavaScript writers, hyparquet-writer's own `TIMESTAMP` among them, default to
 * milliseconds. A Parquet timestamp would silently drop microseconds on the way into Iceberg,
 * so timestamps are staged as their exact canonical text (`YYYY-MM-DD HH:MM:SS.ffffff`, UTC)
 * and cast to `timestamp(6)` in the MERGE, which is exact for years 0001-9999 on both engines.
 *
 * NUL stays refused (canonical.ts): Parquet could carry it, but a value must not land or be
 * quarantined depending on whether its batch took the literal or the staged path.
 */
import { parquetWriteBuffer } from 'hyparquet-writer';
import { parseDate, formatMicros } from '../time/civil.ts';
import { decimalParts, type IcebergType } from '../sql/types.ts';
import type { TableModel } from '../model/table.ts';

/** Extra staged columns the MERGE reads besides the model's own. */
export const STAGE_PART_COLUMN = 'fuji_part';
export const STAGE_PARTITION_COLUMN = 'fuji_partition';

type SchemaElement = Parameters<typeof parquetWriteBuffer>[0]['schema'] extends
  (infer E)[] | undefined
  ? E
  : never;

/** The Glue (Hive) type of a model type's staged column. */
export function stagedType(type: IcebergType): string {
  switch (type) {
    case 'int':
      return 'int';
    case 'long':
      return 'bigint';
    case 'timestamp':
    case 'timestamptz':
    case 'string':
      return 'string';
    default:
      return type; // boolean, float, double, date, binary, decimal(p,s): same spelling
  }
}

/** Smallest FIXED_LEN_BYTE_ARRAY that holds every unscaled value of `precision` digits. */
function decimalBytes(precision: number): number {
  return Math.ceil((Math.log2(10 ** precision) + 1) / 8);
}

function element(name: string, type: IcebergType): SchemaElement {
  const base = { name, repetition_type: 'OPTIONAL' as const };
  const dec = decimalParts(type);
  if (dec) {
    const physical =
      dec.precision <= 9
        ? { type: 'INT32' as const }
        : dec.precision <= 18
          ? { type: 'INT64' as const }
          : { type: 'FIXED_LEN_BYTE_ARRAY' as const, type_length: decimalBytes(dec.precision) };
    return {
      ...base,
      ...physical,
      converted_type: 'DECIMAL',
      precision: dec.precision,
      scale: dec.scale,
    };
  }
  switch (type) {
    case 'boolean':
      return { ...base, type: 'BOOLEAN' };
    case 'int':
      return { ...base, type: 'INT32' };
    case 'long':
      return { ...base, type: 'INT64' };
    case 'float':
      return { ...base, type: 'FLOAT' };
    case 'double':
      return { ...base, type: 'DOUBLE' };
    case 'date':
      return { ...base, type: 'INT32', converted_type: 'DATE' };
    case 'binary':
      return { ...base, type: 'BYTE_ARRAY' };
    default:
      return { ...base, type: 'BYTE_ARRAY', converted_type: 'UTF8' };
  }
}

/**
 * Canonical values (see sql/canonical.ts) of one type as the staged column's values; undefined
 * when they are staged as they are. Decided once per column, not per value.
 */
function stagedAs(type: IcebergType): ((v: unknown) => unknown) | undefined {
  const dec = decimalParts(type);
  if (dec) {
    return (v) => {
      const [i, f = ''] = (v as string).split('.');
      return BigInt(`${i}${f}`); // canonical text has exactly `scale` digits after the point
    };
  }
  switch (type) {
    case 'date':
      return (v) => parseDate(v as string);
    case 'timestamp':
    case 'timestamptz':
      return (v) => formatMicros(v as bigint);
    default:
      return undefined;
  }
}

/** The staged columns in file order: the model's, then the writer's own. */
export function stagedColumns(model: TableModel): { name: string; type: string }[] {
  return [
    ...model.columns.map((c) => ({ name: c.name, type: stagedType(c.type) })),
    { name: STAGE_PART_COLUMN, type: 'int' },
    { name: STAGE_PARTITION_COLUMN, type: 'string' },
  ];
}

/**
 * One part's rows built column by column as they arrive, already in their staged form: the
 * writer's rows die young instead of waiting in the part as a row object each, and the part
 * needs no second pass to turn rows into columns.
 *
 * @example
 * const part = new PartBuilder(model);
 * for (const e of encoded) part.push(e.cells, e.partition);
 * const bytes = part.bytes(0);
 */
export class PartBuilder {
  private readonly model: TableModel;
  private readonly as: readonly (((v: unknown) => unknown) | undefined)[];
  /**
   * Columns of 64-bit integers, held as numbers while they are safe integers and made BigInt
   * again when the part is written: a part's values live through many young-generation
   * collections, and 100,000 BigInts copied by each cost more than making them twice (a small
   * number is no heap object at all).
   */
  private readonly longs: readonly boolean[];
  private columns: unknown[][];
  private partitions: string[] = [];
  /** Partitions arrived in order: the part needs no sorting. */
  private ordered = true;

  constructor(model: TableModel) {
    this.model = model;
    this.as = model.columns.map((c) => stagedAs(c.type));
    this.longs = model.columns.map((c) => c.type === 'long');
    this.columns = model.columns.map(() => []);
  }

  get rows(): number {
    return this.partitions.length;
  }

  /** One row: canonical values in model column order (Encoded.cells) and its partition key. */
  push(cells: readonly unknown[], partition: string): void {
    for (let i = 0; i < this.columns.length; i++) {
      const v = cells[i] ?? null;
      const as = this.as[i];
      let held = v === null || !as ? v : as(v);
      if (typeof held === 'bigint' && this.longs[i]) {
        const n = Number(held);
        if (Number.isSafeInteger(n)) held = n;
      }
      this.columns[i]!.push(held);
    }
    const last = this.partitions[this.partitions.length - 1];
    if (last !== undefined && partition < last) this.ordered = false;
    this.partitions.push(partition);
  }

  /**
   * The part as Parquet, its rows ordered by partition (stably: rows of one partition keep the
   * order they came in). `part` is its `fuji_part` (later parts win a repeated key).
   */
  bytes(part: number): Uint8Array {
    let { columns, partitions } = this;
    if (!this.ordered) {
      const order = partitions.map((_, i) => i);
      order.sort((a, b) =>
        partitions[a]! < partitions[b]! ? -1 : partitions[a]! > partitions[b]! ? 1 : 0,
      );
      columns = columns.map((c) => order.map((i) => c[i]));
      partitions = order.map((i) => partitions[i]!);
    }
    const staged = columns.map((c, i) =>
      this.longs[i] ? c.map((v) => (typeof v === 'number' ? BigInt(v) : v)) : c,
    );
    return parquetBytes(this.model, staged, partitions, part);
  }
}

function parquetBytes(
  model: TableModel,
  columns: readonly unknown[][],
  partitions: string[],
  part: number,
): Uint8Array {
  const columnData = [
    ...model.columns.map((c, i) => ({ name: c.name, data: columns[i]! })),
    { name: STAGE_PART_COLUMN, data: partitions.map(() => part) },
    { name: STAGE_PARTITION_COLUMN, data: partitions },
  ];
  const schema: SchemaElement[] = [
    { name: 'root', num_children: columnData.length },
    ...model.columns.map((c) => element(c.name, c.type)),
    element(STAGE_PART_COLUMN, 'int'),
    element(STAGE_PARTITION_COLUMN, 'string'),
  ];
  // One row group per part: parts are bounded by the writer, and readers split by row group.
  const buf = parquetWriteBuffer({
    columnData,
    schema,
    rowGroupSize: Math.max(1, partitions.length),
    statistics: false,
  });
  return new Uint8Array(buf);
}
