/**
 * Restore a table to a past state (誤操作からの復旧): `fuji-etl restore` and the restore function.
 *
 * Athena has no rollback statement, so the restore is ONE MERGE whose source is the table's own
 * old snapshot (`FOR VERSION AS OF`) and whose scope is the whole table: rows the old state lacks
 * are deleted, changed rows updated, missing ones inserted, unchanged rows left alone. It is the
 * writer's replace statement (merge-sql.ts) with the old snapshot as the batch, so readers see
 * the table before or after, never between; and it is a new snapshot itself, undone the same way.
 *
 * A plan (the dry run) names the target snapshot and what would change; applying it takes the
 * table lock, refuses if the table moved since the plan or the change spans more partitions
 * than one Athena statement may write, runs the statement and records it in ops.run_ledger as
 * connector `restore`, with the snapshot it made.
 */
import { randomUUID } from 'node:crypto';
import type { AthenaEngine } from '../engine/athena.ts';
import { FujiEtlError } from '../errors/index.ts';
import type { Dialect } from '../model/ddl.ts';
import { fullName, type TableModel } from '../model/table.ts';
import type { StateStore } from '../state/store.ts';
import { ensureTable } from '../writer/ensure-table.ts';
import { mergeSql } from '../writer/merge-sql.ts';
import { ATHENA_MAX_PARTITIONS } from '../writer/plan.ts';
import { newestSnapshot } from '../writer/snapshot.ts';
import { asOf, diffStates, type StateDiff } from './diff.ts';
import { resolveState, tableHistory, type SnapshotEntry, type StateRef } from './history.ts';
import { writeLedger } from './ledger.ts';
import { runLedger } from './tables.ts';

export interface RestorePlan {
  readonly table: string;
  readonly target: SnapshotEntry;
  readonly current: SnapshotEntry;
  /** From the current state to the target: what the restore would do. */
  readonly diff: StateDiff;
}

export interface RestoreResult {
  readonly runId: string;
  readonly rowsWritten: number;
  /** The snapshot the restore made (undefined when nothing differed). */
  readonly snapshotId?: string;
  readonly seconds: number;
}

export class RestoreError extends FujiEtlError {
  constructor(table: string, message: string, retryable = false) {
    super('RESTORE', `${table}: ${message}`, { retryable, context: { table } });
  }
}

export async function planRestore(
  engine: AthenaEngine,
  model: TableModel,
  ref: StateRef,
  opts: { now?: Date; signal?: AbortSignal } = {},
): Promise<RestorePlan> {
  const history = await tableHistory(engine, model, opts);
  const current = history[0];
  if (!current) throw new RestoreError(fullName(model), 'the table has no snapshot to restore');
  const target = resolveState(model, history, ref);
  const diff = await diffStates(engine, model, current.snapshotId, target.snapshotId, opts);
  return { table: fullName(model), target, current, diff };
}

/** The one statement that makes the table equal to the snapshot. */
export function restoreSql(model: TableModel, snapshotId: string): string {
  return mergeSql(
    model,
    { kind: 'query', sql: `SELECT * FROM ${asOf(model, snapshotId)}` },
    {
      scope: 'TRUE',
    },
  );
}

export async function applyRestore(
  deps: { engine: AthenaEngine; dialect: Dialect; store: StateStore },
  model: TableModel,
  plan: RestorePlan,
  opts: { runId?: string; lockTtlMs?: number; signal?: AbortSignal; now?: () => Date } = {},
): Promise<RestoreResult> {
  const now = opts.now ?? (() => new Date());
  const runId = opts.runId ?? randomUUID();
  const name = fullName(model);
  const { counts, partitions } = plan.diff;
  const changes = counts.inserted + counts.updated + counts.deleted;
  if (partitions > ATHENA_MAX_PARTITIONS)
    throw new RestoreError(
      name,
      `the restore changes rows in ${partitions} partitions, more than the ${ATHENA_MAX_PARTITIONS} one Athena statement may write; ` +
        'restore to a nearer snapshot, or in steps through intermediate ones',
    );
  const startedAt = now();
  const t0 = performance.now();
  const lock = await deps.store.acquireLock(`table#${name}`, runId, opts.lockTtlMs ?? 120_000, {
    signal: opts.signal,
  });
  try {
    // The plan compared against the state it saw: a load since then would be undone unseen.
    const head = (await tableHistory(deps.engine, model, { limit: 1, signal: opts.signal }))[0];
    if (head?.snapshotId !== plan.current.snapshotId)
      throw new RestoreError(
        name,
        `the table changed since the plan (now at snapshot ${head?.snapshotId}, planned from ${plan.current.snapshotId}): plan again`,
        true,
      );
    let rowsWritten = 0;
    let snapshotId: string | undefined;
    if (changes > 0) {
      lock.assertHeld();
      const r = await deps.engine.query(restoreSql(model, plan.target.snapshotId), {
        kind: 'merge',
        signal: opts.signal,
      });
      rowsWritten = r.updateCount ?? changes;
      snapshotId = await newestSnapshot(deps.engine, model, opts.signal);
    }
    const seconds = (performance.now() - t0) / 1000;
    await ensureTable(deps.engine, deps.dialect, runLedger, opts.signal);
    await writeLedger(deps.engine, {
      runId,
      connector: 'restore',
      slice: name,
      startedAt,
      finishedAt: now(),
      result: {
        status: 'succeeded',
        rowsRead: 0,
        rowsSkipped: 0,
        rowsLoaded: 0,
        rowsWritten,
        rowsQuarantined: 0,
        statements: changes > 0 ? 1 : 0,
        commits: snapshotId ? 1 : 0,
        bytesScanned: 0,
        ...(snapshotId && {
          tables: [`${name}: ${rowsWritten} rows in 1 commits`],
          snapshots: [`${name}=${snapshotId}`],
        }),
        failures: [],
        notes: [
          `restored to snapshot ${plan.target.snapshotId} (committed ${plan.target.committedAt.toISOString()}) from ${plan.current.snapshotId}: ` +
            `${counts.inserted} inserted, ${counts.updated} updated, ${counts.deleted} deleted; ` +
            `undo: fuji-etl restore ${name} --to ${plan.current.snapshotId} --apply`,
        ],
      },
    });
    return { runId, rowsWritten, ...(snapshotId && { snapshotId }), seconds };
  } finally {
    await lock.release();
  }
}
