/**
 * Golden tests over real AMeDAS point files (fixtures/real/point, see PROVENANCE.md): every
 * observation they hold becomes a row, flags kept, and the rows equal the kept expectation.
 */
import { describe, expect, it } from 'vitest';
import { expectGolden, here, realFixtures } from '../../tests/helpers/golden.ts';
import { parsePoint } from './parse.ts';

const dir = here(import.meta.url);
const points = realFixtures(dir).filter((f) => f.name.startsWith('point_'));

describe('real AMeDAS point captures', () => {
  it('has at least five point files', () => {
    expect(points.length).toBeGreaterThanOrEqual(5);
  });

  for (const f of points) {
    const [, station, block] = /^point_(\d{5})_(\d{8}_\d{2})\.json$/.exec(f.name)!;
    it(`parses every observation of ${f.name}, rejecting none`, () => {
      const url = `https://www.jma.go.jp/bosai/amedas/data/point/${station}/${block}.json`;
      const { rows, rejected } = parsePoint(f.json, url, station!);
      expect(rejected).toEqual([]);
      expect(rows).toHaveLength(Object.keys(f.json as object).length);
      expectGolden(dir, f.name, rows);
    });
  }

  it('keeps [0, null] snowfall as NULL value and flag, and flag 6 values out', () => {
    const rows = points.flatMap((f) => {
      const station = /^point_(\d{5})_/.exec(f.name)![1]!;
      return parsePoint(f.json, f.name, station).rows;
    });
    const onTheHour = rows.filter((r) => (r.observed_at as Date).getUTCMinutes() === 0);
    expect(onTheHour.some((r) => r.snowfall_1h_cm_aqc === null)).toBe(true);
    expect(
      onTheHour.filter((r) => r.snowfall_1h_cm_aqc === 6).every((r) => r.snowfall_1h_cm === null),
    ).toBe(true);
  });
});
