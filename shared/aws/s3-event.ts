/** The S3 event notification's shape, as S3 sends it to Lambda, SQS or SNS. */

export interface S3EventRecord {
  readonly eventName: string;
  readonly s3: {
    readonly bucket: { readonly name: string };
    readonly object: { readonly key: string; readonly eTag?: string; readonly size?: number };
  };
}

export interface S3Event {
  readonly Records: readonly S3EventRecord[];
}

/**
 * The objects an event names. Keys arrive URL-encoded with spaces as "+", so a Japanese file
 * name reads `uploads/x/%E5%AF%8C%E5%A3%AB.csv` until decoded.
 */
export function objectsOf(event: S3Event): { bucket: string; key: string; eTag?: string }[] {
  return event.Records.filter((r) => r.eventName.startsWith('ObjectCreated:')).map((r) => ({
    bucket: r.s3.bucket.name,
    key: decodeURIComponent(r.s3.object.key.replaceAll('+', ' ')),
    ...(r.s3.object.eTag && { eTag: r.s3.object.eTag }),
  }));
}
