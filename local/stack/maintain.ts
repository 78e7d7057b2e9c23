/**
 * The local warehouse's share of what S3 Tables does for the deployed tables on its own
 * (snapshot management and unreferenced-file removal). Without it every commit writes a new
 * metadata.json holding the whole snapshot history and keeps all the old ones: the shared
 * `ops` tables, which every test run writes thousands of times, reached 9,500 snapshots, 16 MB
 * per metadata file and 71 GB on disk in a day, and each commit slowed with them.
 *
 * Run when Trino has just started, so no statement is in flight:
 * - every table drops tracked metadata files past the newest 10 on each commit
 *   (`write.metadata.delete-after-commit.enabled`, honoured by Trino's table operations);
 * - snapshots older than the deployed window (7 days, see infra/) are expired, and those of the
 *   `ops` tables older than an hour: locally they record test runs, not operations to recover;
 * - files no snapshot refers to and older than an hour are removed.
 */
import { TrinoClient } from '../athena/trino-client.ts';
import { localUrls, type LocalStackConfig } from '../config.ts';

const KEEP_METADATA_FILES = 10;
const WINDOW = '7d';
const OPS_WINDOW = '1h';
const ORPHANS_OLDER_THAN = '1h';

type Log = (line: string) => void;

const quote = (id: string) => `"${id.replaceAll('"', '""')}"`;

export async function maintainWarehouse(
  cfg: LocalStackConfig,
  log: Log,
  opts: { schemas?: readonly string[] } = {},
): Promise<void> {
  const trino = new TrinoClient(localUrls(cfg).trino);
  const run = async (sql: string) => {
    const out = await trino.run(sql, { catalog: 'iceberg' }, AbortSignal.timeout(600_000));
    if (out.error) throw new Error(`${out.error.message} (in: ${sql})`);
    return out.rows;
  };
  const tables = await run(
    `SELECT table_schema, table_name FROM iceberg.information_schema.tables
     WHERE table_schema <> 'information_schema' AND table_type = 'BASE TABLE'`,
  ).then((rows) =>
    rows.filter(([schema]) => !opts.schemas || opts.schemas.includes(String(schema))),
  );
  const t0 = Date.now();
  let failed = 0;
  for (const [schema, name] of tables as [string, string][]) {
    const t = `iceberg.${quote(schema)}.${quote(name)}`;
    try {
      await run(
        `ALTER TABLE ${t} SET PROPERTIES extra_properties = MAP(
           ARRAY['write.metadata.delete-after-commit.enabled', 'write.metadata.previous-versions-max'],
           ARRAY['true', '${KEEP_METADATA_FILES}'])`,
      );
      const window = schema === 'ops' ? OPS_WINDOW : WINDOW;
      await run(`ALTER TABLE ${t} EXECUTE expire_snapshots(retention_threshold => '${window}')`);
      await run(
        `ALTER TABLE ${t} EXECUTE remove_orphan_files(retention_threshold => '${ORPHANS_OLDER_THAN}')`,
      );
    } catch (err) {
      // A table another process dropped meanwhile, or one Trino cannot read: the rest go on.
      failed++;
      log(`maintenance: ${schema}.${name}: ${String(err).slice(0, 200)}`);
    }
  }
  log(
    `maintenance: ${tables.length} tables (${failed} skipped) in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
  );
}
