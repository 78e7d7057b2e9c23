/**
 * Amazon Data Firehose replicating the payment database (RDS PostgreSQL) into namespace
 * `payments`. PREVIEW: the database source is a preview AWS says not to use for production, so
 * this fragment is included only when the stage parameter `paymentsReplication` is `enabled`
 * (serverless.yml; `disabled` by default).
 *
 * The replicated tables are table models (shared/model/pipeline-tables.ts) with their keys: the
 * template creates them in the payments table bucket, and with UniqueKeys Firehose merges by key
 * instead of appending duplicates, into tables that must exist before the stream
 * (TableCreationConfiguration off). The stream's role gets exactly the Lake Formation grants of
 * namespace `payments` (access.ts). The include lists are stage parameters (`paymentsDbName`,
 * `paymentsTables`).
 */
import { firehoseTables } from '#shared/model/pipeline-tables.ts';
import type { PlannedGrant } from './access.ts';
import { pipelineAlarms } from './pipeline-alarms.ts';
import { glueArns, glueCatalogArn } from './buckets.ts';
import { grantResources } from './grants.ts';
import { anyInFiveMinutes } from './monitoring.ts';
import { STACK, getAtt, pascal, privateBucket, ref } from './names.ts';

export interface ReplicatedTable {
  /** schema.table in the payment database. */
  readonly source: string;
  /** Table in namespace `payments`. */
  readonly table: string;
  readonly uniqueKeys: readonly string[];
}

/**
 * The tables agreed with the payment team, from their models (shared/model/pipeline-tables.ts):
 * the model's key is the stream's UniqueKeys; a table not listed lands in the error prefix.
 */
export const replicatedTables: readonly ReplicatedTable[] = firehoseTables.map((t) => ({
  source: t.source,
  table: t.model.name,
  uniqueKeys: t.model.key,
}));

/** Created by infra/postgres/firehose-source.sql; one per stream. */
export const WATERMARK_TABLE = 'fuji_etl.firehose_watermark';
export const ERROR_PREFIX = 'errors/';

// The payment replica has a table bucket of its own (shared/model/domains.ts).
const catalogArn = glueCatalogArn('payments');

export function paymentsTemplate(plan: readonly PlannedGrant[]) {
  const errorBucket = '${self:custom.uploadBucket}-payments-errors';
  const r: Record<string, unknown> = {
    PaymentsErrorBucket: {
      Type: 'AWS::S3::Bucket',
      Properties: {
        ...privateBucket(errorBucket),
        LifecycleConfiguration: {
          Rules: [{ Id: 'expire-errors', Status: 'Enabled', ExpirationInDays: 90 }],
        },
        // Request metrics on the error prefix: the alarm below fires on the first object there.
        MetricsConfigurations: [{ Id: 'errors', Prefix: ERROR_PREFIX }],
      },
    },
    PaymentsFirehoseRole: {
      Type: 'AWS::IAM::Role',
      Properties: {
        AssumeRolePolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { Service: 'firehose.amazonaws.com' },
              Action: 'sts:AssumeRole',
              Condition: { StringEquals: { 'sts:ExternalId': '${AWS::AccountId}' } },
            },
          ],
        },
        Policies: [
          {
            PolicyName: 'replicate-payments',
            PolicyDocument: {
              Version: '2012-10-17',
              Statement: [
                {
                  Effect: 'Allow',
                  Action: ['glue:GetTable', 'glue:GetDatabase', 'glue:UpdateTable'],
                  Resource: glueArns('payments', 'payments'),
                },
                { Effect: 'Allow', Action: 'lakeformation:GetDataAccess', Resource: '*' },
                {
                  Effect: 'Allow',
                  Action: ['s3:PutObject', 's3:GetObject', 's3:AbortMultipartUpload'],
                  Resource: `arn:aws:s3:::${errorBucket}/*`,
                },
                {
                  Effect: 'Allow',
                  Action: ['s3:GetBucketLocation', 's3:ListBucket'],
                  Resource: `arn:aws:s3:::${errorBucket}`,
                },
                {
                  Effect: 'Allow',
                  Action: 'secretsmanager:GetSecretValue',
                  Resource: '${param:paymentsDbSecretArn}',
                },
                {
                  Effect: 'Allow',
                  Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
                  Resource: `arn:aws:logs:\${AWS::Region}:\${AWS::AccountId}:log-group:/aws/kinesisfirehose/${STACK}-payments:*`,
                },
              ],
            },
          },
        ],
      },
    },
    PaymentsFirehoseLogGroup: {
      Type: 'AWS::Logs::LogGroup',
      Properties: {
        LogGroupName: `/aws/kinesisfirehose/${STACK}-payments`,
        RetentionInDays: '${param:logRetentionDays}',
      },
    },
    PaymentsFirehoseLogStream: {
      Type: 'AWS::Logs::LogStream',
      Properties: { LogGroupName: ref('PaymentsFirehoseLogGroup'), LogStreamName: 'delivery' },
    },
    PaymentsReplicationStream: {
      Type: 'AWS::KinesisFirehose::DeliveryStream',
      // The target tables and the role's Lake Formation grants first: a row for a table that
      // does not exist, or that the role may not write, goes to the error prefix.
      DependsOn: [
        'NamespacePayments',
        ...replicatedTables.map((t) => `TablePayments${pascal(t.table)}`),
        ...plan.filter((g) => g.fragment === 'payments').map((g) => g.id),
      ],
      Properties: {
        DeliveryStreamName: `${STACK}-payments`,
        DeliveryStreamType: 'DatabaseAsSource',
        DatabaseSourceConfiguration: {
          Type: 'PostgreSQL',
          Endpoint: '${param:paymentsDbEndpoint}',
          Port: '${param:paymentsDbPort}',
          SSLMode: 'Enabled',
          Databases: { Include: ['${param:paymentsDbName}'] },
          Tables: { Include: { 'Fn::Split': [',', '${param:paymentsTables}'] } },
          SnapshotWatermarkTable: WATERMARK_TABLE,
          DatabaseSourceAuthenticationConfiguration: {
            SecretsManagerConfiguration: {
              Enabled: true,
              SecretARN: '${param:paymentsDbSecretArn}',
              RoleARN: getAtt('PaymentsFirehoseRole', 'Arn'),
            },
          },
          DatabaseSourceVPCConfiguration: {
            VpcEndpointServiceName: '${param:paymentsVpcEndpointServiceName}',
          },
        },
        IcebergDestinationConfiguration: {
          RoleARN: getAtt('PaymentsFirehoseRole', 'Arn'),
          CatalogConfiguration: { CatalogArn: catalogArn },
          DestinationTableConfigurationList: replicatedTables.map((t) => ({
            DestinationDatabaseName: 'payments',
            DestinationTableName: t.table,
            UniqueKeys: [...t.uniqueKeys],
            S3ErrorOutputPrefix: `${ERROR_PREFIX}${t.table}/`,
          })),
          TableCreationConfiguration: { Enabled: false },
          SchemaEvolutionConfiguration: { Enabled: true },
          BufferingHints: { IntervalInSeconds: 300, SizeInMBs: 128 },
          RetryOptions: { DurationInSeconds: 3600 },
          s3BackupMode: 'FailedDataOnly',
          CloudWatchLoggingOptions: {
            Enabled: true,
            LogGroupName: ref('PaymentsFirehoseLogGroup'),
            LogStreamName: ref('PaymentsFirehoseLogStream'),
          },
          S3Configuration: {
            BucketARN: getAtt('PaymentsErrorBucket', 'Arn'),
            RoleARN: getAtt('PaymentsFirehoseRole', 'Arn'),
            ErrorOutputPrefix: ERROR_PREFIX,
            BufferingHints: { IntervalInSeconds: 300, SizeInMBs: 5 },
            CompressionFormat: 'GZIP',
          },
        },
      },
    },
    PaymentsErrorObjectsAlarm: anyInFiveMinutes(
      'payments replication: records went to the error prefix (a missing target table, a type Firehose could not write)',
      {
        namespace: 'AWS/S3',
        name: 'PutRequests',
        dimensions: [
          { Name: 'BucketName', Value: ref('PaymentsErrorBucket') },
          { Name: 'FilterId', Value: 'errors' },
        ],
      },
    ),
    ...grantResources(plan, 'payments'),
    ...pipelineAlarms(
      'Payments',
      'payments replication (Firehose)',
      'payments',
      'PaymentsFirehoseRole',
    ),
  };
  return { Resources: r };
}
