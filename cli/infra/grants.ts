/**
 * The access plan (access.ts) as Lake Formation grants: one Custom::S3TablesGrant per planned
 * grant, served by catalog_setup (CloudFormation's PrincipalPermissions cannot name an S3 Tables
 * catalog). A grant lands in the fragment that declares its grantee: the base template, or the
 * optional fragment of the pipeline whose role it is for.
 */
import { TABLE_BUCKETS } from '#shared/model/domains.ts';
import { readerRole, type Fragment, type Grantee, type PlannedGrant } from './access.ts';
import { lfCatalogId } from './buckets.ts';
import { getAtt, pascal } from './names.ts';

/** The data team's role lives outside the stack; its name is a stage parameter. */
export const DATA_TEAM_ROLE_ARN = 'arn:aws:iam::${AWS::AccountId}:role/${param:analystRoleName}';

export function principalOf(g: Grantee): unknown {
  switch (g.kind) {
    case 'data-team':
      return DATA_TEAM_ROLE_ARN;
    case 'reader':
      return getAtt(readerRole(g.namespace), 'Arn');
    case 'producer':
      return getAtt(g.role, 'Arn');
  }
}

function dependsOn(g: PlannedGrant): string[] {
  if (g.level === 'catalog') return [TABLE_BUCKETS[g.bucket].logicalId];
  const ns = `Namespace${pascal(g.namespace)}`;
  return g.table ? [ns, `Table${pascal(g.namespace)}${pascal(g.table)}`] : [ns];
}

export function grantResource(g: PlannedGrant) {
  return {
    Type: 'Custom::S3TablesGrant',
    DependsOn: dependsOn(g),
    Properties: {
      ServiceToken: getAtt('CatalogSetupLambdaFunction', 'Arn'),
      Principal: principalOf(g.grantee),
      CatalogId: lfCatalogId(g.bucket),
      Database: g.namespace,
      Level: g.level,
      ...(g.table && { Table: g.table }),
      ...(g.excludedColumns && { ExcludedColumns: [...g.excludedColumns] }),
      Permissions: [...g.permissions],
    },
  };
}

/** The grants of one fragment, as CloudFormation resources. */
export function grantResources(plan: readonly PlannedGrant[], fragment: Fragment) {
  return Object.fromEntries(
    plan.filter((g) => g.fragment === fragment).map((g) => [g.id, grantResource(g)]),
  );
}

export function grantsTemplate(plan: readonly PlannedGrant[]) {
  return { Resources: grantResources(plan, 'base') };
}
