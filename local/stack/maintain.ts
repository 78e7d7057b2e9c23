/**
 * The local warehouse's share of what S3 Tables does for the deployed tables on its own
 * (snapshot management, compaction and unreferenced-file removal), so that time travel and
 * `fuji-etl restore` behave here as on AWS. Without it every commit writes a new metadata.json
 * holding the whole snapshot history and keeps all the old ones: the shared `ops` tables, which
 * every test run writes thousands of times, reached 9,500 snapshots, 16 MB per metadata file and
 * 71 GB on disk in a day, and each commit slowed with them.
 *
 * Run when Trino has just started (no statement in flight) and by `fuji-etl maintain`:
 * - every table drops tracked metadata files past the newest 10 on each commit
 *   (`write.metadata.delete-after-commit.enabled`, honoured by Trino's table operations);
 * - snapshots are expired as the table's S3 Tables settings say (shared/model/retention.ts):
 *   older than the window's age, except the newest `minSnapshotsToKeep`. The `ops` tables keep
 *   an hour locally: here they record test runs, not operations anyone will restore;
 * - with `compact`, tables with small data files are rewritten into larger ones (`optimize`),
 *   as S3 Tables' compaction does (a `replace` snapshot, which history shows as compaction);
 * - files no snapshot refers to and older than an hour are removed.
 */
import { TRINO_CATALOGS } from '../athena/catalogs.ts';
import { TrinoClient } from '../athena/trino-client.ts';
import { retentionOfNamespace } from '#shared/model/retention.ts';
import { localUrls, type LocalStackConfig } from '../config.ts';

const KEEP_METADATA_FILES = 10;
const OPS_WINDOW_S = 3_600;
const ORPHANS_OLDER_THAN = '1h';
/** Files under this are compacted; S3 Tables aims at 512 MB, far above any local table. */
const SMALL_FILE = '128MB';
const SMALL_FILE_BYTES = 128 * 1024 * 1024;
/** Compact once a table has this many small data files. */
const COMPACT_FROM_FILES = 8;

type Log = (line: string) => void;

const quote = (id: string) => `"${id.replaceAll('"', '""')}"`;

export async function maintainWarehouse(
  cfg: LocalStackConfig,
  log: Log,
  opts: { schemas?: readonly string[]; tables?: readonly string[]; compact?: boolean } = {},
): Promise<{ tables: number; expired: number; compacted: number; skipped: number }> {
  const trino = new TrinoClient(localUrls(cfg).trino);
  const run = async (sql: string) => {
    const out = await trino.run(sql, { catalog: 'iceberg' }, AbortSignal.timeout(600_000));
    if (out.error) throw new Error(`${out.error.message} (in: ${sql})`);
    return out.rows;
  };
  // Every table-bucket catalog (the lake's and the uploads'). `system` holds Trino 476's Iceberg
  // system tables (iceberg_tables): not the suite's to maintain.
  const tables: [string, string, string][] = [];
  for (const catalog of [TRINO_CATALOGS.lake, TRINO_CATALOGS.uploads]) {
    const rows = await run(
      `SELECT table_schema, table_name FROM ${catalog}.information_schema.tables
       WHERE table_schema NOT IN ('information_schema', 'system') AND table_type = 'BASE TABLE'`,
    );
    for (const [schema, name] of rows as [string, string][]) {
      if (opts.schemas && !opts.schemas.includes(schema)) continue;
      if (opts.tables && !opts.tables.includes(`${schema}.${name}`)) continue;
      tables.push([catalog, schema, name]);
    }
  }
  const t0 = Date.now();
  let failed = 0;
  let expired = 0;
  let compacted = 0;
  for (const [catalog, schema, name] of tables) {
    const t = `${catalog}.${quote(schema)}.${quote(name)}`;
    try {
      await run(
        `ALTER TABLE ${t} SET PROPERTIES extra_properties = MAP(
           ARRAY['write.metadata.delete-after-commit.enabled', 'write.metadata.previous-versions-max'],
           ARRAY['true', '${KEEP_METADATA_FILES}'])`,
      );
      const window = await windowSeconds(run, t, schema);
      const before = await snapshotCount(run, t);
      await run(`ALTER TABLE ${t} EXECUTE expire_snapshots(retention_threshold => '${window}s')`);
      expired += before - (await snapshotCount(run, t));
      if (opts.compact && (await smallFiles(run, t)) >= COMPACT_FROM_FILES) {
        await run(`ALTER TABLE ${t} EXECUTE optimize(file_size_threshold => '${SMALL_FILE}')`);
        compacted++;
      }
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
    `maintenance: ${tables.length} tables (${failed} skipped), ${expired} snapshots expired, ${compacted} tables compacted in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
  );
  return { tables: tables.length, expired, compacted, skipped: failed };
}

type Run = (sql: string) => Promise<readonly (readonly unknown[])[]>;

/**
 * The expiry threshold in seconds: the window's age, stretched to spare the newest
 * `minSnapshotsToKeep` (Trino's expire_snapshots knows only an age).
 */
async function windowSeconds(run: Run, t: string, schema: string): Promise<number> {
  if (schema === 'ops') return OPS_WINDOW_S;
  const r = retentionOfNamespace(schema);
  const rows = await run(
    `SELECT to_unixtime(committed_at) FROM ${snapshots(t)} ORDER BY committed_at DESC OFFSET ${r.minSnapshotsToKeep - 1} LIMIT 1`,
  );
  const nth = rows[0] ? Number(rows[0][0]) : undefined;
  const age = r.maxSnapshotAgeHours * 3_600;
  // One second older than the nth newest, so that one stays.
  return nth === undefined ? age : Math.max(age, Math.ceil(Date.now() / 1000 - nth) + 1);
}

const snapshots = (t: string) => `${t.slice(0, -1)}$snapshots"`;

async function snapshotCount(run: Run, t: string): Promise<number> {
  return Number((await run(`SELECT count(*) FROM ${snapshots(t)}`))[0]![0]);
}

async function smallFiles(run: Run, t: string): Promise<number> {
  const rows = await run(
    `SELECT count(*) FROM ${t.slice(0, -1)}$files" WHERE content = 0 AND file_size_in_bytes < ${SMALL_FILE_BYTES}`,
  );
  return Number(rows[0]![0]);
}
