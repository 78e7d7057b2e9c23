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
import { ConfigError, describeError, FujiEtlError } from '../errors/index.ts';
import type { RunLog } from '../errors/events.ts';
import type { AthenaEngine } from '../engine/athena.ts';
import type { Dialect } from '../model/ddl.ts';
import { fullName } from '../model/table.ts';
import { quarantine, runLedger } from '../ops/tables.ts';
import type { Lock, StateStore } from '../state/store.ts';
import { ensureTable } from '../writer/ensure-table.ts';
import type { StagingArea } from '../writer/staging.ts';
import { TableWriter } from '../writer/table-writer.ts';
import { writeLedger as writeOpsLedger, type LedgerOutcome } from '../ops/ledger.ts';
import type { ReplaceScope } from '../writer/plan.ts';
import { canBackfill } from './connector.ts';
import type {
  ConnectorDefinition,
  TableTarget,
  DateRange,
  MemberFailure,
  PlanInput,
  Resumable,
  SecretReader,
  Slice,
  SliceBatch,
  SliceData,
} from './connector.ts';
import { ConnectorSettings } from './settings.ts';
import { plan, type Window } from './incremental.ts';
import { AllMembersFailedError, MAX_OWED_ATTEMPTS, MemberHealth } from './members.ts';
import { QuarantineWriter, type QuarantineRow } from './quarantine.ts';
import {
  ContinuationError,
  keepContinuation,
  loadContinuation,
  type LoadedContinuation,
} from './continuation.ts';

export interface RunDeps {
  readonly engine: AthenaEngine;
  readonly dialect: Dialect;
  readonly store: StateStore;
  /** Where batches too large for one statement are staged; without it they fail alone. */
  readonly staging?: StagingArea;
  readonly now?: () => Date;
  readonly log?: RunLog;
  /**
   * The connectors' settings, read from the process's environment when not given (Lambda's
   * handlers pass the one they validated at cold start).
   */
  readonly settings?: ConnectorSettings;
  /** Where connectors' secrets come from; a connector that asks without one fails its slice. */
  readonly secrets?: SecretReader;
}

export interface RunOptions {
  readonly range?: DateRange;
  readonly signal?: AbortSignal;
  readonly runId?: string;
  /** Lock lifetime between heartbeats (default 2 minutes). */
  readonly lockTtlMs?: number;
  /** Wait for a table lock another run holds until this epoch ms, instead of failing at once. */
  readonly lockWaitUntil?: number;
  /** Epoch ms the run must finish by (Lambda's deadline less a margin). */
  readonly deadline?: number;
  /**
   * Epoch ms after which a slice whose source can stop part-way (a large file) stops at its next
   * checkpoint and is handed on (`continued`, with `RunSummary.continuation`), keeping the rest
   * of the invocation for nothing but the hand-over.
   */
  readonly handOverAt?: number;
  /** Goes on with the slice a `continued` run handed on (its `continuation`). */
  readonly resume?: string;
}

/** One slice's outcome: the ledger's counts (ops/ledger.ts), and what the run does next. */
export interface SliceOutcome extends LedgerOutcome {
  readonly slice: string;
  /**
   * `partial`: landed, but some members failed alone (see `failures`). `continued`: nothing
   * landed yet; the slice goes on in the next invocation, and its counts are the progress so far.
   */
  readonly status: 'succeeded' | 'partial' | 'failed' | 'aborted' | 'deferred' | 'continued';
  /** Members (stations, properties, resources, variables) that failed alone, with reasons. */
  readonly failures: readonly MemberFailure[];
  /** With `continued`: what the next invocation resumes (RunOptions.resume). */
  readonly continuation?: string;
  /**
   * With `failed`: false when the slice's error is marked not retryable (a source shape, a
   * model or contract mistake): running again fails the same way. Unmarked errors count as
   * retryable. The cursor waits at a failed slice either way.
   */
  readonly retryable?: boolean;
}

const landed = (o: SliceOutcome) => o.status === 'succeeded' || o.status === 'partial';

export interface RunSummary {
  readonly runId: string;
  readonly connector: string;
  readonly slices: readonly SliceOutcome[];
  /** No slice failed (deferred slices are not failures). */
  readonly ok: boolean;
  /** Every planned slice landed. */
  readonly complete: boolean;
  /** A slice was handed on: run again with `resume` set to this to go on. */
  readonly continuation?: string;
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
    partial: s.slices.filter((x) => x.status === 'partial').map((x) => x.slice),
    last: s.slices.findLast(landed)?.slice,
  };
}

export async function runConnector<S extends Slice, C>(
  def: ConnectorDefinition<S, C>,
  deps: RunDeps,
  opts: RunOptions = {},
): Promise<RunSummary> {
  // A bad setting fails here, before any table is ensured or lock taken.
  const settings = (deps.settings ?? new ConnectorSettings(process.env)).of(def);
  if (opts.range && !canBackfill(def))
    throw new ConfigError(
      `${def.name} reads only its source's current state and cannot load a past range (--from/--to): run it without one`,
      { connector: def.name, range: opts.range },
    );
  const secrets = deps.secrets ?? NO_SECRETS;
  const now = deps.now ?? (() => new Date());
  const log = deps.log ?? (() => {});
  const signal = opts.signal ?? new AbortController().signal;
  const resumed = opts.resume
    ? await loadContinuation(stagingOf(deps), opts.resume, def.name)
    : undefined;
  const runId = resumed?.doc.runId ?? opts.runId ?? randomUUID();
  for (const model of [runLedger, quarantine, ...def.tables.map((t) => t.model)]) {
    await ensureTable(deps.engine, deps.dialect, model, signal);
  }
  const locks: Lock[] = [];
  let handingOver = false;
  try {
    for (const t of def.tables) {
      locks.push(
        await deps.store.acquireLock(
          `table#${fullName(t.model)}`,
          runId,
          opts.lockTtlMs ?? DEFAULT_LOCK_TTL_MS,
          {
            waitUntil: opts.lockWaitUntil,
            signal,
          },
        ),
      );
    }
    const progressName = opts.range ? `range:${opts.range.from}..${opts.range.to}` : 'main';
    let main = await deps.store.getCursor(def.name, 'main');
    let progress = opts.range ? await deps.store.getCursor(def.name, progressName) : main;
    const health = new MemberHealth(await deps.store.getCursor(def.name, 'members'));
    const plannedRun = planSlices(def, settings, {
      range: opts.range,
      cursor: progress,
      now: now(),
    });
    const planned0 = plannedRun.slices;
    const sliceFromId = def.sliceFromId ?? plannedRun.fromId;
    // A resumed run goes on with its one slice and nothing else.
    const slices = resumed ? planned0.filter((x) => x.id === resumed.doc.slice) : planned0;
    if (resumed && slices.length === 0)
      throw new ContinuationError(
        `continuation ${resumed.name}: ${def.name} no longer plans slice ${resumed.doc.slice}`,
        { continuation: resumed.name },
      );
    log({ code: 'RUN_PLANNED', runId, connector: def.name, slices: slices.length });
    const outcomes: SliceOutcome[] = [];
    const run = {
      runId,
      settings,
      secrets,
      signal,
      deadline: opts.deadline,
      handOverAt: opts.handOverAt,
      lockTtlMs: opts.lockTtlMs ?? DEFAULT_LOCK_TTL_MS,
      // Every write first checks that each table lock is still ours.
      assertLocks: () => locks.forEach((l) => l.assertHeld()),
    };
    const done = (slice: Slice, outcome: SliceRun) => {
      outcomes.push(outcome.result);
      health.note(
        slice.id,
        outcome.result.failures,
        outcome.members,
        sliceFromId !== undefined,
        now(),
      );
      log({
        code: 'SLICE_DONE',
        runId,
        connector: def.name,
        // The tables a landed slice wrote: the Lambda observer's freshness metric.
        tables: def.tables.map((t) => fullName(t.model)),
        ...outcome.result,
        membersFailed: outcome.result.failures.length,
      });
    };
    let cursorBlocked = false;
    let stopped = false;
    let continuation: string | undefined;
    for (const slice of slices) {
      if (signal.aborted) break;
      const ran = await runSlice(def, deps, slice, { ...run, resumed }, now);
      // An incremental connector's cursor is the runtime's: past a window once it has settled.
      const outcome = plannedRun.cursorAfter
        ? { ...ran, cursor: plannedRun.cursorAfter(slice) }
        : ran;
      done(slice, outcome);
      if (outcome.result.continuation) {
        continuation = outcome.result.continuation;
        break;
      }
      // A partial slice does not hold the cursor: its failed members are owed, not the others.
      if (!landed(outcome.result)) cursorBlocked = true;
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
      if (outcome.result.status === 'aborted' || outcome.stopsRun) {
        stopped = true;
        break;
      }
    }
    const planned = outcomes.slice();
    if (sliceFromId && !opts.range && !stopped && !signal.aborted && !continuation && !resumed) {
      const owed = health.takeOwed(new Set(slices.map((s) => s.id)));
      for (const g of owed.givenUp) {
        log({ code: 'MEMBER_GAVE_UP', runId, connector: def.name, ...g });
        // Named apart from the slice itself, which may be re-read for other members in this run.
        const slice = `${g.sliceId} ${g.member}`;
        await writeLedger(deps, {
          runId,
          connector: def.name,
          slice,
          startedAt: now(),
          result: {
            ...emptyOutcome(slice),
            status: 'failed',
            error: `MEMBER_GAVE_UP: ${g.member} failed ${MAX_OWED_ATTEMPTS} re-reads of this slice: ${g.reason}`,
            failures: [{ member: g.member, reason: g.reason }],
          },
        });
      }
      for (const [id, members] of owed.retry) {
        const slice = signal.aborted ? undefined : sliceFromId(id);
        if (slice) done(slice, await runSlice(def, deps, slice, { ...run, members }, now));
      }
    }
    const failing = health.failing();
    if (failing.length > 0)
      log({ code: 'MEMBERS_FAILING', runId, connector: def.name, members: failing });
    if (health.dirty) await deps.store.putCursor(def.name, 'members', health.toJSON(), runId);
    const complete = planned.length === slices.length && planned.every(landed);
    if (opts.range && complete) await deps.store.deleteCursor(def.name, progressName);
    return {
      runId,
      connector: def.name,
      slices: outcomes,
      // Re-reads of owed members do not decide the run: their failures stay in the ledger.
      ok: planned.every((o) => landed(o) || o.status === 'deferred' || o.status === 'continued'),
      complete,
      ...(continuation && { continuation }),
    };
    handingOver = continuation !== undefined;
  } finally {
    // A slice handed on keeps its tables locked for the next invocation (same owner).
    for (const l of locks) await (handingOver ? l.handOver(HAND_OVER_MS) : l.release());
  }
}

/**
 * The run's slices: the declared windows of an incremental connector (with the cursor the runtime
 * keeps for it), or the connector's own plan.
 */
function planSlices<S extends Slice, C>(
  def: ConnectorDefinition<S, C>,
  settings: C,
  input: Omit<PlanInput<C>, 'settings'>,
): {
  slices: readonly S[];
  fromId?: (id: string) => S | undefined;
  cursorAfter?: (slice: S) => string | undefined;
} {
  if (!def.incremental) return { slices: def.slices!({ ...input, settings }) };
  const p = plan(def.incremental, settings, input);
  return {
    slices: p.windows as unknown as S[],
    fromId: (id) => p.calendar.fromId(id) as unknown as S | undefined,
    cursorAfter: (slice) => {
      const i = p.calendar.indexAt((slice as unknown as Window).start);
      return i <= p.settledThrough ? p.calendar.cursorAfter(i) : undefined;
    },
  };
}

const NO_SECRETS: SecretReader = {
  get: (id) =>
    Promise.reject(new ConfigError(`secret ${id}: this run was given no secrets reader`)),
};

/** How long a handed-on slice's locks wait for the next invocation to take them over. */
const HAND_OVER_MS = 10 * 60_000;

function stagingOf(deps: RunDeps): StagingArea {
  if (!deps.staging) throw new ContinuationError('a continuation needs the staging area', {});
  return deps.staging;
}

interface SliceRun {
  readonly result: SliceOutcome;
  readonly cursor?: string;
  readonly stopsRun: boolean;
  /** Members the slice read, failed or not. */
  readonly members: readonly string[];
}

const DEFAULT_LOCK_TTL_MS = 120_000;

const NO_COUNTS = Object.freeze({
  rowsRead: 0,
  rowsSkipped: 0,
  rowsLoaded: 0,
  rowsWritten: 0,
  rowsQuarantined: 0,
  statements: 0,
  commits: 0,
  bytesScanned: 0,
});

function emptyOutcome(slice: string): SliceOutcome {
  return { slice, status: 'succeeded', ...NO_COUNTS, failures: [] };
}

function writeLedger(
  deps: RunDeps,
  e: { runId: string; connector: string; slice: string; startedAt: Date; result: SliceOutcome },
) {
  return writeOpsLedger(deps.engine, { ...e, finishedAt: (deps.now ?? (() => new Date()))() });
}

async function runSlice<S extends Slice, C>(
  def: ConnectorDefinition<S, C>,
  deps: RunDeps,
  slice: S,
  run: {
    runId: string;
    settings: C;
    secrets: SecretReader;
    signal: AbortSignal;
    deadline: number | undefined;
    lockTtlMs: number;
    assertLocks: () => void;
    members?: ReadonlySet<string>;
    handOverAt?: number;
    resumed?: LoadedContinuation;
  },
  now: () => Date,
): Promise<SliceRun> {
  const { runId, signal } = run;
  const was = run.resumed?.doc;
  const startedAt = was ? new Date(was.startedAt) : now();
  const counts = { ...NO_COUNTS, ...was?.counts };
  const failures: MemberFailure[] = [...(was?.failures ?? [])];
  const members: string[] = [...(was?.members ?? [])];
  const notes: string[] = [...(was?.notes ?? [])];
  const tables: string[] = [];
  const snapshots: string[] = [];
  let status: SliceOutcome['status'] = 'succeeded';
  let error: string | undefined;
  let cursor: string | undefined;
  let stopsRun = false;
  let retryable: boolean | undefined;
  let continuation: string | undefined;
  const staged = new Map<string, string>(was?.state ?? []);
  const state = {
    get: async (name: string) =>
      staged.get(name) ?? deps.store.getCursor(def.name, `state:${name}`),
    set: (name: string, value: string) => void staged.set(name, value),
  };
  // One writer per table for the whole slice: its batches are staged as they stream and each
  // table commits once at the end (one commit per 100 partitions), so a slice that fails while
  // reading has written nothing, and a reader never sees half a slice of one table.
  const writers = def.tables.map(
    (t) =>
      new TableWriter(deps.engine, t.model, {
        disposition: t.replaceBySource ? 'replace' : t.disposition,
        staging: deps.staging,
        uniqueKeys: t.uniqueKeys,
        signal,
        beforeCommit: run.assertLocks,
        trackSnapshots: true,
      }),
  );
  const quarantined = new QuarantineWriter(deps, def.name, runId, signal);
  try {
    if (was) {
      writers.forEach((w, i) => w.resume(was.writers[i]!));
      quarantined.resume(was.quarantine);
    }
    const data = await def.fetch(slice, {
      ...run,
      now: now(),
      state,
      ...(run.resumed && { resume: run.resumed.resume }),
    });
    const handOverAt = deps.staging && data.resumable ? run.handOverAt : undefined;
    for await (const batch of batchesOf(data)) {
      counts.rowsRead += batch.rowsRead;
      counts.rowsSkipped += batch.rowsSkipped ?? 0;
      failures.push(...(batch.failures ?? []));
      members.push(...(batch.members ?? []));
      notes.push(...(batch.notes ?? []));
      const rejections: QuarantineRow[] = (batch.rejected ?? []).map((r) => ({
        ...r,
        source: r.source ?? data.source,
      }));
      let accepted = 0;
      for (const [i, t] of def.tables.entries()) {
        const rows = batch.rows[t.model.name] ?? [];
        const rejected = await writers[i]!.add(rows);
        accepted += rows.length - rejected.length;
        for (const r of rejected) {
          rejections.push({
            table: fullName(t.model),
            raw: JSON.stringify(r.row, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)),
            reason: r.reason,
            source: data.source,
          });
        }
      }
      counts.rowsLoaded += batch.rowsLoaded ?? accepted;
      await quarantined.add(rejections, now());
      const at =
        handOverAt !== undefined && Date.now() >= handOverAt
          ? data.resumable!.position()
          : undefined;
      if (at) {
        continuation = await handOver(at);
        status = 'continued';
        break;
      }
    }
    if (!continuation) status = await land(data);
  } catch (err) {
    const marked = err instanceof FujiEtlError ? err : undefined;
    if (err instanceof AllMembersFailedError) {
      failures.push(...err.failures);
      members.push(...err.failures.map((f) => f.member));
    }
    status = signal.aborted ? 'aborted' : marked?.deferred ? 'deferred' : 'failed';
    stopsRun = marked?.stopsRun ?? false;
    if (status === 'failed') retryable = marked?.retryable ?? true;
    // The ledger's error names the code; this says whether a rerun can mend this failure.
    if (retryable === false) notes.push('not retryable: running again fails the same way');
    error = describeError(err);
  } finally {
    for (const w of [...writers, quarantined]) await w.discard().catch(() => {});
    // What an earlier invocation handed on is spent now: landed, failed, or handed on anew.
    if (run.resumed) await deps.staging!.forget(run.resumed.name).catch(() => {});
  }

  /** Keeps what the slice staged and read so far for the next invocation; returns its name. */
  async function handOver(at: Resumable): Promise<string> {
    return keepContinuation(
      deps.staging!,
      {
        runId,
        connector: def.name,
        slice: slice.id,
        startedAt: startedAt.toISOString(),
        invocations: (was?.invocations ?? 1) + 1,
        counts: {
          rowsRead: counts.rowsRead,
          rowsSkipped: counts.rowsSkipped,
          rowsLoaded: counts.rowsLoaded,
        },
        failures,
        members,
        notes,
        state: [...staged],
        writers: await Promise.all(writers.map((w) => w.suspend())),
        quarantine: await quarantined.suspend(),
      },
      at,
    );
  }

  /** The slice's end: each table's one commit (per 100 partitions), its quarantine, its state. */
  async function land(data: SliceData): Promise<'succeeded' | 'partial'> {
    for (const [i, t] of def.tables.entries()) await writers[i]!.commit(scopeOf(t, data));
    if (quarantined.rows > 0) {
      counts.rowsQuarantined += quarantined.rows;
      const q = await quarantined.commit({
        signal,
        lockTtlMs: run.lockTtlMs,
        waitUntil: run.deadline,
      });
      counts.statements += q.statements;
      counts.commits += q.commits;
      if (q.snapshots.length > 0)
        snapshots.push(`${fullName(quarantine)}=${q.snapshots.join(',')}`);
    }
    for (const [name, value] of staged)
      await deps.store.putCursor(def.name, `state:${name}`, value, runId);
    cursor = data.cursor;
    return failures.length > 0 ? 'partial' : 'succeeded';
  }
  // Counted from what each table's writer committed, so tables that committed before a later
  // one failed stay in the ledger: it says exactly what landed.
  for (const [i, w] of writers.entries()) {
    const c = w.committed;
    counts.rowsWritten += c.rowsWritten;
    counts.statements += c.statements;
    counts.commits += c.commits;
    counts.bytesScanned += c.bytesScanned;
    const after = status === 'succeeded' || status === 'partial' ? '' : ' (then the slice failed)';
    if (c.commits > 0)
      tables.push(
        `${fullName(def.tables[i]!.model)}: ${c.rowsWritten} rows in ${c.commits} commits${after}`,
      );
    if (c.snapshots.length > 0)
      snapshots.unshift(`${fullName(def.tables[i]!.model)}=${c.snapshots.join(',')}`);
  }
  const result: SliceOutcome = {
    slice: slice.id,
    status,
    ...counts,
    ...(tables.length > 0 && { tables }),
    ...(snapshots.length > 0 && { snapshots }),
    ...(error && { error }),
    ...(retryable !== undefined && { retryable }),
    failures,
    ...(notes.length > 0 && { notes }),
    ...(continuation && { continuation }),
  };
  await writeLedger(deps, { runId, connector: def.name, slice: slice.id, startedAt, result });
  return { result, cursor, stopsRun, members };
}

/** The rows a replace of this table covers in this slice. */
function scopeOf(t: TableTarget, data: SliceData): ReplaceScope | undefined {
  if (t.replaceBySource) {
    // A slice that names no source (a catalogue read beside the files) only merges its rows.
    return data.source === undefined ? undefined : { [t.replaceBySource]: { in: [data.source] } };
  }

  if (t.disposition !== 'replace') return undefined;
  const scope = data.scopes?.[t.model.name];
  if (!scope)
    throw new FujiEtlError(
      'NO_SCOPE',
      `${fullName(t.model)} is written with replace, but the slice gave no scope for it`,
      { retryable: false, context: { table: fullName(t.model) } },
    );
  return scope;
}

/** The slice's own rows first, then any streamed batches. */
async function* batchesOf(data: SliceData): AsyncGenerator<SliceBatch> {
  yield data;
  if (data.batches) yield* data.batches;
}
