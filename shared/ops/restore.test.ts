import { describe, expect, it } from 'vitest';
import type { AthenaEngine } from '../engine/athena.ts';
import { defineTable } from '../model/table.ts';
import type { StateStore } from '../state/store.ts';
import { TableNames } from '../sql/table-names.ts';
import { applyRestore, restoreSql, type RestorePlan } from './restore.ts';

const model = defineTable({
  namespace: 'mobility',
  name: 'parking_shuttle_daily',
  doc: { ja: 't', en: 't' },
  columns: [
    { name: 'day', type: 'date', required: true, doc: { ja: 'd', en: 'd' } },
    { name: 'n', type: 'long', doc: { ja: 'n', en: 'n' } },
  ],
  key: ['day'],
  partitionBy: [{ column: 'day', transform: 'day' }],
});

const entry = (snapshotId: string) => ({
  snapshotId,
  committedAt: new Date('2026-08-01T00:00:00Z'),
  operation: 'overwrite',
  rowsAdded: 0,
  rowsDeleted: 0,
  leavesWindowAt: new Date('2026-09-05T00:00:00Z'),
  inWindow: true,
  current: false,
});

describe('restore', () => {
  it('is one MERGE from the old snapshot over the whole table, deleting what it lacks', () => {
    // mobility lives in the uploads bucket: every name of it carries that catalog.
    const names = new TableNames({
      catalog: 's3tablescatalog/fuji-etl-dev',
      namespaces: { mobility: 's3tablescatalog/fuji-etl-dev-uploads' },
    });
    const table = names.of(model);
    const sql = restoreSql(names, model, {
      table,
      snapshotId: '123',
      columns: new Set(['day', 'n']),
    });
    expect(sql.match(/MERGE INTO/g)).toHaveLength(1);
    expect(sql).toContain(
      'MERGE INTO "s3tablescatalog/fuji-etl-dev-uploads"."mobility"."parking_shuttle_daily" AS fuji_t',
    );
    expect(sql).toContain(
      'SELECT "day" AS "day", "n" AS "n" FROM "s3tablescatalog/fuji-etl-dev-uploads"."mobility"."parking_shuttle_daily" FOR VERSION AS OF 123',
    );
    expect(sql).toContain('WHEN MATCHED AND fuji_s.fuji_delete THEN DELETE');
    expect(() =>
      restoreSql(names, model, { table, snapshotId: '1; DROP TABLE x', columns: new Set() }),
    ).toThrow(/is not a number/);
    // A snapshot from before a column was added reads it as NULL, as its rows had it.
    expect(
      restoreSql(names, model, { table, snapshotId: '7', columns: new Set(['day']) }),
    ).toContain('SELECT "day" AS "day", CAST(NULL AS bigint) AS "n" FROM');
  });

  it('refuses, before any lock or statement, a change past the 100 partitions of one statement', async () => {
    const untouchable = new Proxy(
      {},
      {
        get: () => {
          throw new Error('the engine or the store was used');
        },
      },
    );
    const plan: RestorePlan = {
      table: 'mobility.parking_shuttle_daily',
      target: entry('1'),
      current: { ...entry('2'), current: true },
      diff: {
        from: '2',
        to: '1',
        counts: { inserted: 0, updated: 0, deleted: 150 },
        partitions: 150,
        samples: { inserted: [], updated: [], deleted: [] },
      },
    };
    await expect(
      applyRestore(
        {
          engine: untouchable as AthenaEngine,
          dialect: 'athena',
          store: untouchable as StateStore,
        },
        model,
        plan,
      ),
    ).rejects.toThrow(
      /changes rows in 150 partitions, more than the 100 one Athena statement may write; restore to a nearer snapshot/,
    );
  });
});
