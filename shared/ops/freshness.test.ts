import { describe, expect, it } from 'vitest';
import { defineTable, col } from '../model/table.ts';
import { dayEnd, freshnessState, freshnessTargets } from './freshness.ts';

const at = (iso: string) => new Date(iso);

describe('freshnessState', () => {
  const newestData = at('2026-07-10T00:00:00Z');
  const state = (nowIso: string, lastRun?: 'landed' | 'failed' | 'nothing') =>
    freshnessState({ newestData, cadenceHours: 2, now: at(nowIso), lastRun });

  it('is fresh within one cadence of the newest data, late past it, stale past twice', () => {
    expect(state('2026-07-10T02:00:00Z')).toBe('fresh');
    expect(state('2026-07-10T02:00:01Z')).toBe('late');
    expect(state('2026-07-10T04:00:00Z')).toBe('late');
    expect(state('2026-07-10T04:00:01Z')).toBe('stale');
  });

  it('is failing when the last run failed, however new the data', () => {
    expect(state('2026-07-10T00:10:00Z', 'failed')).toBe('failing');
    expect(state('2026-07-10T00:10:00Z', 'nothing')).toBe('fresh');
  });

  it('calls a table with no data stale', () => {
    expect(freshnessState({ cadenceHours: 2, now: newestData })).toBe('stale');
  });
});

describe('dayEnd', () => {
  it('puts a day’s data at the end of that day in Asia/Tokyo', () => {
    expect(dayEnd('2026-07-10').toISOString()).toBe('2026-07-10T15:00:00.000Z');
    expect(dayEnd('2026-12-31').toISOString()).toBe('2026-12-31T15:00:00.000Z');
  });
});

describe('freshnessTargets', () => {
  const withTime = defineTable({
    namespace: 'it_fr',
    name: 'obs',
    doc: { ja: '観測', en: 'Observations' },
    columns: [col('at', 'timestamptz', '時刻', 'At', true)],
    key: ['at'],
    eventTime: 'at',
  });
  const codes = defineTable({
    namespace: 'it_fr',
    name: 'codes',
    doc: { ja: 'コード', en: 'Codes' },
    columns: [col('code', 'string', 'コード', 'Code', true)],
    key: ['code'],
    eventTime: { none: 'a code list' },
  });

  it('keeps tables with an event time of connectors with a cadence, each once', () => {
    const t = freshnessTargets([
      {
        name: 'a',
        cadence: { hours: 1, why: '' },
        tables: [{ model: withTime }, { model: codes }],
      },
      { name: 'b', cadence: { hours: 5, why: '' }, tables: [{ model: withTime }] },
      { name: 'c', tables: [{ model: withTime }] },
    ]);
    expect(t.map((x) => [x.model.name, x.connector, x.column, x.cadenceHours])).toEqual([
      ['obs', 'a', 'at', 1],
    ]);
  });

  it('refuses an event time that is not a date or timestamp', () => {
    expect(() => defineTable({ ...codes, name: 'bad', eventTime: 'code' })).toThrow(
      /event time code must be a date or timestamp, is string/,
    );
  });
});
