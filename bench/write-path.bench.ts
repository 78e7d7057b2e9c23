/**
 * The write path end to end against the engine's own work on the same rows, in one run:
 *
 * - whole load of the file: a generated `parking_shuttle` CSV file (one year partition, CP932
 *   like the publisher's) through the contract, staged as Parquet, written by the single MERGE,
 *   exactly as `fuji-etl csv load` and the upload function do it (own process, own peak RSS);
 * - whole load in memory: the same rows already parsed, through the TableWriter (the write path
 *   alone; the CSV reader's own speed is the CSV benchmark's subject);
 * - engine MERGE: `MERGE INTO <empty copy> USING <staged table>` of the same rows, staged once;
 * - engine INSERT: `INSERT INTO <empty copy> SELECT … FROM <staged table>`.
 *
 * Target: the whole load at least 0.5× the engine's MERGE rate; commits = partition groups.
 *
 *   node bench/write-path.bench.ts      (part of `npm run bench`)
 */
import { createReadStream, existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { contracts } from '#connectors/contracts.ts';
import { csvFileConnector } from '#connectors/csv_upload/connector.ts';
import { stackUp } from '#local/stack/index.ts';
import { localStackConfig } from '#local/config.ts';
import { defineContract } from '#shared/csv/contract.ts';
import { defineTable } from '#shared/model/table.ts';
import { runConnector } from '#shared/runtime/run.ts';
import { metadataTableName, qualifiedName } from '#shared/sql/identifier.ts';
import { ensureTable } from '#shared/writer/ensure-table.ts';
import { insertSql, mergeSql } from '#shared/writer/merge-sql.ts';
import { PartBuilder, stagedColumns } from '#shared/writer/parquet.ts';
import { encodeRow } from '#shared/writer/plan.ts';
import { TableWriter } from '#shared/writer/table-writer.ts';
import { cliContext, ensureLocalStateTable } from '../cli/context.ts';
import { peakRssMb, runChild } from './child.ts';
import { generate, rowsOf } from './parking.ts';

const self = fileURLToPath(import.meta.url);
const base = contracts.get('parking_shuttle')!;
const table = (name: string) => defineTable({ ...base.table, namespace: 'bench', name });
const ctx = () =>
  cliContext({ ...process.env, FUJI_ETL_TARGET: 'local', FUJI_ETL_STATE_TABLE: 'bench-state' });

async function snapshots(name: string): Promise<number> {
  const r = await ctx().engine.query(
    `SELECT count(*) FROM ${metadataTableName('bench', name, 'snapshots')}`,
  );
  return Number(r.rows[0]![0]);
}

/**
 * Child: the whole load of one file into a fresh table, or (with `previous`) of a new version of
 * the same object into a table holding the previous one: the replace the upload function does.
 */
async function childLoad(path: string, name: string, previous?: string): Promise<void> {
  const c = ctx();
  await ensureLocalStateTable(c);
  const model = table(name);
  await c.engine.query(`DROP TABLE IF EXISTS ${qualifiedName('bench', name)}`);
  await ensureTable(c.engine, 'trino', model);
  const contract = defineContract({ ...base, name: `bench_${name}`, table: model });
  const deps = { engine: c.engine, dialect: 'trino' as const, store: c.store, staging: c.staging };
  const loadOf = (file: string) =>
    csvFileConnector(contract, {
      source: 's3://bench/uploads/parking_shuttle/parking.csv',
      open: async () => createReadStream(file),
    }).connector;
  if (previous) await runConnector(loadOf(previous), deps);
  const before = await snapshots(name);
  const t0 = performance.now();
  const summary = await runConnector(loadOf(path), deps);
  const seconds = (performance.now() - t0) / 1000;
  const s = summary.slices[0]!;
  console.log(
    JSON.stringify({
      status: s.status,
      rows: s.rowsLoaded,
      seconds,
      commits: (await snapshots(name)) - before,
      statements: s.statements,
      bytesScanned: s.bytesScanned,
      peakMb: peakRssMb(),
    }),
  );
}

/** The same rows as the file, already in memory: what the writer alone costs (no CSV reading). */
function lineageRows(n: number, from = 0, to = n, version = 0) {
  return rowsOf(n, from, to).map((r, i) => ({
    ...r,
    vehicles: BigInt(r.vehicles + version),
    shuttle_passengers: BigInt(r.shuttle_passengers),
    vehicles_yoy: BigInt(r.vehicles_yoy),
    source: 'bench.csv',
    source_line: BigInt(from + i + 2),
  }));
}

/** Child: rows already parsed, streamed in batches → staged → one MERGE, through the TableWriter. */
async function childWriter(n: number, name: string): Promise<void> {
  const c = ctx();
  const model = table(name);
  await c.engine.query(`DROP TABLE IF EXISTS ${qualifiedName('bench', name)}`);
  await ensureTable(c.engine, 'trino', model);
  const before = await snapshots(name);
  const t0 = performance.now();
  const w = new TableWriter(c.engine, model, { disposition: 'replace', staging: c.staging });
  // Batches as a source streams them (the rows are made as they are needed, not held).
  for (let i = 0; i < n; i += 5_000) await w.add(lineageRows(n, i, Math.min(n, i + 5_000)));
  const r = await w.commit({ source: { in: ['bench.csv'] } });
  const seconds = (performance.now() - t0) / 1000;
  console.log(
    JSON.stringify({
      status: 'succeeded',
      rows: r.rowsWritten,
      seconds,
      commits: (await snapshots(name)) - before,
      statements: r.statements,
      bytesScanned: r.bytesScanned,
      peakMb: peakRssMb(),
    }),
  );
}

/** The rows staged once, as the writer stages them. */
async function stageRows(model: ReturnType<typeof table>, n: number, version: number) {
  const stage = ctx().staging.open(`bench_engine_v${version}`);
  const encoded = lineageRows(n, 0, n, version).map((r) => encodeRow(model, r));
  for (let i = 0; i < encoded.length; i += 50_000) {
    const part = new PartBuilder(model);
    for (const e of encoded.slice(i, i + 50_000)) part.push(e.cells, e.partition);
    await stage.putPart(i, part.bytes(0));
  }
  await stage.register(stagedColumns(model));
  return stage;
}

/**
 * The engine's own work on the same rows: MERGE and INSERT … SELECT from the staged table into
 * an empty table, and MERGE of the new version onto a table holding the previous one.
 */
async function engineOnly(n: number): Promise<{ merge: number; insert: number; remerge: number }> {
  const c = ctx();
  const model = table(`engine_${n}`);
  const target = qualifiedName('bench', model.name);
  const v1 = await stageRows(model, n, 0);
  const v2 = await stageRows(model, n, 1);
  try {
    const mergeFrom = (sqlName: string) =>
      mergeSql(c.engine.names, model, { kind: 'staged', sqlName, dedupe: false });
    const fresh = async () => {
      await c.engine.query(`DROP TABLE IF EXISTS ${target}`);
      await ensureTable(c.engine, 'trino', model);
    };
    const timed = async (sql: string) => {
      const t0 = performance.now();
      await c.engine.query(sql, { kind: sql.startsWith('MERGE') ? 'merge' : 'insert' });
      return (performance.now() - t0) / 1000;
    };
    await fresh();
    const merge = await timed(mergeFrom(v1.sqlName));
    await fresh();
    const insert = await timed(
      insertSql(c.engine.names, model, { kind: 'staged', sqlName: v1.sqlName, dedupe: false }),
    );
    const remerge = await timed(mergeFrom(v2.sqlName)); // onto the table holding version 1
    return { merge, insert, remerge };
  } finally {
    await v1.drop();
    await v2.drop();
  }
}

function measure(mode: 'load' | 'writer', arg: string, name: string, previous?: string) {
  // A small Lambda's heap: left with a large cap, V8 collects lazily and RSS shows garbage.
  return runChild<{
    status: string;
    rows: number;
    seconds: number;
    commits: number;
    statements: number;
    bytesScanned: number;
    peakMb: number;
  }>('load', [
    '--max-old-space-size=512',
    self,
    `--${mode}`,
    arg,
    name,
    ...(previous ? [previous] : []),
  ]);
}

async function main(): Promise<void> {
  await stackUp({ log: (l) => console.error(l) });
  const dir = join(localStackConfig().cacheDir, 'bench');
  mkdirSync(dir, { recursive: true });
  const rate = (n: number, s: number) => String(Math.round(n / s)).padStart(9);
  console.log(
    "Write path: parking_shuttle rows (one year partition), whole loads against the engine's own statements on the same rows staged once (all through the same Athena API client)",
  );
  console.log(
    'rows      whole load                  s    rows/s  commits stmts  scanned  peak RSS | engine, same rows              s    rows/s | load ÷ engine',
  );
  for (const n of [100_000, 1_000_000]) {
    const files = [0, 1].map((v) => join(dir, `parking-shuttle-${n}-v${v}.csv`));
    files.forEach((f, v) => {
      if (!existsSync(f) || statSync(f).size === 0) generate(f, n, v);
    });
    const loads = [
      ['file, first version', measure('load', files[0]!, `load_${n}`)],
      ['file, new version', measure('load', files[1]!, `reload_${n}`, files[0])],
      ['rows in memory', measure('writer', String(n), `writer_${n}`)],
    ] as const;
    for (const [, x] of loads)
      if (x.status !== 'succeeded' || x.rows !== n)
        throw new Error(`load of ${n} rows: ${JSON.stringify(x)}`);
    const e = await engineOnly(n);
    const against = [
      ['MERGE … USING staged', e.merge],
      ['MERGE onto old version', e.remerge],
      ['MERGE … USING staged', e.merge],
    ] as const;
    loads.forEach(([from, x], i) => {
      const [what, es] = against[i]!;
      console.log(
        [
          String(n).padEnd(9),
          from.padEnd(22),
          x.seconds.toFixed(1).padStart(6),
          rate(n, x.seconds),
          String(x.commits).padStart(8),
          String(x.statements).padStart(5),
          `${(x.bytesScanned / 1024 / 1024).toFixed(1)} MiB`.padStart(9),
          `${x.peakMb} MB`.padStart(9),
          '|',
          what.padEnd(24),
          es.toFixed(1).padStart(6),
          rate(n, es),
          '|',
          `${(es / x.seconds).toFixed(2)}×`.padStart(12),
        ].join(' '),
      );
    });
    console.log(
      `${String(n).padEnd(9)} engine INSERT … SELECT from staged: ${e.insert.toFixed(1)} s, ${rate(n, e.insert).trim()} rows/s`,
    );
  }
}

if (process.argv[2] === '--load')
  await childLoad(process.argv[3]!, process.argv[4]!, process.argv[5]);
else if (process.argv[2] === '--writer')
  await childWriter(Number(process.argv[3]), process.argv[4]!);
else await main();
