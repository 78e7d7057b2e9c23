/**
 * Writes the synthetic sample files, each in CP932 (Shift_JIS, CRLF, as Excel saves it) and in
 * UTF-8 with BOM, and in publishers/ files laid out as the ministry and the prefecture publish
 * them (wide, year-less dates under a period or fiscal-year title, compound totals, an .xlsx).
 * Deterministic: rerunning rewrites the same bytes (the workbook's zip dates aside).
 * Run: node connectors/csv_upload/samples/make.ts
 */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import iconv from 'iconv-lite';
import writeExcelFile from 'write-excel-file/node';

const here = dirname(fileURLToPath(import.meta.url));
const fw = (s: string) => s.replace(/[0-9]/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0));
const WEEK = '日月火水木金土';
const wd = (d: number) => WEEK[new Date(Date.UTC(2025, 6, d)).getUTCDay()];
const q = (s: string) => (/[",\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s);
const csv = (rows: string[][]) => rows.map((r) => r.map(q).join(',')).join('\r\n') + '\r\n';
const n = (x: number) => x.toLocaleString('en-US');

function moe(): string {
  const rows: string[][] = [
    ['富士山登山者数（8合目付近 赤外線カウンター計測値）'],
    ['', '', '', ''],
    ['日付', '登山道', '登山者数(人)', '備考'],
  ];
  const routes = ['吉田ルート', '須走ルート', '御殿場ルート', '富士宮ルート'];
  let total = 0;
  for (let d = 10; d <= 16; d++) {
    routes.forEach((r, i) => {
      const v = 400 + ((d * 97 + i * 311) % 1400) * (i === 0 ? 2 : 1);
      const dateText = d % 2 === 0 ? `令和7年7月${d}日(${wd(d)})` : fw(`令和7年7月${d}日`);
      if (d === 13 && r === '御殿場ルート')
        rows.push([dateText, r, '-', '台風接近のため計測機撤去']);
      else {
        rows.push([dateText, r, d === 12 ? fw(n(v)) : n(v), '']);
        total += v;
      }
    });
  }
  rows.push(['合計', '', n(total), '']);
  rows.push(['注：霧等による補正後の値。', '', '', '']);
  return csv(rows);
}

function pref(): string {
  const rows: string[][] = [
    ['富士山五合目 登山者数調査（令和7年）'],
    ['実測日', '富士宮口', '御殿場口', '須走口', '3登山口計'],
  ];
  for (let d = 10; d <= 16; d++) {
    const a = 900 + ((d * 53) % 300);
    const b = 150 + ((d * 31) % 90);
    const c = 450 + ((d * 41) % 200);
    const dateText = d % 3 === 0 ? `R07/07/${d}` : `R7.7.${d}`;
    rows.push([
      dateText,
      `${n(a)}人`,
      d === 14 ? 'x' : `${n(b)}人`,
      `${n(c)}人`,
      `${n(a + b + c)}人`,
    ]);
  }
  rows.push(['計', '', '', '', '']);
  rows.push(['※x は調査員不在のため秘匿', '', '', '', '']);
  return csv(rows);
}

function entries(): string {
  const rows: string[][] = [
    [
      '入山日',
      '登山道',
      '受付経路',
      '国・地域',
      '登録者数',
      '入山料納付額(円)',
      '免除者数',
      '山小屋宿泊',
    ],
  ];
  const routes = ['富士宮', '須走', '御殿場'];
  const channels = ['アプリ', '現地', '旅行会社'];
  const countries = ['JP', 'US', 'TW', ''];
  for (let d = 10; d <= 12; d++) {
    for (const [ri, r] of routes.entries()) {
      for (const [ci, c] of channels.entries()) {
        for (const [ki, k] of countries.entries()) {
          const reg = 5 + ((d * 7 + ri * 13 + ci * 5 + ki * 3) % 60);
          const ex = (d + ri + ki) % 4 === 0 ? 1 : 0;
          rows.push([
            `2025/07/${d}`,
            r,
            c,
            k,
            String(reg),
            `¥${n((reg - ex) * 4000)}`,
            String(ex),
            String(Math.floor(reg * 0.7)),
          ]);
        }
      }
    }
  }
  return csv(rows);
}

function parking(): string {
  const rows: string[][] = [
    ['富士山マイカー規制 駐車場・シャトルバス利用状況'],
    ['日付', '駐車場', '駐車台数', 'シャトルバス乗車人数', '前年同日比'],
  ];
  const sites = ['水ケ塚駐車場', '須走多目的広場', '御殿場口新五合目駐車場'];
  for (let d = 10; d <= 14; d++) {
    for (const [si, s] of sites.entries()) {
      const v = 300 + ((d * 37 + si * 101) % 900);
      const p = si === 2 ? '-' : `${n(v * 3)}人`;
      const yoy = ((d * 13 + si * 7) % 80) - 40;
      rows.push([
        fw(`令和7年7月${d}日`),
        `${s}\u3000`,
        `${n(v)}台`,
        p,
        yoy < 0 ? `△${-yoy}` : String(yoy),
      ]);
    }
  }
  rows.push(['合計', '', '', '', '']);
  return csv(rows);
}

for (const [name, body] of Object.entries({
  moe_climbers_8th: moe(),
  pref_climbers_5th: pref(),
  entry_registrations: entries(),
  parking_shuttle: parking(),
})) {
  writeFileSync(join(here, `${name}.sjis.csv`), iconv.encode(body, 'cp932'));
  writeFileSync(
    join(here, `${name}.utf8bom.csv`),
    Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(body)]),
  );
}

/** The ministry's layout: one column per route, dates without a year under a fiscal-year title. */
function moeWide(): string {
  const rows: string[][] = [
    ['富士山登山者数（8合目付近 赤外線カウンター）令和７年度'],
    ['日付', '吉田ルート', '須走ルート', '御殿場ルート', '富士宮ルート', '計', '備考'],
  ];
  for (let d = 17; d <= 23; d++) {
    const v = [0, 1, 2, 3].map((i) => 300 + ((d * 53 + i * 211) % 1800));
    const cells = v.map((x, i) => (d === 19 && i === 2 ? '欠測' : n(x)));
    rows.push([
      `7月${d}日（${wd(d)}）`,
      ...cells,
      n(v.reduce((a, b) => a + b)),
      d === 19 ? '御殿場は機器点検' : '',
    ]);
  }
  rows.push(['合計', '', '', '', '', '', '']);
  return csv(rows);
}

/** The prefecture's press table: 8/3(日) style dates, the year only in the period line. */
function prefPress(): string {
  const rows: string[][] = [
    ['富士山五合目における登山者数調査結果（速報）'],
    ['期間：令和７年７月１７日（木）～令和７年７月２３日（水）'],
    ['実測日', '富士宮口', '御殿場口', '須走口', '3登山口計'],
  ];
  let sum = 0;
  for (let d = 17; d <= 23; d++) {
    const v = [0, 1, 2].map((i) => 150 + ((d * 71 + i * 173) % 1300));
    sum += v.reduce((a, b) => a + b);
    rows.push([
      `7/${d}(${wd(d)})`,
      ...v.map((x) => `${n(x)}人`),
      `${n(v.reduce((a, b) => a + b))}人`,
    ]);
  }
  rows.push(['期間計', '', '', '', `${n(sum)}人`], ['※速報値のため、今後修正する場合があります。']);
  return csv(rows);
}

/** The same table as a workbook: a cover sheet, a merged title, date cells and text dates. */
function prefWorkbook() {
  const data = [
    [{ value: '富士山五合目における登山者数（令和7年）', columnSpan: 4 }, null, null, null],
    [{ value: '実測日' }, { value: '富士宮口' }, { value: '御殿場口' }, { value: '須走口' }],
    ...[24, 25, 26].map((d) => [
      d === 25
        ? { value: `7/${d}(${wd(d)})` }
        : { value: new Date(Date.UTC(2025, 6, d)), type: Date, format: 'yyyy/mm/dd' },
      ...[0, 1, 2].map((i) => ({ value: 200 + ((d * 61 + i * 97) % 1200) })),
    ]),
  ];
  return writeExcelFile([
    { sheet: '表紙', data: [[{ value: '富士山登山者数調査 報告書' }]] },
    { sheet: '五合目', data },
  ] as never).toBuffer();
}

const publishers = join(here, 'publishers');
writeFileSync(join(publishers, 'moe_climbers_8th.wide.sjis.csv'), iconv.encode(moeWide(), 'cp932'));
writeFileSync(
  join(publishers, 'pref_climbers_5th.press.sjis.csv'),
  iconv.encode(prefPress(), 'cp932'),
);
writeFileSync(join(publishers, 'pref_climbers_5th.press.xlsx'), await prefWorkbook());
