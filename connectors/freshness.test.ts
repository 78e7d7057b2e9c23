/** Every connector says how fresh its data should be, and every table where its time lies. */
import { describe, expect, it } from 'vitest';
import { eventTimeColumn, fullName } from '#shared/model/table.ts';
import { allTables, connectors } from './index.ts';
import { CSV_UPLOAD_CADENCE } from './csv_upload/connector.ts';

describe('freshness declarations', () => {
  it('gives every connector a cadence with its reasoning', () => {
    for (const c of Object.values(connectors)) {
      expect(c.cadence?.hours, c.name).toBeGreaterThan(0);
      expect(c.cadence?.why.length, c.name).toBeGreaterThan(10);
    }
    expect(CSV_UPLOAD_CADENCE.hours).toBe(168);
  });

  it('gives every connector table an event time, or the reason it has none', () => {
    for (const m of allTables().filter((x) => x.namespace !== 'ops')) {
      expect(m.eventTime, fullName(m)).toBeDefined();
      if (typeof m.eventTime === 'string') expect(eventTimeColumn(m)?.name).toBe(m.eventTime);
      else expect(m.eventTime!.none.length, fullName(m)).toBeGreaterThan(5);
    }
  });
});
