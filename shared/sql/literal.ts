/**
 * The literal encoder: the only road from a value to SQL text. Athena allows execution
 * parameters only in WHERE clauses, so INSERT/MERGE values must be literals; every literal is
 * built here, typed so Athena and Trino read it the same way (`1.5E0` is DOUBLE on both, while
 * a bare `1.5` is DOUBLE on Athena but DECIMAL on Trino).
 *
 * Strings: quotes are doubled; text with control characters (C0, DEL, C1) becomes a Unicode
 * escape literal `U&'…'` so statements stay printable and loggable; every other Unicode scalar
 * (CJK, emoji, supplementary planes) is written as itself. NUL and lone surrogates are rejected
 * with a {@link LiteralError}: Parquet readers and downstream tools disagree on NUL, so the
 * suite never stores it and the row goes to quarantine with that reason instead.
 */
import { formatMicros } from '../time/civil.ts';
import { canonical } from './canonical.ts';
import type { IcebergType } from './types.ts';

// C0 controls, DEL and C1 controls.
/* eslint-disable no-control-regex -- matching control characters is the point */
const CONTROL_RE = /[\u0001-\u001f\u007f-\u009f]/;
const CONTROL_OR_BACKSLASH_RE = /[\u0001-\u001f\u007f-\u009f\\]/g;
/* eslint-enable no-control-regex */

/** A SQL string literal for already-validated text (see module notes for the rules). */
export function stringLiteral(text: string): string {
  const quoted = text.replaceAll("'", "''");
  if (!CONTROL_RE.test(text)) return `'${quoted}'`;
  const escaped = quoted.replace(CONTROL_OR_BACKSLASH_RE, (c) =>
    c === '\\' ? '\\\\' : `\\${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  return `U&'${escaped}'`;
}

function doubleText(v: number): string {
  if (Number.isNaN(v)) return 'nan()';
  if (v === Infinity) return 'infinity()';
  if (v === -Infinity) return '-infinity()';
  if (Object.is(v, -0)) return '-0E0';
  // toExponential() without digits is the shortest text that reads back to the same double.
  return v.toExponential().replace('e', 'E');
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

/**
 * The SQL literal for `value` as a column of `type`; `NULL` for null/undefined.
 *
 * @example
 * sqlLiteral('string', "富士山's") // "'富士山''s'"
 * sqlLiteral('double', 0.1) // '1E-1'
 * sqlLiteral('timestamptz', new Date('2026-07-10T01:00:00Z')) // "TIMESTAMP '2026-07-10 01:00:00.000000 UTC'"
 */
export function sqlLiteral(type: IcebergType, value: unknown): string {
  const v = canonical(type, value);
  if (v === null) return 'NULL';
  switch (type) {
    case 'boolean':
      return v ? 'TRUE' : 'FALSE';
    case 'int':
      return String(v);
    case 'long':
      // The minimum has no positive counterpart, so `-9223372036854775808` overflows as unary minus.
      return v === -(2n ** 63n) ? `BIGINT '${String(v)}'` : String(v);
    case 'double':
      return doubleText(v as number);
    case 'float': {
      const t = doubleText(v as number);
      return t.endsWith(')') ? `CAST(${t} AS REAL)` : `REAL '${t}'`;
    }
    case 'date':
      return `DATE '${v as string}'`;
    case 'timestamp':
      return `TIMESTAMP '${formatMicros(v as bigint)}'`;
    case 'timestamptz':
      return `TIMESTAMP '${formatMicros(v as bigint)} UTC'`;
    case 'string':
      return stringLiteral(v as string);
    case 'binary':
      return `X'${hex(v as Uint8Array)}'`;
    default:
      return `DECIMAL '${v as string}'`;
  }
}
