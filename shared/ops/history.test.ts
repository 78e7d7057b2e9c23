import { describe, expect, it } from 'vitest';
import { defineTable } from '../model/table.ts';
import {
  parseStateRef,
  resolveState,
  snapshotsIn,
  windowOf,
  type SnapshotEntry,
} from './history.ts';

const model = defineTable({
  namespace: 'mobility',
  name: 'parking_shuttle_daily',
  doc: { ja: 't', en: 't' },
  columns: [{ name: 'id', type: 'long', required: true, doc: { ja: 'i', en: 'i' } }],
  key: ['id'],
  partitionBy: [],
});

/** `n` snapshots a day apart, newest first, seen at `now`, with mobility's 35 days / newest 20. */
function history(n: number, now: Date): SnapshotEntry[] {
  return Array.from({ length: n }, (_, i) => {
    const committedAt = new Date(now.getTime() - (i + 1) * 86_400_000);
    const leavesWindowAt = new Date(committedAt.getTime() + 35 * 86_400_000);
    return {
      snapshotId: String(1000 + i),
      committedAt,
      operation: 'overwrite',
      rowsAdded: 1,
      rowsDeleted: 0,
      leavesWindowAt,
      inWindow: leavesWindowAt > now || i < 20,
      current: i === 0,
    };
  });
}

describe('naming a past state', () => {
  const now = new Date('2026-12-01T00:00:00Z');
  const h = history(50, now);

  it('takes a snapshot id, or a time only with its zone', () => {
    expect(parseStateRef('5012345678901234567')).toEqual({ snapshot: '5012345678901234567' });
    expect(parseStateRef('2026-08-01T09:00:00+09:00')).toEqual({
      at: new Date('2026-08-01T00:00:00Z'),
    });
    expect(() => parseStateRef('2026-08-01 09:00')).toThrow(/with a zone/);
    expect(() => parseStateRef('2026-08-01T09:00:00')).toThrow(/with a zone/);
  });

  it('names the state the table had at a time: the newest snapshot at or before it', () => {
    const at = new Date(h[3]!.committedAt.getTime() + 1_000);
    expect(resolveState(model, h, { at }).snapshotId).toBe('1003');
    expect(resolveState(model, h, { at: h[3]!.committedAt }).snapshotId).toBe('1003');
  });

  it('refuses a snapshot past the window even while the engine still holds it', () => {
    // 40 days old, and not among the newest 20.
    expect(() => resolveState(model, h, { snapshot: '1039' })).toThrow(
      /snapshot 1039 \(committed 2026-10-22T00:00:00.000Z\) has left the restore window at 2026-11-26T00:00:00.000Z; restore window 35 days \(and the newest 20 snapshots\)/,
    );
    // 34 days old: inside.
    expect(resolveState(model, h, { snapshot: '1033' }).snapshotId).toBe('1033');
    expect(() => resolveState(model, h, { snapshot: '42' })).toThrow(/not in the table's history/);
  });

  it('keeps the newest snapshots whatever their age', () => {
    const r = { maxSnapshotAgeHours: 24, minSnapshotsToKeep: 3 };
    const at = new Date('2026-01-01T00:00:00Z');
    expect(windowOf(at, 2, r, now)).toEqual({
      leavesWindowAt: new Date('2026-01-02T00:00:00Z'),
      inWindow: true,
    });
    expect(windowOf(at, 3, r, now).inWindow).toBe(false);
    expect(windowOf(new Date('2026-11-30T12:00:00Z'), 30, r, now).inWindow).toBe(true);
  });

  it('reads the snapshots a ledger cell gives for one table', () => {
    const cell = 'mobility.parking_shuttle_daily=11,12; ops.quarantine=13';
    expect(snapshotsIn(cell, 'mobility.parking_shuttle_daily')).toEqual(['11', '12']);
    expect(snapshotsIn(cell, 'ops.quarantine')).toEqual(['13']);
    expect(snapshotsIn(cell, 'ops.run_ledger')).toEqual([]);
  });
});
