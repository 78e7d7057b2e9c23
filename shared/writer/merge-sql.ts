/**
 * The one statement a write commits: `MERGE INTO <target> USING (WITH v AS (<rows>) …)`, where
 * the rows are either literal VALUES (a batch small enough for one statement) or the staged
 * table. Pure text building, so every disposition's SQL is unit-testable.
 *
 * - merge: upsert by key; a matched row whose values are all the same is left alone, so a rerun
 *   of the same batch commits an empty snapshot and rewrites nothing.
 * - replace: the source also carries the target rows of the scope whose key the batch lacks,
 *   marked `fuji_delete`, so one commit deletes them, updates the changed rows and inserts the
 *   new: readers see the old scope or the new one, never a mix and never an empty window.
 *   (Neither Athena nor Trino 476 has `WHEN NOT MATCHED BY SOURCE`.)
 */
import { quoteIdent } from '../sql/identifier.ts';
import type { TableNames } from '../sql/table-names.ts';
import { sqlLiteral } from '../sql/literal.ts';
import { engineType } from '../model/ddl.ts';
import type { ColumnDef, TableModel } from '../model/table.ts';
import { STAGE_PART_COLUMN, STAGE_PARTITION_COLUMN } from './parquet.ts';

export type MergeRows =
  | { readonly kind: 'values'; readonly tuples: readonly string[] }
  | {
      readonly kind: 'staged';
      readonly sqlName: string;
      /** Only these partitions of the stage (a 100-partition group); all when undefined. */
      readonly partitions?: readonly string[];
      /** The stage has several parts that may repeat a key: the latest part wins. */
      readonly dedupe: boolean;
    }
  /**
   * Rows a query gives, with the target's columns and types (a restore: the table's own old
   * snapshot, `SELECT … FOR VERSION AS OF <id>`).
   */
  | { readonly kind: 'query'; readonly sql: string };

export interface MergeSqlOptions {
  /** Predicate on alias `t` confining the statement to its partitions (pruning). */
  readonly prune?: string;
  /** replace: predicate on alias `d` naming the target rows the batch is the whole truth of. */
  readonly scope?: string;
}

const DELETE_FLAG = 'fuji_delete';

/** Reads a staged column of relation `alias` as the target's type. */
export function stagedValue(c: ColumnDef, alias: string): string {
  const ref = `${alias}.${quoteIdent(c.name)}`;
  // Staged timestamps are exact text (see parquet.ts); every other staged type is the target's.
  if (c.type === 'timestamp') return `CAST(${ref} AS timestamp(6))`;
  if (c.type === 'timestamptz') return `CAST(${ref} || ' UTC' AS timestamp(6) with time zone)`;
  return ref;
}

/** Reads a column of the rows relation `alias` as the target's type. */
function valueOf(rows: MergeRows, c: ColumnDef, alias: string): string {
  return rows.kind === 'staged' ? stagedValue(c, alias) : `${alias}.${quoteIdent(c.name)}`;
}

/** ` WHERE fuji_partition IN (…)`: one partition group's rows of a stage, or all of them. */
function partitionFilter(partitions: readonly string[] | undefined): string {
  if (!partitions) return '';
  const keys = partitions.map((p) => sqlLiteral('string', p)).join(', ');
  return ` WHERE ${quoteIdent(STAGE_PARTITION_COLUMN)} IN (${keys})`;
}

/**
 * The append statement: `INSERT … VALUES` for literal rows, `INSERT … SELECT` from the stage
 * (one partition group, ordered by partition) otherwise.
 */
export function insertSql(names: TableNames, model: TableModel, rows: MergeRows): string {
  const cols = model.columns.map((c) => quoteIdent(c.name)).join(', ');
  const head = `INSERT INTO ${names.of(model)} (${cols})`;
  if (rows.kind === 'values') return `${head} VALUES\n${rows.tuples.join(',\n')}`;
  if (rows.kind === 'query') return `${head}\n${rows.sql}`;
  const exprs = model.columns.map((c) => stagedValue(c, 'fuji_v')).join(', ');
  return (
    `${head}\nSELECT ${exprs} FROM (SELECT * FROM ${rows.sqlName}${partitionFilter(rows.partitions)}) fuji_v` +
    ` ORDER BY fuji_v.${quoteIdent(STAGE_PARTITION_COLUMN)}`
  );
}

function rowsCte(model: TableModel, rows: MergeRows): string {
  const cols = model.columns.map((c) => quoteIdent(c.name));
  if (rows.kind === 'values' && rows.tuples.length === 0) {
    // An empty replace batch still deletes its scope; DML text is the same on both engines.
    const nulls = model.columns.map((c) => `CAST(NULL AS ${engineType('trino', c.type)})`);
    return `fuji_v (${cols.join(', ')}) AS (SELECT ${nulls.join(', ')} WHERE FALSE)`;
  }
  if (rows.kind === 'values')
    return `fuji_v (${cols.join(', ')}) AS (VALUES\n${rows.tuples.join(',\n')}\n)`;
  if (rows.kind === 'query') return `fuji_v AS (${rows.sql})`;
  const where = partitionFilter(rows.partitions);
  if (!rows.dedupe) return `fuji_v AS (SELECT * FROM ${rows.sqlName}${where})`;
  const keys = model.key.map((k) => quoteIdent(k)).join(', ');
  return (
    `fuji_v AS (SELECT * FROM (SELECT fuji_r.*, row_number() OVER (PARTITION BY ${keys} ORDER BY fuji_r.${quoteIdent(STAGE_PART_COLUMN)} DESC) AS fuji_rn` +
    ` FROM ${rows.sqlName} fuji_r${where}) WHERE fuji_rn = 1)`
  );
}

/**
 * @example
 * mergeSql(engine.names, model, { kind: 'values', tuples: ["(1, 'a')"] }, { prune: 't."day" = DATE \'2026-07-01\'' });
 */
export function mergeSql(
  names: TableNames,
  model: TableModel,
  rows: MergeRows,
  opts: MergeSqlOptions = {},
): string {
  const target = names.of(model);
  const cols = model.columns.map((c) => quoteIdent(c.name));
  const isKey = (c: ColumnDef) => model.key.includes(c.name);
  const select = model.columns
    .map((c) => `${valueOf(rows, c, 'fuji_v')} AS ${quoteIdent(c.name)}`)
    .join(', ');
  let source = `SELECT ${select}, FALSE AS ${DELETE_FLAG} FROM fuji_v`;
  const replace = opts.scope !== undefined;
  if (replace) {
    const keep = model.columns
      .map(
        (c) => (isKey(c) ? `fuji_d.${quoteIdent(c.name)}` : 'NULL') + ` AS ${quoteIdent(c.name)}`,
      )
      .join(', ');
    const sameKey = model.columns
      .filter(isKey)
      .map((c) => `${valueOf(rows, c, 'fuji_n')} = fuji_d.${quoteIdent(c.name)}`)
      .join(' AND ');
    source +=
      `\nUNION ALL\nSELECT ${keep}, TRUE AS ${DELETE_FLAG} FROM ${target} fuji_d` +
      `\nWHERE (${opts.scope}) AND NOT EXISTS (SELECT 1 FROM fuji_v fuji_n WHERE ${sameKey})`;
  }
  const on = model.key.map((k) => `fuji_t.${quoteIdent(k)} = fuji_s.${quoteIdent(k)}`);
  if (opts.prune) on.push(`(${opts.prune})`);
  const rest = model.columns.filter((c) => !isKey(c)).map((c) => quoteIdent(c.name));
  const live = replace ? ` AND NOT fuji_s.${DELETE_FLAG}` : '';
  const clauses: string[] = [];
  if (replace) clauses.push(`WHEN MATCHED AND fuji_s.${DELETE_FLAG} THEN DELETE`);
  if (rest.length > 0) {
    // Unchanged rows are left alone so a rerun of the same data rewrites nothing.
    clauses.push(
      `WHEN MATCHED${live} AND NOT (${rest.map((c) => `fuji_t.${c} IS NOT DISTINCT FROM fuji_s.${c}`).join(' AND ')})` +
        ` THEN UPDATE SET ${rest.map((c) => `${c} = fuji_s.${c}`).join(', ')}`,
    );
  }
  clauses.push(
    `WHEN NOT MATCHED${live} THEN INSERT (${cols.join(', ')}) VALUES (${cols.map((c) => `fuji_s.${c}`).join(', ')})`,
  );
  return (
    `MERGE INTO ${target} AS fuji_t\nUSING (WITH ${rowsCte(model, rows)}\n${source}\n) AS fuji_s\n` +
    `ON ${on.join(' AND ')}\n${clauses.join('\n')}`
  );
}
