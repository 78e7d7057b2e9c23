/**
 * The S3 client and the calls the file loaders make: read an object (or one version of it) as a
 * stream, tag its outcome, list the versions under a prefix. Apart from clients.ts so that only bundles that touch S3 carry its SDK (~700 KiB).
 */
import {
  GetObjectCommand,
  GetObjectTaggingCommand,
  ListObjectVersionsCommand,
  PutObjectTaggingCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { FujiEtlError } from '../errors/index.ts';
import { clientOptions, perConfig } from './clients.ts';

/** Path-style on a custom endpoint: moto serves buckets under the path, not a subdomain. */
export const s3ClientFor = perConfig(
  (cfg) =>
    new S3Client({
      ...clientOptions(cfg, cfg.awsEndpoint),
      forcePathStyle: cfg.awsEndpoint !== undefined,
    }),
);

export interface OpenedObject {
  readonly etag: string;
  readonly size?: number;
  readonly body: AsyncIterable<Uint8Array>;
}

/** Streams an object: the body is consumed chunk by chunk, never held whole. */
export async function openObject(
  s3: S3Client,
  bucket: string,
  key: string,
  opts: {
    readonly signal?: AbortSignal;
    readonly ifMatch?: string;
    readonly versionId?: string;
    /** First byte to read (a resumed read); the rest of the object from there. */
    readonly from?: number;
  } = {},
): Promise<OpenedObject> {
  try {
    // IfMatch: a second read must see the same version, or fail rather than mix two versions.
    const out = await s3.send(
      new GetObjectCommand({
        Bucket: bucket,
        Key: key,
        ...(opts.ifMatch && { IfMatch: `"${opts.ifMatch}"` }),
        ...(opts.versionId && { VersionId: opts.versionId }),
        ...(opts.from && { Range: `bytes=${opts.from}-` }),
      }),
      { abortSignal: opts.signal },
    );
    return {
      etag: (out.ETag ?? '').replaceAll('"', ''),
      ...(out.ContentLength !== undefined && { size: out.ContentLength }),
      body: out.Body as AsyncIterable<Uint8Array>,
    };
  } catch (err) {
    const name = err instanceof Error ? err.name : '';
    throw new FujiEtlError('S3_GET', `cannot read s3://${bucket}/${key}: ${name || String(err)}`, {
      retryable: name !== 'NoSuchKey' && name !== 'AccessDenied',
      context: { bucket, key },
      cause: err,
    });
  }
}

/** Replaces the object's tags (S3 tag values allow letters, digits, spaces and + - = . _ : / @). */
export async function tagObject(
  s3: S3Client,
  bucket: string,
  key: string,
  tags: Readonly<Record<string, string>>,
): Promise<void> {
  await s3.send(
    new PutObjectTaggingCommand({
      Bucket: bucket,
      Key: key,
      Tagging: {
        TagSet: Object.entries(tags).map(([Key, Value]) => ({
          Key,
          Value: Value.replace(/[^\p{L}\p{N} +\-=._:/@]/gu, '_').slice(0, 256),
        })),
      },
    }),
  );
}

export async function objectTags(
  s3: S3Client,
  bucket: string,
  key: string,
): Promise<Record<string, string>> {
  const out = await s3.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: key }));
  return Object.fromEntries((out.TagSet ?? []).map((t) => [t.Key ?? '', t.Value ?? '']));
}

export interface ObjectVersion {
  readonly key: string;
  readonly versionId: string;
  readonly lastModified: Date;
}

/** Every version of the objects under a prefix, newest first (deleted ones left out). */
export async function listVersions(
  s3: S3Client,
  bucket: string,
  prefix: string,
): Promise<ObjectVersion[]> {
  const out: ObjectVersion[] = [];
  let keyMarker: string | undefined;
  let versionMarker: string | undefined;
  do {
    const page = await s3.send(
      new ListObjectVersionsCommand({
        Bucket: bucket,
        Prefix: prefix,
        ...(keyMarker && { KeyMarker: keyMarker }),
        ...(versionMarker && { VersionIdMarker: versionMarker }),
      }),
    );
    for (const v of page.Versions ?? [])
      out.push({
        key: v.Key ?? '',
        versionId: v.VersionId ?? 'null',
        lastModified: v.LastModified ?? new Date(0),
      });
    keyMarker = page.IsTruncated ? page.NextKeyMarker : undefined;
    versionMarker = page.IsTruncated ? page.NextVersionIdMarker : undefined;
  } while (keyMarker);
  return out.sort((a, b) => b.lastModified.getTime() - a.lastModified.getTime());
}
