/** Writes one object (a rendered report): the only S3 write the report function makes. */
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';

export async function putObject(
  s3: S3Client,
  bucket: string,
  key: string,
  body: string,
  contentType: string,
  signal?: AbortSignal,
): Promise<void> {
  await s3.send(
    new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: contentType }),
    { abortSignal: signal },
  );
}
