/**
 * Reads a table's columns back from the engine (information_schema works on Athena and Trino)
 * and maps engine type names to Iceberg types, so the model can be compared with reality.
 */
import type { AthenaEngine } from '../engine/athena.ts';
import { stringLiteral } from '../sql/literal.ts';

export interface EngineColumn {
  readonly name: string;
  readonly dataType: string;
  readonly icebergType: string;
  readonly nullable: boolean;
  readonly comment: string | null;
}

/** Iceberg type for an engine type name (Trino and Athena spellings). */
export function icebergTypeOf(dataType: string): string {
  const t = dataType.toLowerCase().replace(/\s+/g, ' ').trim();
  const dec = /^decimal\((\d+), ?(\d+)\)$/.exec(t);
  if (dec) return `decimal(${dec[1]},${dec[2]})`;
  if (/^timestamp(\(\d\))? with time zone$/.test(t)) return 'timestamptz';
  if (/^timestamp(\(\d\))?$/.test(t)) return 'timestamp';
  const map: Record<string, string> = {
    varchar: 'string',
    string: 'string',
    integer: 'int',
    int: 'int',
    bigint: 'long',
    real: 'float',
    float: 'float',
    double: 'double',
    boolean: 'boolean',
    date: 'date',
    varbinary: 'binary',
    binary: 'binary',
  };
  return map[t.replace(/^varchar\(\d+\)$/, 'varchar')] ?? t;
}

export async function describeTable(
  engine: AthenaEngine,
  namespace: string,
  table: string,
  signal?: AbortSignal,
): Promise<EngineColumn[]> {
  const r = await engine.query(
    `SELECT column_name, data_type, is_nullable, comment FROM information_schema.columns ` +
      `WHERE table_schema = ${stringLiteral(namespace)} AND table_name = ${stringLiteral(table)} ` +
      `ORDER BY ordinal_position`,
    // information_schema is per catalog: ask the one the namespace lives in.
    { kind: 'select', signal, catalog: engine.names.catalogOf(namespace) },
  );
  return r.text.map(([name, dataType, nullable, comment]) => ({
    name: name!,
    dataType: dataType!,
    icebergType: icebergTypeOf(dataType!),
    nullable: nullable !== 'NO',
    comment: comment ?? null,
  }));
}
