import { afterEach, describe, expect, it, vi } from 'vitest';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { observeRun } from './observe.ts';

/** The EMF records Powertools wrote to stdout (CloudWatch turns them into metrics). */
interface Emf {
  _aws: {
    CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string }[] }[];
  };
  [k: string]: unknown;
}

function emfRecords(calls: unknown[][]): Emf[] {
  return calls
    .map((c) => String(c[0]))
    .flatMap((s) => s.split('\n'))
    .filter((s) => s.includes('"_aws"'))
    .map((s) => JSON.parse(s) as Emf);
}

/** An observer writing EMF to a spied stdout, as in Lambda. */
function observed() {
  const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  const observe = observeRun(
    new Logger({ serviceName: 'fuji-etl', logLevel: 'SILENT' }),
    new Metrics({ namespace: 'FujiEtl', serviceName: 'fuji-etl' }),
  );
  return { write, observe };
}

describe('observeRun', () => {
  afterEach(() => vi.restoreAllMocks());

  it('emits rows per connector and a TableLanded per table of a landed slice, with the service dimension the alarms use', () => {
    const { write, observe } = observed();
    observe({
      code: 'SLICE_DONE',
      connector: 'jma_forecast',
      tables: ['weather.forecasts', 'weather.forecast_areas'],
      status: 'succeeded',
      rowsLoaded: 120,
      rowsQuarantined: 2,
    });
    observe({
      code: 'SLICE_DONE',
      connector: 'jma_forecast',
      tables: ['weather.forecasts'],
      status: 'failed',
    });
    const records = emfRecords(write.mock.calls);
    const landed = records.filter(
      (r) => r._aws.CloudWatchMetrics[0]!.Metrics[0]!.Name === 'TableLanded',
    );
    expect(landed.map((r) => r.Table)).toEqual(['weather.forecasts', 'weather.forecast_areas']);
    for (const r of landed) {
      expect(r.service).toBe('fuji-etl');
      expect(r._aws.CloudWatchMetrics[0]!.Namespace).toBe('FujiEtl');
      expect(r._aws.CloudWatchMetrics[0]!.Dimensions[0]!.sort()).toEqual(['Table', 'service']);
    }
    const loaded = records.filter((r) => 'RowsLoaded' in r).map((r) => [r.Connector, r.RowsLoaded]);
    expect(loaded).toEqual([
      ['jma_forecast', 120],
      ['jma_forecast', 0],
    ]);
    const failed = records.filter((r) => 'SlicesFailed' in r).map((r) => r.SlicesFailed);
    expect(failed).toEqual([0, 1]);
  });

  it('counts members that failed alone, keeps a partial slice’s tables fresh, and emits MembersFailing for the alarm', () => {
    const { write, observe } = observed();
    observe({
      code: 'SLICE_DONE',
      connector: 'ga4',
      tables: ['web_analytics.ga4_traffic'],
      status: 'partial',
      membersFailed: 1,
    });
    observe({ code: 'MEMBERS_FAILING', connector: 'ga4', members: [{ member: 'property:3' }] });
    observe({ code: 'MEMBER_GAVE_UP', connector: 'ga4', member: 'property:3', sliceId: 'd' });
    const records = emfRecords(write.mock.calls);
    const value = (name: string) => records.filter((r) => name in r).map((r) => r[name]);
    expect(value('MembersFailed')).toEqual([1]);
    expect(value('TableLanded')).toEqual([1]);
    expect(value('MembersFailing')).toEqual([1]);
    expect(value('MembersGivenUp')).toEqual([1]);
    expect(records.find((r) => 'MembersFailing' in r)!.Connector).toBe('ga4');
  });

  it('emits the age of the newest data and TableStale (the freshness alarm’s metric) per table', () => {
    const { write, observe } = observed();
    const fresh = { code: 'TABLE_FRESHNESS', connector: 'jma_amedas' };
    observe({ ...fresh, table: 'weather.a', state: 'fresh', ageHours: 0.5 });
    observe({ ...fresh, table: 'weather.b', state: 'late', ageHours: 3 });
    observe({ ...fresh, table: 'weather.c', state: 'stale', ageHours: 5 });
    observe({ ...fresh, table: 'weather.d', state: 'failing', ageHours: 1 });
    observe({ ...fresh, table: 'weather.e', state: 'stale' });
    const records = emfRecords(write.mock.calls);
    const of = (name: string) =>
      records.filter((r) => name in r).map((r) => [r.Table, r[name]] as const);
    expect(of('NewestDataAge')).toEqual([
      ['weather.a', 1800],
      ['weather.b', 10800],
      ['weather.c', 18000],
      ['weather.d', 3600],
    ]);
    expect(of('TableStale')).toEqual([
      ['weather.a', 0],
      ['weather.b', 0],
      ['weather.c', 1],
      ['weather.d', 1],
      ['weather.e', 1],
    ]);
    const stale = records.find((r) => 'TableStale' in r)!;
    expect(stale.service).toBe('fuji-etl');
    expect(stale._aws.CloudWatchMetrics[0]!.Dimensions[0]!.sort()).toEqual(['Table', 'service']);
  });
});
