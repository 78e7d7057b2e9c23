/**
 * Node's share of an upload's load, without the stack: a generated 1,000,000-row
 * `parking_shuttle` file (CP932, one year partition) from its bytes to finished Parquet part
 * buffers, through the same code the upload function runs (openCsv → the TableWriter of a
 * `replace` slice, staging into a staging area whose S3 and Glue clients only count the bytes).
 * Only the S3 put and the SQL are left out; write-path.bench.ts measures them on the stack.
 *
 * Phases, each in its own process with the upload function's `--max-semi-space-size=32` (own
 * peak RSS), side by side in one run:
 *
 *   read    – bytes → decode → records → contract rows (the reader alone, the baseline)
 *   encode  – read + the writer's validation and encoding of every row (parts not built)
 *   parts   – read + encode + Parquet parts: what the upload does before its S3 puts
 *
 * Target (issue 13): `parts` ≥ ~165,000 rows/s, so that Node's share of a 1M-row load is ≤ 6 s.
 *
 *   node bench/encode-path.bench.ts [rows]          (part of `npm run bench`; no stack needed)
 *
 * Settings (environment): FUJI_ETL_BENCH_RUNS=3 (runs per phase, the best is shown),
 * FUJI_ETL_BENCH_PHASES=read,parts (only these), FUJI_ETL_BENCH_PROF=dir (each child writes a
 * CPU profile, --cpu-prof, into dir).
 */
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { GlueClient } from '@aws-sdk/client-glue';
import type { S3Client } from '@aws-sdk/client-s3';
import { contracts } from '#connectors/contracts.ts';
import { contractTarget } from '#shared/csv/contract.ts';
import { openCsv } from '#shared/csv/read.ts';
import { encodeRow } from '#shared/writer/plan.ts';
import { StagingArea } from '#shared/writer/staging.ts';
import { TableWriter } from '#shared/writer/table-writer.ts';
import { peakRssMb, runChild } from './child.ts';
import { generate } from './parking.ts';

const self = fileURLToPath(import.meta.url);
const contract = contracts.get('parking_shuttle')!;
const PHASES = ['read', 'encode', 'parts'] as const;
type Phase = (typeof PHASES)[number];

/**
 * A staging area whose clients take every call and keep nothing of the parts but their count,
 * size and digest (the same file gives the same parts, whatever the version of the code).
 */
function countingStaging() {
  let parts = 0;
  let bytes = 0;
  const digest = createHash('sha256');
  const s3 = {
    send: async (cmd: { input: { Body?: unknown } }) => {
      const body = cmd.input.Body;
      if (body instanceof Uint8Array) {
        parts++;
        bytes += body.length;
        digest.update(body);
      }
      return {};
    },
  };
  const glue = { send: async () => ({}) };
  const staging = new StagingArea(
    { location: 's3://bench-staging/stage/', database: 'bench_staging' },
    { s3: s3 as unknown as S3Client, glue: glue as unknown as GlueClient },
  );
  return {
    staging,
    parts: () => parts,
    bytes: () => bytes,
    digest: () => digest.digest('hex').slice(0, 12),
  };
}

async function child(phase: Phase, path: string): Promise<void> {
  // Streamed like an S3 body, in 64 KiB chunks.
  const open = async () => createReadStream(path);
  const { staging, parts, bytes, digest } = countingStaging();
  const target = contractTarget(contract);
  // As runConnector makes the slice's writer for a contract table (uniqueKeys: the reader
  // quarantines repeated keys).
  const writer = new TableWriter(undefined as never, target.model, {
    disposition: 'replace',
    staging,
    uniqueKeys: true,
    trackSnapshots: true,
  });
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const reader = await openCsv(await open(), contract, {
    source: 's3://bench/uploads/parking_shuttle/parking.csv',
    version: '"etag"',
    sizeHint: statSync(path).size,
    reopen: open,
  });
  let rows = 0;
  for await (const b of reader.batches()) {
    rows += b.rows.length;
    if (phase === 'encode') for (const r of b.rows) encodeRow(target.model, r);
    else if (phase === 'parts') {
      const rejected = await writer.add(b.rows);
      if (rejected.length > 0) throw new Error(`rejected: ${rejected[0]!.reason}`);
    }
  }
  // The last part, as commit writes it before its statement.
  if (phase === 'parts') await writer.suspend();
  const seconds = (performance.now() - t0) / 1000;
  const { user, system } = process.cpuUsage(cpu0);
  const cpu = (user + system) / 1e6;
  console.log(
    JSON.stringify({
      rows,
      seconds,
      cpu,
      parts: parts(),
      bytes: bytes(),
      digest: phase === 'parts' ? digest() : '',
      peakMb: peakRssMb(),
    }),
  );
}

function measure(phase: Phase, path: string) {
  const prof = process.env.FUJI_ETL_BENCH_PROF;
  return runChild<{
    rows: number;
    seconds: number;
    cpu: number;
    parts: number;
    bytes: number;
    digest: string;
    peakMb: number;
  }>(phase, [
    '--max-semi-space-size=32',
    ...(prof
      ? ['--cpu-prof', `--cpu-prof-dir=${resolve(prof)}`, `--cpu-prof-name=${phase}.cpuprofile`]
      : []),
    self,
    '--child',
    phase,
    path,
  ]);
}

async function main(n: number): Promise<void> {
  console.log(
    `Encode path: ${n} parking_shuttle rows (CP932, one year partition), file bytes → Parquet part buffers, no stack`,
  );
  const dir = join(tmpdir(), 'fuji-etl-bench');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `parking-shuttle-${n}.csv`);
  if (!existsSync(path) || statSync(path).size === 0) generate(path, n);
  // The best of a few runs: another process on the machine slows a run, never speeds it up.
  const runs = Number(process.env.FUJI_ETL_BENCH_RUNS ?? 3);
  console.log(`best of ${runs} runs per phase, each in its own process`);
  console.log(
    'phase        s   cpu s     rows/s  parts    MiB  peak RSS | Node share of 1M rows  parts digest',
  );
  const only = process.env.FUJI_ETL_BENCH_PHASES?.split(',');
  for (const phase of PHASES.filter((p) => !only || only.includes(p))) {
    const all = Array.from({ length: runs }, () => measure(phase, path));
    for (const x of all) if (x.rows !== n) throw new Error(`${phase}: ${x.rows} rows of ${n}`);
    const x = all.reduce((a, b) => (b.seconds < a.seconds ? b : a));
    console.log(
      [
        phase.padEnd(7),
        x.seconds.toFixed(2).padStart(6),
        x.cpu.toFixed(2).padStart(7),
        String(Math.round(n / x.seconds)).padStart(10),
        String(x.parts).padStart(6),
        (x.bytes / 1024 / 1024).toFixed(1).padStart(6),
        `${Math.max(...all.map((r) => r.peakMb))} MB`.padStart(9),
        '|',
        `${((x.seconds * 1_000_000) / n).toFixed(1)} s`.padStart(21),
        x.digest.padStart(13),
      ].join(' '),
    );
  }
}

if (process.argv[2] === '--child') await child(process.argv[3] as Phase, process.argv[4]!);
else await main(Number(process.argv[2] ?? 1_000_000));
