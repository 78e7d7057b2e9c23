/**
 * A 1 GB upload end to end on the local stack, as Lambda runs it: the generated 1 GB
 * entry-registrations export is put into the local upload bucket and its S3 event is given to
 * the csv_upload function through the local Lambda invoke API, with Lambda's real limits
 * (900 s per invocation, the deployed 30 s margin and 240 s commit reserve). The function hands
 * the file on to itself as often as it must; the last invocation commits.
 *
 * Prints each invocation (what it did, how long), the total, rows per second, the target
 * table's commits for the file (one per 100 partitions expected), and the peak RSS of this
 * process, which hosts the function as Lambda would.
 *
 *   node bench/large-upload.bench.ts           (FUJI_ETL_BENCH_UPLOAD_MB=1024 by default)
 *
 * Afterwards the file's rows are deleted from entry.registrations_daily and the object from the
 * bucket, so the tests and the demo never meet 20 million bench rows.
 */
import { createReadStream, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DeleteObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
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
  await s3.send(
    new PutObjectCommand({
      Bucket: LOCAL_UPLOAD_BUCKET,
      Key: key,
      Body: createReadStream(path),
      ContentLength: size,
    }),
  );
  // The bucket's own notification of the put: this bench gives the function the event itself.
  await drainUploadEvents(bucket, async () => {}, { waitSeconds: 1 });
  const engine = testEngine();
  const snapshots = async () =>
    Number(
      (await engine.query('SELECT count(*) FROM "entry"."registrations_daily$snapshots"'))
        .rows[0]![0],
    );
  const before = await snapshots();
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
    `DELETE FROM "entry"."registrations_daily" WHERE source = ${stringLiteral(source)}`,
  );
  await s3.send(new DeleteObjectCommand({ Bucket: LOCAL_UPLOAD_BUCKET, Key: key }));
  await lambda.close();
}

await main();
