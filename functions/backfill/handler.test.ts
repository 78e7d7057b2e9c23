import { randomInt } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { addDays } from '#shared/time/days.ts';
import { stringLiteral } from '#shared/sql/literal.ts';
import { invoke, localLambda, sampleEvent } from '../../tests/helpers/lambda.ts';
import { testEngine } from '../../tests/helpers/local.ts';
import type { BackfillResult } from './handler.ts';

const daysLanded = async (runIds: string[]) => {
  const r = await testEngine().query(
    `SELECT DISTINCT slice FROM "ops"."run_ledger" WHERE status = 'succeeded' AND run_id IN (${runIds.map(stringLiteral).join(', ')}) ORDER BY slice`,
  );
  return r.rows.map((row) => row[0]);
};

describe('the backfill function', () => {
  it('loads the sample range in one invocation when time allows', async () => {
    await localLambda({ marginMs: 4_000 });
    const { result, error } = await invoke<BackfillResult>('backfill', sampleEvent('backfill'));
    expect(error).toBeUndefined();
    expect(result!.status).toBe('complete');
    expect(result!.summary.slices.map((s) => s.slice)).toEqual(['2026-07-10', '2026-07-11']);
  });

  it('continues a long range across invocations, each resuming after the last landed day', async () => {
    const lambda = await localLambda({ marginMs: 4_000 });
    // A range no earlier run touched: its progress cursor would (rightly) skip what it loaded.
    const from = addDays('2021-01-01', randomInt(0, 1500));
    const to = addDays(from, 8);
    // Each invocation gets about 8 s of work, so 8 days cannot land in one.
    lambda.timeoutMs = 12_000;
    try {
      const first = await invoke<BackfillResult>('backfill', {
        connector: 'synthetic',
        from,
        to,
      });
      expect(first.error).toBeUndefined();
      expect(first.result!.status).toBe('continued');
      expect(first.result!.next).toMatchObject({ from, to, invocation: 2 });
      await lambda.settled();
    } finally {
      lambda.timeoutMs = 900_000;
    }
    const chain = lambda.invocations.filter((i) => (i.event as { from?: string }).from === from);
    expect(chain.length).toBeGreaterThan(1);
    expect(chain.map((i) => i.error)).toEqual(chain.map(() => undefined));
    const results = chain.map((i) => i.result as BackfillResult);
    expect(results.at(-1)!.status).toBe('complete');
    expect(results.slice(0, -1).every((r) => r.status === 'continued')).toBe(true);
    expect(await daysLanded(results.map((r) => r.summary.runId))).toEqual(
      Array.from({ length: 8 }, (_, i) => addDays(from, i)),
    );
  }, 600_000);

  it('refuses a range that is not two days in order', async () => {
    await localLambda({ marginMs: 4_000 });
    const { error } = await invoke('backfill', {
      connector: 'synthetic',
      from: '2026-07-12',
      to: '2026-07-10',
    });
    expect(error?.errorMessage).toMatch(/from 2026-07-12 must be before to 2026-07-10/);
  });
});
