/**
 * The write path end to end against the engine's own work on the same rows, in one run:
 *
 * - whole load: a generated `parking_shuttle` CSV file (one year partition, CP932 like the
 *   publisher's) through the contract, staged as Parquet, written by the single MERGE, exactly as
 *   `fuji-etl csv load` and the upload function do it (own process: its peak RSS is its own);
 * - engine MERGE: `MERGE INTO <empty copy> USING <staged table>` of the same rows, staged once;
 * - engine INSERT: `INSERT INTO <empty copy> SELECT … FROM <staged table>`.
 *
 * Target: the whole load at least 0.5× the engine's MERGE rate; commits = partition groups.
 *
 *   node bench/write-path.bench.ts      (part of `npm run bench`)
 */
import { spawnSync } from 'node:child_process';
import {
  createReadStream,
  existsSync,
  mkdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import iconv from 'iconv-lite';
import { contracts } from '#connectors/contracts.ts';
import { csvFileConnector } from '#connectors/csv_upload/connector.ts';
import { stackUp } from '#local/stack/index.ts';
import { localStackConfig } from '#local/config.ts';
import { defineContract } from '#shared/csv/contract.ts';
import { defineTable } from '#shared/model/table.ts';
import { runConnector } from '#shared/runtime/run.ts';
import { metadataTableName, qualifiedName } from '#shared/sql/identifier.ts';
import { ensureTable } from '#shared/writer/ensure-table.ts';
import { mergeSql, stagedValue } from '#shared/writer/merge-sql.ts';
import { parquetPart, stagedColumns } from '#shared/writer/parquet.ts';
import { encodeRow } from '#shared/writer/plan.ts';
import { cliContext, ensureLocalStateTable } from '../cli/context.ts';

const self = fileURLToPath(import.meta.url);
const base = contracts.get('parking_shuttle')!;
const table = (name: string) => defineTable({ ...base.table, namespace: 'bench', name });
const ctx = () =>
  cliContext({ ...process.env, FUJI_ETL_TARGET: 'local', FUJI_ETL_STATE_TABLE: 'bench-state' });

/** `rows` rows over the 365 days of 2025 (one year partition): days × sites. */
function rowsOf(n: number): {
  use_date: string;
  site: string;
  vehicles: number;
  shuttle_passengers: number;
  vehicles_yoy: number;
}[] {
  const sites = Math.ceil(n / 365);
  const out = [];
  for (let i = 0; i < n; i++) {
    const day = new Date(Date.UTC(2025, 0, 1) + (i % 365) * 86_400_000).toISOString().slice(0, 10);
    out.push({
      use_date: day,
      site: `P${String(Math.floor(i / 365) % sites).padStart(5, '0')}`,
      vehicles: i % 997,
      shuttle_passengers: i % 4_001,
      vehicles_yoy: (i % 201) - 100,
    });
  }
  return out;
}

function generate(path: string, n: number): void {
  const lines = ['日付,駐車場,駐車台数,シャトルバス乗車人数,前年同日比'];
  for (const r of rowsOf(n))
    lines.push(
      `${r.use_date.replaceAll('-', '/')},${r.site},${r.vehicles}台,${r.shuttle_passengers}人,${r.vehicles_yoy}`,
    );
  writeFileSync(path, iconv.encode(`${lines.join('\r\n')}\r\n`, 'cp932'));
}

function peakRssMb(): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : NaN;
}

async function snapshots(name: string): Promise<number> {
  const r = await ctx().engine.query(
    `SELECT count(*) FROM ${metadataTableName('bench', name, 'snapshots')}`,
  );
  return Number(r.rows[0]![0]);
}

/** Child: the whole load of one file into a fresh table. */
async function childLoad(path: string, name: string): Promise<void> {
  const c = ctx();
  await ensureLocalStateTable(c);
  const model = table(name);
  await c.engine.query(`DROP TABLE IF EXISTS ${qualifiedName('bench', name)}`);
  await ensureTable(c.engine, 'trino', model);
  const before = await snapshots(name);
  const contract = defineContract({ ...base, name: `bench_${name}`, table: model });
  const load = csvFileConnector(contract, {
    source: path,
    open: async () => createReadStream(path),
  });
  const t0 = performance.now();
  const summary = await runConnector(load.connector, {
    engine: c.engine,
    dialect: 'trino',
    store: c.store,
    staging: c.staging,
  });
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

/** The engine's own work: MERGE and INSERT from the same rows staged once. */
async function engineOnly(
  n: number,
): Promise<{ merge: number; insert: number; mergeBytes: number }> {
  const c = ctx();
  const model = table(`engine_${n}`);
  const stage = c.staging.open('bench_engine');
  try {
    const encoded = rowsOf(n).map((r) => encodeRow(model, r));
    for (let i = 0; i < encoded.length; i += 50_000) {
      const part = encoded.slice(i, i + 50_000);
      await stage.putPart(
        i,
        parquetPart(model, {
          rows: part.map((e) => e.values),
          partitions: part.map((e) => e.partition),
          part: 0,
        }),
      );
    }
    await stage.register(stagedColumns(model));
    const timed = async (sql: string) => {
      await c.engine.query(`DROP TABLE IF EXISTS ${qualifiedName('bench', model.name)}`);
      await ensureTable(c.engine, 'trino', model);
      const t0 = performance.now();
      const r = await c.engine.query(sql, { kind: sql.startsWith('MERGE') ? 'merge' : 'insert' });
      return { s: (performance.now() - t0) / 1000, bytes: r.dataScannedBytes ?? 0 };
    };
    const merge = await timed(
      mergeSql(model, { kind: 'staged', sqlName: stage.sqlName, dedupe: false }),
    );
    const cols = model.columns.map((col) => `"${col.name}"`).join(', ');
    const insert = await timed(
      `INSERT INTO ${qualifiedName('bench', model.name)} (${cols}) SELECT ${model.columns.map((col) => stagedValue(col, 'fuji_v')).join(', ')} FROM ${stage.sqlName} fuji_v`,
    );
    return { merge: merge.s, insert: insert.s, mergeBytes: merge.bytes };
  } finally {
    await stage.drop();
  }
}

function measure(path: string, name: string) {
  // A small Lambda's heap: left with a large cap, V8 collects lazily and RSS shows garbage.
  const out = spawnSync(
    process.execPath,
    ['--max-old-space-size=512', self, '--child', path, name],
    {
      encoding: 'utf8',
      maxBuffer: 1 << 20,
    },
  );
  const line = out.stdout.trim().split('\n').at(-1) ?? '';
  try {
    return JSON.parse(line) as {
      status: string;
      rows: number;
      seconds: number;
      commits: number;
      statements: number;
      bytesScanned: number;
      peakMb: number;
    };
  } catch {
    throw new Error(
      `load failed: ${(out.stderr || `exit ${out.status}`).trim().split('\n').slice(-5).join('\n')}`,
    );
  }
}

async function main(): Promise<void> {
  await stackUp({ log: (l) => console.error(l) });
  const dir = join(localStackConfig().cacheDir, 'bench');
  mkdirSync(dir, { recursive: true });
  const rate = (n: number, s: number) => String(Math.round(n / s)).padStart(9);
  console.log(
    'Write path: parking_shuttle file (one year partition) through the contract, against the engine on the same rows staged once',
  );
  console.log(
    'rows       whole load: s  rows/s     commits  stmts  scanned   peak RSS | engine MERGE: s  rows/s  | INSERT…SELECT: s  rows/s  | load ÷ MERGE',
  );
  for (const n of [100_000, 1_000_000]) {
    const path = join(dir, `parking-shuttle-${n}.csv`);
    if (!existsSync(path) || statSync(path).size === 0) generate(path, n);
    const load = measure(path, `load_${n}`);
    if (load.status !== 'succeeded' || load.rows !== n)
      throw new Error(`load of ${n} rows: ${JSON.stringify(load)}`);
    const engine = await engineOnly(n);
    console.log(
      [
        String(n).padEnd(10),
        load.seconds.toFixed(1).padStart(14),
        rate(n, load.seconds),
        String(load.commits).padStart(9),
        String(load.statements).padStart(6),
        `${(load.bytesScanned / 1024 / 1024).toFixed(1)} MiB`.padStart(9),
        `${load.peakMb} MB`.padStart(9),
        '|',
        engine.merge.toFixed(1).padStart(15),
        rate(n, engine.merge),
        ' |',
        engine.insert.toFixed(1).padStart(16),
        rate(n, engine.insert),
        ' |',
        `${(engine.merge / load.seconds).toFixed(2)}×`.padStart(11),
      ].join(' '),
    );
  }
}

if (process.argv[2] === '--child') await childLoad(process.argv[3]!, process.argv[4]!);
else await main();
