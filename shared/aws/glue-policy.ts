/**
 * The Glue Data Catalog resource policy that lets a DynamoDB zero-ETL integration write into an
 * S3 Tables catalog. CloudFormation has no resource for this policy (the catalog has one policy
 * for the whole account), so statements are merged in by Sid and removed by Sid, leaving whatever
 * other teams put there untouched. The hash condition makes a concurrent edit fail, not vanish.
 */
import type { GlueClient } from '@aws-sdk/client-glue';
import {
  GetResourcePolicyCommand,
  PutResourcePolicyCommand,
  DeleteResourcePolicyCommand,
} from '@aws-sdk/client-glue';

export interface ZeroEtlPolicySpec {
  /** The catalog whose policy is edited: arn:aws:glue:<region>:<account>:catalog. */
  readonly CatalogArn: string;
  /** The integration's source (the DynamoDB table ARN). */
  readonly SourceArn: string;
  /** The integration's target (catalog or database ARN in s3tablescatalog/<bucket>). */
  readonly TargetArn: string;
  /** The account that creates the integration. */
  readonly AccountId: string;
  /** Sid prefix owned by this resource, e.g. FujiEtlAppZeroEtl. */
  readonly Sid: string;
}

interface Statement {
  Sid?: string;
  [k: string]: unknown;
}

export function zeroEtlStatements(s: ZeroEtlPolicySpec): Statement[] {
  return [
    {
      Sid: `${s.Sid}Create`,
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${s.AccountId}:root` },
      Action: 'glue:CreateInboundIntegration',
      Resource: s.TargetArn,
      Condition: { StringLike: { 'aws:SourceArn': s.SourceArn } },
    },
    {
      Sid: `${s.Sid}Authorize`,
      Effect: 'Allow',
      Principal: { Service: 'glue.amazonaws.com' },
      Action: 'glue:AuthorizeInboundIntegration',
      Resource: s.TargetArn,
      Condition: { StringEquals: { 'aws:SourceArn': s.SourceArn } },
    },
  ];
}

async function current(client: GlueClient, arn: string) {
  try {
    const out = await client.send(new GetResourcePolicyCommand({ ResourceArn: arn }));
    if (!out.PolicyInJson) return { statements: [] as Statement[], hash: undefined };
    const doc = JSON.parse(out.PolicyInJson) as { Statement?: Statement[] };
    return { statements: doc.Statement ?? [], hash: out.PolicyHash };
  } catch (err) {
    if ((err as { name?: string }).name === 'EntityNotFoundException') {
      return { statements: [] as Statement[], hash: undefined };
    }
    throw err;
  }
}

/** Replaces this spec's statements (by Sid prefix) with `add`, keeping everyone else's. */
export async function mergeStatements(
  client: GlueClient,
  catalogArn: string,
  sidPrefix: string,
  add: readonly Statement[],
): Promise<Statement[]> {
  const { statements, hash } = await current(client, catalogArn);
  const kept = statements.filter((st) => !st.Sid?.startsWith(sidPrefix));
  const next = [...kept, ...add];
  if (next.length === 0) {
    if (hash)
      await client.send(
        new DeleteResourcePolicyCommand({ ResourceArn: catalogArn, PolicyHashCondition: hash }),
      );
    return next;
  }
  await client.send(
    new PutResourcePolicyCommand({
      ResourceArn: catalogArn,
      PolicyInJson: JSON.stringify({ Version: '2012-10-17', Statement: next }),
      ...(hash
        ? { PolicyHashCondition: hash, PolicyExistsCondition: 'MUST_EXIST' }
        : { PolicyExistsCondition: 'NOT_EXIST' }),
      EnableHybrid: 'TRUE',
    }),
  );
  return next;
}
