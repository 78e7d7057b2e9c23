/**
 * Athena's catalogs on the local Trino. In AWS every table bucket is a catalog of its own
 * (`s3tablescatalog/<bucket>`) and the Glue Data Catalog is `AwsDataCatalog`; locally each kind
 * of bucket is a Trino Iceberg catalog with its own warehouse, so a statement that names an
 * uploaded-data table without its catalog finds no such table in the lake, as it would in AWS.
 *
 * | Athena catalog | Trino catalog |
 * |---|---|
 * | `s3tablescatalog/<name>-uploads` (the uploads bucket of any stage) | `uploads` |
 * | any other `s3tablescatalog/<name>` (the lake's bucket) | `iceberg` |
 * | `AwsDataCatalog` (staging tables; any letter case) | `awsdatacatalog` (Hive over moto's Glue and S3) |
 *
 * The buckets' names follow serverless.yml (`<lake bucket>-uploads`), so no list of stages is
 * kept here. Any other catalog fails as Athena fails it (CATALOG_NOT_FOUND).
 */

import { TABLE_BUCKET_CATALOG_RE } from '#shared/sql/table-names.ts';

export const TRINO_CATALOGS = {
  lake: 'iceberg',
  uploads: 'uploads',
  glue: 'awsdatacatalog',
} as const;

export type TrinoCatalog = (typeof TRINO_CATALOGS)[keyof typeof TRINO_CATALOGS];

/** The Trino catalog an Athena catalog is served by, or undefined when Athena would not know it. */
export function trinoCatalogOf(athenaCatalog: string | undefined): TrinoCatalog | undefined {
  if (athenaCatalog === undefined) return TRINO_CATALOGS.lake;
  if (athenaCatalog.toLowerCase() === 'awsdatacatalog') return TRINO_CATALOGS.glue;
  const bucket = TABLE_BUCKET_CATALOG_RE.exec(athenaCatalog)?.[1];
  if (bucket === undefined) return undefined;
  return bucket.endsWith('-uploads') ? TRINO_CATALOGS.uploads : TRINO_CATALOGS.lake;
}

/**
 * The statement with each quoted table-bucket catalog (`"s3tablescatalog/<bucket>"`) replaced
 * by its Trino catalog. Only that quoted spelling is rewritten: it is how the suite's table
 * names write a catalog (shared/sql/table-names.ts), and a bucket name cannot hold a quote.
 */
export function toTrinoSql(sql: string): string {
  return sql.replace(/"(s3tablescatalog\/[a-z0-9-]+)"/g, (whole, catalog: string) => {
    const trino = trinoCatalogOf(catalog);
    return trino === undefined ? whole : `"${trino}"`;
  });
}
