/**
 * A 1 GB upload end to end on the local stack, as Lambda runs it: the generated 1 GB
 * entry-registrations export is put into the local upload bucket and its S3 event is given to
 * the csv_upload function through the local Lambda invoke API, with Lambda's real limits
 * (900 s per invocation, the deployed 30 s margin and 240 s commit reserve). The function hands
 * the file on to itself as often as it must; the last invocation commits.
 *
 * Prints what each invocation did, the total time, rows per second, the target
 * table's commits for the file (one per 100 partitions expected), and the peak RSS of this
 * process, which hosts the function as Lambda would.
 *
 *   npm run bench:upload     (FUJI_ETL_BENCH_UPLOAD_MB=1024 by default; Node gets the
 *                            function's --max-semi-space-size=32, as in its function.yml)
 *
 * Afterwards the file's rows are deleted from entry.registrations_daily and the object from the
 * bucket, so the tests and the demo never meet 20 million bench rows.
 */
import {
  closeSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  UploadPartCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { s3ClientFor } from '#shared/aws/s3.ts';
import { stringLiteral } from '#shared/sql/literal.ts';
import type { UploadOutcome } from '#connectors/csv_upload/upload.ts';
import { localStackConfig } from '#local/config.ts';
import { stackUp } from '#local/stack/index.ts';
import {
  drainUploadEvents,
  ensureUploadBucket,
  LOCAL_UPLOAD_BUCKET,
} from '#local/uploads/bucket.ts';
import { cliContext } from '../cli/context.ts';
import { invoke, localLambda } from '../tests/helpers/lambda.ts';
import { testEngine, urls } from '../tests/helpers/local.ts';
import { registrationsFile } from './registrations.ts';

const peakRssMb = () =>
  Math.round(
    Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))![1]) / 1024,
  );

/** A multipart upload of 64 MiB parts, as a browser or the CLI uploads a large file. */
async function putInParts(s3: S3Client, key: string, path: string): Promise<void> {
  const Bucket = LOCAL_UPLOAD_BUCKET;
  const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key: key }));
  const parts: { ETag: string; PartNumber: number }[] = [];
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(64 * 2 ** 20);
    for (let n = 1; ; n++) {
      const got = readSync(fd, buf, 0, buf.length, null);
      if (got === 0) break;
      const out = await s3.send(
        new UploadPartCommand({
          Bucket,
          Key: key,
          UploadId,
          PartNumber: n,
          Body: buf.subarray(0, got),
        }),
      );
      parts.push({ ETag: out.ETag!, PartNumber: n });
    }
  } finally {
    closeSync(fd);
  }
  await s3.send(
    new CompleteMultipartUploadCommand({
      Bucket,
      Key: key,
      UploadId,
      MultipartUpload: { Parts: parts },
    }),
  );
}

async function main(): Promise<void> {
  const mb = Number(process.env.FUJI_ETL_BENCH_UPLOAD_MB ?? 1024);
  const dir = join(localStackConfig().cacheDir, 'bench');
  mkdirSync(dir, { recursive: true });
  const path = registrationsFile(dir, mb * 1024 * 1024, (l) => process.stderr.write(`${l}\n`));
  await stackUp({ log: () => {} });
  const lambda = await localLambda({ marginMs: 30_000, timeoutMs: 900_000 });
  const ctx = cliContext({ ...process.env, FUJI_ETL_TARGET: 'local' });
  const s3 = s3ClientFor(ctx.cfg);
  const bucket = await ensureUploadBucket(s3, urls.moto, ctx.cfg.region, LOCAL_UPLOAD_BUCKET);
  const key = `uploads/entry_registrations/bench-${mb}mb.csv`;
  const source = `s3://${LOCAL_UPLOAD_BUCKET}/${key}`;
  const size = statSync(path).size;
  process.stderr.write(`putting ${size} bytes into ${source}…\n`);
  await putInParts(s3, key, path);
  // The bucket's own notification of the put: this bench gives the function the event itself.
  await drainUploadEvents(bucket, async () => {}, { waitSeconds: 1 });
  const engine = testEngine();
  const snapshots = async () =>
    Number(
      (
        await engine.query(
          `SELECT count(*) FROM ${engine.names.metadata('entry', 'registrations_daily', 'snapshots')}`,
        )
      ).rows[0]![0],
    );
  const before = await snapshots();
  // The peak from here on: the function's, not the put's (Linux resets VmHWM on "5").
  writeFileSync('/proc/self/clear_refs', '5');
  const t0 = performance.now();
  const first = await invoke<UploadOutcome[]>('csv_upload', {
    Records: [
      {
        eventName: 'ObjectCreated:Put',
        s3: { bucket: { name: LOCAL_UPLOAD_BUCKET }, object: { key } },
      },
    ],
  });
  await lambda.settled();
  const seconds = (performance.now() - t0) / 1000;
  if (first.error) throw new Error(first.error.errorMessage);
  const chain = lambda.invocations.filter(
    (i) => (i.event as { continue?: { key?: string } }).continue?.key === key,
  );
  const outcomes = [first.result![0]!, ...chain.map((i) => (i.result as UploadOutcome[])?.[0])];
  const commits = (await snapshots()) - before;
  console.log(
    `1 upload of ${(size / 2 ** 20).toFixed(0)} MiB through csv_upload (900 s invocations, 30 s margin, 240 s commit reserve)`,
  );
  console.log('invocation  status     rows read so far');
  outcomes.forEach((o, i) =>
    console.log(
      `${String(i + 1).padStart(10)}  ${(o?.status ?? String(chain[i - 1]?.error)).padEnd(9)}  ${o?.summary?.slices[0]?.rowsRead ?? ''}`,
    ),
  );
  const last = outcomes.at(-1)?.summary?.slices[0];
  const rows = last?.rowsLoaded ?? 0;
  console.log(
    `\n${outcomes.length} invocations, ${seconds.toFixed(0)} s, ${rows} rows loaded (${Math.round(rows / seconds)} rows/s), ${commits} commit(s) on the target table, ${last?.statements ?? 0} statements; peak RSS ${peakRssMb()} MB`,
  );
  await engine.query(
    `DELETE FROM ${engine.names.table('entry', 'registrations_daily')} WHERE source = ${stringLiteral(source)}`,
  );
  await s3.send(new DeleteObjectCommand({ Bucket: LOCAL_UPLOAD_BUCKET, Key: key }));
  await lambda.close();
}

await main();
