/**
 * Peak memory and speed of reading CSV files through a dataset contract, on generated
 * entry-registration exports of 100 MB and 1 GB (every key distinct, Japanese text, yen amounts).
 * Each measurement runs in its own process and reports that process's peak RSS (VmHWM).
 *
 *   streamed  – the suite's reader: decode, split, validate, deduplicate, plan the SQL per batch
 *   baseline  – what a first loader does: read the file into one string, split, parse every row
 *               into memory, then plan the SQL
 *   csv-parse – the parser alone (csv-parse streaming the same file, counting records): the
 *               ceiling the reader is measured against (issue 17 asks for at least 0.5x)
 *
 * Then rows per second loading into the local Athena engine (Trino), end to end.
 *
 *   npm run bench:csv            (files are generated once into the cache directory)
 *
 * Settings (environment):
 *   FUJI_ETL_BENCH_FILES=100MB   only these files (comma-separated: 100MB, 1GB; default both)
 *   FUJI_ETL_BENCH_MODES=streamed,csv-parse   only these modes (default all three)
 *   FUJI_ETL_BENCH_ENGINE=0      skip the load into the local engine (no stack needed)
 *   FUJI_ETL_BENCH_PROF=dir      the streamed child writes a CPU profile (--cpu-prof) into dir
 */
import { spawnSync } from 'node:child_process';
import { createReadStream, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Writable } from 'node:stream';
import { parse } from 'csv-parse';
import { fileURLToPath } from 'node:url';
import { openCsv } from '#shared/csv/read.ts';
import { entryRegistrationSummary } from '#connectors/csv_upload/contracts.ts';
import { localStackConfig } from '#local/config.ts';
import { stackUp } from '#local/stack/index.ts';
import { defineContract } from '#shared/csv/contract.ts';
import { defineTable } from '#shared/model/table.ts';
import { runConnector } from '#shared/runtime/run.ts';
import { csvFileConnector } from '#connectors/csv_upload/connector.ts';
import { cliContext, ensureLocalStateTable } from '../cli/context.ts';
import { testEngine } from '../tests/helpers/local.ts';
import { generate } from './registrations.ts';

const contract = entryRegistrationSummary;
const self = fileURLToPath(import.meta.url);

function peakRssMb(): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : NaN;
}

async function streamed(path: string): Promise<{ rows: number; statements: number }> {
  const open = () => createReadStream(path);
  // As the upload function reads an object: its size known, so the key filter fits the file.
  const reader = await openCsv(open(), contract, {
    source: path,
    sizeHint: statSync(path).size,
    reopen: async () => open(),
  });
  let rows = 0;
  for await (const b of reader.batches()) rows += b.rows.length;
  return { rows, statements: 0 };
}

async function baseline(path: string): Promise<{ rows: number; statements: number }> {
  const text = readFileSync(path, 'utf8'); // fails past V8's ~512 Mi-character string limit
  const lines = text.split('\r\n').filter(Boolean);
  const body = lines.join('\n');
  const reader = await openCsv(
    (async function* () {
      yield Buffer.from(body);
    })(),
    contract,
    { source: path, batchRows: Number.MAX_SAFE_INTEGER },
  );
  const all: Record<string, unknown>[] = [];
  for await (const b of reader.batches()) for (const r of b.rows) all.push(r);
  return { rows: all.length, statements: 0 };
}

/** The parser alone: records counted (less the header), nothing checked or kept. */
async function csvParseOnly(path: string): Promise<{ rows: number; statements: number }> {
  let records = 0;
  await pipeline(
    createReadStream(path),
    // Records end in CRLF (RFC 4180); csv-parse detects the delimiter from the first record.
    parse({ relax_column_count: true }),
    new Writable({
      objectMode: true,
      highWaterMark: 1024,
      write(_record, _enc, done) {
        records++;
        done();
      },
    }),
  );
  return { rows: Math.max(0, records - 1), statements: 0 };
}

const MODES = {
  streamed,
  baseline,
  'csv-parse': csvParseOnly,
} as const satisfies Record<string, (path: string) => Promise<unknown>>;
type Mode = keyof typeof MODES;

async function child(mode: Mode, path: string): Promise<void> {
  const t0 = performance.now();
  try {
    const r = await MODES[mode](path);
    const s = (performance.now() - t0) / 1000;
    console.log(JSON.stringify({ ok: true, ...r, seconds: s, peakMb: peakRssMb() }));
  } catch (err) {
    console.log(
      JSON.stringify({ ok: false, error: String(err).slice(0, 120), peakMb: peakRssMb() }),
    );
  }
}

/**
 * The streamed reader and csv-parse run with a 256 MB heap cap (a small Lambda's share): left
 * with a large cap, V8 collects lazily and RSS shows garbage, not need. The baseline gets 8 GB.
 * Both also get the csv_upload function's young generation (NODE_OPTIONS in its function.yml):
 * with V8's default the semi-spaces take about 70 MB more RSS, which a streamed read of
 * short-lived rows does not need.
 */
const HEAP_MB: Record<Mode, number> = { streamed: 256, 'csv-parse': 256, baseline: 8192 };
const FUNCTION_FLAGS: Record<Mode, readonly string[]> = {
  streamed: ['--max-semi-space-size=32'],
  'csv-parse': ['--max-semi-space-size=32'],
  baseline: [],
};

function measure(mode: Mode, path: string) {
  const prof = process.env.FUJI_ETL_BENCH_PROF;
  const flags =
    prof && mode === 'streamed' ? ['--cpu-prof', `--cpu-prof-dir=${resolve(prof)}`] : [];
  const out = spawnSync(
    process.execPath,
    [
      `--max-old-space-size=${HEAP_MB[mode]}`,
      ...FUNCTION_FLAGS[mode],
      ...flags,
      self,
      '--child',
      mode,
      path,
    ],
    {
      encoding: 'utf8',
      maxBuffer: 1 << 20,
    },
  );
  const line = out.stdout.trim().split('\n').at(-1) ?? '';
  try {
    return JSON.parse(line) as {
      ok: boolean;
      rows?: number;
      seconds?: number;
      peakMb: number;
      error?: string;
    };
  } catch {
    return {
      ok: false,
      error: (out.stderr || `exit ${out.status}`).trim().split('\n').at(-1),
      peakMb: NaN,
    };
  }
}

/** A comma-separated setting of names, each checked against what is allowed. */
function listSetting<T extends string>(name: string, allowed: readonly T[]): readonly T[] {
  const v = process.env[name];
  if (!v) return allowed;
  const picked = v.split(',').map((s) => s.trim().replace(/\s+/g, ''));
  const bad = picked.filter((p) => !(allowed as readonly string[]).includes(p));
  if (bad.length > 0) {
    throw new Error(`${name}: unknown ${bad.join(', ')} (allowed: ${allowed.join(', ')})`);
  }
  return picked as T[];
}

const FILES = { '100MB': 100 * 1024 * 1024, '1GB': 1024 * 1024 * 1024 } as const;

async function main(): Promise<void> {
  const dir = join(localStackConfig().cacheDir, 'bench');
  mkdirSync(dir, { recursive: true });
  const files = listSetting('FUJI_ETL_BENCH_FILES', Object.keys(FILES) as (keyof typeof FILES)[]);
  const modes = listSetting('FUJI_ETL_BENCH_MODES', Object.keys(MODES) as Mode[]);
  console.log(
    'CSV reading through the entry_registrations contract (peak RSS of each process; streamed and csv-parse with a 256 MB heap cap and 32 MB semi-spaces, as csv_upload runs, baseline with 8 GB)',
  );
  console.log('file    mode      rows         seconds  rows/s      peak RSS');
  for (const name of files) {
    const size = FILES[name];
    const label = name.replace(/(\d)([A-Z])/, '$1 $2');
    const path = join(dir, `entry-registrations-${size}.csv`);
    if (!existsSync(path) || statSync(path).size < size) {
      process.stderr.write(`generating ${path}…\n`);
      generate(path, size);
    }
    const speed: Partial<Record<Mode, number>> = {};
    for (const mode of modes) {
      const r = measure(mode, path);
      if (r.ok) speed[mode] = r.rows! / r.seconds!;
      const cols = r.ok
        ? [
            String(r.rows).padEnd(12),
            r.seconds!.toFixed(1).padStart(7),
            String(Math.round(r.rows! / r.seconds!)).padStart(10),
          ]
        : [`failed: ${r.error}`.padEnd(31)];
      console.log(
        `${label.padEnd(7)} ${mode.padEnd(9)} ${cols.join(' ')}  ${String(r.peakMb).padStart(6)} MB`,
      );
    }
    if (speed.streamed !== undefined && speed['csv-parse'] !== undefined) {
      console.log(
        `${label.padEnd(7)} ratio reader/csv-parse: ${(speed.streamed / speed['csv-parse']).toFixed(2)}x (${Math.round(speed.streamed)} vs ${Math.round(speed['csv-parse'])} rows/s)`,
      );
    }
  }
  if (process.env.FUJI_ETL_BENCH_ENGINE !== '0') await engineLoad(dir);
}

/** Rows per second into the local engine (Trino behind the Athena API), end to end. */
async function engineLoad(dir: string): Promise<void> {
  const path = join(dir, 'entry-registrations-engine.csv');
  const rows = generate(path, 8 * 1024 * 1024);
  await stackUp({ log: () => {} });
  const table = defineTable({ ...contract.table, namespace: 'bench' });
  const c = defineContract({ ...contract, name: 'bench_entry_registrations', table });
  const engine = testEngine();
  await engine.query('DROP TABLE IF EXISTS "bench"."registrations_daily"').catch(() => undefined);
  const ctx = cliContext({
    ...process.env,
    FUJI_ETL_TARGET: 'local',
    FUJI_ETL_STATE_TABLE: 'bench-state',
  });
  await ensureLocalStateTable(ctx);
  const load = csvFileConnector(c, { source: path, open: async () => createReadStream(path) });
  const t0 = performance.now();
  const summary = await runConnector(load.connector, {
    engine,
    dialect: 'trino',
    store: ctx.store,
    staging: ctx.staging,
  });
  const s = (performance.now() - t0) / 1000;
  const slice = summary.slices[0]!;
  console.log(
    `\nInto the local engine: ${rows} rows (8 MB), ${slice.statements} statements, ${s.toFixed(1)} s, ${Math.round(rows / s)} rows/s (${slice.status})`,
  );
}

if (process.argv[2] === '--child') await child(process.argv[3] as Mode, process.argv[4]!);
else await main();
