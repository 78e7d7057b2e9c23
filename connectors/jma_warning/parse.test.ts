/**
 * The warning parser on both of JMA's shapes. The r8 list (what the connector reads) is tested
 * on its real captures in golden.test.ts; here are the corners they do not show (a broken
 * report or area, a repeated report or kind, missing optional members), on a report cut from
 * the Akita capture's structure. No real capture of the legacy `warning/{office}.json` is in
 * the public index (see fixtures/real/PROVENANCE.md), so its payloads are written from the
 * shape public clients document: an object, `areaTypes[0]` class10 areas, `areaTypes[1]`
 * municipalities.
 */
import { describe, expect, it } from 'vitest';
import { SourceShapeError } from '#shared/http/errors.ts';
import { readSettings } from '#shared/settings/index.ts';
import { LEGACY_DATA_TYPE, parseWarnings } from './parse.ts';
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

describe('parseWarnings, legacy shape', () => {
  it('gives one row per area and kind, an area with nothing in force as code 00', () => {
    const { rows, rejected } = parseWarnings(report(), URL, '220000');
    expect(rejected).toEqual([]);
    expect(rows).toHaveLength(6);
    expect(rows[0]).toEqual({
      office_code: '220000',
      report_datetime: new Date('2026-07-15T01:40:00Z'),
      data_type_code: 'legacy',
      control_datetime: null,
      info_type: null,
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

  it('gives every legacy row the data type legacy, a required key column', () => {
    const { rows } = parseWarnings(report(), URL, '220000');
    expect(new Set(rows.map((r) => r.data_type_code))).toEqual(new Set([LEGACY_DATA_TYPE]));
  });

  it('refuses a report time without an offset', () => {
    const bad = { ...report(), reportDatetime: '2026-07-15T10:40:00' };
    expect(() => parseWarnings(bad, URL, '220000')).toThrow(/\$\.reportDatetime: expected an ISO/);
  });
});

const R8_URL = 'https://www.jma.go.jp/bosai/warning/data/r8/220000.json';

/** One r8 report in the real captures' structure (see fixtures/real/r8_*.json). */
function r8Report(type: string, at: string, class20: unknown[] = [], extra: object = {}) {
  return {
    controlDatetime: '2026-07-15T01:40:31Z',
    reportDatetime: at,
    infoType: '発表',
    publishingOffice: '静岡地方気象台',
    headlineText: '',
    warning: {
      class10Items: [
        { areaCode: '220010', kinds: [{ status: '発表警報・注意報はなし' }] },
        { areaCode: '220030', kinds: [{ code: '10', status: '発表' }] },
      ],
      class20Items: [{ areaCode: '2220700', kinds: [{ code: '10', status: '発表' }] }, ...class20],
    },
    dataTypeCode: type,
    ...extra,
  };
}

const AT = '2026-07-15T10:40:00+09:00';

describe('parseWarnings, r8 list', () => {
  const rowsOf = (payload: unknown) => parseWarnings(payload, R8_URL, '220000');

  it('reads each report with its own data type, control time and info type', () => {
    const { rows, rejected } = rowsOf([r8Report('VPWW55', AT), r8Report('VPWW56', AT)]);
    expect(rejected).toEqual([]);
    expect(rows).toHaveLength(6);
    expect(rows[1]).toEqual({
      office_code: '220000',
      report_datetime: new Date('2026-07-15T01:40:00Z'),
      data_type_code: 'VPWW55',
      control_datetime: new Date('2026-07-15T01:40:31Z'),
      info_type: '発表',
      publishing_office: '静岡地方気象台',
      headline_text: null,
      area_code: '220030',
      area_class: 'class10',
      warning_code: '10',
      warning_name_ja: '大雨注意報',
      warning_name_en: 'Heavy rain advisory',
      warning_level: 'advisory',
      status: '発表',
    });
    expect(rows.filter((r) => r.area_code === '2220700').map((r) => r.data_type_code)).toEqual([
      'VPWW55',
      'VPWW56',
    ]);
  });

  it('lands an empty list as nothing, and keeps a code of the reform it cannot name', () => {
    expect(rowsOf([])).toEqual({ rows: [], rejected: [] });
    const { rows } = rowsOf([
      r8Report('VPWW55', AT, [{ areaCode: '2221000', kinds: [{ code: '49', status: '発表' }] }]),
    ]);
    expect(rows.find((r) => r.warning_code === '49')).toMatchObject({
      warning_name_ja: null,
      warning_level: null,
      status: '発表',
    });
  });

  it('reads a report without the optional members (controlDatetime, infoType, headline, publishingOffice, one class list)', () => {
    const bare = {
      reportDatetime: AT,
      dataTypeCode: 'VPWW61',
      warning: { class20Items: [{ areaCode: '2220700', kinds: [{ code: '20', status: '発表' }] }] },
    };
    const { rows, rejected } = rowsOf([bare]);
    expect(rejected).toEqual([]);
    expect(rows).toEqual([
      expect.objectContaining({
        control_datetime: null,
        info_type: null,
        publishing_office: null,
        headline_text: null,
        area_class: 'class20',
        warning_name_ja: '濃霧注意報',
      }),
    ]);
  });

  it('quarantines a broken report alone, with its path and reason', () => {
    const noTime = { ...r8Report('VPWW58', AT), reportDatetime: '2026-07-15T10:40:00' };
    const noType = { ...r8Report('VPWW59', AT), dataTypeCode: 'wave' };
    const noAreas = { ...r8Report('VPWW61', AT), warning: {} };
    const { rows, rejected } = rowsOf([r8Report('VPWW55', AT), noTime, noType, noAreas]);
    expect(rows).toHaveLength(3);
    expect(rows.every((r) => r.data_type_code === 'VPWW55')).toBe(true);
    expect(rejected.map((r) => r.reason)).toEqual([
      expect.stringContaining('$[1].reportDatetime: expected an ISO time with offset'),
      expect.stringContaining('$[2].dataTypeCode: expected a data type code such as VPWW55'),
      expect.stringContaining('$[3].warning: expected class10Items or class20Items'),
    ]);
    expect(rejected[0]).toMatchObject({ table: 'weather.jma_warnings', source: R8_URL });
    expect(rejected[0]!.raw).toContain('VPWW58');
  });

  it('quarantines a broken area alone and keeps the rest of its report', () => {
    const { rows, rejected } = rowsOf([
      r8Report('VPWW55', AT, [
        { areaCode: '2221000', kinds: { code: '10' } },
        { areaCode: '222100', kinds: [{ code: '10', status: '発表' }] },
        { areaCode: '2221500', kinds: [{ code: '1', status: '発表' }] },
        { areaCode: '2234400', kinds: [{ code: '10' }] },
        {
          areaCode: '2210000',
          kinds: [
            { code: '10', status: '発表' },
            { code: '10', status: '継続' },
          ],
        },
        { areaCode: '2213000', kinds: [{ code: '10', status: '継続' }] },
      ]),
    ]);
    expect(rows.map((r) => r.area_code)).toEqual(['220010', '220030', '2220700', '2213000']);
    expect(rejected.map((r) => r.reason)).toEqual([
      expect.stringContaining('$[0].warning.class20Items[1].kinds: expected an array'),
      expect.stringContaining(
        '$[0].warning.class20Items[2].areaCode: expected a 7-digit class20 area code',
      ),
      expect.stringContaining(
        '$[0].warning.class20Items[3].kinds[0].code: expected a 2-digit kind code',
      ),
      expect.stringContaining('$[0].warning.class20Items[4].kinds[0].status: missing'),
      expect.stringContaining(
        '$[0].warning.class20Items[5].kinds[1]: kind 10 is listed twice for area 2210000',
      ),
    ]);
  });

  it('refuses a second report of the same type and time, which would overwrite the first', () => {
    const { rows, rejected } = rowsOf([
      r8Report('VPWW55', AT),
      r8Report('VPWW55', '2026-07-15T01:40:00Z'),
    ]);
    expect(rows).toHaveLength(3);
    expect(rejected).toHaveLength(1);
    expect(rejected[0]!.reason).toContain('$[1]: a second report VPWW55 at 2026-07-15T01:40:00Z');
  });
});

describe('parseWarnings, neither shape', () => {
  it.each([
    ['an object without areaTypes', { reportDatetime: AT, warning: { class20Items: [] } }],
    ['a string', 'Service Unavailable'],
    ['null', null],
  ])('fails whole for %s, naming the URL', (_, payload) => {
    expect(() => parseWarnings(payload, R8_URL, '220000')).toThrow(SourceShapeError);
    expect(() => parseWarnings(payload, R8_URL, '220000')).toThrow(
      `${R8_URL} at $: expected a list of reports (warning/data/r8/{office}.json) or an object with reportDatetime and areaTypes`,
    );
  });

  it('quarantines a list element that is not a report alone, not the list', () => {
    const { rows, rejected } = parseWarnings([42, r8Report('VPWW55', AT)], R8_URL, '220000');
    expect(rows).toHaveLength(3);
    expect(rejected[0]!.reason).toContain('at $[0]: expected an object, got number');
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
