/**
 * The `analytics` namespace: derived tables, one place for analysts to query. Athena cannot
 * create views on S3 Tables, so each is a table declared with the same model as the others and
 * rebuilt by one MERGE (rebuild.ts) after the loads that feed it; nothing else writes them.
 */
import { col, defineTable } from '../model/table.ts';

/** AMeDAS 富士山 (Mt. Fuji summit), the observed summit weather. */
export const SUMMIT_STATION = '50066';
/** The Open-Meteo point at the summit. */
export const SUMMIT_POINT = 'summit';
/** JMA class10 area 静岡県東部, whose forecast covers the mountain. */
export const FUJI_AREA = '220030';

export const dailyRoute = defineTable({
  namespace: 'analytics',
  name: 'daily_route',
  doc: {
    ja: '日別・登山道別の登山者数・入山登録・Webセッション・山頂の天気（派生テーブル）',
    en: 'Per day and route: climbers, entry registrations, web sessions and the summit weather (derived)',
  },
  columns: [
    col('day', 'date', '日付（日本時間）', 'Day (Asia/Tokyo)', true),
    col('route', 'string', '登山道', 'Route: fujinomiya, gotemba, subashiri or yoshida', true),
    col(
      'climbers_8th',
      'long',
      '登山者数（環境省8合目カウンター）',
      'Climbers at the 8th station (MOE counters)',
    ),
    col(
      'climbers_5th',
      'long',
      '登山者数（県5合目調査）',
      'Climbers at the 5th station (prefecture counts)',
    ),
    col(
      'registrations',
      'long',
      '入山事前登録者数（受付経路・国の合計）',
      'Entry registrations (all channels and countries)',
    ),
    col('hut_stays', 'long', '山小屋宿泊予定者数', 'Registrations with a hut stay'),
    col(
      'web_sessions',
      'long',
      'GA4 セッション数（全プロパティ・サイト全体。登山道別ではない）',
      'GA4 sessions, all properties, site-wide (not per route)',
    ),
    col(
      'summit_temp_max_c',
      'double',
      '山頂の最高気温（℃、アメダス富士山の観測）',
      'Summit maximum temperature (°C), AMeDAS Mt. Fuji observed',
    ),
    col(
      'summit_temp_min_c',
      'double',
      '山頂の最低気温（℃、アメダス富士山の観測）',
      'Summit minimum temperature (°C), AMeDAS Mt. Fuji observed',
    ),
    col(
      'summit_wind_max_ms',
      'double',
      '山頂の最大風速（m/s、観測）',
      'Summit maximum wind speed (m/s), observed',
    ),
    col(
      'summit_forecast_temp_max_c',
      'double',
      '山頂の予想最高気温（℃、Open-Meteo、前日までの最新の予報）',
      'Summit forecast maximum temperature (°C), Open-Meteo, the latest issue before the day',
    ),
    col(
      'jma_weather_text',
      'string',
      '天気予報（気象庁・静岡県東部、前日までの最新の発表）',
      'JMA forecast weather for eastern Shizuoka, the latest issue before the day',
    ),
  ],
  key: ['day', 'route'],
  eventTime: 'day',
  partitionBy: [{ column: 'day', transform: 'year' }],
  sortBy: [{ column: 'day' }, { column: 'route' }],
  notes: [
    {
      ja: 'web_sessions と山頂の天気はサイト全体・山頂の値で、どの登山道の行にも同じ値が入る。登山道をまたいで合計しない。8合目と5合目の人数も合算しない。',
      en: 'web_sessions and the summit weather are site-wide and summit values, repeated on every route’s row: never sum them across routes. Never add the 8th- and 5th-station counts.',
    },
  ],
});

export const forecastVintage = defineTable({
  namespace: 'analytics',
  name: 'forecast_vintage',
  doc: {
    ja: '予報の精度（予報の最高気温と観測の最高気温、予報の先行日数別）',
    en: 'Forecast accuracy: forecast maximum temperature against the observed one, by lead time',
  },
  columns: [
    col(
      'source',
      'string',
      '予報（jma_short=府県天気予報、jma_weekly=週間、open_meteo）',
      'Forecast: jma_short, jma_weekly or open_meteo',
      true,
    ),
    col('station_code', 'string', '観測したアメダス地点', 'AMeDAS station compared against', true),
    col('target_date', 'date', '対象日（日本時間）', 'Day forecast (Asia/Tokyo)', true),
    col(
      'lead_days',
      'int',
      '先行日数（対象日－発表日、日本時間）',
      'Lead time in days (day forecast minus day issued, Asia/Tokyo)',
      true,
    ),
    col(
      'issued_at',
      'timestamptz',
      'その先行日数で最後の発表時刻',
      'The last issue with this lead time',
    ),
    col('forecast_temp_max_c', 'double', '予想最高気温（℃）', 'Forecast maximum (°C)'),
    col(
      'observed_temp_max_c',
      'double',
      '観測最高気温（℃、18時間以上観測した日）',
      'Observed maximum (°C; days with 18 or more hours observed)',
    ),
    col('error_c', 'double', '誤差（予想－観測、℃）', 'Error, forecast minus observed (°C)'),
  ],
  key: ['source', 'station_code', 'target_date', 'lead_days'],
  eventTime: 'target_date',
  partitionBy: [{ column: 'target_date', transform: 'year' }],
  sortBy: [{ column: 'target_date' }],
});

export const analyticsTables = [dailyRoute, forecastVintage] as const;
