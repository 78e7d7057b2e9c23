/**
 * A file too large for one invocation: read part-way, handed on, resumed by the function's own
 * next invocation, committed once at the end. Each invocation here may read for half a second.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { GetObjectTaggingCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { s3ClientFor } from '#shared/aws/s3.ts';
import { stringLiteral } from '#shared/sql/literal.ts';
import type { UploadOutcome } from '#connectors/csv_upload/upload.ts';
import { ensureUploadBucket, LOCAL_UPLOAD_BUCKET } from '#local/uploads/bucket.ts';
import { cliContext } from '../../cli/context.ts';
import { invoke, localLambda } from '../../tests/helpers/lambda.ts';
import { testEngine, testStaging, urls } from '../../tests/helpers/local.ts';
import type { ContinueEvent } from './handler.ts';

// Read by the handler when it is first imported: every invocation hands on half a second in.
const TIMEOUT_MS = 30_000;
process.env.FUJI_ETL_UPLOAD_COMMIT_RESERVE_MS = String(TIMEOUT_MS - 1_000 - 500);

const ROUTES = ['富士宮', '須走', '御殿場'];
const CHANNELS = ['アプリ', '現地', '旅行会社'];

/** 36,000 registrations over two years, two bad amounts and one repeated key among them. */
function registrations(): { csv: string; good: number } {
  const lines = ['入山日,登山道,受付経路,国・地域,登録者数,入山料納付額(円),免除者数,山小屋宿泊'];
  let good = 0;
  for (let d = 0; d < 1000; d++) {
    const day = new Date(Date.UTC(2024, 6, 1) + d * 86_400_000).toISOString().slice(0, 10);
    for (const r of ROUTES)
      for (const c of CHANNELS)
        for (const k of ['JP', 'US', 'TW', 'KR']) {
          const n = 1 + ((d * 7 + k.charCodeAt(0)) % 50);
          const bad = (d === 300 || d === 700) && k === 'US' && r === '須走' && c === '現地';
          lines.push(
            `${day.replaceAll('-', '/')},${r},${c},${k},${n},"¥${bad ? 'x' : (n * 4000).toLocaleString('en-US')}",0,${n >> 1}`,
          );
          if (!bad) good++;
        }
  }
  lines.push(lines[5]!); // the same key again, at the end
  return { csv: lines.join('\r\n') + '\r\n', good };
}

describe('an upload larger than one invocation', () => {
  it('goes on across invocations and lands once, whole', async () => {
    const lambda = await localLambda({ marginMs: 1_000 });
    const ctx = cliContext({ ...process.env, FUJI_ETL_TARGET: 'local' });
    const s3 = s3ClientFor(ctx.cfg);
    await ensureUploadBucket(s3, urls.moto, ctx.cfg.region, LOCAL_UPLOAD_BUCKET);
    const key = `uploads/entry_registrations/large-${randomBytes(4).toString('hex')}.csv`;
    const source = `s3://${LOCAL_UPLOAD_BUCKET}/${key}`;
    const { csv, good } = registrations();
    await s3.send(new PutObjectCommand({ Bucket: LOCAL_UPLOAD_BUCKET, Key: key, Body: csv }));
    const engine = testEngine();
    const rowsOfFile = async () =>
      Number(
        (
          await engine.query(
            `SELECT count(*) FROM ${engine.names.table('entry', 'registrations_daily')} WHERE source = ${stringLiteral(source)}`,
          )
        ).rows[0]![0],
      );
    const event = {
      Records: [
        {
          eventName: 'ObjectCreated:Put',
          s3: { bucket: { name: LOCAL_UPLOAD_BUCKET }, object: { key: encodeURIComponent(key) } },
        },
      ],
    };
    lambda.timeoutMs = TIMEOUT_MS;
    let handedOn: string | undefined;
    try {
      const first = await invoke<UploadOutcome[]>('csv_upload', event);
      expect(first.error).toBeUndefined();
      expect(first.result![0]!.status).toBe('continued');
      handedOn = first.result![0]!.continuation;
      // Handed on: nothing of the file is in the table yet.
      expect(await rowsOfFile()).toBe(0);
      await lambda.settled();
    } finally {
      lambda.timeoutMs = 900_000;
    }
    const chain = lambda.invocations.filter(
      (i) => (i.event as Partial<ContinueEvent>).continue?.key === key,
    );
    expect(chain.map((i) => i.error)).toEqual(chain.map(() => undefined));
    const outcomes = chain.map((i) => (i.result as UploadOutcome[])[0]!);
    // The S3 event's invocation and at least two more.
    expect(chain.length).toBeGreaterThanOrEqual(2);
    expect(outcomes.at(-1)!.status).toBe('loaded');
    expect(outcomes.slice(0, -1).every((o) => o.status === 'continued')).toBe(true);
    expect((chain.at(-1)!.event as ContinueEvent).continue.invocation).toBe(chain.length + 1);

    expect(await rowsOfFile()).toBe(good);
    const last = outcomes.at(-1)!.summary!.slices[0]!;
    // One commit for the whole file (the target table's; the quarantine has its own), as the
    // run recorded it: counting the declared table's snapshots would count other writers' too.
    const ours = last.snapshots?.find((x) => x.startsWith('entry.registrations_daily='));
    const ids = ours?.slice(ours.indexOf('=') + 1).split(',');
    expect(ids).toHaveLength(1);
    const committed = await engine.query(
      `SELECT count(*) FROM ${engine.names.metadata('entry', 'registrations_daily', 'snapshots')} WHERE snapshot_id = ${ids![0]}`,
    );
    expect(committed.rows[0]![0]).toBe(1n);
    expect(last).toMatchObject({ status: 'succeeded', rowsLoaded: good, rowsQuarantined: 3 });
    expect(last.rowsRead).toBe(last.rowsLoaded + last.rowsQuarantined + last.rowsSkipped);
    const ledger = await engine.query(
      `SELECT status, count(*) FROM "ops"."run_ledger" WHERE run_id = ${stringLiteral(outcomes[0]!.summary!.runId)} GROUP BY status ORDER BY status`,
    );
    expect(ledger.rows).toEqual([
      ['continued', BigInt(chain.length)],
      ['succeeded', 1n],
    ]);
    const q = await engine.query(
      `SELECT line_number, reason FROM "ops"."quarantine" WHERE source = ${stringLiteral(source)} ORDER BY line_number`,
    );
    expect(q.rows.map((r) => r[1])).toEqual([
      expect.stringMatching(/^fees_paid_jpy: not a number/),
      expect.stringMatching(/^fees_paid_jpy: not a number/),
      expect.stringMatching(/^duplicate key .* first used at line 6$/),
    ]);
    const tags = await s3.send(
      new GetObjectTaggingCommand({ Bucket: LOCAL_UPLOAD_BUCKET, Key: key }),
    );
    expect(tags.TagSet).toContainEqual({ Key: 'fuji-etl-loaded', Value: String(good) });
    // Every hand-over's continuation and stage is gone.
    const left = await testStaging().leftovers();
    for (const c of [handedOn, ...outcomes.slice(0, -1).map((o) => o.continuation)])
      expect(left).not.toContain(c);
  }, 600_000);
});
