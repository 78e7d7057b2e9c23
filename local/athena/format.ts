/**
 * Trino's types and JSON values turned into what Athena's GetQueryResults returns: a ColumnInfo
 * per column and every value as text (`VarCharValue`), absent for NULL.
 */
import type { TrinoColumn } from './trino-client.ts';

export interface AthenaColumnInfo {
  CatalogName: string;
  SchemaName: string;
  TableName: string;
  Name: string;
  Label: string;
  Type: string;
  Precision: number;
  Scale: number;
  Nullable: 'UNKNOWN';
  CaseSensitive: boolean;
}

export type AthenaDatum = { VarCharValue?: string };

/** Athena names a few types differently from Trino and drops their parameters. */
function athenaType(trinoType: string): { type: string; precision: number; scale: number } {
  const t = trinoType.toLowerCase();
  const params = /\(([^)]*)\)/
    .exec(t)?.[1]
    ?.split(',')
    .map((s) => Number(s.trim()));
  const base = t.replace(/\(.*?\)/, '').trim();
  switch (base) {
    case 'decimal':
      return { type: 'decimal', precision: params?.[0] ?? 38, scale: params?.[1] ?? 0 };
    case 'varchar':
      return { type: 'varchar', precision: params?.[0] ?? 2147483647, scale: 0 };
    case 'char':
      return { type: 'char', precision: params?.[0] ?? 1, scale: 0 };
    case 'real':
      return { type: 'float', precision: 7, scale: 0 };
    case 'double':
      return { type: 'double', precision: 17, scale: 0 };
    case 'integer':
      return { type: 'integer', precision: 10, scale: 0 };
    case 'bigint':
      return { type: 'bigint', precision: 19, scale: 0 };
    case 'timestamp':
    case 'timestamp with time zone':
      return { type: base, precision: params?.[0] ?? 3, scale: 0 };
    default:
      // boolean, date, varbinary, tinyint, smallint, json, uuid, and array(…)/map(…)/row(…)
      return {
        type: /^(array|map|row)\b/.test(t) ? t.replace(/\(.*$/, '') : base,
        precision: 0,
        scale: 0,
      };
  }
}

export function columnInfo(columns: readonly TrinoColumn[]): AthenaColumnInfo[] {
  return columns.map((c) => {
    const { type, precision, scale } = athenaType(c.type);
    return {
      CatalogName: 'hive',
      SchemaName: '',
      TableName: '',
      Name: c.name,
      Label: c.name,
      Type: type,
      Precision: precision,
      Scale: scale,
      Nullable: 'UNKNOWN',
      CaseSensitive: type === 'varchar' || type === 'char',
    };
  });
}

/** Nested values the way Athena prints them: `[1, 2]`, `{k=v}`. */
function nested(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `[${value.map(nested).join(', ')}]`;
  if (typeof value === 'object') {
    return `{${Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `${k}=${nested(v)}`)
      .join(', ')}}`;
  }
  return String(value);
}

/**
 * One value as Athena's text. Numbers arrive as their JSON source text (never rounded through a
 * double), varbinary as base64 (Athena prints bytes as spaced hex), NULL as an empty datum.
 */
export function datum(trinoType: string, value: unknown): AthenaDatum {
  if (value === null || value === undefined) return {};
  if (trinoType === 'varbinary' && typeof value === 'string') {
    const hex = Buffer.from(value, 'base64').toString('hex');
    return { VarCharValue: hex.replace(/(..)(?!$)/g, '$1 ') };
  }
  if (typeof value === 'object') return { VarCharValue: nested(value) };
  return { VarCharValue: String(value) };
}

/** The header row Athena puts first on the first page of a SELECT's results. */
export function headerRow(columns: readonly TrinoColumn[]): { Data: AthenaDatum[] } {
  return { Data: columns.map((c) => ({ VarCharValue: c.name })) };
}

export function dataRow(columns: readonly TrinoColumn[], row: readonly unknown[]) {
  return { Data: row.map((v, i) => datum(columns[i]?.type ?? 'varchar', v)) };
}
