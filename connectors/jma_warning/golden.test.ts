/**
 * Golden tests over real JMA warning answers (fixtures/real, see PROVENANCE.md).
 *
 * No real capture of the endpoint this connector reads (`warning/data/warning/{office}.json`)
 * is in the public index yet; a `warning_<office>_<time>.json` dropped into fixtures/real is
 * parsed and compared with its kept expectation here. What is there are real answers of
 * `warning/data/r8/{office}.json`, the list JMA's own page has read since the 2026 reform
 * (`r8_*.json`): the parser does not read that shape, and these tests hold it to refusing
 * them whole, naming the URL, rather than landing a part of them.
 */
import { describe, expect, it } from 'vitest';
import { SourceShapeError } from '#shared/http/errors.ts';
import { expectGolden, here, realFixtures } from '../../tests/helpers/golden.ts';
import { warningName } from './codes.ts';
import { parseWarnings } from './parse.ts';

const dir = here(import.meta.url);
const BASE = 'https://www.jma.go.jp/bosai/warning/data';

interface R8Report {
  reportDatetime: string;
  publishingOffice: string;
  dataTypeCode: string;
  warning: Record<
    'class10Items' | 'class20Items',
    { areaCode: string; kinds: { code?: string; status: string }[] }[]
  >;
}

describe('real JMA warning answers', () => {
  const fixtures = realFixtures(dir);
  const office = (name: string) => /_(\d{6})_/.exec(name)![1]!;

  it('has real answers to test against', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(2);
    expect(fixtures.every((f) => /^(warning|r8)_\d{6}_\d{8}T\d{4}\.json$/.test(f.name))).toBe(true);
  });

  for (const f of fixtures.filter((x) => x.name.startsWith('warning_'))) {
    it(`parses ${f.name} into the rows kept for it`, () => {
      const url = `${BASE}/warning/${office(f.name)}.json`;
      expectGolden(dir, f.name, parseWarnings(f.json, url, office(f.name)));
    });
  }

  for (const f of fixtures.filter((x) => x.name.startsWith('r8_'))) {
    it(`refuses the r8 list ${f.name} whole, naming the URL`, () => {
      const url = `${BASE}/r8/${office(f.name)}.json`;
      const run = () => parseWarnings(f.json, url, office(f.name));
      expect(run).toThrow(SourceShapeError);
      expect(run).toThrow(
        `${url} at $: expected an object with reportDatetime and areaTypes (warning/{office}.json)`,
      );
    });
  }

  it('records the r8 shape: one report per phenomenon, each with its own time and areas', () => {
    for (const f of fixtures.filter((x) => x.name.startsWith('r8_'))) {
      const reports = f.json as R8Report[];
      expect(Array.isArray(reports)).toBe(true);
      // 大雨 (VPWW55), 土砂災害 (56), 風 (58), 波浪 (59), 濃霧 (61): one report each, not one
      // report for the office; the newest is not the only one in force.
      const types = reports.map((r) => r.dataTypeCode);
      expect(new Set(types).size).toBe(types.length);
      expect(new Set(reports.map((r) => r.reportDatetime)).size).toBeGreaterThan(1);
      for (const r of reports) {
        expect(r.reportDatetime).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:00\+09:00$/);
        expect(r.publishingOffice).toMatch(/気象台$/);
        for (const item of [...r.warning.class10Items, ...r.warning.class20Items]) {
          expect(item.areaCode).toMatch(/^\d{6,7}$/);
          // As in the old shape, an area with nothing in force has a status and no code.
          for (const k of item.kinds)
            expect(k.code !== undefined || k.status === '発表警報・注意報はなし').toBe(true);
        }
      }
    }
  });

  it('finds a kind of the reform the code table does not name yet: 29 土砂災害注意報', () => {
    const codes = new Set(
      fixtures
        .filter((x) => x.name.startsWith('r8_'))
        .flatMap((f) => f.json as R8Report[])
        .flatMap((r) => [...r.warning.class10Items, ...r.warning.class20Items])
        .flatMap((i) => i.kinds.map((k) => k.code))
        .filter((c): c is string => c !== undefined),
    );
    expect([...codes].sort()).toEqual(['10', '15', '16', '20', '29']);
    expect(warningName('29')).toBeNull();
  });
});
