/**
 * AMeDAS elements: the JSON key, the column it lands in, its type and its documentation. The
 * table model and the parser are both generated from this list, so they cannot disagree.
 */
export interface Element {
  readonly key: string;
  readonly column: string;
  readonly type: 'double' | 'int';
  readonly ja: string;
  readonly en: string;
}

export const ELEMENTS: readonly Element[] = [
  { key: 'temp', column: 'temp_c', type: 'double', ja: '気温（℃）', en: 'Air temperature (°C)' },
  {
    key: 'humidity',
    column: 'humidity_pct',
    type: 'double',
    ja: '相対湿度（%）',
    en: 'Relative humidity (%)',
  },
  {
    key: 'pressure',
    column: 'pressure_hpa',
    type: 'double',
    ja: '現地気圧（hPa）',
    en: 'Station pressure (hPa)',
  },
  {
    key: 'normalPressure',
    column: 'sea_level_pressure_hpa',
    type: 'double',
    ja: '海面気圧（hPa）',
    en: 'Sea-level pressure (hPa)',
  },
  {
    key: 'precipitation10m',
    column: 'precipitation_10m_mm',
    type: 'double',
    ja: '前10分間降水量（mm）',
    en: 'Precipitation, last 10 min (mm)',
  },
  {
    key: 'precipitation1h',
    column: 'precipitation_1h_mm',
    type: 'double',
    ja: '前1時間降水量（mm）',
    en: 'Precipitation, last hour (mm)',
  },
  {
    key: 'precipitation3h',
    column: 'precipitation_3h_mm',
    type: 'double',
    ja: '前3時間降水量（mm）',
    en: 'Precipitation, last 3 hours (mm)',
  },
  {
    key: 'precipitation24h',
    column: 'precipitation_24h_mm',
    type: 'double',
    ja: '前24時間降水量（mm）',
    en: 'Precipitation, last 24 hours (mm)',
  },
  {
    key: 'wind',
    column: 'wind_speed_ms',
    type: 'double',
    ja: '風速（m/s）',
    en: 'Wind speed (m/s)',
  },
  {
    key: 'windDirection',
    column: 'wind_direction_16',
    type: 'int',
    ja: '風向（16方位、0は静穏）',
    en: 'Wind direction (16 points, 0 = calm)',
  },
  {
    key: 'gust',
    column: 'gust_ms',
    type: 'double',
    ja: '最大瞬間風速（m/s）',
    en: 'Peak gust (m/s)',
  },
  {
    key: 'gustDirection',
    column: 'gust_direction_16',
    type: 'int',
    ja: '最大瞬間風速の風向（16方位）',
    en: 'Peak gust direction (16 points)',
  },
  {
    key: 'sun10m',
    column: 'sunshine_10m_min',
    type: 'double',
    ja: '前10分間日照時間（分）',
    en: 'Sunshine, last 10 min (minutes)',
  },
  {
    key: 'sun1h',
    column: 'sunshine_1h_h',
    type: 'double',
    ja: '前1時間日照時間（時間）',
    en: 'Sunshine, last hour (hours)',
  },
  {
    key: 'snow',
    column: 'snow_depth_cm',
    type: 'double',
    ja: '積雪深（cm）',
    en: 'Snow depth (cm)',
  },
  {
    key: 'snow1h',
    column: 'snowfall_1h_cm',
    type: 'double',
    ja: '前1時間降雪量（cm）',
    en: 'Snowfall, last hour (cm)',
  },
  {
    key: 'snow6h',
    column: 'snowfall_6h_cm',
    type: 'double',
    ja: '前6時間降雪量（cm）',
    en: 'Snowfall, last 6 hours (cm)',
  },
  {
    key: 'snow12h',
    column: 'snowfall_12h_cm',
    type: 'double',
    ja: '前12時間降雪量（cm）',
    en: 'Snowfall, last 12 hours (cm)',
  },
  {
    key: 'snow24h',
    column: 'snowfall_24h_cm',
    type: 'double',
    ja: '前24時間降雪量（cm）',
    en: 'Snowfall, last 24 hours (cm)',
  },
  {
    key: 'maxTemp',
    column: 'max_temp_c',
    type: 'double',
    ja: '日最高気温（その時点まで、℃）',
    en: 'Daily maximum temperature so far (°C)',
  },
  {
    key: 'minTemp',
    column: 'min_temp_c',
    type: 'double',
    ja: '日最低気温（その時点まで、℃）',
    en: 'Daily minimum temperature so far (°C)',
  },
  {
    key: 'visibility',
    column: 'visibility_m',
    type: 'double',
    ja: '視程（m）',
    en: 'Visibility (m)',
  },
];

/** Times of extremes, written as {hour, minute} in UTC (JMA's own pages add 9 hours). */
export const TIME_ELEMENTS = [
  {
    key: 'maxTempTime',
    column: 'max_temp_at',
    ja: '日最高気温の起時',
    en: 'Time of the daily maximum',
  },
  {
    key: 'minTempTime',
    column: 'min_temp_at',
    ja: '日最低気温の起時',
    en: 'Time of the daily minimum',
  },
  { key: 'gustTime', column: 'gust_at', ja: '最大瞬間風速の起時', en: 'Time of the peak gust' },
] as const;
