import { col, defineTable } from '#shared/model/table.ts';
import { ATTRIBUTION, VARIABLES } from './variables.ts';

export const openMeteoHourly = defineTable({
  namespace: 'weather',
  name: 'open_meteo_hourly',
  doc: {
    ja: 'Open-Meteo 時別予報（山頂・五合目の地点ごと、取得時刻ごと）',
    en: 'Open-Meteo hourly point forecasts for the summit and 5th stations, per fetch hour',
  },
  columns: [
    col('point_id', 'string', '地点ID', 'Point id', true),
    col(
      'issued_at',
      'timestamptz',
      '予報取得時刻（実行の時）',
      'Forecast issue time (the run’s fetch hour)',
      true,
    ),
    col('valid_at', 'timestamptz', '予報対象時刻', 'Valid time', true),
    col('point_name', 'string', '地点名', 'Point name'),
    col('elevation_m', 'double', '標高（m、要求値）', 'Elevation used (m)'),
    col('grid_latitude', 'double', '格子の緯度', 'Latitude of the grid cell used'),
    col('grid_longitude', 'double', '格子の経度', 'Longitude of the grid cell used'),
    ...VARIABLES.map((v) => col(v.column, v.type, v.ja, v.en)),
    col(
      'attribution',
      'string',
      `出典表示（${ATTRIBUTION}）`,
      'Attribution required by the licence',
    ),
    col(
      'null_notes',
      'string',
      '欠損とした変数と理由（モデルにない変数・単位違いなど）',
      'Variables left NULL and why (not in the model, another unit, a broken array)',
    ),
  ],
  key: ['point_id', 'issued_at', 'valid_at'],
  // Issue time, not valid time: the valid times of a fresh forecast lie days ahead.
  eventTime: 'issued_at',
  partitionBy: [{ column: 'issued_at', transform: 'day' }],
  sortBy: [{ column: 'point_id' }, { column: 'valid_at' }],
});

export const wmoWeatherCodes = defineTable({
  namespace: 'weather',
  name: 'wmo_weather_codes',
  doc: { ja: 'WMO 天気コード表（Open-Meteo）', en: 'WMO weather code lookup (Open-Meteo)' },
  columns: [
    col('weather_code', 'int', '天気コード', 'WMO weather code', true),
    col('description_ja', 'string', '説明（日本語）', 'Description (Japanese)'),
    col('description_en', 'string', '説明（英語）', 'Description (English)'),
  ],
  key: ['weather_code'],
  eventTime: { none: 'a code list: its rows describe codes, not moments' },
  partitionBy: [],
});
