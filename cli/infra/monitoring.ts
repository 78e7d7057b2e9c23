/**
 * Alarms and the connectors' dashboard. Errors, throttles and failures not retried per function,
 * dead-letter depth per queue, and data freshness per table of every scheduled connector:
 * `TableStale`, which the scheduled function emits after each run from the data itself
 * (shared/ops/freshness.ts: the newest event time older than twice the cadence, or the last run
 * failed). Missing data is breaching: a connector that stops running must alarm.
 */
import { METRICS_NAMESPACE } from '#shared/lambda/handler.ts';
import { fullName } from '#shared/model/table.ts';
import { freshnessTargets } from '#shared/ops/freshness.ts';
import { connectors } from '#connectors/index.ts';
import { FUNCTIONS, functionId, getAtt, pascal, ref, STACK } from './names.ts';
import { scheduled, type Schedules } from './schedules.ts';

const SERVICE = 'fuji-etl';
const QUEUES = ['FailedInvocationsQueue', 'SchedulerDeadLetterQueue'] as const;

function alarm(description: string, props: Record<string, unknown>) {
  return {
    Type: 'AWS::CloudWatch::Alarm',
    Properties: {
      AlarmDescription: description,
      ActionsEnabled: true,
      AlarmActions: [ref('AlarmTopic')],
      OKActions: [ref('AlarmTopic')],
      ...props,
    },
  };
}

/** Alarms when a metric is above zero in any 5-minute period (errors, dead letters, error objects). */
export function anyInFiveMinutes(
  description: string,
  metric: { namespace: string; name: string; dimensions: { Name: string; Value: unknown }[] },
  statistic: 'Sum' | 'Maximum' = 'Sum',
) {
  return alarm(description, {
    Namespace: metric.namespace,
    MetricName: metric.name,
    Dimensions: metric.dimensions,
    Statistic: statistic,
    Period: 300,
    EvaluationPeriods: 1,
    Threshold: 0,
    ComparisonOperator: 'GreaterThanThreshold',
    TreatMissingData: 'notBreaching',
  });
}

export function monitoringTemplate(
  tablesOf: Readonly<Record<string, readonly string[]>>,
  schedules: Schedules,
) {
  const r: Record<string, unknown> = {
    AlarmTopic: {
      Type: 'AWS::SNS::Topic',
      Properties: { TopicName: `${STACK}-alarms`, KmsMasterKeyId: 'alias/aws/sns' },
    },
  };
  for (const f of FUNCTIONS) {
    for (const metric of ['Errors', 'Throttles']) {
      r[`${pascal(f)}${metric}Alarm`] = anyInFiveMinutes(
        `${f}: ${metric.toLowerCase()} in the last 5 minutes`,
        {
          namespace: 'AWS/Lambda',
          name: metric,
          dimensions: [{ Name: 'FunctionName', Value: ref(functionId(f)) }],
        },
      );
    }
    // A failure marked not retryable is answered, not thrown (shared/lambda/handler.ts), so
    // Lambda's Errors does not count it: the observer's own count alarms in its place.
    r[`${pascal(f)}NotRetriedAlarm`] = anyInFiveMinutes(
      `${f}: failures not retried (marked not retryable; see INVOCATION_NOT_RETRIED in its log)`,
      {
        namespace: METRICS_NAMESPACE,
        name: 'InvocationsNotRetried',
        dimensions: [
          { Name: 'service', Value: SERVICE },
          { Name: 'FunctionName', Value: ref(functionId(f)) },
        ],
      },
    );
  }
  for (const q of QUEUES) {
    r[`${q}DepthAlarm`] = anyInFiveMinutes(
      `${q}: messages waiting (failed invocations to look at)`,
      {
        namespace: 'AWS/SQS',
        name: 'ApproximateNumberOfMessagesVisible',
        dimensions: [{ Name: 'QueueName', Value: getAtt(q, 'QueueName') }],
      },
      'Maximum',
    );
  }
  for (const [connector] of scheduled(Object.keys(tablesOf), schedules)) {
    // A member failing alone (a station, a refused GA4 property) lands no rows of its own while
    // the connector's tables stay fresh: it alarms by itself (shared/runtime/members.ts).
    r[`MembersFailing${pascal(connector)}Alarm`] = anyInFiveMinutes(
      `${connector}: members failing (see failed_members in ops.run_ledger)`,
      {
        namespace: METRICS_NAMESPACE,
        name: 'MembersFailing',
        dimensions: [
          { Name: 'service', Value: SERVICE },
          { Name: 'Connector', Value: connector },
        ],
      },
      'Maximum',
    );
    // Tables with an event time (code lists have none), with their connector's cadence.
    const cadence = new Map(
      freshnessTargets(Object.values(connectors)).map((t) => [fullName(t.model), t.cadenceHours]),
    );
    for (const table of tablesOf[connector]!) {
      const hours = cadence.get(table);
      if (hours === undefined) continue;
      r[`Freshness${pascal(table.replace('.', '_'))}Alarm`] = alarm(
        `${table} (${connector}): stale or failing: newest data older than ${2 * hours} h (twice the cadence) or the last run failed; see fuji-etl freshness`,
        {
          Namespace: METRICS_NAMESPACE,
          MetricName: 'TableStale',
          Dimensions: [
            { Name: 'service', Value: SERVICE },
            { Name: 'Table', Value: table },
          ],
          Statistic: 'Maximum',
          // A period of the cadence (at most a day) holds at least one scheduled run, so an
          // empty period means the connector stopped running: that breaches too.
          Period: Math.min(86_400, Math.ceil(hours) * 3600),
          EvaluationPeriods: 1,
          Threshold: 1,
          ComparisonOperator: 'GreaterThanOrEqualToThreshold',
          TreatMissingData: 'breaching',
        },
      );
    }
  }
  r.ConnectorsDashboard = {
    Type: 'AWS::CloudWatch::Dashboard',
    Properties: {
      DashboardName: `${STACK}-connectors`,
      DashboardBody: JSON.stringify(dashboard(Object.keys(tablesOf))),
    },
  };
  return {
    Resources: r,
    Outputs: {
      AlarmTopicArn: {
        Description: 'Subscribe the on-call address here',
        Value: ref('AlarmTopic'),
      },
    },
  };
}

function dashboard(connectors: readonly string[]) {
  const perConnector = (metric: string, title: string) => ({
    type: 'metric',
    width: 12,
    height: 6,
    properties: {
      title,
      region: '${AWS::Region}',
      stat: 'Sum',
      period: 3600,
      metrics: connectors.map((c) => [
        METRICS_NAMESPACE,
        metric,
        'service',
        SERVICE,
        'Connector',
        c,
      ]),
    },
  });
  const perFunction = (metric: string, stat: string) => ({
    type: 'metric',
    width: 12,
    height: 6,
    properties: {
      title: `Lambda ${metric}`,
      region: '${AWS::Region}',
      stat,
      period: 300,
      metrics: FUNCTIONS.map((f) => ['AWS/Lambda', metric, 'FunctionName', `${STACK}-${f}`]),
    },
  });
  return {
    widgets: [
      perConnector('RowsLoaded', 'Rows loaded per connector'),
      perConnector('RowsQuarantined', 'Rows quarantined per connector'),
      perConnector('SlicesFailed', 'Failed slices per connector'),
      perConnector('MembersFailing', 'Members failing per connector'),
      perFunction('Errors', 'Sum'),
      perFunction('Duration', 'Maximum'),
      {
        type: 'metric',
        width: 12,
        height: 6,
        properties: {
          title: 'Dead-letter depth',
          region: '${AWS::Region}',
          stat: 'Maximum',
          period: 300,
          metrics: [
            [
              'AWS/SQS',
              'ApproximateNumberOfMessagesVisible',
              'QueueName',
              `${STACK}-failed-invocations`,
            ],
            [
              'AWS/SQS',
              'ApproximateNumberOfMessagesVisible',
              'QueueName',
              `${STACK}-scheduler-dlq`,
            ],
          ],
        },
      },
    ],
  };
}
