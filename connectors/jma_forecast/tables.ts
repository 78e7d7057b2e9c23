/**
 * JMA forecasts for the Shizuoka areas. Every row keeps `report_datetime` and
 * `publishing_office`, so each issued forecast is kept (forecast vintage analysis) and a rerun
 * of the same report merges onto the same rows. Partitioned by the report's month: a day adds
 * three issues, so finer partitions would only make small files.
 */
import { col, defineTable } from '#shared/model/table.ts';

const report = [
  col('publishing_office', 'string', '発表官署', 'Publishing office', true),
  col('report_datetime', 'timestamptz', '発表日時', 'Report issued at', true),
];
const station = [
  col('station_code', 'string', 'アメダス地点コード', 'AMeDAS station code', true),
  col('station_name', 'string', '地点名', 'Station name'),
];
const targetDate = col(
  'target_date',
  'date',
  '対象日（日本時間）',
  'Forecast day (Asia/Tokyo)',
  true,
);
const byReportMonth = [{ column: 'report_datetime', transform: 'month' as const }];

export const forecastArea = defineTable({
  namespace: 'weather',
  name: 'jma_forecast_area',
  doc: {
    ja: '気象庁 府県天気予報（一次細分区域・日別の天気・風・波）',
    en: 'JMA short-term forecast per class10 area and day: weather, wind, waves',
  },
  columns: [
    ...report,
    col('area_code', 'string', '一次細分区域コード', 'Class10 area code', true),
    col('area_name', 'string', '区域名', 'Area name'),
    targetDate,
    col('valid_from', 'timestamptz', '予報の開始時刻', 'Start of the forecast period'),
    col('weather_code', 'string', '天気コード', 'JMA weather code'),
    col('weather_text', 'string', '天気', 'Weather text'),
    col('wind_text', 'string', '風', 'Wind text'),
    col('wave_text', 'string', '波', 'Wave text'),
  ],
  key: ['publishing_office', 'report_datetime', 'area_code', 'target_date'],
  eventTime: 'report_datetime',
  partitionBy: byReportMonth,
});

export const forecastPop = defineTable({
  namespace: 'weather',
  name: 'jma_forecast_pop',
  doc: {
    ja: '気象庁 府県天気予報 6時間降水確率',
    en: 'JMA short-term forecast: 6-hour probability of precipitation per area',
  },
  columns: [
    ...report,
    col('area_code', 'string', '一次細分区域コード', 'Class10 area code', true),
    col('area_name', 'string', '区域名', 'Area name'),
    col('slot_start', 'timestamptz', '6時間枠の開始時刻', 'Start of the 6-hour slot', true),
    col('pop_percent', 'int', '降水確率（%）', 'Probability of precipitation (%)'),
  ],
  key: ['publishing_office', 'report_datetime', 'area_code', 'slot_start'],
  eventTime: 'report_datetime',
  partitionBy: byReportMonth,
});

export const forecastTemp = defineTable({
  namespace: 'weather',
  name: 'jma_forecast_temp',
  doc: {
    ja: '気象庁 府県天気予報 地点別の最低・最高気温',
    en: 'JMA short-term forecast: minimum and maximum temperature per station and day',
  },
  columns: [
    ...report,
    ...station,
    targetDate,
    col('temp_min_c', 'double', '最低気温（℃）', 'Minimum temperature (°C)'),
    col('temp_max_c', 'double', '最高気温（日中、℃）', 'Maximum temperature, daytime (°C)'),
    col(
      'temp_max_whole_day_c',
      'double',
      '発表当日の0〜24時の最高気温（℃、5時・11時発表のみ。日中の最高気温を上回ることがある）',
      'Maximum over the whole issue day (°C; 05:00 and 11:00 issues only; may exceed the daytime maximum)',
    ),
  ],
  key: ['publishing_office', 'report_datetime', 'station_code', 'target_date'],
  eventTime: 'report_datetime',
  partitionBy: byReportMonth,
});

export const weeklyArea = defineTable({
  namespace: 'weather',
  name: 'jma_weekly_area',
  doc: {
    ja: '気象庁 週間天気予報（区域・日別の天気・降水確率・信頼度）',
    en: 'JMA weekly forecast per area and day: weather, precipitation probability, reliability',
  },
  columns: [
    ...report,
    col('area_code', 'string', '区域コード', 'Area code', true),
    col('area_name', 'string', '区域名', 'Area name'),
    targetDate,
    col('weather_code', 'string', '天気コード', 'JMA weather code'),
    col('pop_percent', 'int', '日降水確率（%）', 'Daily probability of precipitation (%)'),
    col('reliability', 'string', '信頼度（A/B/C）', 'Reliability (A, B, C)'),
  ],
  key: ['publishing_office', 'report_datetime', 'area_code', 'target_date'],
  eventTime: 'report_datetime',
  partitionBy: byReportMonth,
});

export const weeklyTemp = defineTable({
  namespace: 'weather',
  name: 'jma_weekly_temp',
  doc: {
    ja: '気象庁 週間天気予報 地点別の最低・最高気温と予測範囲',
    en: 'JMA weekly forecast: min and max temperature per station with their ranges',
  },
  columns: [
    ...report,
    ...station,
    targetDate,
    col('temp_min_c', 'double', '最低気温（℃）', 'Minimum temperature (°C)'),
    col('temp_min_upper_c', 'double', '最低気温の予測範囲上端', 'Minimum temperature, upper bound'),
    col('temp_min_lower_c', 'double', '最低気温の予測範囲下端', 'Minimum temperature, lower bound'),
    col('temp_max_c', 'double', '最高気温（℃）', 'Maximum temperature (°C)'),
    col('temp_max_upper_c', 'double', '最高気温の予測範囲上端', 'Maximum temperature, upper bound'),
    col('temp_max_lower_c', 'double', '最高気温の予測範囲下端', 'Maximum temperature, lower bound'),
  ],
  key: ['publishing_office', 'report_datetime', 'station_code', 'target_date'],
  eventTime: 'report_datetime',
  partitionBy: byReportMonth,
});

export const overview = defineTable({
  namespace: 'weather',
  name: 'jma_overview',
  doc: { ja: '気象庁 天気概況（府県）', en: 'JMA forecast overview text per office' },
  columns: [
    col('office_code', 'string', '府県予報区コード', 'Forecast office code', true),
    ...report,
    col('target_area', 'string', '対象地域', 'Target area'),
    col('headline_text', 'string', '見出し', 'Headline'),
    col('text', 'string', '概況本文', 'Overview text'),
  ],
  key: ['office_code', 'report_datetime'],
  eventTime: 'report_datetime',
  partitionBy: byReportMonth,
});

export const jmaWeatherCodes = defineTable({
  namespace: 'weather',
  name: 'jma_weather_codes',
  doc: { ja: '気象庁 天気コード表', en: 'JMA weather code lookup' },
  columns: [
    col('weather_code', 'string', '天気コード', 'JMA weather code', true),
    col('description_ja', 'string', '説明（日本語）', 'Description (Japanese)'),
    col('description_en', 'string', '説明（英語）', 'Description (English)'),
  ],
  key: ['weather_code'],
  eventTime: { none: 'a code list: its rows describe codes, not moments' },
  partitionBy: [],
});
