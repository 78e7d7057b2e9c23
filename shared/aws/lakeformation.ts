/**
 * Lake Formation grants on an S3 Tables catalog. CloudFormation's PrincipalPermissions takes a
 * 12-character CatalogId and so cannot name `<account>:s3tablescatalog/<bucket>`; the API can.
 */
import type { LakeFormationClient } from '@aws-sdk/client-lakeformation';
import {
  GrantPermissionsCommand,
  RevokePermissionsCommand,
  type Permission,
  type Resource,
} from '@aws-sdk/client-lakeformation';

export interface GrantSpec {
  /** IAM role (or user) ARN of the grantee. */
  readonly Principal: string;
  /** `<account>:s3tablescatalog/<table bucket>`. */
  readonly CatalogId: string;
  /** The namespace (a Glue database in the S3 Tables catalog); unused at `catalog` level. */
  readonly Database: string;
  /**
   * `catalog`: on the table bucket's catalog (CREATE_DATABASE, DESCRIBE); `database`: on the
   * namespace itself (CREATE_TABLE, DESCRIBE); `tables`: on all its tables; `table`: on one
   * table; `columns`: on one table's columns except `ExcludedColumns` (personal data kept out).
   */
  readonly Level: 'catalog' | 'database' | 'tables' | 'table' | 'columns';
  /** The table, at `table` and `columns` level. */
  readonly Table?: string;
  /** At `columns` level: the columns the grant leaves out. */
  readonly ExcludedColumns?: readonly string[];
  readonly Permissions: readonly string[];
}

function resourceOf(g: GrantSpec): Resource {
  switch (g.Level) {
    case 'catalog':
      return { Catalog: { Id: g.CatalogId } };
    case 'database':
      return { Database: { CatalogId: g.CatalogId, Name: g.Database } };
    case 'tables':
      return { Table: { CatalogId: g.CatalogId, DatabaseName: g.Database, TableWildcard: {} } };
    case 'table':
      return { Table: { CatalogId: g.CatalogId, DatabaseName: g.Database, Name: g.Table } };
    case 'columns':
      return {
        TableWithColumns: {
          CatalogId: g.CatalogId,
          DatabaseName: g.Database,
          Name: g.Table,
          ColumnWildcard: { ExcludedColumnNames: [...(g.ExcludedColumns ?? [])] },
        },
      };
  }
}

export function grantId(g: GrantSpec): string {
  if (g.Level === 'catalog') return `lf:${g.Principal}:${g.CatalogId}/catalog`;
  const table = g.Level === 'table' || g.Level === 'columns' ? `/${g.Table}` : '';
  return `lf:${g.Principal}:${g.CatalogId}/${g.Database}/${g.Level}${table}`;
}

export async function grant(client: LakeFormationClient, g: GrantSpec): Promise<void> {
  await client.send(
    new GrantPermissionsCommand({
      Principal: { DataLakePrincipalIdentifier: g.Principal },
      Resource: resourceOf(g),
      Permissions: [...g.Permissions] as Permission[],
    }),
  );
}

/** Revokes; a grant that is already gone is not an error (a delete must be rerunnable). */
export async function revoke(client: LakeFormationClient, g: GrantSpec): Promise<void> {
  try {
    await client.send(
      new RevokePermissionsCommand({
        Principal: { DataLakePrincipalIdentifier: g.Principal },
        Resource: resourceOf(g),
        Permissions: [...g.Permissions] as Permission[],
      }),
    );
  } catch (err) {
    const name = (err as { name?: string }).name;
    if (name !== 'EntityNotFoundException' && name !== 'InvalidInputException') throw err;
  }
}
