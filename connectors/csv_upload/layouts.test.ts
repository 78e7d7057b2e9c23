/**
 * Files laid out the way the prefecture and the ministry publish them, written here in their
 * styles: year-less dates under a period or fiscal-year title, the same contract in long and
 * wide layouts, totals labelled with compounds of 計, remarks columns no contract lists, and
 * missing-value words.
 */
import { describe, expect, it } from 'vitest';
import iconv from 'iconv-lite';
import { openCsv } from '#shared/csv/read.ts';
import type { Contract } from '#shared/csv/contract.ts';
import { uploadContracts } from './contracts.ts';

async function read(contract: Contract, text: string, encoding = 'cp932') {
  const bytes = iconv.encode(text, encoding);
  const open = () =>
    (async function* () {
      yield bytes;
    })();
  const reader = await openCsv(open(), contract, {
    source: 'press.csv',
    reopen: async () => open(),
  });
  const rows: Record<string, unknown>[] = [];
  const quarantined: { line: number; reason: string }[] = [];
  for await (const b of reader.batches()) {
    rows.push(...b.rows);
    quarantined.push(...b.quarantined);
  }
  return { report: reader.report, rows, quarantined };
}

const pick = (rows: Record<string, unknown>[], ...cols: string[]) =>
  rows.map((r) => cols.map((c) => r[c]));

const pref = uploadContracts.get('pref_climbers_5th')!;
const moe = uploadContracts.get('moe_climbers_8th')!;

describe('the prefecture’s five-station press table', () => {
  const table = [
    '富士山五合目における登山者数調査結果（速報）',
    '期間：令和元年8月3日（土）～令和元年8月5日（月）',
    ',,,,',
    '実測日,富士宮口,御殿場口,須走口,3登山口計',
    '8/3(土),"1,002人",313人,788人,"2,103人"',
    '8/4(日),"1,210人",402人,901人,"2,513人"',
    '8/5(月),980人,欠測,655人,"1,635人"',
    '期間計,"3,192人",715人,"2,344人","6,251人"',
    '※御殿場口の8/5は機器故障のため欠測',
  ].join('\r\n');

  it('takes the year of year-less dates from the period line and skips the compound total', async () => {
    const r = await read(pref, table);
    expect(r.quarantined).toEqual([]);
    expect(pick(r.rows, 'count_date', 'route', 'climbers', 'null_notes')).toEqual([
      ['2019-08-03', 'fujinomiya', 1002, null],
      ['2019-08-03', 'gotemba', 313, null],
      ['2019-08-03', 'subashiri', 788, null],
      ['2019-08-04', 'fujinomiya', 1210, null],
      ['2019-08-04', 'gotemba', 402, null],
      ['2019-08-04', 'subashiri', 901, null],
      ['2019-08-05', 'fujinomiya', 980, null],
      ['2019-08-05', 'gotemba', null, 'climbers=欠測 (not measured)'],
      ['2019-08-05', 'subashiri', 655, null],
    ]);
    expect(r.report).toMatchObject({
      read: 9,
      loaded: 3,
      quarantined: 0,
      skipped: { title: 4, total: 1, note: 1 },
    });
  });

  it('quarantines a date whose weekday matches no year the file allows, and one with no year at all', async () => {
    const wrong = table.replace('8/4(日)', '8/4(火)');
    const r = await read(pref, wrong);
    expect(r.quarantined).toMatchObject([
      {
        line: 6,
        reason: expect.stringContaining(
          '"8/4(火)": the weekday (火) of 8/4 matches no year the file allows (2019)',
        ),
      },
    ]);
    const bare = await read(pref, ['実測日,富士宮口,御殿場口,須走口', '8/3(土),1,2,3'].join('\n'));
    expect(bare.quarantined[0]!.reason).toMatch(
      /the date has no year, and neither an earlier row nor the title gives one/,
    );
  });
});

describe('the ministry’s 8th-station counts, one column per route', () => {
  const wide = [
    '富士山登山者数（8合目付近 赤外線カウンター）令和７年度',
    '日付,吉田ルート,須走ルート,御殿場ルート,富士宮ルート,計,備考',
    '7月10日（木）,,120,35,850,"1,005",開山日（吉田は7/1開山）',
    '7月11日（金）,"2,101",調査なし,40,910,"3,051",',
    '8月4日（月）,"3,500",900,120,"1,800","6,320",',
    '合計,"5,601","1,020",195,"3,560","10,376",',
  ].join('\r\n');

  it('reads the wide layout into one row per route, the year from the fiscal-year title', async () => {
    const r = await read(moe, wide);
    expect(r.quarantined).toEqual([]);
    expect(r.report.header?.map.layout).toBe('wide');
    expect(pick(r.rows, 'count_date', 'route', 'climbers').slice(0, 4)).toEqual([
      ['2025-07-10', 'subashiri', 120],
      ['2025-07-10', 'gotemba', 35],
      ['2025-07-10', 'fujinomiya', 850],
      ['2025-07-11', 'yoshida', 2101],
    ]);
    // A blank cell (a route not yet open) is no row, never zero; 調査なし is a NULL with its reason.
    expect(r.rows.filter((x) => x.count_date === '2025-07-10').map((x) => x.route)).not.toContain(
      'yoshida',
    );
    expect(
      r.rows.find((x) => x.count_date === '2025-07-11' && x.route === 'subashiri'),
    ).toMatchObject({
      climbers: null,
      null_notes: 'climbers=調査なし (not surveyed)',
    });
    expect(r.rows.filter((x) => x.count_date === '2025-08-04')).toHaveLength(4);
    expect(r.report.skipped.total).toBe(1);
  });

  it('reads the long layout of the same contract', async () => {
    const long = ['日付,登山道,登山者数', '2025/7/10,富士宮,850', '2025/7/10,須走,120'].join('\n');
    const r = await read(moe, long, 'utf8');
    expect(r.report.header?.map.layout).toBe('long');
    expect(pick(r.rows, 'route', 'climbers')).toEqual([
      ['fujinomiya', 850],
      ['subashiri', 120],
    ]);
  });

  it('takes the next year for January under a fiscal-year title, and rolls over after December', async () => {
    const r = await read(
      moe,
      ['令和７年度', '日付,富士宮ルート', '12月31日(水),1', '1月1日(木),2', '3月31日(火),3'].join(
        '\n',
      ),
    );
    expect(r.quarantined).toEqual([]);
    expect(r.rows.map((x) => x.count_date)).toEqual(['2025-12-31', '2026-01-01', '2026-03-31']);
  });

  it('skips section headings inside the table as notes', async () => {
    const r = await read(
      moe,
      [
        '令和７年度',
        '日付,富士宮ルート,須走ルート',
        '＜7月＞,,',
        '7月10日,850,120',
        '【8月】,,',
        '8月1日,900,130',
      ].join('\n'),
    );
    expect(r.quarantined).toEqual([]);
    expect(r.rows.map((x) => x.count_date)).toEqual([
      '2025-07-10',
      '2025-07-10',
      '2025-08-01',
      '2025-08-01',
    ]);
    expect(r.report.skipped.note).toBe(2);
  });

  it('loads the known columns of a file with an extra remarks column and names it', async () => {
    const r = await read(
      moe,
      ['令和７年度', '日付,富士宮ルート,天候', '7月10日,850,晴'].join('\n'),
    );
    expect(r.rows).toHaveLength(1);
    expect(r.report.header?.map.unknown).toEqual(['天候']);
  });
});
