import { describe, expect, it } from 'vitest';
import { toTrinoSql, trinoCatalogOf } from './catalogs.ts';

describe("the local Athena endpoint's catalogs", () => {
  it('serves each kind of table bucket from its own Trino catalog, and Glue from the Hive one', () => {
    expect(trinoCatalogOf(undefined)).toBe('iceberg');
    expect(trinoCatalogOf('s3tablescatalog/fuji-etl')).toBe('iceberg');
    expect(trinoCatalogOf('s3tablescatalog/fuji-etl-test')).toBe('iceberg');
    expect(trinoCatalogOf('s3tablescatalog/fuji-etl-uploads')).toBe('uploads');
    expect(trinoCatalogOf('s3tablescatalog/fuji-etl-test-uploads')).toBe('uploads');
    expect(trinoCatalogOf('AwsDataCatalog')).toBe('awsdatacatalog');
    expect(trinoCatalogOf('awsdatacatalog')).toBe('awsdatacatalog');
    // Athena knows no such catalog: the execution fails instead of landing anywhere.
    expect(trinoCatalogOf('iceberg')).toBeUndefined();
    expect(trinoCatalogOf('s3tablescatalog/')).toBeUndefined();
  });

  it('rewrites only quoted table-bucket catalogs in front of a name', () => {
    expect(
      toTrinoSql(
        'MERGE INTO "s3tablescatalog/fuji-etl-uploads"."climbing"."counts" AS t USING ' +
          '"awsdatacatalog"."fuji_etl_staging"."s1" AS s ON TRUE ' +
          "WHEN NOT MATCHED THEN INSERT VALUES ('s3tablescatalog/fuji-etl-uploads')",
      ),
    ).toBe(
      'MERGE INTO "uploads"."climbing"."counts" AS t USING ' +
        '"awsdatacatalog"."fuji_etl_staging"."s1" AS s ON TRUE ' +
        "WHEN NOT MATCHED THEN INSERT VALUES ('s3tablescatalog/fuji-etl-uploads')",
    );
    expect(toTrinoSql('SELECT * FROM "s3tablescatalog/fuji-etl"."ops"."run_ledger"')).toBe(
      'SELECT * FROM "iceberg"."ops"."run_ledger"',
    );
  });
});
