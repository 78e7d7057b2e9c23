/**
 * Golden tests over real JMA answers (fixtures/real, see PROVENANCE.md): every capture parses,
 * and its rows equal the expectation kept in fixtures/expected, checked by hand once.
 */
import { describe, expect, it } from 'vitest';
import { expectGolden, here, realFixtures } from '../../tests/helpers/golden.ts';
import { parseForecast, parseOverview } from './parse.ts';

const dir = here(import.meta.url);
const BASE = 'https://www.jma.go.jp/bosai/forecast/data';

describe('real JMA forecast and overview captures', () => {
  const fixtures = realFixtures(dir);

  it('has at least five forecasts and two overviews', () => {
    expect(fixtures.filter((f) => f.name.startsWith('forecast_')).length).toBeGreaterThanOrEqual(5);
    expect(fixtures.filter((f) => f.name.startsWith('overview_')).length).toBeGreaterThanOrEqual(2);
  });

  for (const f of fixtures) {
    const office = /_(\d{6})_/.exec(f.name)![1]!;
    it(`parses ${f.name} into the rows kept for it`, () => {
      const rows = f.name.startsWith('forecast_')
        ? parseForecast(f.json, `${BASE}/forecast/${office}.json`)
        : parseOverview(f.json, `${BASE}/overview_forecast/${office}.json`, office);
      expectGolden(dir, f.name, rows);
    });
  }

  it('reads an off-schedule 18:00 correction on the time axes of the 17:00 issue', () => {
    const f = fixtures.find((x) => x.name === 'forecast_020000_20240503T1800.json')!;
    const rows = parseForecast(f.json, `${BASE}/forecast/020000.json`);
    expect(new Set(rows.temp.map((r) => (r.report_datetime as Date).toISOString()))).toEqual(
      new Set(['2024-05-03T09:00:00.000Z']),
    );
    // Tomorrow's minimum and maximum only: no value for tonight.
    expect(rows.temp.every((r) => r.target_date === '2024-05-04')).toBe(true);
    expect(rows.temp.every((r) => r.temp_min_c !== null && r.temp_max_c !== null)).toBe(true);
  });

  it('places the 05:00 issue’s temperature slots by their times: today two maxima, tomorrow minimum and maximum', () => {
    const f = fixtures.find((x) => x.name === 'forecast_230000_20220915T0500.json')!;
    const rows = parseForecast(f.json, `${BASE}/forecast/230000.json`);
    const today = rows.temp.filter((r) => r.target_date === '2022-09-15');
    const tomorrow = rows.temp.filter((r) => r.target_date === '2022-09-16');
    expect(today.length).toBeGreaterThan(0);
    expect(today.every((r) => r.temp_min_c === null && r.temp_max_c !== null)).toBe(true);
    expect(today.every((r) => (r.temp_max_whole_day_c as number) >= (r.temp_max_c as number))).toBe(
      true,
    );
    expect(tomorrow.every((r) => (r.temp_min_c as number) <= (r.temp_max_c as number))).toBe(true);
  });
});
