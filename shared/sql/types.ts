/**
 * The Iceberg column types the suite writes, spelled as Iceberg spells them. Athena cannot
 * create tinyint/smallint/char/time/fixed/uuid on Iceberg, so they are left out on purpose.
 */
export type PrimitiveType =
  | 'boolean'
  | 'int'
  | 'long'
  | 'float'
  | 'double'
  | 'date'
  | 'timestamp'
  | 'timestamptz'
  | 'string'
  | 'binary';

export type DecimalType = `decimal(${number},${number})`;
export type IcebergType = PrimitiveType | DecimalType;

const PRIMITIVES: ReadonlySet<string> = new Set<PrimitiveType>([
  'boolean',
  'int',
  'long',
  'float',
  'double',
  'date',
  'timestamp',
  'timestamptz',
  'string',
  'binary',
]);

const DECIMAL_RE = /^decimal\((\d{1,2}),(\d{1,2})\)$/;

/** Precision and scale of a decimal type, or undefined for other types. */
export function decimalParts(type: IcebergType): { precision: number; scale: number } | undefined {
  const m = DECIMAL_RE.exec(type);
  return m ? { precision: Number(m[1]), scale: Number(m[2]) } : undefined;
}

export function isIcebergType(type: string): type is IcebergType {
  if (PRIMITIVES.has(type)) return true;
  const m = DECIMAL_RE.exec(type);
  if (!m) return false;
  const p = Number(m[1]);
  const s = Number(m[2]);
  return p >= 1 && p <= 38 && s >= 0 && s <= p;
}

/** The JavaScript value each type is read back as (and accepted as, among other forms). */
export interface ValueOf {
  boolean: boolean;
  int: number;
  long: bigint;
  float: number;
  double: number;
  date: string;
  timestamp: bigint;
  timestamptz: bigint;
  string: string;
  binary: Uint8Array;
  decimal: string;
}
