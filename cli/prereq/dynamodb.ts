/**
 * Whether a DynamoDB table can be the source of a Glue zero-ETL integration: the table is
 * active, point-in-time recovery is on, and its resource policy lets glue.amazonaws.com export
 * it. Used for the FUJI NAVI table, which lives in the app team's stack (so our template cannot
 * set these itself). Read-only.
 */
import {
  DescribeContinuousBackupsCommand,
  DescribeTableCommand,
  GetResourcePolicyCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { check, type Check } from './check.ts';

export const GLUE_ACTIONS = [
  'dynamodb:ExportTableToPointInTime',
  'dynamodb:DescribeTable',
  'dynamodb:DescribeExport',
] as const;

interface Statement {
  Effect?: string;
  Principal?: { Service?: string | string[] } | string;
  Action?: string | string[];
}

const name = (err: unknown) => (err as { name?: string }).name;

/** The policy to attach when the check finds it missing (also in docs/infra.md). */
export function zeroEtlTablePolicy(tableArn: string, accountId: string) {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'AllowGlueZeroEtlExport',
        Effect: 'Allow',
        Principal: { Service: 'glue.amazonaws.com' },
        Action: [...GLUE_ACTIONS],
        Resource: [tableArn, `${tableArn}/export/*`],
        Condition: { StringEquals: { 'aws:SourceAccount': accountId } },
      },
    ],
  };
}

function allows(statements: Statement[], action: string): boolean {
  const matches = (pattern: string) =>
    new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`, 'i').test(
      action,
    );
  return statements.some((s) => {
    if (s.Effect !== 'Allow') return false;
    const services = typeof s.Principal === 'object' ? [s.Principal.Service ?? []].flat() : [];
    if (!services.includes('glue.amazonaws.com')) return false;
    return [s.Action ?? []].flat().some(matches);
  });
}

export async function checkZeroEtlSource(client: DynamoDBClient, table: string): Promise<Check[]> {
  let arn: string;
  try {
    const d = await client.send(new DescribeTableCommand({ TableName: table }));
    arn = d.Table!.TableArn!;
    const status = d.Table!.TableStatus ?? 'unknown';
    const out = [check(`table ${table} is active`, status === 'ACTIVE', status)];
    const backups = await client.send(new DescribeContinuousBackupsCommand({ TableName: table }));
    const pitr =
      backups.ContinuousBackupsDescription?.PointInTimeRecoveryDescription
        ?.PointInTimeRecoveryStatus ?? 'DISABLED';
    out.push(
      check(
        'point-in-time recovery enabled',
        pitr === 'ENABLED',
        pitr,
        `aws dynamodb update-continuous-backups --table-name ${table} --point-in-time-recovery-specification PointInTimeRecoveryEnabled=true`,
      ),
    );
    let statements: Statement[] = [];
    let found = 'no resource policy';
    try {
      const p = await client.send(new GetResourcePolicyCommand({ ResourceArn: arn }));
      statements = (JSON.parse(p.Policy ?? '{}') as { Statement?: Statement[] }).Statement ?? [];
      found = `${statements.length} statement(s)`;
    } catch (err) {
      if (name(err) !== 'PolicyNotFoundException' && name(err) !== 'ResourceNotFoundException')
        throw err;
    }
    const account = arn.split(':')[4]!;
    for (const action of GLUE_ACTIONS) {
      out.push(
        check(
          `resource policy lets glue.amazonaws.com ${action.replace('dynamodb:', '')}`,
          allows(statements, action),
          found,
          `aws dynamodb put-resource-policy --resource-arn ${arn} --policy '${JSON.stringify(zeroEtlTablePolicy(arn, account))}'`,
        ),
      );
    }
    return out;
  } catch (err) {
    if (name(err) === 'ResourceNotFoundException') {
      return [
        check(`table ${table} exists`, false, 'not found', 'check the name, account and region'),
      ];
    }
    throw err;
  }
}
