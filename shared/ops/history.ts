/**
 * A table's snapshots as operators read them (`fuji-etl history`): when each committed, what it
 * did, which run of ops.run_ledger made it, and when it leaves the restore window; and the
 * naming of a past state (`--to`, `--from`) as one of those snapshots.
 *
 * The run is found through the ledger's `snapshots` column, which the writer fills at commit
 * time (TableWriter's `trackSnapshots`): Iceberg snapshot summaries cannot carry our run id
 * through Athena, and matching by time alone would break on S3 Tables' own compaction commits.
 */
import type { AthenaEngine } from '../engine/athena.ts';
import { FujiEtlError } from '../errors/index.ts';
import { describeRetention, retentionOf, type Retention } from '../model/retention.ts';
import { fullName, type TableModel } from '../model/table.ts';
import { runLedger } from './tables.ts';
import { sqlLiteral, stringLiteral } from '../sql/literal.ts';

export interface SnapshotEntry {
  readonly snapshotId: string;
  readonly parentId?: string;
  readonly committedAt: Date;
  /** Iceberg's operation: append, overwrite, delete, or replace (compaction). */
  readonly operation: string;
  readonly rowsAdded: number;
  readonly rowsDeleted: number;
  readonly totalRows?: number;
  /** The run that made it (absent for compaction and writes from outside the suite). */
  readonly runId?: string;
  readonly connector?: string;
  readonly slice?: string;
  /** When it is older than the window's age; it may stay longer as one of the newest kept. */
  readonly leavesWindowAt: Date;
  /** Within the window now (young enough, or one of the newest `minSnapshotsToKeep`). */
  readonly inWindow: boolean;
  /** The table's current state. */
  readonly current: boolean;
}

const HOUR_MS = 3_600_000;

export class StateNotFoundError extends FujiEtlError {
  constructor(table: string, message: string, retention: Retention) {
    super(
      'STATE_NOT_FOUND',
      `${table}: ${message}; restore window ${describeRetention(retention)}`,
      {
        retryable: false,
        context: { table },
      },
    );
  }
}

/** Newest first. */
export async function tableHistory(
  engine: AthenaEngine,
  model: TableModel,
  opts: {
    now?: Date;
    limit?: number;
    signal?: AbortSignal;
    /** Also name the run of each snapshot (one ledger query); default true. */
    runs?: boolean;
  } = {},
): Promise<SnapshotEntry[]> {
  const now = opts.now ?? new Date();
  const retention = retentionOf(model);
  const limit = opts.limit === undefined ? '' : ` LIMIT ${Math.max(1, Math.floor(opts.limit))}`;
  const r = await engine.query(
    `SELECT CAST(snapshot_id AS varchar), CAST(parent_id AS varchar),
            CAST(to_unixtime(committed_at) * 1000 AS bigint), operation,
            element_at(summary, 'added-records'), element_at(summary, 'deleted-records'),
            element_at(summary, 'total-records')
     FROM ${engine.names.metadata(model.namespace, model.name, 'snapshots')}
     ORDER BY committed_at DESC${limit}`,
    { kind: 'select', signal: opts.signal },
  );
  const rows = r.text.map((c) => ({
    snapshotId: c[0]!,
    parentId: c[1] ?? undefined,
    committedAt: new Date(Number(c[2])),
    operation: c[3] ?? '',
    rowsAdded: Number(c[4] ?? 0),
    rowsDeleted: Number(c[5] ?? 0),
    totalRows: c[6] === null ? undefined : Number(c[6]),
  }));
  const oldest = rows.at(-1)?.committedAt;
  const runs =
    oldest && opts.runs !== false ? await runsOf(engine, model, oldest, opts.signal) : new Map();
  return rows.map((s, i) => ({
    ...s,
    ...runs.get(s.snapshotId),
    ...windowOf(s.committedAt, i, retention, now),
    current: i === 0,
  }));
}

/**
 * Where a snapshot stands in the restore window, as S3 Tables' snapshot management decides:
 * kept while younger than the age, or while among the newest `minSnapshotsToKeep` (`rank` 0 is
 * the newest).
 */
export function windowOf(
  committedAt: Date,
  rank: number,
  retention: Retention,
  now: Date,
): { leavesWindowAt: Date; inWindow: boolean } {
  const leavesWindowAt = new Date(committedAt.getTime() + retention.maxSnapshotAgeHours * HOUR_MS);
  return { leavesWindowAt, inWindow: leavesWindowAt > now || rank < retention.minSnapshotsToKeep };
}

/** Snapshot id → the ledger row that recorded it, from the ledger's months since `since`. */
async function runsOf(
  engine: AthenaEngine,
  model: TableModel,
  since: Date,
  signal?: AbortSignal,
): Promise<Map<string, { runId: string; connector: string; slice: string }>> {
  const name = fullName(model);
  // The ledger row is written after its commits, and is partitioned by the start's month.
  const from = new Date(since.getTime() - 24 * HOUR_MS);
  const r = await engine.query(
    `SELECT run_id, connector, slice, snapshots FROM ${engine.names.of(runLedger)}
     WHERE started_at >= ${sqlLiteral('timestamptz', from)}
       AND strpos(snapshots, ${stringLiteral(`${name}=`)}) > 0`,
    { kind: 'select', signal },
  );
  const out = new Map<string, { runId: string; connector: string; slice: string }>();
  for (const [runId, connector, slice, cell] of r.text) {
    for (const id of snapshotsIn(cell ?? '', name))
      out.set(id, { runId: runId!, connector: connector!, slice: slice! });
  }
  return out;
}

/** The ids a ledger `snapshots` cell (`ns.t=1,2; ns.q=3`) gives for one table. */
export function snapshotsIn(cell: string, table: string): string[] {
  for (const part of cell.split('; ')) {
    const eq = part.indexOf('=');
    if (part.slice(0, eq) === table)
      return part
        .slice(eq + 1)
        .split(',')
        .filter(Boolean);
  }
  return [];
}

/** A past state as operators name it: a snapshot id, or a time with its zone. */
export type StateRef = { readonly snapshot: string } | { readonly at: Date };

export function parseStateRef(text: string, flag = '--to'): StateRef {
  if (/^\d{1,20}$/.test(text)) return { snapshot: text };
  // A time without a zone would be read in the machine's zone: refused, never guessed.
  const zoned = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
  const at = new Date(text);
  if (!zoned.test(text) || Number.isNaN(at.getTime()))
    throw new FujiEtlError(
      'USAGE',
      `${flag} ${JSON.stringify(text)} is neither a snapshot id nor an ISO time with a zone (2026-08-01T09:00:00+09:00, …Z)`,
    );
  return { at };
}

/**
 * The snapshot a reference names, from the history (newest first). A time names the state the
 * table had then: the newest snapshot committed at or before it. A state outside the window is
 * refused even when the engine still holds it (S3 Tables expires it at any moment), with the
 * window in the message.
 */
export function resolveState(
  model: TableModel,
  history: readonly SnapshotEntry[],
  ref: StateRef,
): SnapshotEntry {
  const retention = retentionOf(model);
  const name = fullName(model);
  const found =
    'snapshot' in ref
      ? history.find((s) => s.snapshotId === ref.snapshot)
      : history.find((s) => s.committedAt <= ref.at);
  if (!found) {
    const start = history.at(-1);
    throw new StateNotFoundError(
      name,
      'snapshot' in ref
        ? `snapshot ${ref.snapshot} is not in the table's history (it never existed here, or has expired)`
        : `no state at ${ref.at.toISOString()}: the history kept starts at ${start ? start.committedAt.toISOString() : '(no snapshot)'}`,
      retention,
    );
  }
  if (!found.inWindow)
    throw new StateNotFoundError(
      name,
      `snapshot ${found.snapshotId} (committed ${found.committedAt.toISOString()}) has left the restore window at ${found.leavesWindowAt.toISOString()}`,
      retention,
    );
  return found;
}
