/**
 * Writing rejected records to ops.quarantine. A record's id is a hash of where it came from and
 * what it said, so the same rejection on a rerun updates its row instead of adding another.
 */
import { createHash } from 'node:crypto';
import type { AthenaEngine } from '../engine/athena.ts';
import { quarantine } from '../ops/tables.ts';
import { fullName } from '../model/table.ts';
import type { StateStore } from '../state/store.ts';
import type { StagingArea } from '../writer/staging.ts';
import { TableWriter, type WriteReport, type WriterCheckpoint } from '../writer/table-writer.ts';
import type { SourceRejection } from './connector.ts';

export type QuarantineRow = SourceRejection;

/** Stable id of a rejected record, so the same rejection on a rerun lands on the same row. */
export function quarantineId(
  connector: string,
  table: string,
  source: string | undefined,
  raw: string,
  line?: number,
): string {
  const h = createHash('sha256');
  for (const part of [
    connector,
    table,
    source ?? '',
    raw,
    line === undefined ? '' : String(line),
  ]) {
    h.update(part).update('\u0000');
  }
  return h.digest('hex').slice(0, 32);
}

/** The ops.quarantine row of one rejection. */
export function quarantineRow(connector: string, runId: string, r: QuarantineRow, at: Date) {
  return {
    record_id: quarantineId(connector, r.table, r.source, r.raw, r.line),
    run_id: runId,
    connector,
    target_table: r.table,
    source: r.source ?? null,
    line_number: r.line ?? null,
    raw: r.raw,
    reason: r.reason,
    contract: r.contract ?? null,
    header: r.header ?? null,
    quarantined_at: at,
  };
}

/**
 * A slice's quarantine, staged as it streams and committed once under the quarantine table's
 * own short lock: runs of different connectors write ops.quarantine concurrently, and two
 * MERGEs into one table at once fail (Athena) or can break isolation (Trino).
 */
export class QuarantineWriter {
  private readonly writer: TableWriter;
  private readonly deps: QuarantineDeps;
  private readonly connector: string;
  private readonly runId: string;
  private count = 0;

  constructor(deps: QuarantineDeps, connector: string, runId: string, signal?: AbortSignal) {
    this.deps = deps;
    this.connector = connector;
    this.runId = runId;
    this.writer = new TableWriter(deps.engine, quarantine, {
      disposition: 'merge',
      staging: deps.staging,
      signal,
      trackSnapshots: true,
    });
  }

  get rows(): number {
    return this.count;
  }

  async add(rows: readonly QuarantineRow[], at: Date): Promise<void> {
    this.count += rows.length;
    const bad = await this.writer.add(
      rows.map((r) => quarantineRow(this.connector, this.runId, r, at)),
    );
    // The quarantine's own columns are all strings or optional: a refusal here is a bug.
    if (bad.length > 0) throw new Error(`ops.quarantine refused a row: ${bad[0]!.reason}`);
  }

  async commit(opts: {
    lockTtlMs: number;
    waitUntil?: number;
    signal?: AbortSignal;
  }): Promise<WriteReport> {
    const lock = await this.deps.store.acquireLock(
      `table#${fullName(quarantine)}`,
      this.runId,
      opts.lockTtlMs,
      {
        // Another run's quarantine commit takes seconds: wait for it rather than fail the slice.
        waitUntil: opts.waitUntil ?? Date.now() + opts.lockTtlMs,
        signal: opts.signal,
      },
    );
    try {
      return await this.writer.commit();
    } finally {
      await lock.release();
    }
  }

  /** Hands the staged rows on to a later invocation (see TableWriter.suspend). */
  async suspend(): Promise<QuarantineCheckpoint> {
    return { writer: await this.writer.suspend(), rows: this.count };
  }

  resume(c: QuarantineCheckpoint): void {
    this.writer.resume(c.writer);
    this.count = c.rows;
  }

  discard(): Promise<void> {
    return this.writer.discard();
  }
}

export interface QuarantineCheckpoint {
  readonly writer: WriterCheckpoint;
  readonly rows: number;
}

interface QuarantineDeps {
  readonly engine: AthenaEngine;
  readonly store: StateStore;
  readonly staging?: StagingArea;
}

/** Writes rejections outside a slice (a replay, a CLI check). */
export async function writeQuarantine(
  deps: QuarantineDeps,
  connector: string,
  runId: string,
  rows: readonly QuarantineRow[],
  at: Date,
  opts: { lockTtlMs?: number; waitUntil?: number; signal?: AbortSignal } = {},
): Promise<WriteReport> {
  const w = new QuarantineWriter(deps, connector, runId, opts.signal);
  try {
    await w.add(rows, at);
    return await w.commit({ lockTtlMs: opts.lockTtlMs ?? 120_000, ...opts });
  } finally {
    await w.discard();
  }
}
