/**
 * Golden tests over real JMA warning answers (fixtures/real, see PROVENANCE.md).
 *
 * The connector reads `warning/data/r8/{office}.json`, the list JMA's own page has read since
 * the 2026 reform: its real answers (`r8_*.json`) parse, with nothing rejected, into the rows
 * kept in fixtures/expected (checked by hand against the raw lists). No real capture of the
 * legacy `warning/data/warning/{office}.json` is in the public index; a
 * `warning_<office>_<time>.json` dropped into fixtures/real is parsed and compared the same way.
 */
import { describe, expect, it } from 'vitest';
import { expectGolden, here, realFixtures } from '../../tests/helpers/golden.ts';
import { warningName } from './codes.ts';
import { parseWarnings } from './parse.ts';

const dir = here(import.meta.url);
const BASE = 'https://www.jma.go.jp/bosai/warning/data';

interface R8Report {
  reportDatetime: string;
  controlDatetime: string;
  publishingOffice: string;
  dataTypeCode: string;
  warning: Record<
    'class10Items' | 'class20Items',
    { areaCode: string; kinds: { code?: string; status: string; properties?: unknown[] }[] }[]
  >;
}

type Row = Record<string, unknown>;

describe('real JMA warning answers', () => {
  const fixtures = realFixtures(dir);
  const office = (name: string) => /_(\d{6})_/.exec(name)![1]!;

  it('has real answers to test against', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(2);
    expect(fixtures.every((f) => /^(warning|r8)_\d{6}_\d{8}T\d{4}\.json$/.test(f.name))).toBe(true);
  });

  for (const f of fixtures) {
    const kind = f.name.startsWith('r8_') ? 'r8' : 'warning';
    it(`parses ${f.name} into the rows kept for it, nothing rejected`, () => {
      const url = `${BASE}/${kind}/${office(f.name)}.json`;
      const read = parseWarnings(f.json, url, office(f.name));
      expect(read.rejected).toEqual([]);
      expectGolden(dir, f.name, read);
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

  it('names every kind the captures show, 29 土砂災害注意報 of the reform among them', () => {
    const codes = new Set(
      fixtures
        .filter((x) => x.name.startsWith('r8_'))
        .flatMap((f) => f.json as R8Report[])
        .flatMap((r) => [...r.warning.class10Items, ...r.warning.class20Items])
        .flatMap((i) => i.kinds.map((k) => k.code))
        .filter((c): c is string => c !== undefined),
    );
    expect([...codes].sort()).toEqual(['10', '15', '16', '20', '29']);
    for (const c of codes) expect(warningName(c)).not.toBeNull();
    expect(warningName('29')).toEqual({ ja: '土砂災害注意報', en: 'Landslide advisory' });
  });

  const r8 = (name: string) => {
    const f = fixtures.find((x) => x.name === name)!;
    const o = office(f.name);
    return { json: f.json as R8Report[], read: parseWarnings(f.json, `${BASE}/r8/${o}.json`, o) };
  };

  it('gives every report its own rows: one per area and kind, keyed by its data type', () => {
    for (const name of ['r8_050000_20260916T0950.json', 'r8_150000_20260916T1137.json']) {
      const { json, read } = r8(name);
      // Every area of every report has one kind here: one row each.
      const items = json.flatMap((r) => [...r.warning.class10Items, ...r.warning.class20Items]);
      expect(read.rows).toHaveLength(items.length);
      const key = (r: Row) =>
        [
          (r.report_datetime as Date).toISOString(),
          r.data_type_code,
          r.area_code,
          r.warning_code,
        ].join(' ');
      expect(new Set(read.rows.map(key)).size).toBe(read.rows.length);
      expect(new Set(read.rows.map((r) => r.data_type_code))).toEqual(
        new Set(['VPWW55', 'VPWW56', 'VPWW58', 'VPWW59', 'VPWW61']),
      );
      for (const r of read.rows) {
        const report = json.find((x) => x.dataTypeCode === r.data_type_code)!;
        expect(r.report_datetime).toEqual(new Date(report.reportDatetime));
        // controlDatetime is UTC, written with Z: JMA produced the report seconds after its time.
        const lag = (r.control_datetime as Date).getTime() - (r.report_datetime as Date).getTime();
        expect(lag).toBeGreaterThanOrEqual(0);
        expect(lag).toBeLessThan(60_000);
        expect(r.area_class).toBe((r.area_code as string).length === 6 ? 'class10' : 'class20');
      }
    }
  });

  it('keeps the union over the list: Niigata 1521000 is calm for rain and under 濃霧注意報 at once', () => {
    const { read } = r8('r8_150000_20260916T1137.json');
    const area = read.rows
      .filter((r) => r.area_code === '1521000')
      .map((r) => [r.data_type_code, r.warning_code, r.status]);
    expect(area).toEqual([
      ['VPWW55', '00', '発表警報・注意報はなし'],
      ['VPWW56', '00', '発表警報・注意報はなし'],
      ['VPWW58', '00', '発表警報・注意報はなし'],
      ['VPWW59', '00', '発表警報・注意報はなし'],
      ['VPWW61', '20', '継続'],
    ]);
    // In force now: only the fog advisory the newest report keeps, in 8 municipalities and
    // 中越, 上越; its headline is the report's.
    const inForce = read.rows.filter((r) => r.status === '継続');
    expect(new Set(inForce.map((r) => r.warning_name_ja))).toEqual(new Set(['濃霧注意報']));
    expect(inForce.map((r) => r.area_code).filter((c) => (c as string).length === 6)).toEqual([
      '150020',
      '150030',
    ]);
    expect(inForce).toHaveLength(10);
    expect(inForce[0]!.headline_text).toBe(
      '中越、上越では、濃霧による視程障害に注意してください。',
    );
  });

  it('reads a kind with properties (濃霧危険度) like any other, and leaves the properties out', () => {
    const { json, read } = r8('r8_150000_20260916T1137.json');
    const withProps = json
      .flatMap((r) => r.warning.class20Items)
      .filter((i) => i.kinds.some((k) => k.properties));
    expect(withProps).toHaveLength(8);
    for (const i of withProps) {
      const row = read.rows.find(
        (r) => r.area_code === i.areaCode && r.data_type_code === 'VPWW61',
      )!;
      expect(row).toMatchObject({ warning_code: '20', status: '継続', warning_level: 'advisory' });
      expect(Object.keys(row)).not.toContain('properties');
    }
  });

  it('reads the landslide report (VPWW56, with its offices) as 29 土砂災害注意報, an advisory', () => {
    const { read } = r8('r8_050000_20260916T0950.json');
    const landslide = read.rows.filter((r) => r.warning_code === '29');
    expect(landslide).toHaveLength(9);
    expect(new Set(landslide.map((r) => r.data_type_code))).toEqual(new Set(['VPWW56']));
    expect(landslide[0]).toMatchObject({
      warning_name_ja: '土砂災害注意報',
      warning_level: 'advisory',
      status: '解除',
      info_type: '発表',
      publishing_office: '秋田地方気象台',
      headline_text: '注意報を解除します。',
    });
  });

  it('keeps two reports of one time apart by their data type', () => {
    // A public note records two reports of one office at one time (Tokyo, 2026-06-03 18:13);
    // no capture has it: give Akita's 大雨 report the 土砂災害 report's time.
    const json = structuredClone(r8('r8_050000_20260916T0950.json').json);
    json[0]!.reportDatetime = json[1]!.reportDatetime;
    const read = parseWarnings(json, `${BASE}/r8/050000.json`, '050000');
    expect(read.rejected).toEqual([]);
    const at = read.rows.filter(
      (r) => (r.report_datetime as Date).toISOString() === '2026-09-15T07:01:00.000Z',
    );
    expect(
      at.filter((r) => r.area_code === '050010').map((r) => [r.data_type_code, r.warning_code]),
    ).toEqual([
      ['VPWW55', '10'],
      ['VPWW56', '29'],
    ]);
  });
});
