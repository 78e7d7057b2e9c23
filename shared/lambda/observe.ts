/**
 * Turns the runtime's events into structured logs and CloudWatch metrics (embedded metric format,
 * written with the log, so no PutMetricData permission or call). The freshness alarms in infra/
 * read `TableStale`, emitted per table from its data (`TABLE_FRESHNESS`, shared/ops/freshness.ts);
 * `TableLanded` still counts the tables a slice landed in.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';

export function observeRun(logger: Logger, metrics: Metrics) {
  return (event: Record<string, unknown>): void => {
    const code = String(event.code ?? 'EVENT');
    const failed = code.endsWith('FAILED') || event.status === 'failed';
    const warn =
      code === 'MEMBERS_FAILING' || code === 'MEMBER_GAVE_UP' || event.status === 'partial';
    if (failed) logger.error(code, event);
    else if (warn) logger.warn(code, event);
    else logger.info(code, event);
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
    const connector = String(event.connector);
    if (code === 'MEMBERS_FAILING') {
      const n = Array.isArray(event.members) ? event.members.length : 0;
      emit('Connector', connector, 'MembersFailing', MetricUnit.Count, n);
      return;
    }
    if (code === 'TABLE_FRESHNESS') {
      const table = String(event.table);
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
    if (code === 'MEMBER_GAVE_UP') {
      emit('Connector', connector, 'MembersGivenUp', MetricUnit.Count, 1);
      return;
    }
    if (code !== 'SLICE_DONE') return;
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
    for (const table of (event.tables as string[] | undefined) ?? []) {
      emit('Table', table, 'TableLanded', MetricUnit.Count, 1);
    }
  };
}
