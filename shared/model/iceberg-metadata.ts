/**
 * The `AWS::S3Tables::Table` IcebergMetadata for a model. It is create-only in CloudFormation:
 * changing it replaces the table (and drops its data), so schema changes after the first deploy
 * go through ALTER TABLE (see ddl.ts), never through the template.
 */
import type { PartitionField, TableModel } from './table.ts';

function transformName(p: PartitionField): string {
  return p.transform === 'bucket' || p.transform === 'truncate'
    ? `${p.transform}[${p.width}]`
    : p.transform;
}

export function icebergMetadata(model: TableModel) {
  const ids = new Map(model.columns.map((c, i) => [c.name, i + 1] as const));
  const id = (name: string) => ids.get(name)!;
  return {
    IcebergSchema: {
      SchemaFieldList: model.columns.map((c) => ({
        Id: id(c.name),
        Name: c.name,
        Type: c.type,
        Required: c.required === true,
      })),
    },
    ...(model.partitionBy.length > 0 && {
      IcebergPartitionSpec: {
        SpecId: 0,
        Fields: model.partitionBy.map((p, i) => ({
          SourceId: id(p.column),
          Transform: transformName(p),
          Name: p.transform === 'identity' ? p.column : `${p.column}_${p.transform}`,
          FieldId: 1000 + i,
        })),
      },
    }),
    ...(model.sortBy.length > 0 && {
      IcebergSortOrder: {
        OrderId: 1,
        Fields: model.sortBy.map((s) => ({
          SourceId: id(s.column),
          Transform: 'identity',
          Direction: s.direction ?? 'asc',
          NullOrder: s.nulls === 'last' ? 'nulls-last' : 'nulls-first',
        })),
      },
    }),
    TableProperties: {
      'write.format.default': 'parquet',
      'write.parquet.compression-codec': 'zstd',
      comment: `${model.doc.ja} / ${model.doc.en}`,
    },
  };
}
