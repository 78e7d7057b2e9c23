/**
 * Writes one table's share of a slice as ONE commit per 100 partitions (Athena's cap per
 * statement), however many batches the slice streams:
 *
 * - rows are validated and encoded as they arrive (a bad row is rejected alone, with its reason);
 * - while they fit one literal statement they stay in memory, and the commit is that statement;
 * - past that, they are staged: Parquet parts of at most `partRows` rows under the staging
 *   prefix (so memory stays flat whatever the slice's size), one Glue table over the parts at
 *   commit, and one `MERGE … USING <staged table>` (or `INSERT … SELECT`) per partition group;
 * - the stage is removed in a `finally`, whatever happened.
 *
 * Nothing reaches the target before {@link TableWriter.commit}, so a failure while reading
 * leaves the table as it was, and a crash between parts leaves only staging for the sweeper.
 */
import type { AthenaEngine } from '../engine/athena.ts';
import { partitionKey } from '../model/partition.ts';
import { columnOf, type TableModel } from '../model/table.ts';
import { canonical } from '../sql/canonical.ts';
import { quoteIdent } from '../sql/identifier.ts';
import { describeError, FujiEtlError } from '../errors/index.ts';
import { insertSql, mergeSql } from './merge-sql.ts';
import { PartBuilder, stagedColumns } from './parquet.ts';
import {
  checkDisposition,
  encodeRow,
  groupPredicate,
  partitionGroups,
  planValues,
  scopePredicate,
  tupleOf,
  ATHENA_MAX_PARTITIONS,
  VALUES_MAX_BYTES,
  type Disposition,
  type Encoded,
  type RejectedRow,
  type ReplaceScope,
} from './plan.ts';
import { newestSnapshot } from './snapshot.ts';
import type { Stage, StagingArea } from './staging.ts';

export interface TableWriterOptions {
  readonly disposition: Disposition;
  /** Where batches too large for one literal statement are staged; without it they fail. */
  readonly staging?: StagingArea;
  readonly signal?: AbortSignal;
  /** Rows per staged Parquet part (memory bound). */
  readonly partRows?: number;
  readonly maxStatementBytes?: number;
  readonly maxPartitions?: number;
  /** Confine each MERGE to its partitions (default true); off only for the benchmark baseline. */
  readonly prune?: boolean;
  /** Called before each statement: throws when the run may no longer write (a lost lock). */
  readonly beforeCommit?: () => void;
  /**
   * No key repeats across the batch (the source checked): parts need no dedupe pass, and rows
   * are buffered in order rather than by key.
   */
  readonly uniqueKeys?: boolean;
  /** Stage even a small batch (tests and the benchmark compare both paths). */
  readonly forceStaging?: boolean;
  /**
   * After each commit, read the snapshot it made (under the table lock, so it is this run's):
   * the link from a table's history to the run in ops.run_ledger. Off for the ledger itself.
   */
  readonly trackSnapshots?: boolean;
}

/** What a writer's statements did: counted as each one returns. */
export interface Committed {
  readonly statements: number;
  /** Rows the engine reports written (inserted, updated and, for replace, deleted). */
  readonly rowsWritten: number;
  /** Iceberg commits made: one per statement that changed rows (an unchanged rerun makes none). */
  readonly commits: number;
  readonly bytesScanned: number;
  /** The snapshot ids those commits made, when tracked (TableWriterOptions.trackSnapshots). */
  readonly snapshots: readonly string[];
}

export interface WriteReport extends Committed {
  readonly rowsIn: number;
  /** Rows dropped because a later row of the batch had the same key (last wins). */
  readonly duplicates: number;
  readonly rejected: readonly RejectedRow[];
  readonly queryIds: readonly string[];
  /** Staged Parquet parts (0: the literal path). */
  readonly parts: number;
}

/**
 * A writer handed on to a later invocation: its stage (parts already in S3) and what it knows
 * of them. Plain JSON (bigint partition values as `{ "$bigint": "…" }`).
 */
export interface WriterCheckpoint {
  readonly stage?: string;
  readonly parts: number;
  readonly rowsStaged: number;
  /** Partition key → the partition columns' values of one row in it. */
  readonly partitions: readonly (readonly [string, Record<string, unknown>])[];
  readonly rowsIn: number;
  readonly duplicates: number;
}

const toJson = (v: unknown): unknown => (typeof v === 'bigint' ? { $bigint: v.toString() } : v);
const fromJson = (v: unknown): unknown =>
  v !== null && typeof v === 'object' && '$bigint' in v ? BigInt(String(v.$bigint)) : v;

export class NoStagingError extends FujiEtlError {
  constructor(table: string) {
    super(
      'NO_STAGING',
      `table ${table}: the batch is too large for one statement and no staging area is configured`,
      { retryable: false, context: { table } },
    );
  }
}

export class TableWriter {
  private readonly engine: AthenaEngine;
  private readonly model: TableModel;
  private readonly opts: TableWriterOptions;
  private readonly maxBytes: number;
  private readonly maxPartitions: number;
  private readonly partRows: number;
  /**
   * Rows not yet staged, by key (merge, replace: the last occurrence wins) or in order (append,
   * and a source whose keys are unique, where keying a million rows would find nothing).
   */
  private buffer = new Map<string, Encoded>();
  private appendBuffer: Encoded[] = [];
  private readonly keyed: boolean;
  /** Once staging, rows kept in order go straight into the next part, column by column. */
  private part: PartBuilder | undefined;
  private bufferBytes = 0;
  /** One representative row per partition seen: the pruning predicates are built from them. */
  private readonly partitions = new Map<string, Record<string, unknown>>();
  private stage: Stage | undefined;
  private partsWritten = 0;
  private rowsStaged = 0;
  /** The part being uploaded while the next one is read: one in flight bounds memory. */
  private inFlight: Promise<void> | undefined;
  private rowsIn = 0;
  private duplicates = 0;
  private readonly rejected: RejectedRow[] = [];
  private done: Committed = {
    statements: 0,
    rowsWritten: 0,
    commits: 0,
    bytesScanned: 0,
    snapshots: [],
  };

  constructor(engine: AthenaEngine, model: TableModel, opts: TableWriterOptions) {
    checkDisposition(model, opts.disposition);
    this.engine = engine;
    this.model = model;
    this.opts = opts;
    this.maxBytes = opts.maxStatementBytes ?? VALUES_MAX_BYTES;
    this.maxPartitions = opts.maxPartitions ?? ATHENA_MAX_PARTITIONS;
    this.partRows = opts.partRows ?? 25_000;
    this.keyed = opts.disposition !== 'append' && opts.uniqueKeys !== true;
  }

  private get buffered(): number {
    return (this.keyed ? this.buffer.size : this.appendBuffer.length) + (this.part?.rows ?? 0);
  }

  private bufferedRows(): Encoded[] {
    return this.keyed ? [...this.buffer.values()] : this.appendBuffer;
  }

  /** Validates and takes rows; returns the ones rejected (also kept for the report). */
  async add(rows: readonly Record<string, unknown>[]): Promise<readonly RejectedRow[]> {
    const rejected: RejectedRow[] = [];
    for (const row of rows) {
      this.rowsIn++;
      let e: Encoded;
      try {
        e = encodeRow(this.model, row);
      } catch (err) {
        rejected.push({ row, reason: describeError(err) });
        continue;
      }
      if (!this.partitions.has(e.partition)) this.partitions.set(e.partition, e.values);
      if (this.stage && !this.keyed)
        (this.part ??= new PartBuilder(this.model)).push(e.cells, e.partition);
      else if (!this.keyed) this.appendBuffer.push(e);
      else {
        if (this.buffer.delete(e.key)) this.duplicates++;
        this.buffer.set(e.key, e);
      }
      // The literal path's size is only tracked until the batch is staged.
      if (!this.stage) this.bufferBytes += Buffer.byteLength(tupleOf(this.model, e)) + 2;
      if (this.stage ? this.buffered >= this.partRows : this.overflows()) await this.spill();
    }
    this.rejected.push(...rejected);
    return rejected;
  }

  private overflows(): boolean {
    return (
      this.bufferBytes > this.maxBytes ||
      this.partitions.size > this.maxPartitions ||
      this.buffered >= this.partRows
    );
  }

  /** Writes the buffered rows as the next Parquet part. */
  private async spill(): Promise<void> {
    if (!this.opts.staging) throw new NoStagingError(this.engine.names.of(this.model));
    this.stage ??= this.opts.staging.open(`${this.model.namespace}_${this.model.name}`);
    const part = this.part ?? new PartBuilder(this.model);
    this.part = undefined;
    const rows = this.bufferedRows().sort((a, b) =>
      a.partition < b.partition ? -1 : a.partition > b.partition ? 1 : 0,
    );
    for (const r of rows) part.push(r.cells, r.partition);
    this.buffer = new Map();
    this.appendBuffer = [];
    if (part.rows === 0) return;
    const bytes = part.bytes(this.partsWritten);
    await this.inFlight;
    this.rowsStaged += part.rows;
    this.inFlight = this.stage.putPart(this.partsWritten, bytes, this.opts.signal);
    // Awaited before the next part and at commit; marked handled so a failure waits for them.
    this.inFlight.catch(() => {});
    this.partsWritten++;
  }

  /**
   * Commits what was added: one statement per partition group. With `replace`, the target rows
   * `scope` names that the batch lacks are deleted in the same commit (without a scope, replace
   * deletes nothing: it merges).
   */
  async commit(scope?: ReplaceScope): Promise<WriteReport> {
    const { disposition } = this.opts;
    const statements: { sql: string; kind: 'merge' | 'insert' }[] = [];
    try {
      let scopeSql = scope ? scopePredicate(this.model, scope, 'fuji_d') : undefined;
      let scopeParts = new Map<string, Record<string, unknown>>();
      if (scope) {
        const named = partitionsNamedBy(this.model, scope);
        scopeParts = named ?? (await this.scopePartitions(scopeSql!));
        // The engine found no row in the scope (a file's first version): nothing to delete, so
        // the plain merge, without the anti-join (about a third of a 1,000,000-row MERGE's time).
        if (!named && scopeParts.size === 0) scopeSql = undefined;
      }
      if (
        this.buffered === 0 &&
        !this.stage &&
        (disposition !== 'replace' || scopeParts.size === 0)
      ) {
        return this.report([]);
      }
      if (!this.stage && !this.opts.forceStaging) {
        const plan = planValues(this.engine.names, this.model, this.bufferedRows(), {
          disposition,
          scope: scopeSql,
          scopePartitions: scopeParts,
          maxBytes: this.maxBytes,
          maxPartitions: this.maxPartitions,
          prune: this.opts.prune,
        });
        if (plan)
          statements.push({ sql: plan.sql, kind: disposition === 'append' ? 'insert' : 'merge' });
      }
      if (statements.length === 0) {
        await this.spill();
        await this.inFlight;
        await this.stage!.register(stagedColumns(this.model), this.opts.signal, this.rowsStaged);
        statements.push(...this.stagedStatements(scopeSql, scopeParts));
      }
      return await this.run(statements);
    } finally {
      await this.discard();
    }
  }

  private stagedStatements(
    scopeSql: string | undefined,
    scopeParts: ReadonlyMap<string, Record<string, unknown>>,
  ): { sql: string; kind: 'merge' | 'insert' }[] {
    const reps = new Map([...scopeParts, ...this.partitions]);
    const groups = partitionGroups(reps.keys(), this.maxPartitions);
    const single = groups.length === 1;
    const sqlName = this.stage!.sqlName;
    return groups.map((group) => {
      const groupReps = group.map((k) => reps.get(k)!);
      const partitions = single ? undefined : group;
      const rows = {
        kind: 'staged' as const,
        sqlName,
        partitions,
        dedupe: this.partsWritten > 1 && !this.opts.uniqueKeys,
      };
      if (this.opts.disposition === 'append') {
        return { kind: 'insert' as const, sql: insertSql(this.engine.names, this.model, rows) };
      }
      const prune =
        this.opts.prune === false ? undefined : groupPredicate(this.model, groupReps, 'fuji_t');
      const inScope = groupPredicate(this.model, groupReps, 'fuji_d');
      return {
        kind: 'merge' as const,
        sql: mergeSql(this.engine.names, this.model, rows, {
          prune,
          ...(scopeSql && { scope: inScope ? `(${scopeSql}) AND (${inScope})` : scopeSql }),
        }),
      };
    });
  }

  /**
   * Stops here for a later invocation: the buffered rows become a part, and the stage is kept
   * (this writer no longer drops it). {@link TableWriter.resume} on a new writer goes on.
   */
  async suspend(): Promise<WriterCheckpoint> {
    if (this.buffered > 0) await this.spill();
    await this.inFlight;
    const columns = new Set(this.model.partitionBy.map((p) => p.column));
    const checkpoint: WriterCheckpoint = {
      ...(this.stage && { stage: this.stage.name }),
      parts: this.partsWritten,
      rowsStaged: this.rowsStaged,
      partitions: [...this.partitions].map(([k, rep]) => [
        k,
        Object.fromEntries(
          Object.entries(rep)
            .filter(([c]) => columns.has(c))
            .map(([c, v]) => [c, toJson(v)]),
        ),
      ]),
      rowsIn: this.rowsIn,
      duplicates: this.duplicates,
    };
    this.stage = undefined;
    this.inFlight = undefined;
    return checkpoint;
  }

  /** Takes over a suspended writer's stage and counts (before any row is added). */
  resume(c: WriterCheckpoint): void {
    if (c.stage) {
      if (!this.opts.staging) throw new NoStagingError(this.engine.names.of(this.model));
      this.stage = this.opts.staging.reopen(c.stage);
    }
    this.partsWritten = c.parts;
    this.rowsStaged = c.rowsStaged;
    for (const [k, rep] of c.partitions)
      this.partitions.set(
        k,
        Object.fromEntries(Object.entries(rep).map(([col, v]) => [col, fromJson(v)])),
      );
    this.rowsIn = c.rowsIn;
    this.duplicates = c.duplicates;
  }

  /** What committed so far: still right after a later partition group failed. */
  get committed(): Committed {
    return this.done;
  }

  private async run(
    statements: readonly { sql: string; kind: 'merge' | 'insert' }[],
  ): Promise<WriteReport> {
    const queryIds: string[] = [];
    for (const s of statements) {
      this.opts.beforeCommit?.();
      const r = await this.engine.query(s.sql, { kind: s.kind, signal: this.opts.signal });
      // A statement that changed no row makes no snapshot (measured on Trino 476).
      const committed = (r.updateCount ?? 1) > 0;
      const snapshot =
        committed && this.opts.trackSnapshots
          ? await newestSnapshot(this.engine, this.model, this.opts.signal)
          : undefined;
      this.done = {
        statements: this.done.statements + 1,
        rowsWritten: this.done.rowsWritten + (r.updateCount ?? 0),
        commits: this.done.commits + (committed ? 1 : 0),
        bytesScanned: this.done.bytesScanned + (r.dataScannedBytes ?? 0),
        snapshots: snapshot ? [...this.done.snapshots, snapshot] : this.done.snapshots,
      };
      queryIds.push(r.queryId);
    }
    return this.report(queryIds);
  }

  private report(queryIds: readonly string[]): WriteReport {
    return {
      rowsIn: this.rowsIn,
      duplicates: this.duplicates,
      ...this.done,
      rejected: this.rejected,
      queryIds,
      parts: this.partsWritten,
    };
  }

  /**
   * The partitions of the target rows in a replace scope (they may lie outside the batch's own:
   * a corrected file that drops a whole year), one representative row each.
   */
  private async scopePartitions(scopeSql: string): Promise<Map<string, Record<string, unknown>>> {
    const out = new Map<string, Record<string, unknown>>();
    const target = this.engine.names.of(this.model);
    if (this.model.partitionBy.length === 0) {
      // One partition: it only matters whether the scope holds rows (an empty batch deletes them).
      const r = await this.engine.query(
        `SELECT 1 FROM ${target} fuji_d WHERE ${scopeSql} LIMIT 1`,
        {
          kind: 'select',
          signal: this.opts.signal,
        },
      );
      if (r.rows.length > 0) out.set('', {});
      return out;
    }
    const finest = ['hour', 'day', 'month', 'year'];
    const columns = [...new Set(this.model.partitionBy.map((p) => p.column))];
    const exprs = columns.map((col) => {
      const fields = this.model.partitionBy.filter((p) => p.column === col);
      const ref = `fuji_d.${quoteIdent(col)}`;
      if (!fields.every((f) => finest.includes(f.transform))) return ref;
      const unit = finest.find((u) => fields.some((f) => f.transform === u))!;
      return `date_trunc('${unit}', ${ref})`;
    });
    const r = await this.engine.query(
      `SELECT DISTINCT ${exprs.join(', ')} FROM ${target} fuji_d WHERE ${scopeSql}`,
      { kind: 'select', signal: this.opts.signal },
    );
    for (const row of r.rows) {
      const rep: Record<string, unknown> = {};
      columns.forEach((col, i) => {
        rep[col] = canonical(columnOf(this.model, col).type, row[i]);
      });
      out.set(partitionKey(this.model, rep), rep);
    }
    return out;
  }

  /** Drops the stage and the buffered rows (safe to call twice). */
  async discard(): Promise<void> {
    this.buffer = new Map();
    this.appendBuffer = [];
    this.part = undefined;
    const stage = this.stage;
    this.stage = undefined;
    // A part still uploading must land (or fail) before its prefix is emptied.
    await this.inFlight?.catch(() => {});
    this.inFlight = undefined;
    if (stage) await stage.drop();
  }
}

/**
 * The scope's partitions without asking the engine, when the scope lists the values of every
 * partition column (a GA4 day: `date IN (…)`): one representative per combination. Undefined
 * when it does not (a file's `source`), or lists too many to spell out.
 */
function partitionsNamedBy(
  model: TableModel,
  scope: ReplaceScope,
): Map<string, Record<string, unknown>> | undefined {
  const columns = [...new Set(model.partitionBy.map((p) => p.column))];
  if (columns.length === 0) return undefined;
  let combos: Record<string, unknown>[] = [{}];
  for (const col of columns) {
    const cond = scope[col];
    if (!cond || !('in' in cond)) return undefined;
    const type = columnOf(model, col).type;
    combos = combos.flatMap((c) => cond.in.map((v) => ({ ...c, [col]: canonical(type, v) })));
    if (combos.length > 1_000) return undefined;
  }
  return new Map(combos.map((c) => [partitionKey(model, c), c]));
}
