import { describe, expect, it } from 'vitest';
import { stringLiteral } from '#shared/sql/literal.ts';
import type { RunSummary } from '#shared/runtime/run.ts';
import { invoke, localLambda, sampleEvent } from '../../tests/helpers/lambda.ts';
import { testEngine } from '../../tests/helpers/local.ts';

describe('the scheduled function', () => {
  it('runs the connector its schedule names from the cursor, and records the run', async () => {
    await localLambda();
    const { result, error } = await invoke<RunSummary>('scheduled', sampleEvent('scheduled'));
    expect(error).toBeUndefined();
    expect(result!.connector).toBe('synthetic');
    expect(result!.ok).toBe(true);
    // Its own state table has no cursor: the run starts three days back, whatever the date.
    expect(result!.slices.length).toBeGreaterThan(0);
    expect(result!.slices.length).toBeLessThanOrEqual(4);
    const ledger = await testEngine().query(
      `SELECT count(*) FROM "ops"."run_ledger" WHERE run_id = ${stringLiteral(result!.runId)}`,
    );
    expect(ledger.rows[0]![0]).toBe(BigInt(result!.slices.length));
  });

  it('refuses a connector it does not know, naming the known ones', async () => {
    await localLambda();
    const { error } = await invoke('scheduled', { connector: 'jma_forcast' });
    expect(error?.errorMessage).toMatch(/unknown connector "jma_forcast"; known: .*jma_forecast/);
  });
});
