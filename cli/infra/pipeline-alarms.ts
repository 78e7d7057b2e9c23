/**
 * Freshness and error alarms for a managed pipeline, read from the audit trail because neither
 * pipeline says enough itself (Firehose's database source is a preview; a zero-ETL integration
 * publishes no metric we could alarm on):
 *
 * - freshness: the pipeline writes data files into its table bucket, and every such write is an
 *   S3 Tables data event (`PutObject`, its first resource the table bucket) in the trail; none for
 *   `pipelineFreshnessHours` hours alarms. Missing data is breaching: a stopped pipeline is silent.
 * - errors: any call the pipeline's role makes that fails (a grant it lacks, a table it cannot
 *   write) carries an errorCode in the trail; one alarms.
 */
import { TABLE_BUCKETS, type TableBucketId } from '#shared/model/domains.ts';
import { AUDIT_METRICS, trailMetric } from './audit.ts';
import { alarm } from './alarm.ts';
import { getAtt } from './names.ts';

export function pipelineAlarms(id: string, what: string, bucket: TableBucketId, role: string) {
  const writes = `${id}PipelineWrites`;
  const errors = `${id}PipelineErrors`;
  return {
    ...trailMetric(writes, writes, {
      'Fn::Sub': [
        '{ ($.eventSource = "s3tables.amazonaws.com") && ($.eventName = "PutObject") && ($.resources[0].ARN = "${Bucket}") }',
        { Bucket: getAtt(TABLE_BUCKETS[bucket].logicalId, 'TableBucketARN') },
      ],
    }),
    ...trailMetric(errors, errors, {
      'Fn::Sub': [
        '{ ($.userIdentity.sessionContext.sessionIssuer.arn = "${Role}") && ($.errorCode = "*") }',
        { Role: getAtt(role, 'Arn') },
      ],
    }),
    [`${id}FreshnessAlarm`]: alarm(
      `${what}: no data written into its table bucket for \${param:pipelineFreshnessHours} hours`,
      {
        Namespace: AUDIT_METRICS,
        MetricName: writes,
        Statistic: 'Sum',
        Period: 3600,
        EvaluationPeriods: '${param:pipelineFreshnessHours}',
        DatapointsToAlarm: '${param:pipelineFreshnessHours}',
        Threshold: 1,
        ComparisonOperator: 'LessThanThreshold',
        TreatMissingData: 'breaching',
      },
    ),
    [`${id}ErrorsAlarm`]: alarm(`${what}: calls by ${role} failed (errorCode in the audit trail)`, {
      Namespace: AUDIT_METRICS,
      MetricName: errors,
      Statistic: 'Sum',
      Period: 300,
      EvaluationPeriods: 1,
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'notBreaching',
    }),
  };
}
