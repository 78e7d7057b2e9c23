/**
 * An alarm that notifies the on-call topic (monitoring.json's AlarmTopic) on alarm and on
 * recovery, for the audit and pipeline alarms.
 */
import { ref } from './names.ts';

export function alarm(description: string, props: Record<string, unknown>) {
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
