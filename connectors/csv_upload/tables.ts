/**
 * Domain tables fed by uploaded files. Each ends with the lineage columns every contract table
 * carries (source, line, version, licence, why values are NULL).
 */
import { LINEAGE_COLUMNS } from '#shared/csv/contract.ts';
import { col, defineTable } from '#shared/model/table.ts';

const route = col(
  'route',
  'string',
  '登山道（fujinomiya/gotemba/subashiri/yoshida）',
  'Route: fujinomiya, gotemba, subashiri or yoshida',
  true,
);

export const climberCounts = defineTable({
  namespace: 'climbing',
  name: 'climber_counts',
  doc: {
    ja: '登山道別・日別の登山者数（環境省8合目カウンター、県5合目調査）',
    en: 'Climbers per route and day: Ministry of the Environment 8th-station counters and the prefecture’s 5th-station counts',
  },
  columns: [
    col(
      'count_point',
      'string',
      '計測地点（8th_station=環境省8合目、5th_station=県5合目）',
      'Where counted: 8th_station (MOE counters) or 5th_station (prefecture)',
      true,
    ),
    route,
    col('count_date', 'date', '計測日（日本時間）', 'Day counted (Asia/Tokyo)', true),
    col('climbers', 'long', '登山者数（上り）', 'Climbers counted going up'),
    ...LINEAGE_COLUMNS,
  ],
  key: ['count_point', 'route', 'count_date'],
  eventTime: 'count_date',
  partitionBy: [{ column: 'count_date', transform: 'year' }],
  sortBy: [{ column: 'count_date' }, { column: 'route' }],
  notes: [
    {
      ja: '8合目と5合目の人数は別の計測であり、合算しない。',
      en: 'The 8th-station and 5th-station counts measure different things: never add them up.',
    },
  ],
});

export const entryRegistrations = defineTable({
  namespace: 'entry',
  name: 'registrations_daily',
  doc: {
    ja: '入山事前登録の日別集計（登山道・受付経路・国別）',
    en: 'Daily entry-registration summary per route, channel and country',
  },
  columns: [
    col('entry_date', 'date', '入山予定日（日本時間）', 'Planned entry day (Asia/Tokyo)', true),
    route,
    col(
      'channel',
      'string',
      '受付経路（app/on_site/agency）',
      'Channel: app, on_site or agency',
      true,
    ),
    col(
      'country',
      'string',
      '国・地域（ISO 3166-1 alpha-2、不明はZZ）',
      'Country (ISO 3166-1 alpha-2; ZZ when not given)',
      true,
    ),
    col('registrations', 'long', '登録者数', 'Registrations'),
    col('fees_paid_jpy', 'long', '入山料納付額（円）', 'Entry fees paid (JPY)'),
    col('exemptions', 'long', '入山料免除者数', 'Fee exemptions'),
    col('hut_stays', 'long', '山小屋宿泊予定者数', 'Registrations with a hut stay'),
    ...LINEAGE_COLUMNS,
  ],
  key: ['entry_date', 'route', 'channel', 'country'],
  eventTime: 'entry_date',
  partitionBy: [{ column: 'entry_date', transform: 'year' }],
  sortBy: [{ column: 'entry_date' }],
});

export const parkingShuttle = defineTable({
  namespace: 'mobility',
  name: 'parking_shuttle_daily',
  doc: {
    ja: '駐車場・シャトルバスの日別利用数',
    en: 'Daily parking and shuttle-bus use',
  },
  columns: [
    col('use_date', 'date', '利用日（日本時間）', 'Day (Asia/Tokyo)', true),
    col('site', 'string', '駐車場・乗降場所名', 'Car park or stop, as named by the operator', true),
    col('vehicles', 'long', '駐車台数', 'Vehicles parked'),
    col('shuttle_passengers', 'long', 'シャトルバス乗車人数', 'Shuttle-bus passengers'),
    col(
      'vehicles_yoy',
      'long',
      '駐車台数の前年同日比（△は減）',
      'Vehicles compared with the same day last year (negative = fewer)',
    ),
    ...LINEAGE_COLUMNS,
  ],
  key: ['use_date', 'site'],
  eventTime: 'use_date',
  partitionBy: [{ column: 'use_date', transform: 'year' }],
  sortBy: [{ column: 'use_date' }],
});
