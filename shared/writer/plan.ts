/**
 * The pure half of a write: validating and encoding rows, keys, partition groups, and the
 * literal (VALUES) statement for a batch small enough for one. No I/O, so every rule is
 * unit-testable; table-writer.ts does the rest.
 */
import { quoteIdent } from '../sql/identifier.ts';
import type { TableNames } from '../sql/table-names.ts';
import { sqlLiteral } from '../sql/literal.ts';
import { partitionPredicate } from '../model/partition.ts';
import { columnOf, fullName, ModelError, type TableModel } from '../model/table.ts';
import type { Encoded } from './encode.ts';
import { insertSql, mergeSql } from './merge-sql.ts';

export type Disposition = 'append' | 'merge' | 'replace';

/** One column's condition in a replace scope: a list of values, or a half-open range. */
export type ScopeCondition =
  { readonly in: readonly unknown[] } | { readonly from: unknown; readonly to: unknown };

/**
 * The target rows a `replace` batch is the whole truth of: every condition holds (AND), e.g.
 * `{ source: { in: ['s3://…/v2'] } }` or `{ property_id: { in: ['123'] }, date: { in: ['2026-07-01'] } }`.
 */
export type ReplaceScope = Readonly<Record<string, ScopeCondition>>;

export interface RejectedRow {
  readonly row: Record<string, unknown>;
  readonly reason: string;
}

export const ATHENA_MAX_QUERY_BYTES = 262_144;
export const ATHENA_MAX_PARTITIONS = 100;
/** The literal path's budget: Athena's cap less a margin for the engine's own wrapping. */
export const VALUES_MAX_BYTES = ATHENA_MAX_QUERY_BYTES - 4_096;

export { encodeRow, keyOf, type Encoded } from './encode.ts';

/** The literal tuple of one encoded row, in model column order. */
export function tupleOf(model: TableModel, e: Encoded): string {
  return `(${model.columns.map((c) => sqlLiteral(c.type, e.values[c.name])).join(', ')})`;
}

/** Checks what a disposition needs of the model, before any row is read. */
export function checkDisposition(model: TableModel, disposition: Disposition): void {
  if (disposition === 'append') return;
  if (model.key.length === 0) throw new ModelError(fullName(model), `${disposition} needs a key`);
  for (const p of model.partitionBy) {
    // The pruning predicate is only safe when a key fixes the row's partition.
    if (!model.key.includes(p.column)) {
      throw new ModelError(
        fullName(model),
        `${disposition} needs partition column ${p.column} in the key`,
      );
    }
  }
}

/** The predicate on `alias` a replace scope stands for. */
export function scopePredicate(model: TableModel, scope: ReplaceScope, alias: string): string {
  const parts = Object.entries(scope).map(([name, cond]) => {
    const c = columnOf(model, name);
    const col = `${alias}.${quoteIdent(c.name)}`;
    if ('in' in cond) {
      if (cond.in.length === 0) return 'FALSE';
      return `${col} IN (${[...new Set(cond.in.map((v) => sqlLiteral(c.type, v)))].join(', ')})`;
    }
    return `(${col} >= ${sqlLiteral(c.type, cond.from)} AND ${col} < ${sqlLiteral(c.type, cond.to)})`;
  });
  if (parts.length === 0) throw new ModelError(fullName(model), 'a replace scope names no column');
  return parts.join(' AND ');
}

/** Sorted partition keys cut into groups of at most `max`: one statement per group. */
export function partitionGroups(keys: Iterable<string>, max = ATHENA_MAX_PARTITIONS): string[][] {
  const sorted = [...new Set(keys)].sort();
  const groups: string[][] = [];
  for (let i = 0; i < sorted.length; i += max) groups.push(sorted.slice(i, i + max));
  return groups.length > 0 ? groups : [[]];
}

/** Pruning predicate on `alias` for the partitions whose representative values are given. */
export function groupPredicate(
  model: TableModel,
  representatives: readonly Record<string, unknown>[],
  alias: string,
): string | undefined {
  return representatives.length > 0 ? partitionPredicate(model, representatives, alias) : undefined;
}

export interface ValuesPlan {
  readonly sql: string;
  readonly partitions: number;
}

/**
 * The one literal statement for `rows` (ordered by partition), or undefined when it would pass
 * Athena's 262,144 bytes or 100 partitions: then the batch is staged.
 */
export function planValues(
  names: TableNames,
  model: TableModel,
  rows: readonly Encoded[],
  opts: {
    readonly disposition: Disposition;
    readonly scope?: string;
    /** Representatives of the scope's target partitions (replace), besides the rows' own. */
    readonly scopePartitions?: ReadonlyMap<string, Record<string, unknown>>;
    readonly maxBytes?: number;
    readonly maxPartitions?: number;
    /** Confine the MERGE to the batch's partitions (default true); off only for a benchmark. */
    readonly prune?: boolean;
  },
): ValuesPlan | undefined {
  const parts = new Map<string, Record<string, unknown>>(opts.scopePartitions ?? []);
  for (const r of rows) if (!parts.has(r.partition)) parts.set(r.partition, r.values);
  if (parts.size > (opts.maxPartitions ?? ATHENA_MAX_PARTITIONS)) return undefined;
  if (rows.length === 0 && opts.disposition !== 'replace') return undefined;
  const sorted = [...rows].sort((a, b) =>
    a.partition < b.partition ? -1 : a.partition > b.partition ? 1 : 0,
  );
  const tuples = sorted.map((r) => tupleOf(model, r));
  let sql: string;
  if (opts.disposition === 'append') {
    sql = insertSql(names, model, { kind: 'values', tuples });
  } else {
    const reps = [...parts.values()];
    const prune = opts.prune === false ? undefined : groupPredicate(model, reps, 'fuji_t');
    const inScope = groupPredicate(model, reps, 'fuji_d');
    sql = mergeSql(
      names,
      model,
      { kind: 'values', tuples },
      {
        prune,
        ...(opts.scope !== undefined && {
          scope: inScope ? `(${opts.scope}) AND (${inScope})` : opts.scope,
        }),
      },
    );
  }
  if (Buffer.byteLength(sql) > (opts.maxBytes ?? VALUES_MAX_BYTES)) return undefined;
  return { sql, partitions: parts.size };
}
