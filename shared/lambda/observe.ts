/**
 * Turns the runtime's events into structured logs and CloudWatch metrics (embedded metric format,
 * written with the log, so no PutMetricData permission or call). The freshness alarms in infra/
 * read `TableStale`, emitted per table from its data (`TABLE_FRESHNESS`, shared/ops/freshness.ts);
 * `TableLanded` still counts the tables a slice landed in. The metrics of each event are declared
 * with it (RUN_EVENTS in shared/errors/events.ts) and a test holds this file to them.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import { eventLevel, type RunEvent, type RunLog } from '../errors/events.ts';

export function observeRun(logger: Logger, metrics: Metrics): RunLog {
  return (event: RunEvent): void => {
    const { code } = event;
    logger[eventLevel(event)](code, event);
    // One EMF record per metric: Powertools clears a single metric's dimensions when it flushes.
    const emit = (
      dim: string,
      value: string,
      name: string,
      unit: (typeof MetricUnit)[keyof typeof MetricUnit],
      n: number,
    ) => {
      const m = metrics.singleMetric();
      m.addDimension(dim, value);
      m.addMetric(name, unit, n);
    };
    if (event.code === 'MEMBERS_FAILING') {
      const n = Array.isArray(event.members) ? event.members.length : 0;
      emit('Connector', event.connector, 'MembersFailing', MetricUnit.Count, n);
      return;
    }
    if (event.code === 'TABLE_FRESHNESS') {
      const table = event.table;
      if (typeof event.ageHours === 'number')
        emit(
          'Table',
          table,
          'NewestDataAge',
          MetricUnit.Seconds,
          Math.round(event.ageHours * 3600),
        );
      const stale = event.state === 'stale' || event.state === 'failing';
      emit('Table', table, 'TableStale', MetricUnit.Count, stale ? 1 : 0);
      return;
    }
    if (event.code === 'MEMBER_GAVE_UP') {
      emit('Connector', event.connector, 'MembersGivenUp', MetricUnit.Count, 1);
      return;
    }
    if (event.code === 'INVOCATION_NOT_RETRIED') {
      // Lambda's Errors metric does not count an answered failure: this one alarms instead.
      emit('FunctionName', event.functionName, 'InvocationsNotRetried', MetricUnit.Count, 1);
      return;
    }
    if (event.code !== 'SLICE_DONE') return;
    const { connector } = event;
    emit('Connector', connector, 'RowsLoaded', MetricUnit.Count, Number(event.rowsLoaded ?? 0));
    emit(
      'Connector',
      connector,
      'RowsQuarantined',
      MetricUnit.Count,
      Number(event.rowsQuarantined ?? 0),
    );
    emit(
      'Connector',
      connector,
      'SlicesFailed',
      MetricUnit.Count,
      event.status === 'failed' ? 1 : 0,
    );
    emit(
      'Connector',
      connector,
      'MembersFailed',
      MetricUnit.Count,
      Number(event.membersFailed ?? 0),
    );
    if (event.status !== 'succeeded' && event.status !== 'partial') return;
    for (const table of event.tables ?? []) {
      emit('Table', table, 'TableLanded', MetricUnit.Count, 1);
    }
  };
}
