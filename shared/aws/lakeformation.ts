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
  /** The namespace (a Glue database in the S3 Tables catalog). */
  readonly Database: string;
  /** `database`: on the namespace itself (CREATE_TABLE, DESCRIBE); `tables`: on all its tables. */
  readonly Level: 'database' | 'tables';
  readonly Permissions: readonly string[];
}

function resourceOf(g: GrantSpec): Resource {
  return g.Level === 'database'
    ? { Database: { CatalogId: g.CatalogId, Name: g.Database } }
    : { Table: { CatalogId: g.CatalogId, DatabaseName: g.Database, TableWildcard: {} } };
}

export function grantId(g: GrantSpec): string {
  return `lf:${g.Principal}:${g.CatalogId}/${g.Database}/${g.Level}`;
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
