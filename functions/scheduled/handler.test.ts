import { describe, expect, it } from 'vitest';
import { stringLiteral } from '#shared/sql/literal.ts';
import type { RunSummary } from '#shared/runtime/run.ts';
import { addDays } from '#shared/time/days.ts';
import { invoke, localLambda, sampleEvent } from '../../tests/helpers/lambda.ts';
import { testEngine } from '../../tests/helpers/local.ts';
import { stateStore } from '../../tests/helpers/state.ts';

describe('the scheduled function', () => {
  it('runs the connector its schedule names from the cursor, and records the run', async () => {
    await localLambda();
    // The cursor says yesterday is still to load (in the file's own state table), so the run is
    // one slice whatever the date: a cursor left by an earlier run once made it one per day since.
    const store = stateStore();
    const today = addDays(new Date(), 0);
    await store.putCursor('synthetic', 'main', addDays(today, -1), 'test');
    const { result, error } = await invoke<RunSummary>('scheduled', sampleEvent('scheduled'));
    expect(error).toBeUndefined();
    expect(result!.connector).toBe('synthetic');
    expect(result!.ok).toBe(true);
    // Planned from the same clock as `today`, unless the run crossed midnight in Japan.
    const slices = result!.slices.map((s) => s.slice);
    expect([[addDays(today, -1)], [addDays(today, -1), today]]).toContainEqual(slices);
    expect(await store.getCursor('synthetic', 'main')).toBe(addDays(slices.at(-1)!, 1));
    const ledger = await testEngine().query(
      `SELECT count(*) FROM "ops"."run_ledger" WHERE run_id = ${stringLiteral(result!.runId)}`,
    );
    expect(ledger.rows[0]![0]).toBe(BigInt(slices.length));
  });

  it('refuses a connector it does not know, naming the known ones', async () => {
    await localLambda();
    const { error } = await invoke('scheduled', { connector: 'jma_forcast' });
    expect(error?.errorMessage).toMatch(/unknown connector "jma_forcast"; known: .*jma_forecast/);
  });
});
