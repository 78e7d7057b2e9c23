import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ReplayResult } from '#shared/csv/replay.ts';
import { writeQuarantine } from '#shared/runtime/quarantine.ts';
import { stringLiteral } from '#shared/sql/literal.ts';
import { invoke, localLambda, sampleEvent } from '../../tests/helpers/lambda.ts';
import { testEngine } from '../../tests/helpers/local.ts';
import { cliContext, ensureLocalStateTable } from '../../cli/context.ts';

const engine = testEngine();
const ctx = cliContext({ ...process.env, FUJI_ETL_TARGET: 'local' });

describe('the replay_quarantine function', () => {
  it('lands a quarantined row that the contract now accepts and removes it from quarantine', async () => {
    await localLambda();
    // A row quarantined under an older contract (it named the route 富士宮表口, say); the line as
    // it stands now passes. 1901 keeps it clear of every real or demo count.
    const source = `s3://it-replay/${randomBytes(4).toString('hex')}.csv`;
    await ensureLocalStateTable(ctx);
    await writeQuarantine(
      { engine, store: ctx.store },
      'csv_upload',
      'it-replay',
      [
        {
          table: 'climbing.climber_counts',
          source,
          line: 2,
          raw: '1901/8/1,富士宮,42,',
          reason: 'route: unknown value 富士宮表口',
          contract: 'moe_climbers_8th',
          header: '日付,登山道,登山者数,備考',
        },
      ],
      new Date(),
    );
    const { result, error } = await invoke<ReplayResult[]>(
      'replay_quarantine',
      sampleEvent('replay_quarantine'),
    );
    expect(error).toBeUndefined();
    expect(result!.map((r) => r.contract)).toEqual(['moe_climbers_8th']);
    expect(result![0]!.landed).toBeGreaterThanOrEqual(1);
    const landed = await engine.query(
      `SELECT climbers FROM ${engine.names.table('climbing', 'climber_counts')} WHERE source = ${stringLiteral(source)}`,
    );
    expect(landed.rows).toEqual([[42n]]);
    const left = await engine.query(
      `SELECT count(*) FROM "ops"."quarantine" WHERE source = ${stringLiteral(source)}`,
    );
    expect(left.rows[0]![0]).toBe(0n);
  });

  it('refuses a contract it does not know', async () => {
    await localLambda();
    const { error } = await invoke('replay_quarantine', { contract: 'moe_climbers' });
    expect(error?.errorMessage).toMatch(
      /unknown contract "moe_climbers"; known: .*moe_climbers_8th/,
    );
  });
});
