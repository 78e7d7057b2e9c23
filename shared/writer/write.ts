/**
 * One-shot writes: a whole batch in hand, written as one commit per partition group. Streaming
 * writers (a slice's batches) use {@link TableWriter} directly.
 */
import type { AthenaEngine } from '../engine/athena.ts';
import type { TableModel } from '../model/table.ts';
import type { ReplaceScope } from './plan.ts';
import { TableWriter, type TableWriterOptions, type WriteReport } from './table-writer.ts';

export type { WriteReport } from './table-writer.ts';

/**
 * @example
 * const report = await writeRows(engine, model, rows, { disposition: 'merge' });
 * // report.rejected → quarantine
 */
export async function writeRows(
  engine: AthenaEngine,
  model: TableModel,
  rows: readonly Record<string, unknown>[],
  opts: TableWriterOptions & { readonly scope?: ReplaceScope },
): Promise<WriteReport> {
  const writer = new TableWriter(engine, model, opts);
  try {
    await writer.add(rows);
    return await writer.commit(opts.scope);
  } finally {
    await writer.discard();
  }
}
