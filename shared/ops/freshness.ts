/**
 * Freshness from the data, not from the run: per table, the newest value of its event-time
 * column (observed at, issued at, the day counted) against its connector's cadence, and the
 * outcome of the connector's last run in ops.run_ledger. A run that lands nothing from a source
 * that stopped updating leaves the newest data where it was, so the table turns `late`, then
 * `stale`, as Airbyte marks a stream late or in error.
 *
 * Three statements for any number of tables: which tables exist, the newest data time of each
 * (one UNION ALL), and the last run of each connector.
 */
import type { AthenaEngine } from '../engine/athena.ts';
import { eventTimeColumn, fullName, type TableModel } from '../model/table.ts';
import { quoteIdent } from '../sql/identifier.ts';
import { sqlLiteral, stringLiteral } from '../sql/literal.ts';
import { jstDayStartUtc, addDays } from '../time/days.ts';
import { runLedger } from './tables.ts';

/** `failing` wins over the age: the last run failed, so the age will only grow. */
export type FreshnessState = 'fresh' | 'late' | 'stale' | 'failing';

export const FRESHNESS_STATES: readonly FreshnessState[] = ['fresh', 'late', 'stale', 'failing'];

/** What a connector's latest run did to its tables: landed rows, failed, or neither (aborted, deferred). */
export type RunOutcome = 'landed' | 'failed' | 'nothing';

/** A connector as freshness sees it: `ConnectorDefinition` fits, so does a contract's upload source. */
export interface FreshnessSource {
  readonly name: string;
  /**
   * The connector's cadence: `Cadence` of shared/runtime/connector.ts, spelled out so ops/ does
   * not import the runtime (which imports ops/ for the ledger).
   */
  readonly cadence?: { readonly hours: number; readonly why: string };
  readonly tables: readonly { readonly model: TableModel }[];
}

export interface LastRun {
  readonly runId: string;
  readonly startedAt: Date;
  readonly finishedAt?: Date;
  readonly outcome: RunOutcome;
  readonly slices: number;
  readonly failedSlices: number;
  readonly rowsWritten: number;
  /** One failed slice's error, when the run failed. */
  readonly error?: string;
}

export interface TableFreshness {
  readonly table: string;
  readonly connector: string;
  readonly eventTime: string;
  readonly cadenceHours: number;
  /** Newest data time: the newest event time, or the end (00:00 JST next day) of the newest day. */
  readonly newestData?: Date;
  /** Hours from newestData to `now`; undefined for an empty or missing table. */
  readonly ageHours?: number;
  readonly state: FreshnessState;
  readonly lastRun?: LastRun;
}

const HOUR_MS = 3_600_000;

/**
 * The state of one table. A table with no data at all is `stale`: nothing has ever arrived.
 *
 * @example
 * freshnessState({ newestData: new Date('2026-07-10T00:00Z'), cadenceHours: 2, now: new Date('2026-07-10T03:00Z') }) // 'late'
 */
export function freshnessState(input: {
  readonly newestData?: Date;
  readonly cadenceHours: number;
  readonly now: Date;
  readonly lastRun?: RunOutcome;
}): FreshnessState {
  if (input.lastRun === 'failed') return 'failing';
  if (input.newestData === undefined) return 'stale';
  const age = (input.now.getTime() - input.newestData.getTime()) / HOUR_MS;
  if (age > 2 * input.cadenceHours) return 'stale';
  if (age > input.cadenceHours) return 'late';
  return 'fresh';
}

/** A day's data is complete at its end: 00:00 Asia/Tokyo of the next day. */
export function dayEnd(day: string): Date {
  return jstDayStartUtc(addDays(day, 1));
}

interface Target {
  readonly model: TableModel;
  readonly column: string;
  readonly type: string;
  readonly connector: string;
  readonly cadenceHours: number;
}

/** Tables with an event time, each once, with the connector that writes it and its cadence. */
export function freshnessTargets(sources: readonly FreshnessSource[]): Target[] {
  const out = new Map<string, Target>();
  for (const s of sources) {
    if (!s.cadence) continue;
    for (const { model } of s.tables) {
      const c = eventTimeColumn(model);
      if (!c || out.has(fullName(model))) continue;
      out.set(fullName(model), {
        model,
        column: c.name,
        type: c.type,
        connector: s.name,
        cadenceHours: s.cadence.hours,
      });
    }
  }
  return [...out.values()];
}

function newestSql(engine: AthenaEngine, t: Target, i: number): string {
  const from = engine.names.of(t.model);
  const c = quoteIdent(t.column);
  // Dates stay text (their end is a JST day boundary, computed below); instants become epoch
  // seconds, naive timestamps read as UTC as everywhere in the suite.
  const epoch =
    t.type === 'date'
      ? 'CAST(NULL AS double)'
      : t.type === 'timestamp'
        ? `to_unixtime(with_timezone(max(${c}), 'UTC'))`
        : `to_unixtime(max(${c}))`;
  const day = t.type === 'date' ? `CAST(max(${c}) AS varchar)` : 'CAST(NULL AS varchar)';
  return `SELECT ${i} AS i, ${epoch} AS epoch, ${day} AS day FROM ${from}`;
}

async function existingTables(engine: AthenaEngine, targets: readonly Target[]) {
  // information_schema is per catalog: one question to each table bucket the targets live in.
  const byCatalog = new Map<string, Set<string>>();
  for (const t of targets) {
    const cat = engine.names.catalogOf(t.model.namespace);
    byCatalog.set(cat, (byCatalog.get(cat) ?? new Set()).add(t.model.namespace));
  }
  const out = new Set<string>();
  for (const [catalog, namespaces] of byCatalog) {
    const r = await engine.query(
      `SELECT table_schema, table_name FROM information_schema.tables ` +
        `WHERE table_schema IN (${[...namespaces].map(stringLiteral).join(', ')})`,
      { kind: 'select', catalog },
    );
    for (const [s, n] of r.rows) out.add(`${String(s)}.${String(n)}`);
  }
  return out;
}

/** Newest data time per table (same order as `targets`); undefined for an empty or missing one. */
export async function newestData(
  engine: AthenaEngine,
  targets: readonly Target[],
): Promise<(Date | undefined)[]> {
  const exists = await existingTables(engine, targets);
  const present = targets
    .map((t, i) => ({ t, i }))
    .filter(({ t }) => exists.has(fullName(t.model)));
  const out: (Date | undefined)[] = targets.map(() => undefined);
  if (present.length === 0) return out;
  const r = await engine.query(
    present.map(({ t, i }) => newestSql(engine, t, i)).join(' UNION ALL '),
    {
      kind: 'select',
    },
  );
  for (const [i, epoch, day] of r.rows) {
    const at =
      typeof day === 'string'
        ? dayEnd(day)
        : typeof epoch === 'number'
          ? new Date(Math.round(epoch * 1000))
          : undefined;
    out[Number(i)] = at;
  }
  return out;
}

/**
 * The latest run of each connector (within `lookbackDays` of `now`, so the ledger's month
 * partitions prune), from its slices in the ledger.
 */
export async function lastRuns(
  engine: AthenaEngine,
  connectors: readonly string[],
  opts: { now: Date; lookbackDays?: number; ledger?: TableModel },
): Promise<Map<string, LastRun>> {
  const out = new Map<string, LastRun>();
  if (connectors.length === 0) return out;
  const ledger = opts.ledger ?? runLedger;
  const since = new Date(opts.now.getTime() - (opts.lookbackDays ?? 35) * 24 * HOUR_MS);
  const r = await engine.query(
    `WITH runs AS (SELECT connector, run_id, min(started_at) AS started_at, max(finished_at) AS finished_at, ` +
      `count(*) AS slices, count_if(status = 'failed') AS failed, ` +
      `count_if(status IN ('succeeded', 'partial')) AS landed, ` +
      `coalesce(sum(rows_written), 0) AS rows_written, max(error) AS error ` +
      `FROM ${engine.names.of(ledger)} ` +
      `WHERE connector IN (${connectors.map(stringLiteral).join(', ')}) ` +
      `AND started_at >= ${sqlLiteral('timestamptz', since)} AND started_at <= ${sqlLiteral('timestamptz', opts.now)} ` +
      `GROUP BY connector, run_id) ` +
      `SELECT connector, run_id, started_at, finished_at, slices, failed, landed, rows_written, error FROM ` +
      `(SELECT runs.*, row_number() OVER (PARTITION BY connector ORDER BY started_at DESC, run_id) AS rn FROM runs) WHERE rn = 1`,
    { kind: 'select' },
  );
  for (const [
    connector,
    runId,
    started,
    finished,
    slices,
    failed,
    landed,
    written,
    error,
  ] of r.rows) {
    const failedSlices = Number(failed);
    out.set(String(connector), {
      runId: String(runId),
      startedAt: microsToDate(started),
      ...(finished !== null && { finishedAt: microsToDate(finished) }),
      // A run that failed every slice it did not defer landed nothing: the source is down, or
      // refuses us, and the newest data will only get older.
      outcome: Number(landed) > 0 ? 'landed' : failedSlices > 0 ? 'failed' : 'nothing',
      slices: Number(slices),
      failedSlices,
      rowsWritten: Number(written),
      ...(typeof error === 'string' && { error }),
    });
  }
  return out;
}

function microsToDate(v: unknown): Date {
  return new Date(Number(BigInt(v as bigint) / 1000n));
}

/**
 * Freshness of every table of `sources` that declares an event time.
 *
 * @example
 * const rows = await tableFreshness(engine, [jmaAmedas], { now: new Date() });
 * rows[0].state // 'fresh' | 'late' | 'stale' | 'failing'
 */
export async function tableFreshness(
  engine: AthenaEngine,
  sources: readonly FreshnessSource[],
  opts: { now: Date; ledger?: TableModel },
): Promise<TableFreshness[]> {
  const targets = freshnessTargets(sources);
  const [newest, runs] = await Promise.all([
    newestData(engine, targets),
    lastRuns(engine, [...new Set(targets.map((t) => t.connector))], opts),
  ]);
  return targets.map((t, i) => {
    const at = newest[i];
    const lastRun = runs.get(t.connector);
    return {
      table: fullName(t.model),
      connector: t.connector,
      eventTime: t.column,
      cadenceHours: t.cadenceHours,
      ...(at && { newestData: at, ageHours: (opts.now.getTime() - at.getTime()) / HOUR_MS }),
      state: freshnessState({
        newestData: at,
        cadenceHours: t.cadenceHours,
        now: opts.now,
        lastRun: lastRun?.outcome,
      }),
      ...(lastRun && { lastRun }),
    };
  });
}
