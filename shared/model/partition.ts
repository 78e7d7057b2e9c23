/**
 * Partition values of rows under the model's partition spec, and the predicate on the target
 * table that confines a statement to those partitions. That predicate is what lets the engine
 * prune: without it a MERGE reads the whole table history on every load.
 */
import { civilFromDays, daysFromCivil, formatDate, MICROS, parseDate } from '../time/civil.ts';
import { quoteIdent } from '../sql/identifier.ts';
import { sqlLiteral } from '../sql/literal.ts';
import { decimalParts, type IcebergType } from '../sql/types.ts';
import { decimalBytes, longBytes, murmur3 } from './murmur3.ts';
import { columnOf, type PartitionField, type TableModel } from './table.ts';

const utf8 = new TextEncoder();

function bucketBytes(type: IcebergType, v: unknown): Uint8Array {
  switch (type) {
    case 'int':
      return longBytes(BigInt(v as number));
    case 'long':
    case 'timestamp':
    case 'timestamptz':
      return longBytes(v as bigint);
    case 'date':
      return longBytes(BigInt(parseDate(v as string)!));
    case 'string':
      return utf8.encode(v as string);
    case 'binary':
      return v as Uint8Array;
    default: {
      const { scale } = decimalParts(type)!;
      const [i, f = ''] = (v as string).split('.');
      return decimalBytes(BigInt(`${i}${f.padEnd(scale, '0')}`));
    }
  }
}

/** Ordinal of a temporal transform: years/months/days/hours since 1970 (UTC for timestamptz). */
function temporalOrdinal(transform: string, type: IcebergType, v: unknown): number {
  let days: number;
  if (type === 'date') days = parseDate(v as string)!;
  else {
    const micros = v as bigint;
    if (transform === 'hour') return Number(floorDiv(micros, MICROS.perHour));
    days = Number(floorDiv(micros, MICROS.perDay));
  }
  if (transform === 'day') return days;
  const { y, m } = civilFromDays(days);
  return transform === 'year' ? y - 1970 : (y - 1970) * 12 + (m - 1);
}

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
}

/** Start of a temporal ordinal as a canonical value of the source column's type. */
function ordinalStart(transform: string, type: IcebergType, ord: number): unknown {
  let days: number;
  if (transform === 'hour') return BigInt(ord) * MICROS.perHour;
  if (transform === 'day') days = ord;
  else if (transform === 'month')
    days = daysFromCivil(1970 + Math.floor(ord / 12), (((ord % 12) + 12) % 12) + 1, 1);
  else days = daysFromCivil(1970 + ord, 1, 1);
  if (type === 'date') return formatDate(days);
  return BigInt(days) * MICROS.perDay;
}

/** The partition value a field gives a canonical value (null stays null). */
export function partitionValue(model: TableModel, field: PartitionField, v: unknown): string {
  if (v === null) return 'null';
  const type = columnOf(model, field.column).type;
  switch (field.transform) {
    case 'identity':
      return sqlLiteral(type, v);
    case 'bucket':
      return String((murmur3(bucketBytes(type, v)) & 0x7fffffff) % field.width);
    case 'truncate':
      if (type === 'string') return [...(v as string)].slice(0, field.width).join('');
      if (type === 'int')
        return String(
          (v as number) - ((((v as number) % field.width) + field.width) % field.width),
        );
      return String(
        (v as bigint) -
          ((((v as bigint) % BigInt(field.width)) + BigInt(field.width)) % BigInt(field.width)),
      );
    default:
      return String(temporalOrdinal(field.transform, type, v));
  }
}

/**
 * A predicate on alias `t` true for every row whose partition is among `rows`' partitions.
 * Per field: identity and bucket/truncate columns become IN lists of the batch's values;
 * temporal transforms become half-open ranges, adjacent periods merged into one range.
 * Returns undefined for an unpartitioned table.
 */
export function partitionPredicate(
  model: TableModel,
  rows: readonly Record<string, unknown>[],
  alias = 't',
): string | undefined {
  if (model.partitionBy.length === 0) return undefined;
  const parts: string[] = [];
  for (const field of model.partitionBy) {
    const type = columnOf(model, field.column).type;
    const col = alias ? `${alias}.${quoteIdent(field.column)}` : quoteIdent(field.column);
    const values = rows.map((r) => r[field.column] ?? null);
    const hasNull = values.some((v) => v === null);
    const present = values.filter((v) => v !== null);
    let cond: string | undefined;
    if (
      field.transform === 'year' ||
      field.transform === 'month' ||
      field.transform === 'day' ||
      field.transform === 'hour'
    ) {
      const ords = [...new Set(present.map((v) => temporalOrdinal(field.transform, type, v)))].sort(
        (a, b) => a - b,
      );
      const ranges: string[] = [];
      for (let i = 0; i < ords.length;) {
        let j = i;
        while (j + 1 < ords.length && ords[j + 1] === ords[j]! + 1) j++;
        const lo = sqlLiteral(type, ordinalStart(field.transform, type, ords[i]!));
        const hi = sqlLiteral(type, ordinalStart(field.transform, type, ords[j]! + 1));
        ranges.push(`(${col} >= ${lo} AND ${col} < ${hi})`);
        i = j + 1;
      }
      if (ranges.length > 0) cond = ranges.length === 1 ? ranges[0]! : `(${ranges.join(' OR ')})`;
    } else if (present.length > 0) {
      const lits = [...new Set(present.map((v) => sqlLiteral(type, v)))];
      cond = `${col} IN (${lits.join(', ')})`;
    }
    if (hasNull) cond = cond ? `(${cond} OR ${col} IS NULL)` : `${col} IS NULL`;
    parts.push(cond ?? 'FALSE');
  }
  return parts.join(' AND ');
}

/** A stable text naming the partition of one row (canonical values). */
export function partitionKey(model: TableModel, row: Record<string, unknown>): string {
  return model.partitionBy
    .map((f) => partitionValue(model, f, row[f.column] ?? null))
    .join('\u0001');
}
