/**
 * Open-Meteo `/v1/forecast` answers: parallel hourly arrays from today 00:00 in Asia/Tokyo,
 * local times without offset, units as requested, nulls where the model has no value, and
 * values that shift a little with each model run (the fake's hour), so re-reads change data.
 */
const KNOWN: Record<string, { unit: string; gen: (c: Ctx) => number | null }> = {};
interface Ctx {
  h: number;
  elevation: number;
  run: number;
  ms: boolean;
}
const temp = (c: Ctx) =>
  Math.round(
    (28 -
      c.elevation * 0.0065 +
      Math.sin((((c.h % 24) - 9) / 24) * 2 * Math.PI) * 4 +
      (c.run % 5) * 0.1) *
      10,
  ) / 10;
const wind = (c: Ctx, f: number) =>
  Math.round(f * (1 + (c.h % 7) / 7) * (c.ms ? 1 : 3.6) * 10) / 10;
Object.assign(KNOWN, {
  temperature_2m: { unit: '°C', gen: temp },
  apparent_temperature: { unit: '°C', gen: (c: Ctx) => Math.round((temp(c) - 2.5) * 10) / 10 },
  relative_humidity_2m: { unit: '%', gen: (c: Ctx) => 55 + ((c.h * 7) % 40) },
  precipitation: { unit: 'mm', gen: (c: Ctx) => ((c.h + c.run) % 11 === 0 ? 1.2 : 0) },
  precipitation_probability: {
    unit: '%',
    gen: (c: Ctx) => (c.h >= 168 ? null : ((c.h + c.run) * 13) % 100),
  },
  snowfall: { unit: 'cm', gen: () => 0 },
  weather_code: {
    unit: 'wmo code',
    gen: (c: Ctx) => [0, 1, 2, 3, 45, 61, 80, 95][(c.h + c.run) % 8]!,
  },
  cloud_cover: { unit: '%', gen: (c: Ctx) => (c.h * 17) % 101 },
  wind_speed_10m: { unit: 'm/s', gen: (c: Ctx) => wind(c, 2 + c.elevation / 500) },
  wind_direction_10m: { unit: '°', gen: (c: Ctx) => (c.h * 23) % 360 },
  wind_gusts_10m: { unit: 'm/s', gen: (c: Ctx) => wind(c, 4 + c.elevation / 300) },
  visibility: { unit: 'm', gen: (c: Ctx) => (c.h >= 72 ? null : 24_140 - ((c.h * 997) % 20_000)) },
  freezing_level_height: { unit: 'm', gen: (c: Ctx) => 4_600 + ((c.h * 31) % 300) },
  temperature_700hPa: { unit: '°C', gen: (c: Ctx) => 7 + (c.h % 5) * 0.3 },
  wind_speed_700hPa: { unit: 'm/s', gen: (c: Ctx) => wind(c, 9) },
  wind_direction_700hPa: { unit: '°', gen: (c: Ctx) => 240 + (c.h % 40) },
  geopotential_height_700hPa: { unit: 'm', gen: (c: Ctx) => 3_160 + (c.h % 20) },
  temperature_600hPa: { unit: '°C', gen: (c: Ctx) => 0.5 + (c.h % 5) * 0.3 },
  wind_speed_600hPa: { unit: 'm/s', gen: (c: Ctx) => wind(c, 12) },
  wind_direction_600hPa: { unit: '°', gen: (c: Ctx) => 250 + (c.h % 40) },
});

export function forecast(q: URLSearchParams, now: Date): { status: number; body: unknown } {
  const lat = Number(q.get('latitude'));
  const lon = Number(q.get('longitude'));
  if (!Number.isFinite(lat) || !Number.isFinite(lon)) {
    return {
      status: 400,
      body: { error: true, reason: 'Parameter latitude and longitude required' },
    };
  }
  const key = q.get('apikey');
  if (key !== null && key !== 'test-key')
    return { status: 400, body: { error: true, reason: 'Invalid API key' } };
  const vars = (q.get('hourly') ?? '').split(',').filter(Boolean);
  const bad = vars.find((v) => !KNOWN[v]);
  if (bad) {
    return {
      status: 400,
      body: {
        error: true,
        reason: `Cannot initialize WeatherVariable from invalid String value ${bad} for key hourly`,
      },
    };
  }
  const days = Number(q.get('forecast_days') ?? 7);
  const ms = q.get('wind_speed_unit') === 'ms';
  const elevation = q.has('elevation') ? Number(q.get('elevation')) : 1000;
  const jst = new Date(now.getTime() + 9 * 3_600_000);
  const day0 = Date.UTC(jst.getUTCFullYear(), jst.getUTCMonth(), jst.getUTCDate());
  const time = Array.from({ length: days * 24 }, (_, h) =>
    new Date(day0 + h * 3_600_000).toISOString().slice(0, 16),
  );
  const run = Math.floor(now.getTime() / 3_600_000);
  const hourly: Record<string, unknown[]> = { time };
  const units: Record<string, string> = { time: 'iso8601' };
  for (const v of vars) {
    const def = KNOWN[v]!;
    // A variable the model lacks comes back as real answers show it: unit "undefined", every
    // value null. Here the summit's model lacks visibility (see fixtures/real of open_meteo).
    if (v === 'visibility' && elevation >= 3000) {
      units[v] = 'undefined';
      hourly[v] = time.map(() => null);
      continue;
    }
    units[v] = /wind_speed|wind_gusts/.test(v) ? (ms ? 'm/s' : 'km/h') : def.unit;
    hourly[v] = time.map((_, h) => def.gen({ h, elevation, run, ms }));
  }
  const snap = (x: number) => Math.round(x / 0.025) * 0.025;
  return {
    status: 200,
    body: {
      latitude: Number(snap(lat).toFixed(6)),
      longitude: Number(snap(lon).toFixed(6)),
      generationtime_ms: 0.53,
      utc_offset_seconds: 32400,
      timezone: 'Asia/Tokyo',
      timezone_abbreviation: 'GMT+9',
      elevation,
      hourly_units: units,
      hourly,
    },
  };
}
