/**
 * `jma_forecast`: the current short-term and weekly forecasts and the overview text for each
 * configured office (default 220000 静岡県), one slice per office. Each run keeps the issue it
 * reads; rerunning the same issue merges onto the same rows.
 */
import { getJson, runBounds } from '#shared/http/client.ts';
import { defineConnector } from '#shared/runtime/connector.ts';
import { eachMember } from '#shared/runtime/members.ts';
import { JMA_WEATHER_CODES } from './codes.ts';
import { settings } from './settings.ts';
import { parseForecast, parseOverview, type ForecastRows } from './parse.ts';
import {
  forecastArea,
  forecastPop,
  forecastTemp,
  jmaWeatherCodes,
  overview,
  weeklyArea,
  weeklyTemp,
} from './tables.ts';

export const jmaForecast = defineConnector({
  name: 'jma_forecast',
  // EventBridge Scheduler, Asia/Tokyo (infra/schedules.json is generated from it).
  schedule: {
    cron: 'cron(20 5,11,17 * * ? *)',
    why: 'JMA publishes forecasts at 05, 11 and 17 JST; 20 minutes later they are on the server',
  },
  cadence: {
    hours: 19,
    why: 'weekly forecasts are issued at 11:00 and 17:00 JST, so the longest gap is 17:00 to 11:00 (18 h), loaded 20 minutes after',
  },
  tables: [
    forecastArea,
    forecastPop,
    forecastTemp,
    weeklyArea,
    weeklyTemp,
    overview,
    jmaWeatherCodes,
  ].map((model) => ({ model, disposition: 'merge' as const })),
  settings,
  // Only the current answer is served: a past range cannot be read again.
  backfill: false,
  slices({ settings }) {
    return settings.offices.map((office) => ({ id: office, office }));
  },
  async fetch(slice, ctx) {
    const cfg = ctx.settings;
    const base = `${cfg.baseUrl}/bosai/forecast/data`;
    const forecastUrl = `${base}/forecast/${slice.office}.json`;
    const overviewUrl = `${base}/overview_forecast/${slice.office}.json`;
    const opts = runBounds(ctx, cfg.timeoutMs);
    // The forecast and the overview are separate documents: one that fails costs only itself.
    type Doc = { forecast?: ForecastRows; overview?: Record<string, unknown> };
    const docs = await eachMember(
      ctx,
      [
        async () => ({ forecast: parseForecast(await getJson(forecastUrl, opts), forecastUrl) }),
        async () => ({
          overview: parseOverview(await getJson(overviewUrl, opts), overviewUrl, slice.office),
        }),
      ],
      (_read, i) => `${i === 0 ? 'forecast' : 'overview'}:${slice.office}`,
      (read): Promise<Doc> => read(),
    );
    const got: Doc = Object.assign({}, ...docs.values.map((v) => v.value));
    const f = got.forecast ?? { area: [], pop: [], temp: [], weeklyArea: [], weeklyTemp: [] };
    const o = got.overview;
    const codes = JMA_WEATHER_CODES.map(([weather_code, description_ja, description_en]) => ({
      weather_code,
      description_ja,
      description_en,
    }));
    return {
      rows: {
        [forecastArea.name]: f.area,
        [forecastPop.name]: f.pop,
        [forecastTemp.name]: f.temp,
        [weeklyArea.name]: f.weeklyArea,
        [weeklyTemp.name]: f.weeklyTemp,
        [overview.name]: o ? [o] : [],
        [jmaWeatherCodes.name]: codes,
      },
      rowsRead:
        f.area.length +
        f.pop.length +
        f.temp.length +
        f.weeklyArea.length +
        f.weeklyTemp.length +
        (o ? 1 : 0),
      failures: docs.failures,
      members: docs.members,
      source: forecastUrl,
    };
  },
});
