import { readdirSync } from 'node:fs';

/** Logical ids and names shared by the generated fragments and infra/*.yml. */
export const pascal = (s: string) =>
  s
    .split('_')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');

/** The functions/ folders, each deployed as one function (serverless key = camelCase folder). */
export const FUNCTIONS: readonly string[] = readdirSync(
  new URL('../../functions/', import.meta.url),
  {
    withFileTypes: true,
  },
)
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();

/** Serverless names a function's resource `<Key>LambdaFunction`, Key being the capitalised key. */
export const functionId = (folder: string) => `${pascal(folder)}LambdaFunction`;

/**
 * The properties every bucket the fragments declare starts from: SSE-S3, public access
 * blocked, owner-enforced objects.
 */
export const privateBucket = (name: unknown) => ({
  BucketName: name,
  BucketEncryption: {
    ServerSideEncryptionConfiguration: [
      { ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } },
    ],
  },
  PublicAccessBlockConfiguration: {
    BlockPublicAcls: true,
    BlockPublicPolicy: true,
    IgnorePublicAcls: true,
    RestrictPublicBuckets: true,
  },
  OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
});

export const getAtt = (id: string, attr: string) => ({ 'Fn::GetAtt': [id, attr] });
export const ref = (id: string) => ({ Ref: id });
/** The serverless variables every fragment uses (resolved at package time). */
export const STACK = '${self:service}-${sls:stage}';

/**
 * Wraps every string naming a CloudFormation pseudo parameter (`${AWS::AccountId}`) in Fn::Sub.
 * Serverless leaves `${AWS::…}` to CloudFormation; using it instead of serverless's `${aws:…}`
 * keeps packaging free of AWS credentials. Custom values that carry one (the bucket names) too.
 */
export function subPseudo(v: unknown): unknown {
  if (typeof v === 'string') {
    return /\$\{AWS::|\$\{self:custom\.(uploadBucket|resultsBucket|auditBucket)\}/.test(v)
      ? { 'Fn::Sub': v }
      : v;
  }
  if (Array.isArray(v)) return v.map(subPseudo);
  if (v && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, subPseudo(x)]));
  }
  return v;
}
