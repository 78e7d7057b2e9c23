/**
 * One EventBridge Scheduler schedule per scheduled connector, in Asia/Tokyo, targeting the
 * `scheduled` function with `{"connector": name}`, with a retry policy and a dead-letter queue.
 * Declared raw because serverless's schedule event cannot set RetryPolicy or DeadLetterConfig.
 */
import type { ConnectorSchedule } from '../../functions/scheduled/schedules.ts';
import { functionId, getAtt, pascal, STACK } from './names.ts';

export type Schedules = Readonly<
  Record<string, ConnectorSchedule | { readonly unscheduled: string }>
>;

export function scheduled(connectors: readonly string[], schedules: Schedules) {
  const missing = connectors.filter((c) => !(c in schedules));
  if (missing.length > 0) {
    throw new Error(
      `no schedule declared for ${missing.join(', ')} (functions/scheduled/schedules.ts)`,
    );
  }
  return connectors.flatMap((c) => {
    const s = schedules[c]!;
    return 'cron' in s ? [[c, s] as const] : [];
  });
}

export function schedulesTemplate(connectors: readonly string[], schedules: Schedules) {
  const resources: Record<string, unknown> = {};
  for (const [name, s] of scheduled(connectors, schedules)) {
    resources[`Schedule${pascal(name)}`] = {
      Type: 'AWS::Scheduler::Schedule',
      Properties: {
        Name: `${STACK}-${name}`,
        Description: s.why,
        ScheduleExpression: s.cron,
        ScheduleExpressionTimezone: 'Asia/Tokyo',
        State: '${param:scheduleState}',
        FlexibleTimeWindow: { Mode: 'OFF' },
        Target: {
          Arn: getAtt(functionId('scheduled'), 'Arn'),
          RoleArn: getAtt('SchedulerRole', 'Arn'),
          Input: JSON.stringify({ connector: name }),
          RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 3600 },
          DeadLetterConfig: { Arn: getAtt('SchedulerDeadLetterQueue', 'Arn') },
        },
      },
    };
  }
  return { Resources: resources };
}
