/**
 * One reader role per domain, each with an Athena workgroup of its own. Lake Formation decides
 * which rows and columns a reader sees (access.ts); IAM here only opens the doors to its own
 * namespace's catalog entries and its own workgroup.
 *
 * A workgroup per reader because Athena writes every result to the workgroup's output location
 * and reads it back with the caller's credentials: a shared location would let one reader fetch
 * another's results, personal columns included. Each role may touch only its own prefix.
 */
import type { Domain } from '#shared/model/domains.ts';
import { readerRole } from './access.ts';
import { glueArns } from './buckets.ts';
import { pascal, STACK } from './names.ts';

const RESULTS = '${self:custom.resultsBucket}';
export const readerWorkGroup = (namespace: string) => `Reader${pascal(namespace)}WorkGroup`;
export const readerWorkGroupName = (namespace: string) => `${STACK}-read-${namespace}`;
export const readerResultsPrefix = (namespace: string) => `athena/readers/${namespace}/`;

function role(d: Domain) {
  const ns = d.namespace;
  const workGroupArn = `arn:aws:athena:\${AWS::Region}:\${AWS::AccountId}:workgroup/${readerWorkGroupName(ns)}`;
  return {
    Type: 'AWS::IAM::Role',
    Properties: {
      RoleName: `${STACK}-read-${ns}`,
      Description: `Reads domain ${ns} (docs/governance.md); Lake Formation grants decide what`,
      // People in the account assume it through their own permission sets (IAM Identity Center
      // or an IAM policy naming this role); the account itself is the only principal trusted.
      AssumeRolePolicyDocument: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { AWS: 'arn:aws:iam::${AWS::AccountId}:root' },
            Action: 'sts:AssumeRole',
          },
        ],
      },
      MaxSessionDuration: 3600,
      Policies: [
        {
          PolicyName: `read-${ns}`,
          PolicyDocument: {
            Version: '2012-10-17',
            Statement: [
              {
                Sid: 'OwnWorkGroup',
                Effect: 'Allow',
                Action: [
                  'athena:StartQueryExecution',
                  'athena:GetQueryExecution',
                  'athena:GetQueryResults',
                  'athena:StopQueryExecution',
                  'athena:ListQueryExecutions',
                  'athena:GetWorkGroup',
                ],
                Resource: workGroupArn,
              },
              {
                Sid: 'OwnNamespace',
                Effect: 'Allow',
                Action: [
                  'glue:GetCatalog',
                  'glue:GetDatabase',
                  'glue:GetDatabases',
                  'glue:GetTable',
                  'glue:GetTables',
                ],
                Resource: glueArns(d.bucket, ns),
              },
              // Lake Formation vends the table credentials; GetDataAccess has no resource-level form.
              {
                Sid: 'LakeFormationCredentials',
                Effect: 'Allow',
                Action: 'lakeformation:GetDataAccess',
                Resource: '*',
              },
              {
                Sid: 'OwnResults',
                Effect: 'Allow',
                Action: ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload'],
                Resource: `arn:aws:s3:::${RESULTS}/${readerResultsPrefix(ns)}*`,
              },
              {
                Sid: 'OwnResultsListing',
                Effect: 'Allow',
                Action: ['s3:GetBucketLocation', 's3:ListBucket'],
                Resource: `arn:aws:s3:::${RESULTS}`,
                Condition: { StringLike: { 's3:prefix': `${readerResultsPrefix(ns)}*` } },
              },
            ],
          },
        },
      ],
    },
  };
}

function workGroup(d: Domain) {
  return {
    Type: 'AWS::Athena::WorkGroup',
    Properties: {
      Name: readerWorkGroupName(d.namespace),
      Description: `Queries of the ${d.namespace} reader role (results readable by that role only)`,
      RecursiveDeleteOption: true,
      State: 'ENABLED',
      WorkGroupConfiguration: {
        EngineVersion: { SelectedEngineVersion: 'Athena engine version 3' },
        EnforceWorkGroupConfiguration: true,
        PublishCloudWatchMetricsEnabled: true,
        RequesterPaysEnabled: false,
        BytesScannedCutoffPerQuery: '${param:bytesScannedCutoffPerQuery}',
        ResultConfiguration: {
          OutputLocation: `s3://${RESULTS}/${readerResultsPrefix(d.namespace)}`,
          // SSE_S3 as the suite's own workgroup: Athena on S3 Tables fails with KMS results.
          EncryptionConfiguration: { EncryptionOption: 'SSE_S3' },
        },
      },
    },
  };
}

export function readersTemplate(domains: readonly Domain[]) {
  const r: Record<string, unknown> = {};
  for (const d of domains) {
    r[readerRole(d.namespace)] = role(d);
    r[readerWorkGroup(d.namespace)] = workGroup(d);
  }
  return {
    Resources: r,
    Outputs: Object.fromEntries(
      domains.map((d) => [
        `${readerRole(d.namespace)}Arn`,
        {
          Description: `Reader role of domain ${d.namespace} (workgroup ${readerWorkGroupName(d.namespace)})`,
          Value: { 'Fn::GetAtt': [readerRole(d.namespace), 'Arn'] },
        },
      ]),
    ),
  };
}
