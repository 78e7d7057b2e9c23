/**
 * Lake Formation grants per domain namespace (Custom::S3TablesGrant, served by catalog_setup):
 * analysts read every namespace; each function's role may write the namespaces its connectors or
 * contracts write, and nothing else. Generated from the models, so a new table's namespace is
 * granted when its connector lands.
 */
import { getAtt, pascal } from './names.ts';

const CATALOG = '${AWS::AccountId}:s3tablescatalog/${self:custom.tableBucket}';
const WRITE = ['SELECT', 'INSERT', 'DELETE', 'DESCRIBE', 'ALTER'];
const READ = ['SELECT', 'DESCRIBE'];

export interface Writers {
  /** Role logical id → namespaces its function writes. */
  readonly [role: string]: readonly string[];
}

function grant(
  principal: unknown,
  database: string,
  level: 'database' | 'tables',
  perms: string[],
) {
  return {
    Type: 'Custom::S3TablesGrant',
    DependsOn: [`Namespace${pascal(database)}`],
    Properties: {
      ServiceToken: getAtt('CatalogSetupLambdaFunction', 'Arn'),
      Principal: principal,
      CatalogId: CATALOG,
      Database: database,
      Level: level,
      Permissions: perms,
    },
  };
}

export function grantsTemplate(namespaces: readonly string[], writers: Writers) {
  const r: Record<string, unknown> = {};
  const analyst = `arn:aws:iam::\${AWS::AccountId}:role/\${param:analystRoleName}`;
  for (const ns of namespaces) {
    r[`GrantAnalyst${pascal(ns)}Tables`] = grant(analyst, ns, 'tables', READ);
    r[`GrantAnalyst${pascal(ns)}Namespace`] = grant(analyst, ns, 'database', ['DESCRIBE']);
  }
  for (const [role, written] of Object.entries(writers)) {
    for (const ns of written) {
      const principal = getAtt(role, 'Arn');
      r[`Grant${role}${pascal(ns)}Tables`] = grant(principal, ns, 'tables', WRITE);
      r[`Grant${role}${pascal(ns)}Namespace`] = grant(principal, ns, 'database', [
        'CREATE_TABLE',
        'DESCRIBE',
      ]);
    }
  }
  return { Resources: r };
}
