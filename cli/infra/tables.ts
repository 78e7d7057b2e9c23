/**
 * The CloudFormation fragment for S3 Tables, generated from the models: one namespace per
 * domain and every table with its IcebergMetadata, compaction and snapshot settings.
 * IcebergMetadata is create-only: later schema changes go through ALTER TABLE, not here.
 */
import { icebergMetadata } from '#shared/model/iceberg-metadata.ts';
import { retentionOf } from '#shared/model/retention.ts';
import type { TableModel } from '#shared/model/table.ts';
import { bucketArn, bucketOf, extraTableBuckets } from './buckets.ts';
import { pascal } from './names.ts';

export function tablesTemplate(
  models: readonly TableModel[],
  extraNamespaces: readonly string[] = [],
) {
  // Each namespace in its domain's table bucket (shared/model/domains.ts).
  const arnOf = (ns: string) => bucketArn(bucketOf(ns).id);
  const resources: Record<string, unknown> = { ...extraTableBuckets() };
  for (const ns of [...new Set([...models.map((m) => m.namespace), ...extraNamespaces])]) {
    resources[`Namespace${pascal(ns)}`] = {
      Type: 'AWS::S3Tables::Namespace',
      Properties: { TableBucketARN: arnOf(ns), Namespace: ns },
    };
  }
  for (const m of models) {
    resources[`Table${pascal(m.namespace)}${pascal(m.name)}`] = {
      Type: 'AWS::S3Tables::Table',
      DependsOn: [`Namespace${pascal(m.namespace)}`],
      Properties: {
        TableBucketARN: arnOf(m.namespace),
        Namespace: m.namespace,
        TableName: m.name,
        OpenTableFormat: 'ICEBERG',
        IcebergMetadata: icebergMetadata(m),
        Compaction: { Status: 'enabled', TargetFileSizeMB: 512 },
        // The restore window of the table's domain (shared/model/retention.ts says why).
        SnapshotManagement: {
          Status: 'enabled',
          MinSnapshotsToKeep: retentionOf(m).minSnapshotsToKeep,
          MaxSnapshotAgeHours: retentionOf(m).maxSnapshotAgeHours,
        },
      },
    };
  }
  return { Resources: resources };
}
