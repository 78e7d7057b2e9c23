import { describe, expect, it } from 'vitest';
import { Faults, parseFaultPlan } from './faults.ts';

describe('fault plans', () => {
  it('throttles, then fails like a commit conflict, then lets queries through', () => {
    const f = new Faults();
    f.set(parseFaultPlan({ throttle: 1, commitConflict: 1, match: '^MERGE' }));
    expect(f.onStart('SELECT 1')).toEqual({ kind: 'none', slowMs: 0 });
    expect(f.onStart('MERGE INTO t').kind).toBe('throttle');
    expect(f.onStart('MERGE INTO t')).toMatchObject({
      kind: 'fail',
      errorName: 'ICEBERG_COMMIT_ERROR',
    });
    expect(f.onStart('MERGE INTO t')).toEqual({ kind: 'none', slowMs: 0 });
    expect(f.counters).toEqual({
      started: 4,
      throttled: 1,
      injectedFailures: 1,
      slowed: 0,
      stopped: 0,
    });
  });

  it('injects a chosen failure a given number of times and slows matching queries', () => {
    const f = new Faults();
    f.set(
      parseFaultPlan({
        failWith: {
          errorName: 'GENERIC_INTERNAL_ERROR',
          message: 'boom',
          category: 1,
          retryable: true,
          count: 1,
        },
        slowMs: 200,
      }),
    );
    expect(f.onStart('SELECT 1')).toMatchObject({ kind: 'fail', retryable: true, category: 1 });
    expect(f.onStart('SELECT 1')).toEqual({ kind: 'none', slowMs: 200 });
    f.clear();
    expect(f.onStart('SELECT 1')).toEqual({ kind: 'none', slowMs: 0 });
    expect(f.counters.started).toBe(1);
  });

  it('rejects a plan with unknown fields or bad values instead of ignoring them', () => {
    expect(() => parseFaultPlan({ throtle: 1 })).toThrow(/unknown fault fields: throtle/);
    expect(() => parseFaultPlan({ throttle: -1 })).toThrow(/non-negative integer/);
    expect(() => parseFaultPlan({ match: '(' })).toThrow();
    expect(() =>
      parseFaultPlan({
        failWith: { errorName: 'X', message: 'y', category: 4, retryable: false, count: 1 },
      }),
    ).toThrow(/category/);
  });
});
