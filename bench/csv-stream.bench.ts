/**
 * Peak memory and speed of reading CSV files through a dataset contract, on generated
 * entry-registration exports of 100 MB and 1 GB (every key distinct, Japanese text, yen amounts).
 * Each measurement runs in its own process and reports that process's peak RSS (VmHWM).
 *
 *   streamed  – the suite's reader: decode, split, validate, deduplicate, plan the SQL per batch
 *   baseline  – what a first loader does: read the file into one string, split, parse every row
 *               into memory, then plan the SQL
 *
 * Then rows per second loading into the local Athena engine (Trino), end to end.
 *
 *   npm run bench:csv            (files are generated once into the cache directory)
 */
import { spawnSync } from 'node:child_process';
import {
  createReadStream,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  statSync,
  writeSync,
  closeSync,
} from 'node:fs';
import { join } from 'node:path';
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

const contract = entryRegistrationSummary;
const self = fileURLToPath(import.meta.url);

const ROUTES = ['富士宮', '須走', '御殿場', '吉田'];
const CHANNELS = ['アプリ', '現地', '旅行会社'];
const COUNTRIES = Array.from({ length: 26 * 26 }, (_, i) =>
  String.fromCharCode(65 + Math.floor(i / 26), 65 + (i % 26)),
);

/** Writes a CSV of about `bytes` with distinct keys (day × route × channel × country). */
function generate(path: string, bytes: number): number {
  const fd = openSync(path, 'w');
  writeSync(
    fd,
    '入山日,登山道,受付経路,国・地域,登録者数,入山料納付額(円),免除者数,山小屋宿泊\r\n',
  );
  let written = 0;
  let rows = 0;
  const day0 = Date.UTC(2000, 0, 1);
  for (let day = 0; written < bytes; day++) {
    const d = new Date(day0 + day * 86_400_000);
    const date = `${d.getUTCFullYear()}/${String(d.getUTCMonth() + 1).padStart(2, '0')}/${String(d.getUTCDate()).padStart(2, '0')}`;
    const parts: string[] = [];
    for (const r of ROUTES)
      for (const c of CHANNELS)
        for (const k of COUNTRIES) {
          const reg = 1 + ((day * 31 + k.charCodeAt(1)) % 90);
          parts.push(
            `${date},${r},${c},${k},${reg},"¥${(reg * 4000).toLocaleString('en-US')}",0,${reg >> 1}\r\n`,
          );
          rows++;
        }
    const block = parts.join('');
    writeSync(fd, block);
    written += Buffer.byteLength(block);
  }
  closeSync(fd);
  return rows;
}

function peakRssMb(): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : NaN;
}

async function streamed(path: string): Promise<{ rows: number; statements: number }> {
  const open = () => createReadStream(path);
  const reader = await openCsv(open(), contract, { source: path, reopen: async () => open() });
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

async function child(mode: string, path: string): Promise<void> {
  const t0 = performance.now();
  try {
    const r = mode === 'streamed' ? await streamed(path) : await baseline(path);
    const s = (performance.now() - t0) / 1000;
    console.log(JSON.stringify({ ok: true, ...r, seconds: s, peakMb: peakRssMb() }));
  } catch (err) {
    console.log(
      JSON.stringify({ ok: false, error: String(err).slice(0, 120), peakMb: peakRssMb() }),
    );
  }
}

/**
 * The streamed reader runs with a 256 MB heap cap (a small Lambda's share): left with a large
 * cap, V8 collects lazily and RSS shows garbage, not need. The baseline gets 8 GB.
 */
function measure(mode: string, path: string) {
  const heap = mode === 'streamed' ? 256 : 8192;
  const out = spawnSync(
    process.execPath,
    [`--max-old-space-size=${heap}`, self, '--child', mode, path],
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

async function main(): Promise<void> {
  const dir = join(localStackConfig().cacheDir, 'bench');
  mkdirSync(dir, { recursive: true });
  const files: [string, number][] = [
    ['100 MB', 100 * 1024 * 1024],
    ['1 GB', 1024 * 1024 * 1024],
  ];
  console.log(
    'CSV reading through the entry_registrations contract (peak RSS of each process; streamed with a 256 MB heap cap, baseline with 8 GB)',
  );
  console.log('file    mode      rows         seconds  rows/s      peak RSS');
  for (const [label, size] of files) {
    const path = join(dir, `entry-registrations-${size}.csv`);
    if (!existsSync(path) || statSync(path).size < size) {
      process.stderr.write(`generating ${path}…\n`);
      generate(path, size);
    }
    for (const mode of ['streamed', 'baseline']) {
      const r = measure(mode, path);
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
  }
  await engineLoad(dir);
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

if (process.argv[2] === '--child') await child(process.argv[3]!, process.argv[4]!);
else await main();
