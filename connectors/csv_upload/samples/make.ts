/**
 * Writes the synthetic sample files, each in CP932 (Shift_JIS, CRLF, as Excel saves it) and in
 * UTF-8 with BOM. Deterministic: rerunning rewrites the same bytes.
 * Run: node connectors/csv_upload/samples/make.ts
 */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import iconv from 'iconv-lite';

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
