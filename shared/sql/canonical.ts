/**
 * Turns the forms a connector may hand over into one canonical JavaScript value per type
 * (see {@link ValueOf}). The literal encoder and the result decoder agree on these forms, so
 * "what was written equals what is read back" can be checked value for value.
 */
import { formatDate, parseDate, parseTimestamp } from '../time/civil.ts';
import { LiteralError } from './errors.ts';
import { decimalParts, type IcebergType } from './types.ts';

const INT_MIN = -(2 ** 31);
const INT_MAX = 2 ** 31 - 1;
const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;
// Iceberg timestamps are 64-bit micros, but engines only format years 0001-9999.
const TS_MIN = -62_135_596_800_000_000n; // 0001-01-01 00:00:00 UTC
const TS_MAX = 253_402_300_799_999_999n; // 9999-12-31 23:59:59.999999 UTC
const DATE_MIN = parseDate('0001-01-01')!;
const DATE_MAX = parseDate('9999-12-31')!;

function fail(type: IcebergType, value: unknown, why: string): never {
  const shown =
    typeof value === 'string' ? JSON.stringify(value.slice(0, 40)) : String(value).slice(0, 40);
  throw new LiteralError(`cannot write ${shown} as ${type}: ${why}`, { type });
}

/** Canonical bigint epoch microseconds from Date, bigint, or ISO text with an explicit zone. */
function micros(type: IcebergType, value: unknown): bigint {
  let v: bigint | undefined;
  if (typeof value === 'bigint') v = value;
  else if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) fail(type, value, 'invalid Date');
    v = BigInt(value.getTime()) * 1000n;
  } else if (typeof value === 'string') {
    v = parseTimestamp(value);
    if (v === undefined) fail(type, value, 'not an ISO-8601 timestamp with an explicit zone');
  } else fail(type, value, 'expected Date, bigint epoch microseconds or ISO text with zone');
  if (v < TS_MIN || v > TS_MAX) fail(type, value, 'outside years 0001-9999');
  return v;
}

function decimal(type: IcebergType, value: unknown): string {
  const { precision, scale } = decimalParts(type)!;
  let text: string;
  if (typeof value === 'string') text = value.trim();
  else if (typeof value === 'bigint') text = value.toString();
  else if (typeof value === 'number' && Number.isFinite(value)) text = String(value);
  else fail(type, value, 'expected a decimal string, bigint or finite number');
  const m = /^([+-]?)(\d+)(?:\.(\d+))?$/.exec(text);
  if (!m) fail(type, value, 'not a plain decimal number');
  const sign = m[1] === '-' ? '-' : '';
  const intPart = m[2]!.replace(/^0+(?=\d)/, '');
  const frac = m[3] ?? '';
  // Rounding would silently change money and counts: refuse instead.
  if (frac.replace(/0+$/, '').length > scale)
    fail(type, value, `more than ${scale} decimal places`);
  if ((intPart === '0' ? 0 : intPart.length) > precision - scale) {
    fail(type, value, `more than ${precision - scale} integer digits`);
  }
  const fracOut = frac.padEnd(scale, '0').slice(0, scale);
  const isZero = /^0*$/.test(intPart + fracOut);
  return `${isZero ? '' : sign}${intPart}${scale > 0 ? `.${fracOut}` : ''}`;
}

function checkString(type: IcebergType, value: string): string {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === 0) fail(type, value, 'contains NUL (U+0000), which the suite never writes');
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = value.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
      fail(type, value, 'contains a lone surrogate (not a Unicode scalar value)');
    }
    if (c >= 0xdc00 && c <= 0xdfff) fail(type, value, 'contains a lone surrogate');
  }
  return value;
}

/**
 * The canonical value for `type`, or null for null/undefined.
 *
 * @example
 * canonical('timestamptz', '2026-07-10T10:00:00+09:00') // 1783645200000000n
 * canonical('decimal(10,2)', '12.5') // '12.50'
 */
export function canonical(type: IcebergType, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  switch (type) {
    case 'boolean':
      if (typeof value !== 'boolean') fail(type, value, 'expected boolean');
      return value;
    case 'int':
      if (
        typeof value !== 'number' ||
        !Number.isInteger(value) ||
        value < INT_MIN ||
        value > INT_MAX
      ) {
        fail(type, value, 'expected a 32-bit integer');
      }
      return value;
    case 'long': {
      const v =
        typeof value === 'bigint'
          ? value
          : typeof value === 'number' && Number.isSafeInteger(value)
            ? BigInt(value)
            : fail(type, value, 'expected bigint or a safe integer');
      if (v < LONG_MIN || v > LONG_MAX) fail(type, value, 'outside 64-bit range');
      return v;
    }
    case 'float':
      if (typeof value !== 'number') fail(type, value, 'expected number');
      if (Number.isFinite(value) && !Number.isFinite(Math.fround(value))) {
        fail(type, value, 'overflows a 32-bit float');
      }
      return Math.fround(value);
    case 'double':
      if (typeof value !== 'number') fail(type, value, 'expected number');
      return value;
    case 'date': {
      if (typeof value !== 'string')
        fail(type, value, "expected 'YYYY-MM-DD' (a Date is an instant, not a day)");
      const days = parseDate(value);
      if (days === undefined || days < DATE_MIN || days > DATE_MAX)
        fail(type, value, 'not a calendar date in 0001-9999');
      return formatDate(days);
    }
    case 'timestamp':
    case 'timestamptz':
      return micros(type, value);
    case 'string':
      if (typeof value !== 'string') fail(type, value, 'expected string');
      return checkString(type, value);
    case 'binary':
      if (!(value instanceof Uint8Array)) fail(type, value, 'expected Uint8Array');
      return value;
    default:
      return decimal(type, value);
  }
}
