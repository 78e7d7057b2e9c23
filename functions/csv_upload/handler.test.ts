import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GetObjectTaggingCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { s3ClientFor } from '#shared/aws/s3.ts';
import type { UploadOutcome } from '#connectors/csv_upload/upload.ts';
import {
  drainUploadEvents,
  ensureUploadBucket,
  LOCAL_UPLOAD_BUCKET,
} from '#local/uploads/bucket.ts';
import { cliContext } from '../../cli/context.ts';
import { invoke, localLambda, sampleEvent } from '../../tests/helpers/lambda.ts';
import { urls } from '../../tests/helpers/local.ts';

describe('the csv_upload function', () => {
  it('loads the object its sample S3 event names, decoding the Japanese key, and tags it', async () => {
    await localLambda();
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
    const { result, error } = await invoke<UploadOutcome[]>(
      'csv_upload',
      sampleEvent('csv_upload'),
    );
    expect(error).toBeUndefined();
    expect(result).toHaveLength(1);
    expect(result![0]).toMatchObject({ key, dataset: 'pref_climbers_5th' });
    // Loaded now, or unchanged when an earlier run of this test already loaded these bytes.
    expect(['loaded', 'unchanged']).toContain(result![0]!.status);
    const tags = await s3.send(
      new GetObjectTaggingCommand({ Bucket: LOCAL_UPLOAD_BUCKET, Key: key }),
    );
    expect(tags.TagSet).toContainEqual({ Key: 'fuji-etl-status', Value: 'processed' });
    // The put also queued moto's own notification; this test delivered the sample event instead.
    await drainUploadEvents(bucket, async () => {}, { waitSeconds: 1 });
  });
});
