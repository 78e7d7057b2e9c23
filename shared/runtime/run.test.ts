import { describe, expect, it } from 'vitest';
import type { AthenaEngine, QueryResult } from '../engine/athena.ts';
import { TableNames } from '../sql/table-names.ts';
import type { RunEvent } from '../errors/events.ts';
import { HttpTransportError, SourceShapeError } from '../http/errors.ts';
import { defineTable } from '../model/table.ts';
import type { StateStore } from '../state/store.ts';
import { defineConnector } from './connector.ts';
import { runConnector } from './run.ts';

/** An engine that answers every statement with nothing: enough for ensure, write and ledger. */
function emptyEngine(): AthenaEngine {
  const empty: QueryResult = {
    queryId: 'q',
    columns: [],
    rows: [],
    text: [],
    updateCount: 0,
    dataScannedBytes: 0,
    engineMs: 0,
    attempts: 1,
    transportRetries: 0,
  };
  return {
    query: async () => empty,
    names: new TableNames({ catalog: 's3tablescatalog/fuji-etl-test' }),
  } as unknown as AthenaEngine;
}

/** A state store in memory: locks always granted, cursors in a map. */
function memoryStore() {
  const cursors = new Map<string, string>();
  const store = {
    acquireLock: async () => ({
      assertHeld: () => {},
      release: async () => {},
      handOver: async () => {},
    }),
    getCursor: async (c: string, n: string) => cursors.get(`${c}/${n}`),
    putCursor: async (c: string, n: string, v: string) => void cursors.set(`${c}/${n}`, v),
    deleteCursor: async (c: string, n: string) => void cursors.delete(`${c}/${n}`),
  };
  return { store: store as unknown as StateStore, cursors };
}

// The engine answers nothing and the slices write no rows: any declared model will do.
const table = defineTable({
  namespace: 'it',
  name: 'marks',
  doc: { ja: '再試行マーカーの試験', en: 'The retryable-marker test' },
  columns: [{ name: 'day', type: 'date', required: true, doc: { ja: '日', en: 'Day' } }],
  key: ['day'],
  eventTime: 'day',
});

/** Four day slices: one lands, one fails for good, one for a passing reason, one unmarked. */
const connector = defineConnector({
  name: 'marks',
  tables: [{ model: table, disposition: 'merge' }],
  slices: () =>
    ['2026-07-01', '2026-07-02', '2026-07-03', '2026-07-04'].map((day) => ({ id: day, day })),
  async fetch(slice) {
    if (slice.day === '2026-07-02')
      throw new SourceShapeError('https://example.test/d.json', '$.rows', 'not an array');
    if (slice.day === '2026-07-03')
      throw new HttpTransportError('https://example.test/d.json', new Error('ECONNRESET'));
    if (slice.day === '2026-07-04') throw new Error('a bug');
    return { rowsRead: 0, rows: {}, cursor: slice.day };
  },
});

describe('a failed slice and the retryable marker', () => {
  it('records whether each failed slice may be retried, and the cursor waits at the first failure', async () => {
    const { store, cursors } = memoryStore();
    const events: RunEvent[] = [];
    const summary = await runConnector(connector, {
      engine: emptyEngine(),
      dialect: 'trino',
      store,
      log: (e) => events.push(e),
    });
    expect(summary.slices.map((s) => [s.slice, s.status, s.retryable])).toEqual([
      ['2026-07-01', 'succeeded', undefined],
      ['2026-07-02', 'failed', false],
      ['2026-07-03', 'failed', true],
      // Not marked: counted retryable, as the platform would.
      ['2026-07-04', 'failed', true],
    ]);
    expect(summary.slices[1]!.error).toMatch(/^SOURCE_SHAPE: /);
    // The ledger row says so too, and only for that slice.
    expect(summary.slices.map((s) => s.notes)).toEqual([
      undefined,
      ['not retryable: running again fails the same way'],
      undefined,
      undefined,
    ]);
    expect(cursors.get('marks/main')).toBe('2026-07-01');
    const done = events.filter((e) => e.code === 'SLICE_DONE');
    expect(done.map((e) => e.retryable)).toEqual([undefined, false, true, true]);
  });
});
