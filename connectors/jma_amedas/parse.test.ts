import { describe, expect, it } from 'vitest';
import { amedasTime, parsePoint } from './parse.ts';

const URL = 'https://www.jma.go.jp/bosai/amedas/data/point/50066/20260715_09.json';

describe('parsePoint', () => {
  it('keeps a value only with quality flag 0, always keeps the flag, and leaves absent elements NULL', () => {
    const { rows } = parsePoint(
      {
        '20260715100000': {
          temp: [6.1, 0],
          humidity: [88, 5],
          pressure: [638.2, 0],
          maxTemp: [7.4, 0],
          maxTempTime: { hour: 0, minute: 50 },
          minTemp: [1.2, 0],
          minTempTime: { hour: 20, minute: 10 },
        },
      },
      URL,
      '50066',
    );
    expect(rows).toHaveLength(1);
    const r = rows[0]!;
    expect(r.observed_at).toEqual(new Date('2026-07-15T01:00:00Z'));
    expect(r).toMatchObject({
      temp_c: 6.1,
      temp_c_aqc: 0,
      humidity_pct: null,
      humidity_pct_aqc: 5,
    });
    expect(r.wind_speed_ms).toBeUndefined();
    // Extremes' times are UTC clock times of the (JST) day so far: 00:50 UTC today, 20:10 UTC yesterday.
    expect(r.max_temp_at).toEqual(new Date('2026-07-15T00:50:00Z'));
    expect(r.min_temp_at).toEqual(new Date('2026-07-14T20:10:00Z'));
  });

  it('reads a null quality flag as an element the station does not observe', () => {
    // Real on-the-hour records of stations without a snow gauge (see fixtures/real).
    const { rows, rejected } = parsePoint(
      { '20260715100000': { temp: [6.1, 0], snow1h: [0, null], snow6h: [0, null] } },
      URL,
      '50066',
    );
    expect(rejected).toEqual([]);
    expect(rows[0]).toMatchObject({ temp_c: 6.1, snowfall_1h_cm: null, snowfall_1h_cm_aqc: null });
  });

  it('rejects a broken record alone, naming the URL and path, and keeps the others', () => {
    const { rows, rejected } = parsePoint(
      {
        '20260715100000': { temp: [6.1, 'x'] },
        '20260715101000': { temp: [6.2, 0] },
        yesterday: {},
      },
      URL,
      '50066',
    );
    expect(rows.map((r) => r.temp_c)).toEqual([6.2]);
    expect(rejected.map((r) => r.reason)).toEqual([
      `SOURCE_SHAPE: ${URL} at $.20260715100000.temp[1]: expected a number or null, got string`,
      expect.stringMatching(/not a YYYYMMDDHHmmss time/),
    ]);
    expect(rejected[0]).toMatchObject({ table: 'weather.amedas_observation', source: URL });
    expect(() => parsePoint([], URL, '50066')).toThrow(
      /expected an object keyed by observation time/,
    );
  });

  it('reads keys as Japan time', () => {
    expect(amedasTime('20260101000000')).toEqual(new Date('2025-12-31T15:00:00Z'));
    expect(amedasTime('2026010100')).toBeUndefined();
  });
});
