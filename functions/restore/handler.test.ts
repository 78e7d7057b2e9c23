import { describe, expect, it } from 'vitest';
import { contracts } from '#connectors/contracts.ts';
import { ensureTable } from '#shared/writer/ensure-table.ts';
import { writeRows } from '#shared/writer/write.ts';
import { tableHistory } from '#shared/ops/history.ts';
import { qualifiedName } from '#shared/sql/identifier.ts';
import { invoke, localLambda, sampleEvent } from '../../tests/helpers/lambda.ts';
import { inNamespace, testEngine, uniqueNamespace } from '../../tests/helpers/local.ts';
import type { RestoreOutcome } from './handler.ts';

const engine = testEngine();
const declared = contracts.get('parking_shuttle')!.table;
const ns = uniqueNamespace('restore_fn');
const model = inNamespace(declared, ns);
const row = (site: string, vehicles: number) => ({
  use_date: '2026-08-01',
  site,
  vehicles: BigInt(vehicles),
  source: 's3://it-restore-fn/a.csv',
  source_line: 2n,
});

describe('the restore function', () => {
  it('plans without apply, restores with it, and refuses an event it cannot read', async () => {
    await localLambda();
    await ensureTable(engine, 'trino', model);
    await writeRows(engine, model, [row('P1', 10), row('P2', 20)], { disposition: 'merge' });
    const before = (await tableHistory(engine, model, { limit: 1 }))[0]!.snapshotId;
    await writeRows(engine, model, [row('P1', 99)], { disposition: 'merge' });
    const event = { table: `${declared.namespace}.${declared.name}`, database: ns, to: before };

    const dry = await invoke<RestoreOutcome>('restore', event);
    expect(dry.error).toBeUndefined();
    expect(dry.result).toMatchObject({
      target: { snapshotId: before },
      diff: { counts: { inserted: 0, updated: 1, deleted: 0 }, partitions: 1 },
    });
    expect(dry.result!.applied).toBeUndefined();

    const done = await invoke<RestoreOutcome>('restore', { ...event, apply: true });
    expect(done.error).toBeUndefined();
    expect(done.result!.applied).toMatchObject({ rowsWritten: 1 });
    const r = await engine.query(
      `SELECT site, vehicles FROM ${qualifiedName(ns, model.name)} ORDER BY site`,
    );
    expect(r.rows).toEqual([
      ['P1', 10n],
      ['P2', 20n],
    ]);

    // The sample event names a declared table and a time with its zone: it reads.
    expect(sampleEvent('restore')).toMatchObject({
      apply: false,
      to: expect.stringMatching(/\+09:00$/),
    });
    const bad = await invoke<RestoreOutcome>('restore', { table: 'no.such', to: before });
    expect(bad.error?.errorMessage).toMatch(/^a restore needs \{"table"/);
  }, 180_000);
});
