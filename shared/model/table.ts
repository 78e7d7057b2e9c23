/**
 * One table model, declared once in TypeScript. DDL for both engines, the CloudFormation
 * IcebergMetadata, the docs, the writer's pruning predicates and validation all derive from it.
 */
import { FujiEtlError } from '../errors/index.ts';
import { assertIdentifier } from '../sql/identifier.ts';
import { isIcebergType, type IcebergType } from '../sql/types.ts';

export interface Doc {
  readonly ja: string;
  readonly en: string;
}

export interface ColumnDef {
  readonly name: string;
  readonly type: IcebergType;
  /** NOT NULL in the engine; rows missing it are rejected before any SQL is built. */
  readonly required?: boolean;
  readonly doc: Doc;
}

export type TemporalTransform = 'year' | 'month' | 'day' | 'hour';
export type PartitionField =
  | { readonly column: string; readonly transform: 'identity' | TemporalTransform }
  | { readonly column: string; readonly transform: 'bucket' | 'truncate'; readonly width: number };

export interface SortField {
  readonly column: string;
  readonly direction?: 'asc' | 'desc';
  readonly nulls?: 'first' | 'last';
}

export interface TableModel {
  readonly namespace: string;
  readonly name: string;
  readonly doc: Doc;
  readonly columns: readonly ColumnDef[];
  /** Merge key: unique per row; every column in it is required. */
  readonly key: readonly string[];
  readonly partitionBy: readonly PartitionField[];
  readonly sortBy: readonly SortField[];
  /** Metrics or columns an analyst must not sum across rows, named in the docs. */
  readonly notes?: readonly Doc[];
  /**
   * When a row's data happened (observed at, issued at, the day it counts): freshness is the
   * newest value of this column, not the time of the last run, so a run that lands nothing from
   * a source that stopped updating shows as late. A code list has no such time: say why.
   */
  readonly eventTime?: string | { readonly none: string };
}

export class ModelError extends FujiEtlError {
  constructor(table: string, message: string) {
    super('TABLE_MODEL', `table ${table}: ${message}`, { retryable: false, context: { table } });
  }
}

const TEMPORAL_SOURCES: ReadonlySet<string> = new Set(['date', 'timestamp', 'timestamptz']);

function checkPartition(t: string, field: PartitionField, col: ColumnDef): void {
  switch (field.transform) {
    case 'identity':
      if (col.type === 'float' || col.type === 'double') {
        throw new ModelError(t, `identity partition on floating column ${col.name}`);
      }
      return;
    case 'hour':
      if (col.type === 'date')
        throw new ModelError(t, `hour() needs a timestamp, ${col.name} is a date`);
      return;
    case 'year':
    case 'month':
    case 'day':
      if (!TEMPORAL_SOURCES.has(col.type)) {
        throw new ModelError(
          t,
          `${field.transform}() needs a date or timestamp, ${col.name} is ${col.type}`,
        );
      }
      return;
    case 'bucket':
    case 'truncate':
      if (!Number.isInteger(field.width) || field.width < 1) {
        throw new ModelError(t, `${field.transform} width must be a positive integer`);
      }
      if (field.transform === 'truncate' && !['int', 'long', 'string'].includes(col.type)) {
        throw new ModelError(t, `truncate on ${col.type} column ${col.name} is not supported`);
      }
      if (field.transform === 'bucket' && ['float', 'double', 'boolean'].includes(col.type)) {
        throw new ModelError(
          t,
          `bucket on ${col.type} column ${col.name} is not allowed by Iceberg`,
        );
      }
  }
}

/**
 * Validates and freezes a table model. Fails fast at import time, before any call.
 *
 * @example
 * export const counts = defineTable({
 *   namespace: 'opendata', name: 'climber_counts',
 *   doc: { ja: '登山者数', en: 'Climber counts' },
 *   columns: [
 *     { name: 'route', type: 'string', required: true, doc: { ja: 'ルート', en: 'Route' } },
 *     { name: 'count_date', type: 'date', required: true, doc: { ja: '日付', en: 'Date' } },
 *     { name: 'climbers', type: 'int', doc: { ja: '人数', en: 'Climbers' } },
 *   ],
 *   key: ['route', 'count_date'],
 *   partitionBy: [{ column: 'count_date', transform: 'month' }],
 * });
 */
export function defineTable(
  def: Omit<TableModel, 'sortBy' | 'partitionBy'> & {
    partitionBy?: readonly PartitionField[];
    sortBy?: readonly SortField[];
  },
): TableModel {
  const t = `${def.namespace}.${def.name}`;
  assertIdentifier(def.namespace, 'namespace');
  assertIdentifier(def.name, 'table name');
  if (def.columns.length === 0) throw new ModelError(t, 'no columns');
  const byName = new Map<string, ColumnDef>();
  for (const c of def.columns) {
    assertIdentifier(c.name, `column name in ${t}`);
    if (byName.has(c.name)) throw new ModelError(t, `duplicate column ${c.name}`);
    if (!isIcebergType(c.type))
      throw new ModelError(t, `column ${c.name} has unknown type ${c.type}`);
    byName.set(c.name, c);
  }
  const col = (name: string, what: string): ColumnDef => {
    const c = byName.get(name);
    if (!c) throw new ModelError(t, `${what} names unknown column ${name}`);
    return c;
  };
  if (new Set(def.key).size !== def.key.length) throw new ModelError(t, 'key repeats a column');
  for (const k of def.key) {
    const c = col(k, 'key');
    // NULL never equals NULL in an ON clause: a nullable key column would duplicate rows on rerun.
    if (!c.required) throw new ModelError(t, `key column ${k} must be required`);
  }
  const partitionBy = def.partitionBy ?? [];
  for (const p of partitionBy) checkPartition(t, p, col(p.column, 'partition'));
  const sortBy = def.sortBy ?? [];
  for (const s of sortBy) col(s.column, 'sort order');
  if (typeof def.eventTime === 'string') {
    const c = col(def.eventTime, 'event time');
    if (!TEMPORAL_SOURCES.has(c.type))
      throw new ModelError(t, `event time ${c.name} must be a date or timestamp, is ${c.type}`);
  }
  return Object.freeze({ ...def, partitionBy, sortBy });
}

/** The column definition, or a ModelError naming the table. */
export function columnOf(model: TableModel, name: string): ColumnDef {
  const c = model.columns.find((x) => x.name === name);
  if (!c) throw new ModelError(`${model.namespace}.${model.name}`, `unknown column ${name}`);
  return c;
}

/** The event-time column, or undefined for a table that declares none (a code list). */
export function eventTimeColumn(model: TableModel): ColumnDef | undefined {
  return typeof model.eventTime === 'string' ? columnOf(model, model.eventTime) : undefined;
}

export function fullName(model: TableModel): string {
  return `${model.namespace}.${model.name}`;
}

/**
 * Shorthand for a column, so table models read as a list.
 *
 * @example
 * col('temp_c', 'double', '気温（℃）', 'Air temperature (°C)')
 */
export function col(
  name: string,
  type: ColumnDef['type'],
  ja: string,
  en: string,
  required = false,
): ColumnDef {
  return { name, type, doc: { ja, en }, ...(required && { required }) };
}
