/**
 * The upload bucket on moto, wired like production's: ObjectCreated under `uploads/` raises an
 * S3 event notification. In AWS the notification invokes the csv_upload function; moto cannot
 * invoke Lambda without Docker, so locally it goes to an SQS queue (moto delivers there for
 * real) and `drainUploadEvents` hands each S3 event to the same handler.
 */
import {
  CreateBucketCommand,
  PutBucketNotificationConfigurationCommand,
  PutBucketVersioningCommand,
  type BucketLocationConstraint,
  type S3Client,
} from '@aws-sdk/client-s3';
import {
  CreateQueueCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { S3Event } from '#shared/aws/s3-event.ts';

export const LOCAL_UPLOAD_BUCKET = 'fuji-etl-uploads-local';
const QUEUE = 'fuji-etl-upload-events';

export interface UploadBucket {
  readonly bucket: string;
  readonly sqs: SQSClient;
  readonly queueUrl: string;
}

/** Creates a bucket on moto unless it is there already (moto keeps buckets until it restarts). */
export async function createBucketOnce(
  s3: S3Client,
  bucket: string,
  region?: BucketLocationConstraint,
): Promise<void> {
  try {
    await s3.send(
      new CreateBucketCommand({
        Bucket: bucket,
        ...(region && { CreateBucketConfiguration: { LocationConstraint: region } }),
      }),
    );
  } catch (err) {
    if (!(err instanceof Error) || !/BucketAlready(OwnedByYou|Exists)/.test(err.name)) throw err;
  }
}

export async function ensureUploadBucket(
  s3: S3Client,
  motoUrl: string,
  region: string,
  bucket = LOCAL_UPLOAD_BUCKET,
): Promise<UploadBucket> {
  const sqs = new SQSClient({
    region,
    endpoint: motoUrl,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: `${QUEUE}-${bucket}` }));
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }),
  );
  await createBucketOnce(s3, bucket);
  // Versioned like the deployed bucket (infra/storage.yml): contract files keep their history.
  await s3.send(
    new PutBucketVersioningCommand({
      Bucket: bucket,
      VersioningConfiguration: { Status: 'Enabled' },
    }),
  );
  await s3.send(
    new PutBucketNotificationConfigurationCommand({
      Bucket: bucket,
      NotificationConfiguration: {
        QueueConfigurations: [
          {
            QueueArn: Attributes!.QueueArn!,
            Events: ['s3:ObjectCreated:*'],
            Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'uploads/' }] } },
          },
        ],
      },
    }),
  );
  return { bucket, sqs, queueUrl: QueueUrl! };
}

/**
 * Receives the S3 events waiting in the queue (up to `max`, waiting up to `waitSeconds` for the
 * first) and deletes them once `handle` returns, so a handler failure leaves them for redelivery.
 */
export async function drainUploadEvents(
  b: UploadBucket,
  handle: (event: S3Event) => Promise<unknown>,
  opts: { waitSeconds?: number; max?: number } = {},
): Promise<number> {
  let handled = 0;
  for (;;) {
    const out = await b.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: b.queueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: handled === 0 ? (opts.waitSeconds ?? 2) : 0,
      }),
    );
    const messages = out.Messages ?? [];
    if (messages.length === 0) return handled;
    for (const m of messages) {
      const event = JSON.parse(m.Body ?? '{}') as Partial<S3Event>;
      // moto first posts an s3:TestEvent when the notification is configured; it has no Records.
      if (event.Records) await handle(event as S3Event);
      await b.sqs.send(
        new DeleteMessageCommand({ QueueUrl: b.queueUrl, ReceiptHandle: m.ReceiptHandle! }),
      );
      handled += event.Records ? 1 : 0;
      if (opts.max !== undefined && handled >= opts.max) return handled;
    }
  }
}
