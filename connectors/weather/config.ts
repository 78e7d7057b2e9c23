/**
 * @deprecated The JMA and Open-Meteo connectors declare their settings (`settings.ts` in each
 * connector, `connectors/settings.ts`); this reads the same variables for code not moved yet.
 */
import type { Env } from '#shared/config/env.ts';
import { readSettings } from '#shared/settings/read.ts';
import { HTTP_TIMEOUT_MS } from '#shared/settings/http.ts';
import { JMA_BASE_URL } from '../settings.ts';
import { settings as forecast } from '../jma_forecast/settings.ts';

export function weatherConfig(env: Env = process.env) {
  const s = readSettings(
    { jmaBaseUrl: JMA_BASE_URL, offices: forecast.offices, httpTimeoutMs: HTTP_TIMEOUT_MS },
    env,
  );
  return s;
}
