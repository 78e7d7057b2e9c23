/**
 * The audit trail: who did what to the data and its permissions, kept where nobody can remove it.
 *
 * - One CloudTrail trail (all regions, log file validation) with every management event, read and
 *   write: Glue Data Catalog calls, every Lake Formation call (grants, revokes, GetDataAccess) and
 *   every Athena StartQueryExecution with its query text, principal and workgroup, so the query
 *   history outlives Athena's own 45 days. Plus data events for each table bucket of the domain
 *   table (tables and buckets), for Glue tables, and for the upload bucket's objects.
 * - The log bucket: SSE-S3, public access blocked, owner-enforced, versioned, Object Lock with a
 *   default retention (`auditRetentionDays`, mode `auditLockMode`), and a policy that denies
 *   every delete and governance bypass to everyone; lifecycle removes versions only after their
 *   lock ends. Retained when the stack is deleted.
 * - A copy in CloudWatch Logs, whose metric filters drive the alarms: a Lake Formation permission
 *   change by anyone but the stack's own grant function, and a spike of access-denied errors.
 */
import { TABLE_BUCKETS } from '#shared/model/domains.ts';
import { alarm } from './alarm.ts';
import { STACK, getAtt, privateBucket, ref } from './names.ts';

export const AUDIT_BUCKET = '${self:custom.auditBucket}';
export const TRAIL_NAME = `${STACK}-audit`;
export const AUDIT_METRICS = 'fuji-etl/audit';
const TRAIL_ARN = `arn:aws:cloudtrail:\${AWS::Region}:\${AWS::AccountId}:trail/${TRAIL_NAME}`;

/** Lake Formation calls that change who may see what. */
export const LF_PERMISSION_EVENTS = [
  'GrantPermissions',
  'RevokePermissions',
  'BatchGrantPermissions',
  'BatchRevokePermissions',
  'PutDataLakeSettings',
  'CreateDataCellsFilter',
  'UpdateDataCellsFilter',
  'DeleteDataCellsFilter',
  'RegisterResource',
  'DeregisterResource',
  'CreateLakeFormationOptIn',
  'DeleteLakeFormationOptIn',
] as const;

const bucketArns = Object.values(TABLE_BUCKETS).map((b) => getAtt(b.logicalId, 'TableBucketARN'));

function dataSelector(name: string, type: string, arnStartsWith?: unknown[]) {
  return {
    Name: name,
    FieldSelectors: [
      { Field: 'eventCategory', Equals: ['Data'] },
      { Field: 'resources.type', Equals: [type] },
      ...(arnStartsWith ? [{ Field: 'resources.ARN', StartsWith: arnStartsWith }] : []),
    ],
  };
}

/** A metric filter on the trail's log group and its metric (Sum per period). */
export function trailMetric(id: string, metricName: string, pattern: unknown) {
  return {
    [`${id}MetricFilter`]: {
      Type: 'AWS::Logs::MetricFilter',
      Properties: {
        LogGroupName: ref('AuditTrailLogGroup'),
        FilterPattern: pattern,
        MetricTransformations: [
          {
            MetricNamespace: AUDIT_METRICS,
            MetricName: metricName,
            MetricValue: '1',
            DefaultValue: 0,
          },
        ],
      },
    },
  };
}

export function auditTemplate() {
  const bucket = `arn:aws:s3:::${AUDIT_BUCKET}`;
  const lfChanges = LF_PERMISSION_EVENTS.map((e) => `($.eventName = "${e}")`).join(' || ');
  const r: Record<string, unknown> = {
    AuditLogBucket: {
      Type: 'AWS::S3::Bucket',
      // The record must outlive the stack that made it.
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: {
        ...privateBucket(AUDIT_BUCKET),
        VersioningConfiguration: { Status: 'Enabled' },
        ObjectLockEnabled: true,
        ObjectLockConfiguration: {
          ObjectLockEnabled: 'Enabled',
          Rule: {
            DefaultRetention: {
              Mode: '${param:auditLockMode}',
              Days: '${param:auditRetentionDays}',
            },
          },
        },
        LifecycleConfiguration: {
          Rules: [
            // Expiry only adds a delete marker; the locked version stays until its lock ends,
            // then goes a day after it became noncurrent.
            {
              Id: 'expire-after-retention',
              Status: 'Enabled',
              ExpirationInDays: '${param:auditRetentionDays}',
            },
            {
              Id: 'remove-expired-versions',
              Status: 'Enabled',
              NoncurrentVersionExpiration: { NoncurrentDays: 1 },
            },
            {
              Id: 'abort-incomplete-multipart',
              Status: 'Enabled',
              AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
            },
          ],
        },
      },
    },
    AuditLogBucketPolicy: {
      Type: 'AWS::S3::BucketPolicy',
      Properties: {
        Bucket: ref('AuditLogBucket'),
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            {
              Sid: 'CloudTrailAclCheck',
              Effect: 'Allow',
              Principal: { Service: 'cloudtrail.amazonaws.com' },
              Action: 's3:GetBucketAcl',
              Resource: bucket,
              Condition: { StringEquals: { 'aws:SourceArn': TRAIL_ARN } },
            },
            {
              Sid: 'CloudTrailWrite',
              Effect: 'Allow',
              Principal: { Service: 'cloudtrail.amazonaws.com' },
              Action: 's3:PutObject',
              Resource: `${bucket}/AWSLogs/\${AWS::AccountId}/*`,
              Condition: {
                StringEquals: {
                  's3:x-amz-acl': 'bucket-owner-full-control',
                  'aws:SourceArn': TRAIL_ARN,
                },
              },
            },
            // Nobody deletes a log, shortens its lock or bypasses governance mode, whatever their
            // IAM rights; lifecycle expiry is S3's own and not subject to this policy.
            {
              Sid: 'DenyDeletes',
              Effect: 'Deny',
              Principal: '*',
              Action: [
                's3:DeleteObject',
                's3:DeleteObjectVersion',
                's3:BypassGovernanceRetention',
                's3:PutObjectRetention',
                's3:PutObjectLegalHold',
                's3:PutBucketObjectLockConfiguration',
              ],
              Resource: [bucket, `${bucket}/*`],
            },
            {
              Sid: 'TlsOnly',
              Effect: 'Deny',
              Principal: '*',
              Action: 's3:*',
              Resource: [bucket, `${bucket}/*`],
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            },
          ],
        },
      },
    },
    AuditTrailLogGroup: {
      Type: 'AWS::Logs::LogGroup',
      Properties: {
        LogGroupName: `/aws/cloudtrail/${TRAIL_NAME}`,
        RetentionInDays: '${param:logRetentionDays}',
      },
    },
    AuditTrailLogsRole: {
      Type: 'AWS::IAM::Role',
      Properties: {
        AssumeRolePolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { Service: 'cloudtrail.amazonaws.com' },
              Action: 'sts:AssumeRole',
              Condition: { StringEquals: { 'aws:SourceArn': TRAIL_ARN } },
            },
          ],
        },
        Policies: [
          {
            PolicyName: 'deliver-to-log-group',
            PolicyDocument: {
              Version: '2012-10-17',
              Statement: [
                {
                  Effect: 'Allow',
                  Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
                  Resource: `arn:aws:logs:\${AWS::Region}:\${AWS::AccountId}:log-group:/aws/cloudtrail/${TRAIL_NAME}:*`,
                },
              ],
            },
          },
        ],
      },
    },
    AuditTrail: {
      Type: 'AWS::CloudTrail::Trail',
      DependsOn: ['AuditLogBucketPolicy'],
      Properties: {
        TrailName: TRAIL_NAME,
        IsLogging: true,
        S3BucketName: ref('AuditLogBucket'),
        IsMultiRegionTrail: true,
        IncludeGlobalServiceEvents: true,
        EnableLogFileValidation: true,
        CloudWatchLogsLogGroupArn: getAtt('AuditTrailLogGroup', 'Arn'),
        CloudWatchLogsRoleArn: getAtt('AuditTrailLogsRole', 'Arn'),
        AdvancedEventSelectors: [
          // Read and write: the query history (athena StartQueryExecution), Glue catalog reads
          // and Lake Formation's GetDataAccess are read-only management events.
          {
            Name: 'Management events',
            FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }],
          },
          dataSelector(
            'S3 Tables tables of every table bucket',
            'AWS::S3Tables::Table',
            bucketArns,
          ),
          dataSelector('S3 Tables table buckets', 'AWS::S3Tables::TableBucket', bucketArns),
          dataSelector('Glue Data Catalog tables', 'AWS::Glue::Table'),
          dataSelector('Upload bucket objects', 'AWS::S3::Object', [
            `arn:aws:s3:::\${self:custom.uploadBucket}/`,
          ]),
        ],
      },
    },
    ...trailMetric('LakeFormationPermissionChanges', 'LakeFormationPermissionChanges', {
      // The stack's own grant function changes permissions on every deploy: expected, and in the
      // trail all the same; anyone else's change alarms.
      'Fn::Sub': [
        `{ ($.eventSource = "lakeformation.amazonaws.com") && (${lfChanges}) && ($.userIdentity.sessionContext.sessionIssuer.arn != "\${SetupRole}") }`,
        { SetupRole: getAtt('CatalogSetupRole', 'Arn') },
      ],
    }),
    ...trailMetric(
      'AccessDenied',
      'AccessDenied',
      '{ ($.errorCode = "AccessDenied*") || ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "*Forbidden*") }',
    ),
    LakeFormationPermissionChangesAlarm: alarm(
      'Lake Formation permissions changed outside the stack (who and what: the audit trail, eventSource lakeformation.amazonaws.com)',
      {
        Namespace: AUDIT_METRICS,
        MetricName: 'LakeFormationPermissionChanges',
        Statistic: 'Sum',
        Period: 300,
        EvaluationPeriods: 1,
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
        TreatMissingData: 'notBreaching',
      },
    ),
    AccessDeniedSpikeAlarm: alarm(
      'Access denied errors above ${param:accessDeniedAlarmThreshold} in 5 minutes (a misconfigured grant, or someone probing)',
      {
        Namespace: AUDIT_METRICS,
        MetricName: 'AccessDenied',
        Statistic: 'Sum',
        Period: 300,
        EvaluationPeriods: 1,
        Threshold: '${param:accessDeniedAlarmThreshold}',
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
      },
    ),
  };
  return {
    Resources: r,
    Outputs: {
      AuditLogBucketName: {
        Description: 'CloudTrail log files (Object Lock)',
        Value: ref('AuditLogBucket'),
      },
    },
  };
}
