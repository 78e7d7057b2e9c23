/**
 * What the deployed platform gets from infra/ and the local stack must make itself once moto is
 * up: the staging bucket (with the same one-day lifecycle rule on the prefix) and the staging
 * database in moto's Glue, which Trino's `awsdatacatalog` catalog reads as its metastore.
 * Idempotent, and cheap enough to run on every `stack up` (moto forgets on restart).
 */
import { CreateDatabaseCommand, GlueClient } from '@aws-sdk/client-glue';
import {
  PutBucketLifecycleConfigurationCommand,
  S3Client,
  type BucketLocationConstraint,
} from '@aws-sdk/client-s3';
import { LOCAL_STAGING } from '#local/config.ts';
import { LOCAL_REGION, localUrls, type LocalStackConfig } from '../config.ts';
import { createBucketOnce } from '../uploads/bucket.ts';

const CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

export async function configureStaging(cfg: LocalStackConfig): Promise<void> {
  const endpoint = localUrls(cfg).moto;
  const s3 = new S3Client({
    region: LOCAL_REGION,
    endpoint,
    credentials: CREDENTIALS,
    forcePathStyle: true,
  });
  const glue = new GlueClient({ region: LOCAL_REGION, endpoint, credentials: CREDENTIALS });
  const m = /^s3:\/\/([^/]+)\/(.*)$/.exec(LOCAL_STAGING.location)!;
  const [bucket, prefix] = [m[1]!, m[2]!];
  await createBucketOnce(s3, bucket, LOCAL_REGION as BucketLocationConstraint);
  await s3.send(
    new PutBucketLifecycleConfigurationCommand({
      Bucket: bucket,
      LifecycleConfiguration: {
        Rules: [
          {
            ID: 'expire-staging',
            Status: 'Enabled',
            Filter: { Prefix: prefix },
            Expiration: { Days: 1 },
          },
        ],
      },
    }),
  );
  try {
    await glue.send(
      new CreateDatabaseCommand({
        DatabaseInput: {
          Name: LOCAL_STAGING.database,
          Description: 'fuji-etl staging tables (local)',
        },
      }),
    );
  } catch (err) {
    if (!(err instanceof Error) || err.name !== 'AlreadyExistsException') throw err;
  }
  s3.destroy();
  glue.destroy();
}
