/**
 * `open_meteo`: hourly forecasts for the summit and the Shizuoka-side 5th stations, one slice
 * per point. The key holds the run's fetch hour as the issue time, so successive runs keep the
 * forecast history and a rerun within the hour merges onto the same rows. The commercial
 * endpoint takes an API key from Secrets Manager; the free endpoint is the default.
 */
import { getJson, runBounds } from '#shared/http/client.ts';
import { defineConnector } from '#shared/runtime/connector.ts';
import { WMO_WEATHER_CODES } from './codes.ts';
import { settings } from './settings.ts';
import { parseForecast } from './parse.ts';
import { openMeteoHourly, wmoWeatherCodes } from './tables.ts';
import { VARIABLES } from './variables.ts';

const FORECAST_DAYS = 7;
export const openMeteo = defineConnector({
  name: 'open_meteo',
  // EventBridge Scheduler, Asia/Tokyo (infra/schedules.json is generated from it).
  schedule: {
    cron: 'cron(30 6 * * ? *)',
    why: 'the daily forecast refresh; the archive of yesterday is complete by then',
  },
  cadence: {
    hours: 25,
    why: 'fetched once a day at 06:30 JST; issued_at is the fetch hour, so it ages a day between loads',
  },
  tables: [
    { model: openMeteoHourly, disposition: 'merge' },
    { model: wmoWeatherCodes, disposition: 'merge' },
  ],
  settings,
  // Only the current answer is served: a past range cannot be read again.
  backfill: false,
  slices({ settings }) {
    return settings.points.map((p) => ({ id: p.id, point: p }));
  },
  async fetch(slice, ctx) {
    const cfg = ctx.settings;
    const issuedAt = new Date(Math.floor(ctx.now.getTime() / 3_600_000) * 3_600_000);
    const q = new URLSearchParams({
      latitude: String(slice.point.latitude),
      longitude: String(slice.point.longitude),
      elevation: String(slice.point.elevation),
      hourly: VARIABLES.map((v) => v.name).join(','),
      timezone: 'Asia/Tokyo',
      wind_speed_unit: 'ms',
      forecast_days: String(FORECAST_DAYS),
    });
    if (cfg.keySecret) q.set('apikey', await ctx.secrets.get(cfg.keySecret));
    const url = `${cfg.url}/v1/forecast?${q.toString()}`;
    const { rows, failures } = parseForecast(
      await getJson(url, runBounds(ctx, cfg.timeoutMs)),
      url,
      slice.point,
      issuedAt,
    );
    return {
      rows: {
        [openMeteoHourly.name]: rows,
        [wmoWeatherCodes.name]: WMO_WEATHER_CODES.map(
          ([weather_code, description_ja, description_en]) => ({
            weather_code,
            description_ja,
            description_en,
          }),
        ),
      },
      rowsRead: rows.length,
      failures,
      members: VARIABLES.map((v) => `variable:${v.name}`),
      source: `${cfg.url}/v1/forecast?point=${slice.point.id}`,
    };
  },
});
