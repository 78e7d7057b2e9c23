/**
 * Executes a write plan through the engine, statement by statement. Each statement is its own
 * Iceberg commit; merge statements are idempotent, so a run that fails midway converges when
 * rerun.
 */
import type { AthenaEngine, QueryResult } from '../engine/athena.ts';
import { columnOf, type TableModel } from '../model/table.ts';
import { qualifiedName, quoteIdent } from '../sql/identifier.ts';
import { sqlLiteral } from '../sql/literal.ts';
import { planWrite, type PlanOptions, type RejectedRow } from './plan.ts';

export interface WriteReport {
  readonly rowsIn: number;
  readonly duplicates: number;
  readonly rowsWritten: number;
  readonly statements: number;
  readonly bytesScanned: number;
  readonly rejected: readonly RejectedRow[];
  readonly queryIds: readonly string[];
}

/**
 * @example
 * const report = await writeRows(engine, model, rows, { disposition: 'merge' });
 * // report.rejected → quarantine
 */
export async function writeRows(
  engine: AthenaEngine,
  model: TableModel,
  rows: readonly Record<string, unknown>[],
  opts: PlanOptions & { readonly signal?: AbortSignal },
): Promise<WriteReport> {
  const plan = planWrite(model, rows, opts);
  let rowsWritten = 0;
  let bytesScanned = 0;
  const queryIds: string[] = [];
  for (const s of plan.statements) {
    const r = await engine.query(s.sql, { kind: s.kind, signal: opts.signal });
    if (s.kind !== 'delete') rowsWritten += r.updateCount ?? 0;
    bytesScanned += r.dataScannedBytes ?? 0;
    queryIds.push(r.queryId);
  }
  return {
    rowsIn: plan.rowsIn,
    duplicates: plan.duplicates,
    rowsWritten,
    statements: plan.statements.length,
    bytesScanned,
    rejected: plan.rejected,
    queryIds,
  };
}

/**
 * Deletes the rows whose `column` equals `value` (the rows an earlier version of one source
 * wrote), through the literal encoder like every other value.
 */
export function deleteWhereEquals(
  engine: AthenaEngine,
  model: TableModel,
  column: string,
  value: unknown,
  signal?: AbortSignal,
): Promise<QueryResult> {
  const c = columnOf(model, column);
  return engine.query(
    `DELETE FROM ${qualifiedName(model.namespace, model.name)} WHERE ${quoteIdent(c.name)} = ${sqlLiteral(c.type, value)}`,
    { kind: 'delete', signal },
  );
}
