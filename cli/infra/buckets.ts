/**
 * Where each namespace lives: its domain's table bucket (shared/model/domains.ts), and the names
 * CloudFormation, Glue and Lake Formation give that bucket. Every fragment that names a bucket,
 * a catalog or a namespace's ARNs asks here, so a domain moved to another bucket moves everywhere.
 */
import {
  domainOf,
  TABLE_BUCKETS,
  type TableBucketDef,
  type TableBucketId,
} from '#shared/model/domains.ts';
import { getAtt } from './names.ts';

export function bucketOf(namespace: string): TableBucketDef {
  return TABLE_BUCKETS[domainOf(namespace).bucket];
}

/** `AWS::S3Tables::TableBucket`'s ARN, for TableBucketARN and IAM resources. */
export const bucketArn = (b: TableBucketId) => getAtt(TABLE_BUCKETS[b].logicalId, 'TableBucketARN');

/** The Lake Formation CatalogId of a table bucket: `<account>:s3tablescatalog/<bucket>`. */
export const lfCatalogId = (b: TableBucketId) =>
  `\${AWS::AccountId}:s3tablescatalog/${TABLE_BUCKETS[b].nameVar}`;

/** The Glue ARNs a principal needs to reach one namespace of a bucket (read or write). */
export function glueArns(b: TableBucketId, namespace: string): string[] {
  const glue = 'arn:aws:glue:${AWS::Region}:${AWS::AccountId}';
  const name = TABLE_BUCKETS[b].nameVar;
  return [
    `${glue}:catalog`,
    `${glue}:catalog/s3tablescatalog`,
    `${glue}:catalog/s3tablescatalog/${name}`,
    `${glue}:database/s3tablescatalog/${name}/${namespace}`,
    `${glue}:table/s3tablescatalog/${name}/${namespace}/*`,
  ];
}

/**
 * The Glue catalog ARN of a table bucket: the Firehose CatalogARN and the zero-ETL TargetArn
 * (docs/infra.md cites the AWS documentation for the form).
 */
export const glueCatalogArn = (b: TableBucketId) =>
  `arn:aws:glue:\${AWS::Region}:\${AWS::AccountId}:catalog/s3tablescatalog/${TABLE_BUCKETS[b].nameVar}`;

/** The table buckets other than the lake's (declared in infra/s3tables-tables.json). */
export function extraTableBuckets() {
  const r: Record<string, unknown> = {};
  for (const b of Object.values(TABLE_BUCKETS)) {
    if (b.logicalId === 'TableBucket') continue; // infra/storage.yml, since the first deploy
    r[b.logicalId] = {
      Type: 'AWS::S3Tables::TableBucket',
      Properties: {
        TableBucketName: b.nameVar,
        UnreferencedFileRemoval: { Status: 'Enabled', UnreferencedDays: 7, NoncurrentDays: 10 },
      },
    };
  }
  return r;
}
