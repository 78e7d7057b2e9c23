/**
 * `fuji-etl csv check|load|upload|replay|infer`: the data engineer's file commands.
 *   check <file> --dataset <name> [--encoding e]   dry run: encoding, header mapping, counts, first problems
 *   check <file> --contract <contract.yml>          the same against a contract file not yet deployed
 *   infer <file> [--dataset <name>] [--out f.yml]   draft a contract from a sample file (YAML)
 *   load <file|s3://bucket/key> [--dataset <name>]  load into the configured engine
 *   upload <file> --dataset <name>                  local stack: put into the upload bucket, let the S3 event load it
 *   replay [--dataset <name>]                       load quarantined records again after a contract fix
 */
import { createReadStream, readFileSync, statSync, writeFileSync } from 'node:fs';
import { stringify } from 'yaml';
import { basename, resolve } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { s3ClientFor } from '#shared/aws/s3.ts';
import type { Contract } from '#shared/csv/contract.ts';
import { ENCODINGS, type Encoding } from '#shared/csv/decode.ts';
import { openCsv, type FileReport } from '#shared/csv/read.ts';
import { replayQuarantine } from '#shared/csv/replay.ts';
import { FujiEtlError } from '#shared/errors/index.ts';
import { runConnector } from '#shared/runtime/run.ts';
import { contractFileDeps, contractFiles, contracts } from '#connectors/contracts.ts';
import { parseContractFile, validateContractFile } from '#shared/csv/contract-file.ts';
import { inferContract } from '#shared/csv/infer.ts';
import { csvFileConnector } from '#connectors/csv_upload/connector.ts';
import { loadUpload, type UploadOutcome } from '#connectors/csv_upload/upload.ts';
import { drainUploadEvents, ensureUploadBucket } from '#local/uploads/bucket.ts';
import { localUrls } from '#local/config.ts';
import { objectsOf } from '#shared/aws/s3-event.ts';
import { cliContext, ensureLocalStateTable, runDeps, type CliContext } from './context.ts';
import { formatRows } from './format.ts';
import { Progress } from './progress.ts';

export interface CsvValues {
  readonly dataset?: string;
  readonly encoding?: string;
  /** A contract file (YAML or JSON) instead of a deployed contract. */
  readonly contract?: string;
  readonly out?: string;
}

const usage = (m: string) => new FujiEtlError('USAGE', m);

function contractOf(name: string | undefined, file?: string): Contract {
  if (file) return parseContractFile(readFileSync(file, 'utf8'), file, contractFileDeps);
  const c = name ? contracts.get(name) : undefined;
  if (!c) throw usage(`--dataset must name a contract: ${[...contracts.keys()].join(', ')}`);
  return c;
}

function encodingOf(e: string | undefined): Encoding | undefined {
  if (e === undefined) return undefined;
  if (!(ENCODINGS as readonly string[]).includes(e))
    throw usage(`--encoding must be one of ${ENCODINGS.join(', ')}`);
  return e as Encoding;
}

/** The report as lines a person reads. */
export function describeReport(r: FileReport, contract: Contract): string[] {
  const out = [`encoding: ${r.detection.encoding} (${r.detection.by})`];
  if (r.header) {
    const m = r.header.map;
    const cols = [...m.columns].map(([name, i]) => `${name} ← column ${i + 1}`);
    const piv = [...m.unpivot].map(
      ([code, i]) => `${contract.unpivot!.column}=${code} ← column ${i + 1}`,
    );
    out.push(
      `header: line ${r.header.line}: ${[...cols, ...piv].join(', ')}${m.ignored.length ? `; ignored ${m.ignored.join(', ')}` : ''}`,
    );
    if (m.unknown.length > 0)
      out.push(`unknown columns (not loaded): ${m.unknown.join(', ')} (${m.layout} layout)`);
  }
  const s = r.skipped;
  out.push(
    `records: ${r.read} read = ${r.loaded} loaded + ${r.quarantined} quarantined + ${s.title + s.blank + s.note + s.total} skipped (title/header ${s.title}, blank ${s.blank}, note ${s.note}, total ${s.total})`,
  );
  for (const p of r.problems.slice(0, 10)) out.push(`  line ${p.line}: ${p.reason}`);
  return out;
}

/**
 * The file's bytes from `from`, the bytes read so far reported as they pass. Only the first read
 * is shown: a second pass (the duplicate check's) re-reads what the bar already counted.
 */
function readWithProgress(path: string, progress: Progress) {
  let opened = 0;
  return (from = 0): AsyncIterable<Uint8Array> => {
    const stream = createReadStream(path, { start: from });
    if (opened++ > 0) {
      progress.phase('second pass for repeated keys');
      return stream;
    }
    return (async function* () {
      let at = from;
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        at += chunk.byteLength;
        progress.bytes(at);
        yield chunk;
      }
    })();
  };
}

async function check(path: string, v: CsvValues): Promise<number> {
  const contract = contractOf(v.dataset, v.contract);
  const progress = fileProgress(`csv check ${basename(path)}`, path);
  const read = readWithProgress(path, progress);
  let rows = 0;
  let report: FileReport;
  try {
    const reader = await openCsv(read(), contract, {
      source: resolve(path),
      declared: encodingOf(v.encoding),
      reopen: async () => read(),
    });
    for await (const b of reader.batches()) {
      rows += b.rows.length;
      progress.batch(b.rowsRead);
    }
    report = reader.report;
  } finally {
    progress.finish();
  }
  console.log(
    `${path} as ${contract.name} → ${contract.table.namespace}.${contract.table.name} (dry run, ${rows} table rows)`,
  );
  for (const l of describeReport(report, contract)) console.log(l);
  return report.quarantined === 0 ? 0 : 1;
}

/** A file's progress: bytes read of its size. */
function fileProgress(label: string, path: string): Progress {
  const progress = new Progress({ label, unit: 'bytes' });
  progress.bytes(0, statSync(path).size);
  return progress;
}

function printOutcome(o: UploadOutcome, contract: Contract | undefined): void {
  console.log(
    `s3://${o.bucket}/${o.key}: ${o.status}${o.etag ? ` (ETag ${o.etag})` : ''}${o.error ? `: ${o.error}` : ''}`,
  );
  if (o.report && contract) for (const l of describeReport(o.report, contract)) console.log(l);
}

async function deps(ctx: CliContext) {
  await ensureLocalStateTable(ctx);
  return {
    ...runDeps(ctx, () => {}),
    s3: s3ClientFor(ctx.cfg),
    contracts,
    contractFileDeps,
  };
}

async function load(target: string, v: CsvValues): Promise<number> {
  const ctx = cliContext();
  const s3url = /^s3:\/\/([^/]+)\/(.+)$/.exec(target);
  if (s3url) {
    // A re-run of one object (after a failure or a contract fix): forced past the ETag check.
    const o = await loadUpload(
      await deps(ctx),
      { bucket: s3url[1]!, key: s3url[2]! },
      { force: true },
    );
    printOutcome(o, o.dataset ? contracts.get(o.dataset) : undefined);
    return o.status === 'loaded' ? 0 : 1;
  }
  const contract = contractOf(v.dataset, v.contract);
  const progress = fileProgress(`csv load ${basename(target)}`, target);
  const read = readWithProgress(target, progress);
  const file = csvFileConnector(contract, {
    source: `file://${basename(target)}`,
    declared: encodingOf(v.encoding),
    size: statSync(target).size,
    open: async (_signal, from) => read(from),
    onBatch: (b) => progress.batch(b.rowsRead),
  });
  const summary = await runConnector(file.connector, await deps(ctx)).finally(() =>
    progress.finish(),
  );
  const slice = summary.slices[0]!;
  console.log(
    `${target} → ${contract.table.namespace}.${contract.table.name}: ${slice.status} (run ${summary.runId})${slice.error ? `: ${slice.error}` : ''}`,
  );
  const report = file.report();
  if (report) for (const l of describeReport(report, contract)) console.log(l);
  return summary.ok ? 0 : 1;
}

/** Local only: the file goes into moto's upload bucket and comes back as an S3 event. */
export async function uploadLocal(
  file: string | Uint8Array,
  dataset: string,
  key = typeof file === 'string' ? basename(file) : 'upload.csv',
): Promise<UploadOutcome[]> {
  const ctx = cliContext();
  if (ctx.cfg.target !== 'local')
    throw usage(
      'csv upload puts into the local stack only; in AWS copy the file to the upload bucket',
    );
  const d = await deps(ctx);
  const bucket = await ensureUploadBucket(d.s3, localUrls().moto, ctx.cfg.region);
  await d.s3.send(
    new PutObjectCommand({
      Bucket: bucket.bucket,
      Key: `uploads/${dataset}/${key}`,
      Body: typeof file === 'string' ? readFileSync(file) : file,
    }),
  );
  const outcomes: UploadOutcome[] = [];
  await drainUploadEvents(bucket, async (event) => {
    // Events still queued for other objects are handled too, but reported by their own runs.
    for (const o of objectsOf(event)) {
      const outcome = await loadUpload(d, o);
      if (o.key === `uploads/${dataset}/${key}`) outcomes.push(outcome);
    }
  });
  return outcomes;
}

async function replay(v: CsvValues): Promise<number> {
  const ctx = cliContext();
  const results = await replayQuarantine(await deps(ctx), contracts, { contract: v.dataset });
  console.log(
    formatRows(
      ['connector', 'contract', 'considered', 'landed', 'still quarantined', 'error'],
      results.map((r) => [
        r.connector,
        r.contract,
        String(r.considered),
        String(r.landed),
        String(r.stillQuarantined),
        r.error ?? null,
      ]),
      'table',
    ),
  );
  return results.every((r) => !r.error && r.summary?.ok !== false) ? 0 : 1;
}

/** Prints (or writes) a draft contract for a sample file, its findings as comments. */
async function infer(path: string, v: CsvValues): Promise<number> {
  const like = v.dataset
    ? {
        contract: contractOf(v.dataset),
        file: validateContractFile(contractFiles.get(v.dataset), v.dataset),
      }
    : undefined;
  const { contract, findings } = await inferContract(createReadStream(path), {
    source: path,
    ...(like && { like }),
    vocabularies: contractFileDeps.vocabularies,
  });
  const text = `${findings.map((f) => `# ${f}`).join('\n')}\n${stringify(contract)}`;
  if (v.out) {
    writeFileSync(v.out, text);
    console.log(
      `draft contract for ${path} written to ${v.out}: edit it, then csv check ${path} --contract ${v.out}`,
    );
  } else process.stdout.write(text);
  return 0;
}

export async function csvCommand([action, target]: string[], v: CsvValues): Promise<number> {
  if (action === 'replay') return replay(v);
  if (!target)
    throw usage('csv check|load|upload|infer need a file (load also takes s3://bucket/key)');
  if (action === 'infer') return infer(target, v);
  if (action === 'check') return check(target, v);
  if (action === 'load') return load(target, v);
  if (action === 'upload') {
    const outcomes = await uploadLocal(target, contractOf(v.dataset).name);
    for (const o of outcomes) printOutcome(o, contracts.get(o.dataset ?? ''));
    return outcomes.every((o) => o.status !== 'failed') ? 0 : 1;
  }
  throw usage('csv needs check, load, upload or replay');
}
