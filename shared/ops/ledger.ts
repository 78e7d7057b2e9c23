/** One row of ops.run_ledger: what a slice (or an operator's restore) did. */
import type { AthenaEngine } from '../engine/athena.ts';
import { writeRows } from '../writer/write.ts';
import { runLedger } from './tables.ts';

/** The counts and outcome of one slice attempt (or restore), as the ledger records them. */
export interface LedgerOutcome {
  readonly status: string;
  readonly rowsRead: number;
  /** Source records left out by a contract rule (titles, notes, totals, blanks). */
  readonly rowsSkipped: number;
  /** Source records that landed: read = loaded + quarantined + skipped. */
  readonly rowsLoaded: number;
  readonly rowsWritten: number;
  readonly rowsQuarantined: number;
  readonly statements: number;
  /** Iceberg commits the slice made, all tables together. */
  readonly commits: number;
  readonly bytesScanned: number;
  /** What committed, per table: `ns.table: N rows in C commits`. */
  readonly tables?: readonly string[];
  /** The snapshots those commits made, per table: `ns.table=id,id`. */
  readonly snapshots?: readonly string[];
  readonly failures: readonly { readonly member: string; readonly reason: string }[];
  /** Notes of the read, e.g. unknown columns that were not loaded. */
  readonly notes?: readonly string[];
  readonly error?: string;
}

export interface LedgerEntry {
  readonly runId: string;
  readonly connector: string;
  readonly slice: string;
  readonly startedAt: Date;
  readonly finishedAt: Date;
  readonly result: LedgerOutcome;
}

/** Failed members in one ledger cell: `member: reason; …`, clipped. */
function failuresCell(failures: LedgerOutcome['failures']): string | null {
  if (failures.length === 0) return null;
  return failures
    .map((f) => `${f.member}: ${f.reason}`)
    .join('; ')
    .slice(0, 4_000);
}

export function writeLedger(engine: AthenaEngine, e: LedgerEntry) {
  const r = e.result;
  return writeRows(
    engine,
    runLedger,
    [
      {
        run_id: e.runId,
        connector: e.connector,
        slice: e.slice,
        started_at: e.startedAt,
        finished_at: e.finishedAt,
        status: r.status,
        rows_read: r.rowsRead,
        rows_skipped: r.rowsSkipped,
        rows_loaded: r.rowsLoaded,
        rows_written: r.rowsWritten,
        rows_quarantined: r.rowsQuarantined,
        statements: r.statements,
        commits: r.commits,
        table_counts: r.tables?.join('; ').slice(0, 4_000) ?? null,
        // Never clipped: a cut id would name another snapshot.
        snapshots: r.snapshots?.join('; ') ?? null,
        bytes_scanned: r.bytesScanned,
        members_failed: r.failures.length,
        failed_members: failuresCell(r.failures),
        notes: r.notes?.join('; ').slice(0, 4_000) ?? null,
        error: r.error ?? null,
      },
    ],
    // No signal: the ledger must still be written when the run's own signal fired.
    { disposition: 'append' },
  );
}
