/**
 * The dataset contracts for files uploaded to `uploads/<dataset>/…`. Header spellings are the
 * ones seen in ministry, prefecture and operator files; add a spelling here when a file drifts,
 * then replay its quarantined rows.
 */
import { defineContract, type Contract } from '#shared/csv/contract.ts';
import { date, number, oneOf, text, type CellParser } from '#shared/csv/values.ts';
import { climberCounts, entryRegistrations, parkingShuttle } from './tables.ts';

export const ROUTES = {
  fujinomiya: ['富士宮', '富士宮口', '富士宮ルート', '富士宮口五合目'],
  gotemba: ['御殿場', '御殿場口', '御殿場ルート', '御殿場口新五合目'],
  subashiri: ['須走', '須走口', '須走ルート', '須走口五合目'],
  yoshida: ['吉田', '吉田口', '吉田ルート', '富士吉田'],
} as const;

const people = number({ units: ['人', '名'], integer: true });

/** ISO 3166-1 alpha-2; the registration export leaves it blank for visitors who did not say. */
const country: CellParser<string> = {
  describe: 'ISO 3166-1 alpha-2 country code, blank → ZZ',
  parse: (raw) => {
    const t = raw.normalize('NFKC').trim().toUpperCase();
    if (t === '') return { ok: true, value: 'ZZ', note: 'country not given' };
    return /^[A-Z]{2}$/.test(t)
      ? { ok: true, value: t }
      : { ok: false, error: `not an ISO country code: ${JSON.stringify(raw)}` };
  },
};

export const moeClimbers8th = defineContract({
  name: 'moe_climbers_8th',
  doc: {
    ja: '環境省 富士山8合目付近の赤外線カウンターによる登山者数（日別・登山道別）',
    en: 'Ministry of the Environment: climbers counted by infrared counters near the 8th station',
  },
  table: climberCounts,
  columns: {
    count_date: { headers: ['日付', '年月日', '計測日'], parse: date(), required: true },
    route: { headers: ['登山道', 'ルート', '登山口'], parse: oneOf(ROUTES), required: true },
    climbers: { headers: ['登山者数', '登山者数(人)', '人数'], parse: people },
  },
  constants: { count_point: '8th_station' },
  // The ministry also publishes one column per route: the header decides which layout a file has.
  unpivot: {
    column: 'route',
    value: 'climbers',
    parse: people,
    headers: {
      yoshida: ['吉田ルート', '吉田口', '吉田'],
      subashiri: ['須走ルート', '須走口', '須走'],
      gotemba: ['御殿場ルート', '御殿場口', '御殿場'],
      fujinomiya: ['富士宮ルート', '富士宮口', '富士宮'],
    },
  },
  ignore: ['備考', '計', '合計', '4ルート計'],
  encoding: 'cp932',
  licence: '政府標準利用規約（第2.0版）/ CC BY 4.0 compatible',
  load: 'merge',
});

export const prefClimbers5th = defineContract({
  name: 'pref_climbers_5th',
  doc: {
    ja: '静岡県 五合目での登山者数調査（日別、登山口ごとの列）',
    en: 'Shizuoka prefecture: climbers counted at the 5th stations (one column per route)',
  },
  table: climberCounts,
  columns: {
    count_date: { headers: ['実測日', '日付'], parse: date(), required: true },
  },
  constants: { count_point: '5th_station' },
  unpivot: {
    column: 'route',
    value: 'climbers',
    parse: people,
    headers: { fujinomiya: ['富士宮口'], gotemba: ['御殿場口'], subashiri: ['須走口'] },
  },
  ignore: ['3登山口計', '合計'],
  encoding: 'cp932',
  licence: 'CC BY 4.0',
  load: 'merge',
});

export const entryRegistrationSummary = defineContract({
  name: 'entry_registrations',
  doc: {
    ja: '入山管理システムの事前登録日別集計（エクスポート）',
    en: 'Entry-registration system export: daily summary per route, channel and country',
  },
  table: entryRegistrations,
  columns: {
    entry_date: { headers: ['入山日', '入山予定日', '日付'], parse: date(), required: true },
    route: { headers: ['登山道', 'ルート'], parse: oneOf(ROUTES), required: true },
    channel: {
      headers: ['受付経路', '登録経路', 'チャネル'],
      parse: oneOf({
        app: ['アプリ', 'FUJI NAVI', '静岡県FUJI NAVI'],
        on_site: ['現地', '現地受付', '窓口'],
        agency: ['旅行会社', '代理店', 'ツアー'],
      }),
      required: true,
    },
    country: { headers: ['国・地域', '国', '国籍'], parse: country },
    registrations: { headers: ['登録者数', '登録数'], parse: people },
    fees_paid_jpy: {
      headers: ['入山料納付額', '入山料納付額(円)', '入山料'],
      parse: number({ units: ['円'], integer: true }),
    },
    exemptions: { headers: ['免除者数', '入山料免除'], parse: people },
    hut_stays: { headers: ['山小屋宿泊', '山小屋宿泊予定', '宿泊予定者数'], parse: people },
  },
  encoding: 'utf-8',
  load: 'replace-source',
});

export const parkingShuttleCounts = defineContract({
  name: 'parking_shuttle',
  doc: {
    ja: 'マイカー規制期間の駐車場・シャトルバス利用数',
    en: 'Car parks and shuttle buses during the private-car restriction',
  },
  table: parkingShuttle,
  columns: {
    use_date: { headers: ['日付', '利用日'], parse: date(), required: true },
    site: { headers: ['駐車場', '駐車場名', '場所'], parse: text(), required: true },
    vehicles: { headers: ['駐車台数', '台数'], parse: number({ units: ['台'], integer: true }) },
    shuttle_passengers: {
      headers: ['シャトルバス乗車人数', 'シャトル乗車人数', '乗車人数'],
      parse: people,
    },
    vehicles_yoy: {
      headers: ['前年同日比', '前年比(台)', '前年同日比(台)'],
      parse: number({ units: ['台'], integer: true }),
    },
  },
  encoding: 'cp932',
  load: 'merge',
});

/** Contracts by dataset name: the `<dataset>` in `uploads/<dataset>/…` and in `--dataset`. */
export const uploadContracts: ReadonlyMap<string, Contract> = new Map(
  [moeClimbers8th, prefClimbers5th, entryRegistrationSummary, parkingShuttleCounts].map((c) => [
    c.name,
    c,
  ]),
);
