import { describe, expect, it } from 'vitest';
import { parseForecast, parseOverview } from './parse.ts';

const URL = 'https://www.jma.go.jp/bosai/forecast/data/forecast/220000.json';

/** A 17:00 issue in JMA's shape, cut to one area and station: arrays shorter than at 05:00. */
function evening(temps: string[] = ['２６', '３２']) {
  const report = {
    publishingOffice: '静岡地方気象台',
    reportDatetime: '2026-07-15T17:00:00+09:00',
  };
  return [
    {
      ...report,
      timeSeries: [
        {
          timeDefines: ['2026-07-15T17:00:00+09:00', '2026-07-16T00:00:00+09:00'],
          areas: [
            {
              area: { name: '東部', code: '220030' },
              weatherCodes: ['101', '200'],
              weathers: ['晴れ　時々　くもり', 'くもり'],
              winds: ['南の風', '南の風　やや強く'],
            },
          ],
        },
        {
          timeDefines: ['2026-07-15T18:00:00+09:00', '2026-07-16T00:00:00+09:00'],
          areas: [{ area: { name: '東部', code: '220030' }, pops: ['10', ''] }],
        },
        {
          timeDefines: ['2026-07-16T00:00:00+09:00', '2026-07-16T09:00:00+09:00'],
          areas: [{ area: { name: '三島', code: '50206' }, temps }],
        },
      ],
    },
    {
      ...report,
      timeSeries: [
        {
          timeDefines: ['2026-07-16T00:00:00+09:00', '2026-07-17T00:00:00+09:00'],
          areas: [
            {
              area: { name: '静岡県', code: '220000' },
              weatherCodes: ['200', '101'],
              pops: ['', '２０'],
              reliabilities: ['', 'A'],
            },
          ],
        },
        {
          timeDefines: ['2026-07-16T00:00:00+09:00', '2026-07-17T00:00:00+09:00'],
          areas: [
            {
              area: { name: '静岡', code: '50331' },
              tempsMin: ['', '24'],
              tempsMinUpper: ['', '25'],
              tempsMinLower: ['', '23'],
              tempsMax: ['', '３１．５'],
              tempsMaxUpper: ['', '33'],
              tempsMaxLower: ['', '30'],
            },
          ],
        },
      ],
    },
  ];
}

describe('parseForecast', () => {
  it('reads every series against its own timeDefines, "" as NULL, full-width digits as numbers', () => {
    const r = parseForecast(evening(), URL);
    expect(r.area).toHaveLength(2);
    expect(r.area[0]).toMatchObject({
      publishing_office: '静岡地方気象台',
      report_datetime: new Date('2026-07-15T08:00:00Z'),
      area_code: '220030',
      target_date: '2026-07-15',
      weather_code: '101',
      wave_text: null,
    });
    expect(r.pop.map((p) => p.pop_percent)).toEqual([10, null]);
    expect(r.temp).toEqual([
      expect.objectContaining({ target_date: '2026-07-16', temp_min_c: 26, temp_max_c: 32 }),
    ]);
    expect(r.weeklyArea.map((w) => [w.pop_percent, w.reliability])).toEqual([
      [null, null],
      [20, 'A'],
    ]);
    expect(r.weeklyTemp[1]).toMatchObject({ target_date: '2026-07-17', temp_max_c: 31.5 });
    expect(r.weeklyTemp[0]!.temp_min_c).toBeNull();
  });

  it('names the URL and path when an array is longer than its time axis', () => {
    const bad = evening(['26', '32', '99']);
    expect(() => parseForecast(bad, URL)).toThrow(
      `${URL} at $[0].timeSeries[2].areas[0].temps: has 3 values for 2 timeDefines`,
    );
  });

  it('refuses a number that is not one and a time without an offset', () => {
    expect(() => parseForecast(evening(['26', '暑い']), URL)).toThrow(
      /\$\[0\]\.timeSeries\[2\]\.areas\[0\]\.temps\[1\]/,
    );
    const noOffset = evening();
    (noOffset[0] as { reportDatetime: string }).reportDatetime = '2026-07-15T17:00:00';
    expect(() => parseForecast(noOffset, URL)).toThrow(/expected an ISO time with offset/);
  });
});

describe('parseOverview', () => {
  it('keeps the texts and turns "" into NULL', () => {
    const row = parseOverview(
      {
        publishingOffice: '静岡地方気象台',
        reportDatetime: '2026-07-15T16:37:00+09:00',
        targetArea: '静岡県',
        headlineText: '',
        text: '静岡県は、高気圧に覆われて晴れています。',
      },
      URL,
      '220000',
    );
    expect(row).toMatchObject({
      office_code: '220000',
      headline_text: null,
      target_area: '静岡県',
    });
    expect(row.report_datetime).toEqual(new Date('2026-07-15T07:37:00Z'));
  });
});
