/**
 * DDL from the table model, in both dialects. Athena and Trino share DML but not DDL: Athena
 * takes Hive-style `PARTITIONED BY (bucket(16, id))` with TBLPROPERTIES, Trino takes
 * `WITH (partitioning = ARRAY['bucket(id, 16)'])`. In production the tables come from the
 * CloudFormation IcebergMetadata (see iceberg-metadata.ts); Athena DDL is used for evolution.
 */
import { quoteIdent } from '../sql/identifier.ts';
import { stringLiteral } from '../sql/literal.ts';
import { decimalParts, type IcebergType } from '../sql/types.ts';
import {
  ModelError,
  fullName,
  type ColumnDef,
  type PartitionField,
  type TableModel,
} from './table.ts';

export type Dialect = 'athena' | 'trino';

const TRINO_TYPES: Record<string, string> = {
  boolean: 'boolean',
  int: 'integer',
  long: 'bigint',
  float: 'real',
  double: 'double',
  date: 'date',
  timestamp: 'timestamp(6)',
  timestamptz: 'timestamp(6) with time zone',
  string: 'varchar',
  binary: 'varbinary',
};

const ATHENA_TYPES: Record<string, string> = {
  boolean: 'boolean',
  int: 'int',
  long: 'bigint',
  float: 'float',
  double: 'double',
  date: 'date',
  timestamp: 'timestamp',
  string: 'string',
  binary: 'binary',
};

export function engineType(dialect: Dialect, type: IcebergType, table = '?'): string {
  const dec = decimalParts(type);
  if (dec) return `decimal(${dec.precision},${dec.scale})`;
  const t = (dialect === 'trino' ? TRINO_TYPES : ATHENA_TYPES)[type];
  if (t === undefined) {
    // Athena DDL cannot create timestamptz; such tables are created from IcebergMetadata.
    throw new ModelError(
      table,
      `Athena DDL cannot create a ${type} column; create the table from infra/ (IcebergMetadata)`,
    );
  }
  return t;
}

const docText = (d: { ja: string; en: string }) => `${d.ja} / ${d.en}`;

/** Hive DDL string: backslash escapes, as Athena's DDL parser expects. */
function hiveString(s: string): string {
  return `'${s.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
}

const bq = (name: string) => `\`${name}\``;

function trinoPartition(p: PartitionField): string {
  const c = quoteIdent(p.column);
  if (p.transform === 'identity') return c;
  if (p.transform === 'bucket' || p.transform === 'truncate')
    return `${p.transform}(${c}, ${p.width})`;
  return `${p.transform}(${c})`;
}

function athenaPartition(p: PartitionField): string {
  const c = bq(p.column);
  if (p.transform === 'identity') return c;
  if (p.transform === 'bucket' || p.transform === 'truncate')
    return `${p.transform}(${p.width}, ${c})`;
  return `${p.transform}(${c})`;
}

function columnSql(dialect: Dialect, model: TableModel, c: ColumnDef): string {
  const type = engineType(dialect, c.type, fullName(model));
  if (dialect === 'trino') {
    return `${quoteIdent(c.name)} ${type}${c.required ? ' NOT NULL' : ''} COMMENT ${stringLiteral(docText(c.doc))}`;
  }
  return `${bq(c.name)} ${type} COMMENT ${hiveString(docText(c.doc))}`;
}

export function createSchemaSql(dialect: Dialect, namespace: string): string {
  return dialect === 'trino'
    ? `CREATE SCHEMA IF NOT EXISTS ${quoteIdent(namespace, 'namespace')}`
    : `CREATE DATABASE IF NOT EXISTS ${bq(namespace)}`;
}

/** CREATE TABLE IF NOT EXISTS for the model, in the given dialect. */
export function createTableSql(dialect: Dialect, model: TableModel): string {
  const cols = model.columns.map((c) => `  ${columnSql(dialect, model, c)}`).join(',\n');
  if (dialect === 'trino') {
    const withs = ["format = 'PARQUET'", 'format_version = 2'];
    if (model.partitionBy.length > 0) {
      withs.push(
        `partitioning = ARRAY[${model.partitionBy.map((p) => stringLiteral(trinoPartition(p))).join(', ')}]`,
      );
    }
    if (model.sortBy.length > 0) {
      const sorts = model.sortBy.map(
        (s) =>
          `${quoteIdent(s.column)} ${(s.direction ?? 'asc').toUpperCase()} NULLS ${(s.nulls ?? 'first').toUpperCase()}`,
      );
      withs.push(`sorted_by = ARRAY[${sorts.map(stringLiteral).join(', ')}]`);
    }
    return (
      `CREATE TABLE IF NOT EXISTS ${quoteIdent(model.namespace)}.${quoteIdent(model.name)} (\n${cols}\n)\n` +
      `COMMENT ${stringLiteral(docText(model.doc))}\nWITH (${withs.join(', ')})`
    );
  }
  const parts =
    model.partitionBy.length > 0
      ? `\nPARTITIONED BY (${model.partitionBy.map(athenaPartition).join(', ')})`
      : '';
  return (
    `CREATE TABLE IF NOT EXISTS ${bq(model.namespace)}.${bq(model.name)} (\n${cols}\n)\n` +
    `COMMENT ${hiveString(docText(model.doc))}${parts}\n` +
    `TBLPROPERTIES ('table_type'='ICEBERG', 'format'='parquet', 'write_compression'='zstd')`
  );
}

/** ALTER TABLE adding one nullable column (schema evolution keeps existing data). */
export function addColumnSql(dialect: Dialect, model: TableModel, column: ColumnDef): string {
  if (column.required) {
    throw new ModelError(
      fullName(model),
      `new column ${column.name} must be nullable: existing rows have no value`,
    );
  }
  if (dialect === 'trino') {
    return `ALTER TABLE ${quoteIdent(model.namespace)}.${quoteIdent(model.name)} ADD COLUMN ${columnSql(dialect, model, column)}`;
  }
  return `ALTER TABLE ${bq(model.namespace)}.${bq(model.name)} ADD COLUMNS (${columnSql(dialect, model, column)})`;
}
