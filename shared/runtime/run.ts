/**
 * Runs a connector: ensures its tables, locks them, then fetches and writes slice by slice,
 * recording every slice in ops.run_ledger and every rejected row in ops.quarantine. A failed
 * slice does not stop the others, but the cursor never moves past it, so the next run retries it.
 * An error marked `stopsRun` ends the run after its slice (a spent quota, refused access); one
 * marked `deferred` is not a failure: the slice waits for the next run.
 *
 * Cursors: an incremental run reads and advances cursor `main`. A range run (backfill) keeps its
 * own progress cursor, so an interrupted backfill resumes where it stopped; it is dropped when
 * the range completes, so the same range can be loaded again later on purpose.
 */
import { randomUUID } from 'node:crypto';
import { describeError, FujiEtlError } from '../errors/index.ts';
import type { AthenaEngine } from '../engine/athena.ts';
import type { Dialect } from '../model/ddl.ts';
import { fullName } from '../model/table.ts';
import { quarantine, runLedger } from '../ops/tables.ts';
import type { StateStore } from '../state/store.ts';
import { ensureTable } from '../writer/ensure-table.ts';
import { deleteWhereEquals, writeRows } from '../writer/write.ts';
import type { ConnectorDefinition, DateRange, Slice, SliceBatch, SliceData } from './connector.ts';
import { writeQuarantine, type QuarantineRow } from './quarantine.ts';

export interface RunDeps {
  readonly engine: AthenaEngine;
  readonly dialect: Dialect;
  readonly store: StateStore;
  readonly now?: () => Date;
  readonly log?: (event: Record<string, unknown>) => void;
}

export interface RunOptions {
  readonly range?: DateRange;
  readonly signal?: AbortSignal;
  readonly runId?: string;
  readonly lockTtlMs?: number;
  /** Epoch ms the run must finish by (Lambda's deadline less a margin). */
  readonly deadline?: number;
}

export interface SliceOutcome {
  readonly slice: string;
  readonly status: 'succeeded' | 'failed' | 'aborted' | 'deferred';
  readonly rowsRead: number;
  /** Source records left out by a contract rule (titles, notes, totals, blanks). */
  readonly rowsSkipped: number;
  /** Source records that landed: read = loaded + quarantined + skipped. */
  readonly rowsLoaded: number;
  readonly rowsWritten: number;
  readonly rowsQuarantined: number;
  readonly statements: number;
  readonly bytesScanned: number;
  readonly error?: string;
}

export interface RunSummary {
  readonly runId: string;
  readonly connector: string;
  readonly slices: readonly SliceOutcome[];
  /** No slice failed (deferred slices are not failures). */
  readonly ok: boolean;
  /** Every planned slice landed. */
  readonly complete: boolean;
}

/** The one-line view of a run for logs and error context (slice outcomes stay in the ledger). */
export function summarize(s: RunSummary) {
  return {
    runId: s.runId,
    connector: s.connector,
    ok: s.ok,
    complete: s.complete,
    slices: s.slices.length,
    failed: s.slices.filter((x) => x.status === 'failed').map((x) => x.slice),
    last: s.slices.findLast((x) => x.status === 'succeeded')?.slice,
  };
}

export async function runConnector<S extends Slice>(
  def: ConnectorDefinition<S>,
  deps: RunDeps,
  opts: RunOptions = {},
): Promise<RunSummary> {
  const now = deps.now ?? (() => new Date());
  const log = deps.log ?? (() => {});
  const signal = opts.signal ?? new AbortController().signal;
  const runId = opts.runId ?? randomUUID();
  for (const model of [runLedger, quarantine, ...def.tables.map((t) => t.model)]) {
    await ensureTable(deps.engine, deps.dialect, model, signal);
  }
  const locks = [];
  try {
    for (const t of def.tables) {
      locks.push(
        await deps.store.acquireLock(
          `table#${fullName(t.model)}`,
          runId,
          opts.lockTtlMs ?? 15 * 60_000,
        ),
      );
    }
    const progressName = opts.range ? `range:${opts.range.from}..${opts.range.to}` : 'main';
    let main = await deps.store.getCursor(def.name, 'main');
    let progress = opts.range ? await deps.store.getCursor(def.name, progressName) : main;
    const slices = def.slices({ range: opts.range, cursor: progress, now: now() });
    const outcomes: SliceOutcome[] = [];
    let cursorBlocked = false;
    for (const slice of slices) {
      if (signal.aborted) break;
      const outcome = await runSlice(
        def,
        deps,
        slice,
        { runId, signal, deadline: opts.deadline },
        now,
      );
      outcomes.push(outcome.result);
      log({
        code: 'SLICE_DONE',
        runId,
        connector: def.name,
        // The tables a succeeded slice landed in: the Lambda observer's freshness metric.
        tables: def.tables.map((t) => fullName(t.model)),
        ...outcome.result,
      });
      if (outcome.result.status !== 'succeeded') cursorBlocked = true;
      // Cursors are ISO days or instants, ordered as text; a backfill of older slices must not
      // pull the cursor back, or the next incremental run would read them all again.
      else if (outcome.cursor !== undefined && !cursorBlocked) {
        if (opts.range && (progress === undefined || outcome.cursor > progress)) {
          await deps.store.putCursor(def.name, progressName, outcome.cursor, runId);
          progress = outcome.cursor;
        }
        if (main === undefined || outcome.cursor > main) {
          await deps.store.putCursor(def.name, 'main', outcome.cursor, runId);
          main = outcome.cursor;
        }
      }
      if (outcome.result.status === 'aborted' || outcome.stopsRun) break;
    }
    const complete =
      outcomes.length === slices.length && outcomes.every((o) => o.status === 'succeeded');
    if (opts.range && complete) await deps.store.deleteCursor(def.name, progressName);
    return {
      runId,
      connector: def.name,
      slices: outcomes,
      ok: outcomes.every((o) => o.status === 'succeeded' || o.status === 'deferred'),
      complete,
    };
  } finally {
    for (const l of locks) await l.release();
  }
}

async function runSlice<S extends Slice>(
  def: ConnectorDefinition<S>,
  deps: RunDeps,
  slice: S,
  run: { runId: string; signal: AbortSignal; deadline: number | undefined },
  now: () => Date,
): Promise<{ result: SliceOutcome; cursor?: string; stopsRun: boolean }> {
  const { runId, signal } = run;
  const startedAt = now();
  const counts = {
    rowsRead: 0,
    rowsSkipped: 0,
    rowsLoaded: 0,
    rowsWritten: 0,
    rowsQuarantined: 0,
    statements: 0,
    bytesScanned: 0,
  };
  let status: SliceOutcome['status'] = 'succeeded';
  let error: string | undefined;
  let cursor: string | undefined;
  let stopsRun = false;
  const staged = new Map<string, string>();
  const state = {
    get: async (name: string) =>
      staged.get(name) ?? deps.store.getCursor(def.name, `state:${name}`),
    set: (name: string, value: string) => void staged.set(name, value),
  };
  try {
    const data = await def.fetch(slice, { ...run, now: now(), state });
    for (const t of def.tables) {
      if (t.replaceBySource && data.source !== undefined) {
        const r = await deleteWhereEquals(
          deps.engine,
          t.model,
          t.replaceBySource,
          data.source,
          signal,
        );
        counts.statements += 1;
        counts.bytesScanned += r.dataScannedBytes ?? 0;
      }
    }
    for await (const batch of batchesOf(data)) {
      counts.rowsRead += batch.rowsRead;
      counts.rowsSkipped += batch.rowsSkipped ?? 0;
      const rejections: QuarantineRow[] = (batch.rejected ?? []).map((r) => ({
        ...r,
        source: r.source ?? data.source,
      }));
      let accepted = 0;
      for (const t of def.tables) {
        const rows = batch.rows[t.model.name] ?? [];
        const report = await writeRows(deps.engine, t.model, rows, {
          disposition: t.disposition,
          signal,
        });
        accepted += rows.length - report.rejected.length;
        counts.rowsWritten += report.rowsWritten;
        counts.statements += report.statements;
        counts.bytesScanned += report.bytesScanned;
        for (const r of report.rejected) {
          rejections.push({
            table: fullName(t.model),
            raw: JSON.stringify(r.row, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)),
            reason: r.reason,
            source: data.source,
          });
        }
      }
      counts.rowsLoaded += batch.rowsLoaded ?? accepted;
      if (rejections.length > 0) {
        counts.rowsQuarantined += rejections.length;
        const q = await writeQuarantine(deps.engine, def.name, runId, rejections, now(), signal);
        counts.statements += q.statements;
      }
    }
    for (const [name, value] of staged)
      await deps.store.putCursor(def.name, `state:${name}`, value, runId);
    cursor = data.cursor;
  } catch (err) {
    const marked = err instanceof FujiEtlError ? err : undefined;
    status = signal.aborted ? 'aborted' : marked?.deferred ? 'deferred' : 'failed';
    stopsRun = marked?.stopsRun ?? false;
    error = describeError(err);
  }
  const result: SliceOutcome = { slice: slice.id, status, ...counts, ...(error && { error }) };
  await writeRows(
    deps.engine,
    runLedger,
    [
      {
        run_id: runId,
        connector: def.name,
        slice: slice.id,
        started_at: startedAt,
        finished_at: now(),
        status,
        rows_read: counts.rowsRead,
        rows_skipped: counts.rowsSkipped,
        rows_loaded: counts.rowsLoaded,
        rows_written: counts.rowsWritten,
        rows_quarantined: counts.rowsQuarantined,
        statements: counts.statements,
        bytes_scanned: counts.bytesScanned,
        error: error ?? null,
      },
    ],
    // No signal: the ledger must still be written when the run's own signal fired.
    { disposition: 'append' },
  );
  return { result, cursor, stopsRun };
}

/** The slice's own rows first, then any streamed batches. */
async function* batchesOf(data: SliceData): AsyncGenerator<SliceBatch> {
  yield data;
  if (data.batches) yield* data.batches;
}
