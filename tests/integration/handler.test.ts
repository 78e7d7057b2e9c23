/**
 * The Lambda handler as deployed (target aws, Athena/DynamoDB clients from the environment),
 * pointed at the local stack by endpoint configuration only, invoked with the sample events.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GetObjectTaggingCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { stringLiteral } from '#shared/sql/literal.ts';
import { s3ClientFor } from '#shared/aws/s3.ts';
import {
  drainUploadEvents,
  ensureUploadBucket,
  LOCAL_UPLOAD_BUCKET,
} from '#local/uploads/bucket.ts';
import { cliContext, ensureLocalStateTable } from '../../cli/context.ts';
import { testEngine, urls } from '../helpers/local.ts';

const event = (name: string) =>
  JSON.parse(readFileSync(new URL(`../../events/${name}`, import.meta.url), 'utf8'));

async function loadHandler() {
  Object.assign(process.env, {
    FUJI_ETL_TARGET: 'aws',
    FUJI_ETL_ATHENA_ENDPOINT: urls.athena,
    FUJI_ETL_AWS_ENDPOINT: urls.moto,
    FUJI_ETL_SQL_DIALECT: 'trino',
    FUJI_ETL_ATHENA_WORKGROUP: 'primary',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
  });
  await ensureLocalStateTable(cliContext({ ...process.env, FUJI_ETL_TARGET: 'local' }));
  return import('../../functions/run-connector/handler.ts');
}

describe('the run-connector Lambda handler', () => {
  it('backfills the sample event range and records it in the ledger', async () => {
    const { handler } = await loadHandler();
    const summary = await handler(event('run-connector-backfill.json'), {
      getRemainingTimeInMillis: () => 900_000,
    });
    expect(summary.ok).toBe(true);
    expect(summary.slices.map((s) => s.slice)).toEqual(['2026-07-10', '2026-07-11']);
    const ledger = await testEngine().query(
      `SELECT count(*) FROM "ops"."run_ledger" WHERE run_id = ${stringLiteral(summary.runId)}`,
    );
    expect(ledger.rows[0]![0]).toBe(2n);
  });

  it('rejects an event with half a range before touching anything', async () => {
    const { handler } = await loadHandler();
    await expect(
      handler(
        { connector: 'synthetic', from: '2026-07-10' },
        { getRemainingTimeInMillis: () => 900_000 },
      ),
    ).rejects.toThrow(/both/);
  });
});

describe('the csv-upload Lambda handler', () => {
  it('loads the object its sample S3 event names, decoding the Japanese key', async () => {
    await loadHandler();
    const { handler } = await import('../../functions/csv-upload/handler.ts');
    const ctx = cliContext({ ...process.env, FUJI_ETL_TARGET: 'local' });
    const s3 = s3ClientFor(ctx.cfg);
    const bucket = await ensureUploadBucket(s3, urls.moto, ctx.cfg.region, LOCAL_UPLOAD_BUCKET);
    const key = 'uploads/pref_climbers_5th/令和7年 5合目調査.csv';
    await s3.send(
      new PutObjectCommand({
        Bucket: LOCAL_UPLOAD_BUCKET,
        Key: key,
        Body: readFileSync(
          new URL(
            '../../connectors/csv_upload/samples/pref_climbers_5th.sjis.csv',
            import.meta.url,
          ),
        ),
      }),
    );
    const outcomes = await handler(event('csv-upload-object-created.json'), {
      getRemainingTimeInMillis: () => 900_000,
    });
    expect(outcomes).toHaveLength(1);
    expect(outcomes[0]).toMatchObject({ key, dataset: 'pref_climbers_5th' });
    // Loaded now, or unchanged when an earlier run of this test already loaded these bytes.
    expect(['loaded', 'unchanged']).toContain(outcomes[0]!.status);
    const tags = await s3.send(
      new GetObjectTaggingCommand({ Bucket: LOCAL_UPLOAD_BUCKET, Key: key }),
    );
    expect(tags.TagSet).toContainEqual({ Key: 'fuji-etl-status', Value: 'processed' });
    // The put also queued moto's own notification; this test delivered the sample event instead.
    await drainUploadEvents(bucket, async () => {}, { waitSeconds: 1 });
  }, 120_000);
});
