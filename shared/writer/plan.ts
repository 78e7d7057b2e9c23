/**
 * Plans the SQL for one batch: validates and encodes rows, deduplicates by key for merge, groups
 * by partition, and packs statements under Athena's 262,144-byte query limit and its 100-partition
 * limit per INSERT/MERGE. Pure: no I/O, so every rule is unit-testable.
 */
import { qualifiedName, quoteIdent } from '../sql/identifier.ts';
import { sqlLiteral } from '../sql/literal.ts';
import { canonical } from '../sql/canonical.ts';
import { describeError } from '../errors/index.ts';
import { partitionKey, partitionPredicate } from '../model/partition.ts';
import { fullName, ModelError, type TableModel } from '../model/table.ts';

export type Disposition = 'append' | 'merge' | 'replace';

/** Half-open range on a date/timestamp column that a `replace` empties before inserting. */
export interface ReplaceScope {
  readonly column: string;
  readonly from: unknown;
  readonly to: unknown;
}

export interface PlanOptions {
  readonly disposition: Disposition;
  /** Athena's cap is 262,144 bytes; the default keeps a margin for the engine's own wrapping. */
  readonly maxStatementBytes?: number;
  readonly maxPartitions?: number;
  readonly scope?: ReplaceScope;
  /**
   * Confine MERGE to the batch's partitions (default true). Off only for the benchmark's
   * baseline, which shows what an unpruned MERGE costs.
   */
  readonly prune?: boolean;
}

export type StatementKind = 'merge' | 'insert' | 'delete';

export interface PlannedStatement {
  readonly kind: StatementKind;
  readonly sql: string;
  readonly rows: number;
  readonly partitions: number;
}

export interface RejectedRow {
  readonly row: Record<string, unknown>;
  readonly reason: string;
}

export interface WritePlan {
  readonly statements: readonly PlannedStatement[];
  readonly rejected: readonly RejectedRow[];
  readonly rowsIn: number;
  /** Rows dropped because a later row in the batch had the same key (last wins). */
  readonly duplicates: number;
}

export const ATHENA_MAX_QUERY_BYTES = 262_144;
export const ATHENA_MAX_PARTITIONS = 100;

interface Encoded {
  readonly values: Record<string, unknown>;
  readonly tuple: string;
  readonly bytes: number;
  readonly partition: string;
}

function encodeRow(model: TableModel, row: Record<string, unknown>): Encoded {
  for (const k of Object.keys(row)) {
    if (!model.columns.some((c) => c.name === k)) throw new Error(`unknown column ${k}`);
  }
  const values: Record<string, unknown> = {};
  const lits: string[] = [];
  for (const c of model.columns) {
    let v: unknown;
    try {
      v = canonical(c.type, row[c.name]);
    } catch (err) {
      throw new Error(`column ${c.name}: ${describeError(err)}`, { cause: err });
    }
    if (v === null && c.required) throw new Error(`column ${c.name} is required`);
    values[c.name] = v;
    lits.push(sqlLiteral(c.type, v));
  }
  const tuple = `(${lits.join(', ')})`;
  return { values, tuple, bytes: Buffer.byteLength(tuple), partition: partitionKey(model, values) };
}

function statementSql(
  kind: 'merge' | 'insert',
  model: TableModel,
  rows: readonly Encoded[],
  prune = true,
): string {
  const target = qualifiedName(model.namespace, model.name);
  const cols = model.columns.map((c) => quoteIdent(c.name));
  const values = rows.map((r) => r.tuple).join(',\n');
  if (kind === 'insert') return `INSERT INTO ${target} (${cols.join(', ')}) VALUES\n${values}`;
  const on = model.key.map((k) => `t.${quoteIdent(k)} = s.${quoteIdent(k)}`);
  const predicate = prune
    ? partitionPredicate(
        model,
        rows.map((r) => r.values),
      )
    : undefined;
  if (predicate) on.push(`(${predicate})`);
  const rest = model.columns
    .filter((c) => !model.key.includes(c.name))
    .map((c) => quoteIdent(c.name));
  // Unchanged rows are left alone so a rerun of the same data rewrites nothing.
  const matched =
    rest.length === 0
      ? ''
      : `\nWHEN MATCHED AND NOT (${rest.map((c) => `t.${c} IS NOT DISTINCT FROM s.${c}`).join(' AND ')})` +
        ` THEN UPDATE SET ${rest.map((c) => `${c} = s.${c}`).join(', ')}`;
  return (
    `MERGE INTO ${target} AS t\nUSING (VALUES\n${values}\n) AS s (${cols.join(', ')})\n` +
    `ON ${on.join(' AND ')}${matched}\n` +
    `WHEN NOT MATCHED THEN INSERT (${cols.join(', ')}) VALUES (${cols.map((c) => `s.${c}`).join(', ')})`
  );
}

/**
 * Packs encoded rows, already ordered by partition, into statements. Sizes are tracked with a
 * cheap upper bound while packing and checked exactly after; an over-long statement (the bound
 * is conservative, so this is a safety net) is split in half.
 */
function pack(
  kind: 'merge' | 'insert',
  model: TableModel,
  rows: readonly Encoded[],
  maxBytes: number,
  maxPartitions: number,
  prune: boolean,
): PlannedStatement[] {
  const out: PlannedStatement[] = [];
  const emit = (chunk: readonly Encoded[]) => {
    const sql = statementSql(kind, model, chunk, prune);
    if (Buffer.byteLength(sql) > maxBytes) {
      if (chunk.length === 1) {
        throw new ModelError(fullName(model), `one row alone exceeds ${maxBytes} bytes of SQL`);
      }
      const half = Math.ceil(chunk.length / 2);
      emit(chunk.slice(0, half));
      emit(chunk.slice(half));
      return;
    }
    out.push({
      kind,
      sql,
      rows: chunk.length,
      partitions: new Set(chunk.map((r) => r.partition)).size,
    });
  };
  const fixed = Buffer.byteLength(statementSql(kind, model, [])) + 64;
  let chunk: Encoded[] = [];
  let bytes = fixed;
  let partitions = new Set<string>();
  for (const r of rows) {
    // Each row may add its own literals to the pruning predicate (IN lists, ranges) as well as its tuple.
    const cost = kind === 'merge' ? r.bytes * 2 + 48 * model.partitionBy.length + 2 : r.bytes + 2;
    const newPartition = !partitions.has(r.partition);
    if (
      chunk.length > 0 &&
      (bytes + cost > maxBytes || (newPartition && partitions.size >= maxPartitions))
    ) {
      emit(chunk);
      chunk = [];
      bytes = fixed;
      partitions = new Set();
    }
    chunk.push(r);
    bytes += cost;
    partitions.add(r.partition);
  }
  if (chunk.length > 0) emit(chunk);
  return out;
}

function deleteStatements(
  model: TableModel,
  rows: readonly Encoded[],
  opts: PlanOptions,
  maxPartitions: number,
): PlannedStatement[] {
  const target = qualifiedName(model.namespace, model.name);
  const out: PlannedStatement[] = [];
  if (opts.scope) {
    const col = model.columns.find((c) => c.name === opts.scope!.column);
    if (!col)
      throw new ModelError(
        fullName(model),
        `replace scope names unknown column ${opts.scope.column}`,
      );
    const c = quoteIdent(col.name);
    out.push({
      kind: 'delete',
      sql: `DELETE FROM ${target} WHERE ${c} >= ${sqlLiteral(col.type, opts.scope.from)} AND ${c} < ${sqlLiteral(col.type, opts.scope.to)}`,
      rows: 0,
      partitions: 0,
    });
  }
  const byPartition = new Map<string, Encoded[]>();
  for (const r of rows) byPartition.set(r.partition, [...(byPartition.get(r.partition) ?? []), r]);
  const groups = [...byPartition.values()];
  for (let i = 0; i < groups.length; i += maxPartitions) {
    const group = groups.slice(i, i + maxPartitions).map((g) => g[0]!.values);
    const where = partitionPredicate(model, group, '') ?? 'TRUE';
    out.push({
      kind: 'delete',
      sql: `DELETE FROM ${target} WHERE ${where}`,
      rows: 0,
      partitions: group.length,
    });
  }
  return out;
}

/**
 * Plans the statements writing `rows` into `model` with the given disposition.
 *
 * @example
 * const plan = planWrite(counts, rows, { disposition: 'merge' });
 * for (const s of plan.statements) await engine.execute(s.sql, { kind: s.kind });
 */
export function planWrite(
  model: TableModel,
  rows: readonly Record<string, unknown>[],
  opts: PlanOptions,
): WritePlan {
  const maxBytes = opts.maxStatementBytes ?? ATHENA_MAX_QUERY_BYTES - 4_096;
  const maxPartitions = opts.maxPartitions ?? ATHENA_MAX_PARTITIONS;
  if (opts.disposition === 'merge') {
    if (model.key.length === 0) throw new ModelError(fullName(model), 'merge needs a key');
    for (const p of model.partitionBy) {
      // The pruning predicate is only safe when a key fixes the row's partition.
      if (!model.key.includes(p.column)) {
        throw new ModelError(
          fullName(model),
          `merge needs partition column ${p.column} in the key`,
        );
      }
    }
  }
  const rejected: RejectedRow[] = [];
  const encoded: Encoded[] = [];
  for (const row of rows) {
    try {
      encoded.push(encodeRow(model, row));
    } catch (err) {
      rejected.push({ row, reason: describeError(err) });
    }
  }
  let accepted = encoded;
  if (opts.disposition === 'merge') {
    const byKey = new Map<string, Encoded>();
    for (const r of encoded) {
      const k = model.key
        .map((c) => String(sqlLiteral(model.columns.find((x) => x.name === c)!.type, r.values[c])))
        .join('\u0001');
      byKey.delete(k); // re-insert so the map keeps the last occurrence's position
      byKey.set(k, r);
    }
    accepted = [...byKey.values()];
  }
  const sorted = [...accepted].sort((a, b) =>
    a.partition < b.partition ? -1 : a.partition > b.partition ? 1 : 0,
  );
  const statements: PlannedStatement[] = [];
  if (opts.disposition === 'replace')
    statements.push(...deleteStatements(model, sorted, opts, maxPartitions));
  if (sorted.length > 0) {
    statements.push(
      ...pack(
        opts.disposition === 'merge' ? 'merge' : 'insert',
        model,
        sorted,
        maxBytes,
        maxPartitions,
        opts.prune ?? true,
      ),
    );
  }
  return {
    statements,
    rejected,
    rowsIn: rows.length,
    duplicates: encoded.length - accepted.length,
  };
}
