/** Open-Meteo hourly variables the connector asks for, the column each lands in, and its unit. */
export interface Variable {
  readonly name: string;
  readonly column: string;
  readonly type: 'double' | 'int';
  /** The unit Open-Meteo must report in `hourly_units`; anything else fails the slice. */
  readonly unit: string;
  readonly ja: string;
  readonly en: string;
}

export const VARIABLES: readonly Variable[] = [
  {
    name: 'temperature_2m',
    column: 'temperature_c',
    type: 'double',
    unit: '°C',
    ja: '気温（2m、℃）',
    en: 'Air temperature at 2 m (°C)',
  },
  {
    name: 'apparent_temperature',
    column: 'apparent_temperature_c',
    type: 'double',
    unit: '°C',
    ja: '体感温度（℃）',
    en: 'Apparent temperature (°C)',
  },
  {
    name: 'relative_humidity_2m',
    column: 'relative_humidity_pct',
    type: 'double',
    unit: '%',
    ja: '相対湿度（%）',
    en: 'Relative humidity (%)',
  },
  {
    name: 'precipitation',
    column: 'precipitation_mm',
    type: 'double',
    unit: 'mm',
    ja: '降水量（前1時間、mm）',
    en: 'Precipitation, preceding hour (mm)',
  },
  {
    name: 'precipitation_probability',
    column: 'precipitation_probability_pct',
    type: 'int',
    unit: '%',
    ja: '降水確率（%）',
    en: 'Probability of precipitation (%)',
  },
  {
    name: 'snowfall',
    column: 'snowfall_cm',
    type: 'double',
    unit: 'cm',
    ja: '降雪量（前1時間、cm）',
    en: 'Snowfall, preceding hour (cm)',
  },
  {
    name: 'weather_code',
    column: 'weather_code',
    type: 'int',
    unit: 'wmo code',
    ja: '天気コード（WMO）',
    en: 'Weather code (WMO)',
  },
  {
    name: 'cloud_cover',
    column: 'cloud_cover_pct',
    type: 'double',
    unit: '%',
    ja: '雲量（%）',
    en: 'Cloud cover (%)',
  },
  {
    name: 'wind_speed_10m',
    column: 'wind_speed_ms',
    type: 'double',
    unit: 'm/s',
    ja: '風速（10m、m/s）',
    en: 'Wind speed at 10 m (m/s)',
  },
  {
    name: 'wind_direction_10m',
    column: 'wind_direction_deg',
    type: 'double',
    unit: '°',
    ja: '風向（10m、度）',
    en: 'Wind direction at 10 m (°)',
  },
  {
    name: 'wind_gusts_10m',
    column: 'wind_gusts_ms',
    type: 'double',
    unit: 'm/s',
    ja: '最大瞬間風速（10m、m/s）',
    en: 'Wind gusts at 10 m (m/s)',
  },
  {
    name: 'visibility',
    column: 'visibility_m',
    type: 'double',
    unit: 'm',
    ja: '視程（m）',
    en: 'Visibility (m)',
  },
  {
    name: 'freezing_level_height',
    column: 'freezing_level_m',
    type: 'double',
    unit: 'm',
    ja: '0℃高度（m）',
    en: 'Freezing level height (m)',
  },
  // The summit (about 640 hPa) lies between the 700 and 600 hPa levels.
  {
    name: 'temperature_700hPa',
    column: 'temperature_700hpa_c',
    type: 'double',
    unit: '°C',
    ja: '700hPa 気温（℃）',
    en: 'Temperature at 700 hPa (°C)',
  },
  {
    name: 'wind_speed_700hPa',
    column: 'wind_speed_700hpa_ms',
    type: 'double',
    unit: 'm/s',
    ja: '700hPa 風速（m/s）',
    en: 'Wind speed at 700 hPa (m/s)',
  },
  {
    name: 'wind_direction_700hPa',
    column: 'wind_direction_700hpa_deg',
    type: 'double',
    unit: '°',
    ja: '700hPa 風向（度）',
    en: 'Wind direction at 700 hPa (°)',
  },
  {
    name: 'temperature_600hPa',
    column: 'temperature_600hpa_c',
    type: 'double',
    unit: '°C',
    ja: '600hPa 気温（℃）',
    en: 'Temperature at 600 hPa (°C)',
  },
  {
    name: 'wind_speed_600hPa',
    column: 'wind_speed_600hpa_ms',
    type: 'double',
    unit: 'm/s',
    ja: '600hPa 風速（m/s）',
    en: 'Wind speed at 600 hPa (m/s)',
  },
  {
    name: 'wind_direction_600hPa',
    column: 'wind_direction_600hpa_deg',
    type: 'double',
    unit: '°',
    ja: '600hPa 風向（度）',
    en: 'Wind direction at 600 hPa (°)',
  },
];

export const ATTRIBUTION = 'Weather data by Open-Meteo.com (CC BY 4.0)';
