import { afterEach, describe, expect, it, vi } from 'vitest';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { RUN_EVENTS, type RunEvent, type RunEventCode } from '../errors/events.ts';
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
  const logger = new Logger({ serviceName: 'fuji-etl', logLevel: 'SILENT' });
  const levels = (['info', 'warn', 'error'] as const).map((l) => vi.spyOn(logger, l));
  const observe = observeRun(
    logger,
    new Metrics({ namespace: 'FujiEtl', serviceName: 'fuji-etl' }),
  );
  /** The level each event was logged at, in order. */
  const logged = () =>
    levels
      .flatMap((spy, i) =>
        spy.mock.calls.map((c, n) => [spy.mock.invocationCallOrder[n]!, i, c[0]] as const),
      )
      .sort((a, b) => a[0] - b[0])
      .map(([, i, code]) => [code, (['info', 'warn', 'error'] as const)[i]]);
  return { write, observe, logged };
}

const SLICE = { rowsLoaded: 0, rowsQuarantined: 0, membersFailed: 0 };

/** One event of each code, with the fields its observer reads. */
const SAMPLES: { [C in RunEventCode]?: Extract<RunEvent, { code: C }> } = {
  SLICE_DONE: {
    code: 'SLICE_DONE',
    connector: 'jma_amedas',
    tables: ['weather.amedas_observation'],
    status: 'succeeded',
    rowsLoaded: 3,
    rowsQuarantined: 1,
    membersFailed: 0,
  },
  MEMBER_GAVE_UP: { code: 'MEMBER_GAVE_UP', connector: 'jma_amedas', member: 'station:50066' },
  MEMBERS_FAILING: { code: 'MEMBERS_FAILING', connector: 'jma_amedas', members: [{}] },
  TABLE_FRESHNESS: {
    code: 'TABLE_FRESHNESS',
    connector: 'jma_amedas',
    table: 'weather.amedas_observation',
    state: 'fresh',
    ageHours: 1,
  },
  INVOCATION_NOT_RETRIED: {
    code: 'INVOCATION_NOT_RETRIED',
    functionName: 'fuji-etl-dev-scheduled',
    errorCode: 'SOURCE_SHAPE',
    errorType: 'SourceShapeError',
    error: 'SOURCE_SHAPE: …',
  },
};

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
      membersFailed: 0,
    });
    observe({
      ...SLICE,
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
      ...SLICE,
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
    const fresh = { code: 'TABLE_FRESHNESS', connector: 'jma_amedas' } as const;
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

  it('emits, for every event that declares metrics, exactly those metrics', () => {
    const declared = Object.entries(RUN_EVENTS).flatMap(([code, e]) =>
      'metrics' in e ? [[code, e.metrics] as const] : [],
    );
    expect(declared.map(([code]) => code).sort()).toEqual(Object.keys(SAMPLES).sort());
    for (const [code, metrics] of declared) {
      const { write, observe } = observed();
      observe(SAMPLES[code as RunEventCode]!);
      const names = emfRecords(write.mock.calls).map(
        (r) => r._aws.CloudWatchMetrics[0]!.Metrics[0]!.Name,
      );
      expect(new Set(names), code).toEqual(new Set(metrics));
      vi.restoreAllMocks();
    }
  });

  it('emits no metric for the other events, and logs every event at its declared level', () => {
    const { write, observe, logged } = observed();
    const codes = Object.keys(RUN_EVENTS) as RunEventCode[];
    for (const code of codes)
      observe(SAMPLES[code] ?? ({ code, connector: 'x' } as unknown as RunEvent));
    const quiet = codes.filter((c) => !SAMPLES[c]);
    expect(quiet.length).toBeGreaterThan(20);
    // Only the samples emit: one record per declared metric (the sample slice lands one table).
    const declared = Object.values(RUN_EVENTS).flatMap((e) => ('metrics' in e ? e.metrics : []));
    expect(emfRecords(write.mock.calls)).toHaveLength(declared.length);
    expect(logged()).toEqual(codes.map((c) => [c, RUN_EVENTS[c].level]));
  });

  it('logs a failed slice as an error and a partial one as a warning, whatever its code’s level', () => {
    const { observe, logged } = observed();
    observe({ ...SAMPLES.SLICE_DONE!, status: 'failed' });
    observe({ ...SAMPLES.SLICE_DONE!, status: 'partial' });
    observe({ ...SAMPLES.SLICE_DONE!, status: 'aborted' });
    expect(logged()).toEqual([
      ['SLICE_DONE', 'error'],
      ['SLICE_DONE', 'warn'],
      ['SLICE_DONE', 'info'],
    ]);
  });

  it('counts an answered failure per function, under the dimension Lambda’s own alarms use', () => {
    const { write, observe } = observed();
    observe(SAMPLES.INVOCATION_NOT_RETRIED!);
    const [r] = emfRecords(write.mock.calls);
    expect(r!.InvocationsNotRetried).toBe(1);
    expect(r!.FunctionName).toBe('fuji-etl-dev-scheduled');
    expect(r!._aws.CloudWatchMetrics[0]!.Dimensions[0]!.sort()).toEqual([
      'FunctionName',
      'service',
    ]);
  });
});
