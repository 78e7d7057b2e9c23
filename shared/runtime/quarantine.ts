/**
 * Writing rejected records to ops.quarantine. A record's id is a hash of where it came from and
 * what it said, so the same rejection on a rerun updates its row instead of adding another.
 */
import { createHash } from 'node:crypto';
import type { AthenaEngine } from '../engine/athena.ts';
import { quarantine } from '../ops/tables.ts';
import { writeRows, type WriteReport } from '../writer/write.ts';
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

export function writeQuarantine(
  engine: AthenaEngine,
  connector: string,
  runId: string,
  rows: readonly QuarantineRow[],
  at: Date,
  signal?: AbortSignal,
): Promise<WriteReport> {
  return writeRows(
    engine,
    quarantine,
    rows.map((r) => ({
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
    })),
    { disposition: 'merge', signal },
  );
}
