/** The snapshot a table's last data commit made. */
import type { AthenaEngine } from '../engine/athena.ts';
import type { TableModel } from '../model/table.ts';

/**
 * The table's newest data snapshot id. Read right after a commit under the table lock, it is the
 * commit's own: other writers are locked out, and S3 Tables' compaction commits (`replace`)
 * are passed over.
 */
export async function newestSnapshot(
  engine: AthenaEngine,
  model: TableModel,
  signal?: AbortSignal,
): Promise<string | undefined> {
  const r = await engine.query(
    `SELECT CAST(snapshot_id AS varchar) FROM ${engine.names.metadata(model.namespace, model.name, 'snapshots')}` +
      ` WHERE operation <> 'replace' ORDER BY committed_at DESC LIMIT 1`,
    { kind: 'select', signal },
  );
  return r.text[0]?.[0] ?? undefined;
}
