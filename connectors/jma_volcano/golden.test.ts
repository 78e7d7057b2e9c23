/**
 * Golden tests over real answers of JMA's eruption warning list (fixtures/real, see
 * PROVENANCE.md): every capture parses with nothing rejected, and its rows equal the
 * expectation kept in fixtures/expected, checked by hand once against the raw list.
 */
import { describe, expect, it } from 'vitest';
import { expectGolden, here, realFixtures } from '../../tests/helpers/golden.ts';
import { parseVolcanoWarnings } from './parse.ts';

const dir = here(import.meta.url);
const URL = 'https://www.jma.go.jp/bosai/volcano/data/warning.json';

describe('real JMA eruption warning lists', () => {
  const fixtures = realFixtures(dir);
  const parsed = (name: string) =>
    parseVolcanoWarnings(fixtures.find((f) => f.name === name)!.json, URL);

  it('has at least two captures', () => {
    expect(fixtures.filter((f) => f.name.startsWith('warning_list_')).length).toBeGreaterThan(1);
  });

  for (const f of fixtures) {
    it(`parses ${f.name} into the rows kept for it, rejecting nothing`, () => {
      const out = parseVolcanoWarnings(f.json, URL);
      expect(out.rejected).toEqual([]);
      // One row per report and volcano: the table's key holds within one answer.
      const keys = out.rows.map(
        (r) => `${(r.report_datetime as Date).toISOString()} ${r.volcano_code}`,
      );
      expect(new Set(keys).size).toBe(keys.length);
      expectGolden(dir, f.name, out);
    });
  }

  it('keeps kinds without a level (火口周辺危険, 入山危険, 周辺海域警戒) with a NULL level', () => {
    const { rows } = parsed('warning_list_20260827T1100.json');
    const level = (volcano: string) => rows.find((r) => r.volcano_code === volcano)!;
    expect(level('329')).toMatchObject({ warning_code: '22', alert_level: null }); // 硫黄島
    expect(level('326')).toMatchObject({ warning_code: '23', alert_level: null }); // 西之島
    expect(level('331')).toMatchObject({ warning_code: '36', alert_level: null }); // 福徳岡ノ場
    expect(level('506')).toMatchObject({ warning_code: '13', alert_level: 3 }); // 桜島
    expect(level('207')).toMatchObject({ warning_code: '11', alert_level: 1, condition: '引下げ' });
  });

  it('holds one report per volcano: a newer report replaces the older, so history is the table’s job', () => {
    const before = parsed('warning_list_20260827T1100.json').rows;
    const after = parsed('warning_list_20260901T1600.json').rows;
    for (const rows of [before, after])
      expect(new Set(rows.map((r) => r.volcano_code)).size).toBe(rows.length);
    const aso = (rows: typeof before) =>
      rows
        .filter((r) => r.volcano_code === '503')
        .map((r) => [(r.report_datetime as Date).toISOString(), r.alert_level, r.condition]);
    expect(aso(before)).toEqual([['2026-08-14T06:45:00.000Z', 3, '引上げ']]);
    expect(aso(after)).toEqual([['2026-09-01T07:00:00.000Z', 2, '引下げ']]);
  });

  it('leaves Mt. Fuji (314) out while nothing is issued for it: level 1 for years, no report', () => {
    for (const f of fixtures)
      expect(parseVolcanoWarnings(f.json, URL).rows.some((r) => r.volcano_code === '314')).toBe(
        false,
      );
  });

  it('takes the municipalities from the report, not from a lifted item of the other infos', () => {
    // 阿蘇山, 2026-09-01: 高森町 appears only in 対象市町村の防災対応等 with condition 解除.
    const aso = parsed('warning_list_20260901T1600.json').rows.find(
      (r) => r.volcano_code === '503',
    )!;
    expect(aso.municipality_codes).toBe('4321400,4343300');
  });
});
