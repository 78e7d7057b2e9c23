/**
 * The WMO weather codes Open-Meteo returns, loaded beside the forecasts so analysts can join
 * codes to words. Descriptions follow WMO's wording.
 */

/** WMO weather interpretation codes (WW) as Open-Meteo documents them. */
export const WMO_WEATHER_CODES: readonly (readonly [number, string, string])[] = [
  [0, '快晴', 'Clear sky'],
  [1, '晴れ', 'Mainly clear'],
  [2, '一部くもり', 'Partly cloudy'],
  [3, 'くもり', 'Overcast'],
  [45, '霧', 'Fog'],
  [48, '着氷性の霧', 'Depositing rime fog'],
  [51, '弱い霧雨', 'Light drizzle'],
  [53, '霧雨', 'Moderate drizzle'],
  [55, '強い霧雨', 'Dense drizzle'],
  [56, '弱い着氷性霧雨', 'Light freezing drizzle'],
  [57, '強い着氷性霧雨', 'Dense freezing drizzle'],
  [61, '弱い雨', 'Slight rain'],
  [63, '雨', 'Moderate rain'],
  [65, '強い雨', 'Heavy rain'],
  [66, '弱い着氷性の雨', 'Light freezing rain'],
  [67, '強い着氷性の雨', 'Heavy freezing rain'],
  [71, '弱い雪', 'Slight snow fall'],
  [73, '雪', 'Moderate snow fall'],
  [75, '強い雪', 'Heavy snow fall'],
  [77, '霧雪', 'Snow grains'],
  [80, '弱いにわか雨', 'Slight rain showers'],
  [81, 'にわか雨', 'Moderate rain showers'],
  [82, '激しいにわか雨', 'Violent rain showers'],
  [85, '弱いにわか雪', 'Slight snow showers'],
  [86, '強いにわか雪', 'Heavy snow showers'],
  [95, '雷雨', 'Thunderstorm'],
  [96, '雷雨（弱いひょう）', 'Thunderstorm with slight hail'],
  [99, '雷雨（強いひょう）', 'Thunderstorm with heavy hail'],
];
