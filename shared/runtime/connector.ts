/**
 * A connector is data: a name, its tables with their write disposition, how a run is cut into
 * slices (a date window, a station, a property) and how one slice is fetched. Paging, retries,
 * state, batching, validation, quarantine and writing live once, in the runtime.
 */
import { assertIdentifier } from '../sql/identifier.ts';
import type { TableModel } from '../model/table.ts';
import type { Disposition, ReplaceScope } from '../writer/plan.ts';
import type { SettingsSpec } from '../settings/define.ts';
import type { Incremental, Window } from './incremental.ts';

/** Half-open date range [from, to) of 'YYYY-MM-DD' days in Asia/Tokyo. */
export interface DateRange {
  readonly from: string;
  readonly to: string;
}

export interface Slice {
  /** Stable and human-readable: it names the slice in the ledger and in errors. */
  readonly id: string;
}

export interface TableTarget {
  readonly model: TableModel;
  readonly disposition: Disposition;
  /**
   * Column holding the slice's `source`: the slice replaces the rows of that source (an earlier
   * version of the same file) in one commit, as `replace` with scope `{ [column]: [source] }`.
   */
  readonly replaceBySource?: string;
  /**
   * The source never repeats a key within a slice (a contract's reader quarantines repeats), so
   * the staged parts need no "latest part wins" pass over the whole slice before the MERGE.
   */
  readonly uniqueKeys?: boolean;
}

/** Secrets as the runtime hands them: read through the run's deps, cached, never logged. */
export interface SecretReader {
  /** The secret's string value; the error names the secret id, never a value. */
  get(id: string): Promise<string>;
}

export interface FetchContext<C = unknown> {
  readonly runId: string;
  /** The connector's declared settings, read and validated once before the run started. */
  readonly settings: C;
  readonly secrets: SecretReader;
  readonly signal: AbortSignal;
  /** Epoch ms the run must finish by: retries and waits that would pass it are not started. */
  readonly deadline?: number;
  /** The run's clock (tests and backfills set it). */
  readonly now: Date;
  /** The connector's own small state (what it saw last time), kept in the state store. */
  readonly state: SliceState;
  /**
   * Set when the runtime re-reads an earlier slice for the members that failed in it: read only
   * these (see {@link eachMember}). Undefined means every member.
   */
  readonly members?: ReadonlySet<string>;
  /** Set when this invocation goes on with a slice an earlier one handed over. */
  readonly resume?: Resumable;
}

export interface SliceState {
  get(name: string): Promise<string | undefined>;
  /** Staged: saved only once the slice's rows have landed, so a failed write retries it. */
  set(name: string, value: string): void;
}

/** A record the source itself refused (unparseable, breaks its contract), with where it was. */
export interface SourceRejection {
  readonly table: string;
  readonly line?: number;
  readonly raw: string;
  readonly reason: string;
  readonly contract?: string;
  /** Context needed to read `raw` again on replay (a CSV file's header record). */
  readonly header?: string;
  /** Where the record came from, when not the slice's own source (a replay spans files). */
  readonly source?: string;
}

/**
 * One member of a slice (a station, a property, a resource, a variable) that failed on its own:
 * the rest of the slice lands, the slice is `partial`, and the member is retried and counted.
 */
export interface MemberFailure {
  /** Stable name, e.g. `station:50066`, `property:123`, `resource:<uuid>`, `variable:visibility`. */
  readonly member: string;
  /** One line: the error's code and message, never a payload or a secret. */
  readonly reason: string;
}

export interface SliceBatch {
  /** Rows per target table name. */
  readonly rows: Readonly<Record<string, readonly Record<string, unknown>[]>>;
  /** Source records read (lines of a file, rows of a report). */
  readonly rowsRead: number;
  /** Records left out by a rule of the source's contract (titles, notes, totals, blanks). */
  readonly rowsSkipped?: number;
  /** Source records that landed; defaults to the rows the writer accepted. */
  readonly rowsLoaded?: number;
  readonly rejected?: readonly SourceRejection[];
  /** Members that failed alone; their records are missing from `rows`. */
  readonly failures?: readonly MemberFailure[];
  /** Members read in this batch (failed or not): a member read without failing is healthy again. */
  readonly members?: readonly string[];
  /** What a person should know of the read though nothing failed (columns left unloaded). */
  readonly notes?: readonly string[];
}

export interface SliceData extends SliceBatch {
  /** Further batches, for sources too large to hold: each is written before the next is read. */
  readonly batches?: AsyncIterable<SliceBatch>;
  /** Where the rows came from (URL, object key), kept with quarantined rows. */
  readonly source?: string;
  /** Saved after the slice lands, so the next run resumes after it. */
  readonly cursor?: string;
  /**
   * For tables written with `replace`, by table name: the target rows this slice's answer is
   * the whole truth of (e.g. the properties that answered, on the slice's day). Rows in the
   * scope that the slice lacks are deleted in the same commit.
   */
  readonly scopes?: Readonly<Record<string, ReplaceScope>>;
  /**
   * Set by sources that can stop between batches and go on in a later invocation (a large
   * file): where the read stands right after the batch just yielded, or undefined when it
   * cannot stop there. The runtime asks only when the invocation's time is running out.
   */
  readonly resumable?: { position(): Resumable | undefined };
}

/** A read's position, handed to the fetch of a later invocation as `FetchContext.resume`. */
export interface Resumable {
  /** Plain JSON. */
  readonly state: unknown;
  /** Binary parts of the state (a key filter), kept beside it. */
  readonly blobs?: Readonly<Record<string, Uint8Array>>;
}

/**
 * How old the newest data of a connector's tables may grow while all is well: the source's
 * publishing interval plus the load's own delay. Past it a table is `late`, past twice `stale`.
 */
export interface Cadence {
  readonly hours: number;
  /** The reasoning, shown next to the number (publishing times, schedule, settling delay). */
  readonly why: string;
}

export interface PlanInput<C = unknown> {
  readonly range?: DateRange;
  readonly cursor?: string;
  readonly now: Date;
  readonly settings: C;
}

/** When a connector runs on its own: an EventBridge Scheduler cron in Asia/Tokyo, or never. */
export type Schedule =
  { readonly cron: string; readonly why: string } | { readonly unscheduled: string };

export interface ConnectorDefinition<S extends Slice = Slice, C = unknown> {
  readonly name: string;
  /** Optional only for connectors built in tests; every connector in connectors/ declares one. */
  readonly schedule?: Schedule;
  readonly tables: readonly TableTarget[];
  /**
   * What the connector reads from the environment, declared (typed, with production defaults
   * and docs): the runtime reads them once, fails before any table or lock when one is bad, and
   * hands them to `slices` and `fetch`. The settings tables in the docs are generated from them.
   */
  readonly settings?: SettingsSpec<C>;
  /** Optional only for connectors built in tests; every connector in connectors/ declares one. */
  readonly cadence?: Cadence;
  /**
   * Declared incremental loading: the runtime plans the windows (the slices, of type `Window`),
   * keeps the cursor and re-reads what has not settled. Connectors that read the whole current
   * state every run (forecasts, warnings, the catalogue) declare `slices` instead.
   */
  readonly incremental?: Incremental<C>;
  /**
   * For connectors with `slices`: whether a past range (`--from/--to`, the backfill function)
   * can be loaded. `false` refuses a range with a clear message instead of loading today's data.
   */
  readonly backfill?: boolean;
  /** The run's slices, for connectors that do not declare `incremental`. */
  slices?(input: PlanInput<C>): readonly S[];
  fetch(slice: S, ctx: FetchContext<C>): Promise<SliceData>;
  /**
   * The slice a ledger id names, for connectors whose past slices stay readable (an AMeDAS
   * block, a GA4 day): the runtime re-reads the members that failed in it on later runs.
   * Connectors that read the whole current state every run (forecasts, the catalogue) omit it.
   */
  sliceFromId?(id: string): S | undefined;
}

/** Whether a connector can load a past range. */
export function canBackfill(def: {
  readonly incremental?: { readonly backfill: boolean };
  readonly backfill?: boolean;
}): boolean {
  return def.incremental ? def.incremental.backfill : def.backfill !== false;
}

/** Validates a connector definition once, at import time. */
export function defineConnector<C = Record<never, never>>(
  def: Omit<ConnectorDefinition<Window, C>, 'slices' | 'backfill'> & {
    readonly incremental: Incremental<C>;
  },
): ConnectorDefinition<Window, C>;
export function defineConnector<S extends Slice, C = Record<never, never>>(
  def: ConnectorDefinition<S, C>,
): ConnectorDefinition<S, C>;
export function defineConnector<S extends Slice, C>(
  def: ConnectorDefinition<S, C>,
): ConnectorDefinition<S, C> {
  assertIdentifier(def.name, 'connector name');
  if (def.tables.length === 0) throw new Error(`connector ${def.name} declares no tables`);
  if ((def.incremental === undefined) === (def.slices === undefined))
    throw new Error(`connector ${def.name} declares exactly one of incremental and slices`);
  if (
    def.schedule &&
    'cron' in def.schedule &&
    !/^cron\(.+\)$|^rate\(.+\)$/.test(def.schedule.cron)
  )
    throw new Error(`connector ${def.name}: schedule must be a Scheduler cron(…) or rate(…)`);
  if (def.cadence && !(def.cadence.hours > 0))
    throw new Error(`connector ${def.name}: cadence must be a positive number of hours`);
  return Object.freeze(def);
}
