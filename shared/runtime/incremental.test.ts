import { describe, expect, it } from 'vitest';
import { untouchable } from '../../tests/helpers/untouchable.ts';
import { plan, Windows, type Incremental } from './incremental.ts';
import { defineConnector } from './connector.ts';
import { runConnector } from './run.ts';
import { defineTable } from '../model/table.ts';

const daily: Incremental<{ trailing: number }> = {
  step: { days: 1 },
  firstRun: 3,
  settledAfter: (s) => s.trailing,
  until: 'complete',
  backfill: true,
};
const ids = (p: { windows: readonly { id: string }[] }) => p.windows.map((w) => w.id);
// 2026-07-20 10:00 JST
const now = new Date('2026-07-20T01:00:00Z');

describe('declared incremental windows', () => {
  it('loads the first-run window up to yesterday, Asia/Tokyo days', () => {
    const p = plan(daily, { trailing: 0 }, { now });
    expect(ids(p)).toEqual(['2026-07-17', '2026-07-18', '2026-07-19']);
    expect(p.windows[0]!.start.toISOString()).toBe('2026-07-16T15:00:00.000Z');
    expect(p.windows[0]!.end.toISOString()).toBe('2026-07-17T15:00:00.000Z');
  });

  it('goes on at the cursor and re-reads the days that have not settled', () => {
    // Cursor: the first day not final. Two days settle after yesterday: 18 and 19 are read again.
    const p = plan(daily, { trailing: 2 }, { now, cursor: '2026-07-20' });
    expect(ids(p)).toEqual(['2026-07-18', '2026-07-19']);
    // The 17th has settled (landing it would move the cursor to the 18th); the others have not.
    expect(p.settledThrough).toBe(p.calendar.indexAt(new Date('2026-07-17T03:00:00Z')));
    expect(p.calendar.cursorAfter(p.settledThrough)).toBe('2026-07-18');
    expect(p.windows.every((w) => p.calendar.indexAt(w.start) > p.settledThrough)).toBe(true);
    expect(ids(plan(daily, { trailing: 2 }, { now, cursor: '2026-07-15' }))).toEqual([
      '2026-07-15',
      '2026-07-16',
      '2026-07-17',
      '2026-07-18',
      '2026-07-19',
    ]);
  });

  it('re-reads `lookback` windows before the cursor whatever their state', () => {
    const p = plan({ ...daily, lookback: 2 }, { trailing: 0 }, { now, cursor: '2026-07-19' });
    expect(ids(p)).toEqual(['2026-07-17', '2026-07-18', '2026-07-19']);
  });

  it('plans 3-hour JST blocks up to the current one, ids as JMA names its files', () => {
    const blocks: Incremental<unknown> = {
      step: { hours: 3 },
      firstRun: 2,
      settledAfter: 1,
      until: 'now',
      backfill: true,
    };
    const p = plan(blocks, {}, { now });
    expect(ids(p)).toEqual(['20260720_06', '20260720_09']);
    expect(p.windows[1]!.start.toISOString()).toBe('2026-07-20T00:00:00.000Z');
    // An older cursor (the last observation, inside a block) re-reads that block.
    expect(ids(plan(blocks, {}, { now, cursor: '2026-07-19T23:50:00.000Z' }))).toEqual([
      '20260720_06',
      '20260720_09',
    ]);
    const w = new Windows({ hours: 3 });
    expect(w.fromId('20260720_09')?.start.toISOString()).toBe('2026-07-20T00:00:00.000Z');
    expect(w.fromId('20260720_10')).toBeUndefined();
    expect(w.fromId('2026-07-20')).toBeUndefined();
  });

  it('keeps a backfill inside its range and before the last window, resuming after its progress', () => {
    const range = { from: '2026-07-18', to: '2026-07-25' };
    expect(ids(plan(daily, { trailing: 0 }, { now, range }))).toEqual(['2026-07-18', '2026-07-19']);
    expect(ids(plan(daily, { trailing: 0 }, { now, range, cursor: '2026-07-19' }))).toEqual([
      '2026-07-19',
    ]);
  });

  it('cuts days in the declared zone, DST included', () => {
    const la = plan(
      { ...daily, timeZone: 'America/Los_Angeles' },
      { trailing: 0 },
      {
        now: new Date('2026-03-09T20:00:00Z'),
      },
    );
    expect(ids(la)).toEqual(['2026-03-06', '2026-03-07', '2026-03-08']);
    const dst = la.windows[2]!;
    expect(dst.start.toISOString()).toBe('2026-03-08T08:00:00.000Z');
    expect(dst.end.getTime() - dst.start.getTime()).toBe(23 * 3_600_000);
  });
});

describe('a connector that cannot backfill', () => {
  it('refuses a range with a clear message before touching anything', async () => {
    const { value: nothing, touched } = untouchable();
    const def = defineConnector({
      name: 'current_only',
      tables: [
        {
          model: defineTable({
            namespace: 'sandbox',
            name: 'current_only',
            columns: [{ name: 'id', type: 'string', required: true, doc: { ja: 'id', en: 'id' } }],
            key: ['id'],
            doc: { ja: 'テスト', en: 'test' },
          }),
          disposition: 'merge',
        },
      ],
      backfill: false,
      slices: () => [{ id: 'now' }],
      fetch: () => Promise.resolve({ rows: {}, rowsRead: 0 }),
    });
    await expect(
      runConnector(
        def,
        { engine: nothing, store: nothing, dialect: 'trino' },
        { range: { from: '2026-07-01', to: '2026-07-02' } },
      ),
    ).rejects.toThrow(
      /current_only reads only its source's current state and cannot load a past range/,
    );
    expect(touched).toEqual([]);
  });
});
