/**
 * Restore a table to a past state (誤操作からの復旧): `fuji-etl restore` and the restore function.
 *
 * Athena has no rollback statement, so the restore is ONE MERGE whose source is the table's own
 * old snapshot (`FOR VERSION AS OF`) and whose scope is the whole table: rows the old state lacks
 * are deleted, changed rows updated, missing ones inserted, unchanged rows left alone. It is the
 * writer's replace statement (merge-sql.ts) with the old snapshot as the batch, so readers see
 * the table before or after, never between; and it is a new snapshot itself, undone the same way.
 *
 * Two ways to feed that MERGE the old rows, the same statement otherwise:
 * - `snapshot`: the MERGE reads its own target `FOR VERSION AS OF` (measured on Trino 476);
 * - `staging`: the old snapshot is first copied into a staging table (`CREATE TABLE … AS` in the
 *   Glue staging database, as the writer stages batches), and the MERGE reads that. Athena
 *   documents time travel in queries but nowhere a MERGE reading its own target's old
 *   snapshot, so the deployed restore takes this way by default; the copy is dropped in a
 *   `finally`, and a crash leaves only staging for the sweeper, never a half restore.
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
import { quoteIdent } from '../sql/identifier.ts';
import { stringLiteral } from '../sql/literal.ts';
import type { TableNames } from '../sql/table-names.ts';
import { ensureTable } from '../writer/ensure-table.ts';
import { mergeSql } from '../writer/merge-sql.ts';
import { ATHENA_MAX_PARTITIONS } from '../writer/plan.ts';
import { newestSnapshot } from '../writer/snapshot.ts';
import type { Stage, StagingArea } from '../writer/staging.ts';
import { diffStates, type StateDiff } from './diff.ts';
import { asOf, columnAt, selectState, stateOf, type TableState } from './state.ts';
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

/** How the restore's MERGE reads the old rows (see above). */
export type RestoreSource = 'snapshot' | 'staging';

/** The one statement that makes the table equal to the snapshot, read directly. */
export function restoreSql(names: TableNames, model: TableModel, state: TableState): string {
  const rows = { kind: 'query', sql: selectState(model, state) } as const;
  return mergeSql(names, model, rows, { scope: 'TRUE' });
}

/**
 * The old snapshot as a staged table, in the staged columns' types (parquet.ts): timestamps as
 * their exact text, since Hive tables read timestamps at millisecond precision.
 */
export function stageCopySql(model: TableModel, state: TableState, stage: Stage): string {
  const cols = model.columns.map((c) => {
    const ref = columnAt(state, c);
    const text =
      c.type === 'timestamp'
        ? `CAST(${ref} AS varchar)`
        : c.type === 'timestamptz'
          ? `CAST(CAST(${ref} AT TIME ZONE 'UTC' AS timestamp(6)) AS varchar)`
          : undefined;
    return `${text ?? ref} AS ${quoteIdent(c.name)}`;
  });
  return (
    `CREATE TABLE ${stage.sqlName} WITH (format = 'PARQUET', external_location = ${stringLiteral(stage.location)})` +
    ` AS SELECT ${cols.join(', ')} FROM ${asOf(state)}`
  );
}

/** Runs the restore statement the chosen way; returns the engine's update count. */
async function runRestore(
  deps: { engine: AthenaEngine; staging?: StagingArea },
  model: TableModel,
  snapshotId: string,
  via: RestoreSource,
  signal?: AbortSignal,
): Promise<number | undefined> {
  const state = await stateOf(deps.engine, model, snapshotId, signal);
  if (via === 'snapshot') {
    const r = await deps.engine.query(restoreSql(deps.engine.names, model, state), {
      kind: 'merge',
      signal,
    });
    return r.updateCount;
  }
  if (!deps.staging)
    throw new RestoreError(fullName(model), 'a restore through staging needs the staging area');
  const stage = deps.staging.open(`restore_${model.namespace}_${model.name}`);
  try {
    await deps.engine.query(stageCopySql(model, state, stage), { kind: 'ddl', signal });
    const rows = { kind: 'staged' as const, sqlName: stage.sqlName, dedupe: false };
    const r = await deps.engine.query(mergeSql(deps.engine.names, model, rows, { scope: 'TRUE' }), {
      kind: 'merge',
      signal,
    });
    return r.updateCount;
  } finally {
    await stage.drop();
  }
}

export async function applyRestore(
  deps: { engine: AthenaEngine; dialect: Dialect; store: StateStore; staging?: StagingArea },
  model: TableModel,
  plan: RestorePlan,
  opts: {
    runId?: string;
    lockTtlMs?: number;
    signal?: AbortSignal;
    now?: () => Date;
    /** Default: through staging on Athena, straight from the snapshot on Trino. */
    via?: RestoreSource;
  } = {},
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
    const head = (
      await tableHistory(deps.engine, model, { limit: 1, runs: false, signal: opts.signal })
    )[0];
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
      const via = opts.via ?? (deps.dialect === 'athena' ? 'staging' : 'snapshot');
      const updated = await runRestore(deps, model, plan.target.snapshotId, via, opts.signal);
      rowsWritten = updated ?? changes;
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
