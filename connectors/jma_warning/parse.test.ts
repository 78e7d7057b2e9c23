/**
 * The warning parser on payloads in JMA's shape. No real capture of this endpoint is in the
 * public index (see fixtures/real/PROVENANCE.md; the real r8 lists there are refused in
 * golden.test.ts), so these are written from the shape public clients document: an object,
 * `areaTypes[0]` class10 areas, `areaTypes[1]` municipalities.
 */
import { describe, expect, it } from 'vitest';
import { SourceShapeError } from '#shared/http/errors.ts';
import { readSettings } from '#shared/settings/index.ts';
import { parseWarnings } from './parse.ts';
import { settings } from './settings.ts';

const URL = 'https://www.jma.go.jp/bosai/warning/data/warning/220000.json';

function report(class20: unknown[] = []) {
  return {
    reportDatetime: '2026-07-15T10:40:00+09:00',
    publishingOffice: '静岡地方気象台',
    headlineText: '',
    areaTypes: [
      {
        areas: [
          { code: '220010', warnings: [{ status: '発表警報・注意報はなし' }] },
          {
            code: '220030',
            warnings: [
              { code: '03', status: '発表' },
              { code: '14', status: '継続' },
              { code: '15', status: '解除' },
            ],
          },
        ],
      },
      {
        areas: [
          { code: '2220700', warnings: [{ code: '33', status: '発表' }] },
          { code: '2221000', warnings: [{ code: '99', status: '発表' }] },
          ...class20,
        ],
      },
    ],
    timeSeries: [{ timeDefines: ['2026-07-15T12:00:00+09:00'], areaTypes: [] }],
  };
}

describe('parseWarnings', () => {
  it('gives one row per area and kind, an area with nothing in force as code 00', () => {
    const { rows, rejected } = parseWarnings(report(), URL, '220000');
    expect(rejected).toEqual([]);
    expect(rows).toHaveLength(6);
    expect(rows[0]).toEqual({
      office_code: '220000',
      report_datetime: new Date('2026-07-15T01:40:00Z'),
      publishing_office: '静岡地方気象台',
      headline_text: null,
      area_code: '220010',
      area_class: 'class10',
      warning_code: '00',
      warning_name_ja: '発表警報・注意報なし',
      warning_name_en: 'No warning or advisory in force',
      warning_level: null,
      status: '発表警報・注意報はなし',
    });
    expect(rows.filter((r) => r.area_code === '220030').map((r) => r.status)).toEqual([
      '発表',
      '継続',
      '解除',
    ]);
    const fuji = rows.find((r) => r.area_code === '2220700')!;
    expect(fuji).toMatchObject({ area_class: 'class20', warning_level: 'emergency' });
    expect(fuji.warning_name_ja).toBe('大雨特別警報');
  });

  it('keeps a kind JMA added after our code list, without a name', () => {
    const row = parseWarnings(report(), URL, '220000').rows.find((r) => r.warning_code === '99');
    expect(row).toMatchObject({ warning_name_ja: null, warning_level: null, status: '発表' });
  });

  it('rejects one broken area with its path and reason, and keeps the others', () => {
    const { rows, rejected } = parseWarnings(
      report([{ code: '2221100', warnings: { code: '14' } }, { code: '2221200' }]),
      URL,
      '220000',
    );
    expect(rows).toHaveLength(6);
    expect(rejected).toHaveLength(2);
    expect(rejected[0]).toMatchObject({ table: 'weather.jma_warnings', source: URL });
    expect(rejected[0]!.reason).toContain('$.areaTypes[1].areas[2].warnings');
    expect(rejected[0]!.raw).toContain('2221100');
    expect(rejected[1]!.reason).toContain('$.areaTypes[1].areas[3].warnings: missing');
  });

  it('fails naming the URL for the list JMA serves under warning/data/r8', () => {
    const r8 = [{ reportDatetime: '2026-06-03T18:16:00+09:00', warning: { class20Items: [] } }];
    expect(() => parseWarnings(r8, URL, '220000')).toThrow(SourceShapeError);
    expect(() => parseWarnings(r8, URL, '220000')).toThrow(
      `${URL} at $: expected an object with reportDatetime and areaTypes`,
    );
  });

  it('refuses a report time without an offset', () => {
    const bad = { ...report(), reportDatetime: '2026-07-15T10:40:00' };
    expect(() => parseWarnings(bad, URL, '220000')).toThrow(/\$\.reportDatetime: expected an ISO/);
  });
});

describe('jma_warning settings', () => {
  it('reads the Shizuoka office by default and refuses an office code that is not 6 digits, naming the variable', () => {
    expect(readSettings(settings, {}).offices).toEqual(['220000']);
    expect(
      readSettings(settings, { FUJI_ETL_JMA_WARNING_OFFICES: '220000,130000' }).offices,
    ).toEqual(['220000', '130000']);
    expect(() =>
      readSettings(settings, { FUJI_ETL_JMA_WARNING_OFFICES: '22' }, 'jma_warning'),
    ).toThrow(/jma_warning: .*FUJI_ETL_JMA_WARNING_OFFICES/);
  });
});
