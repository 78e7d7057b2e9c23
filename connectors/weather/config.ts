/**
 * Typed configuration of the weather connectors, read from the environment and failing fast
 * with the variable's name. Production defaults are the real endpoints; on the local target
 * they are the offline fakes of the local stack.
 */
import { ConfigError } from '#shared/errors/index.ts';
import { envCodes, envInt, envUrl, isLocalTarget, type Env } from '#shared/config/env.ts';
import { localUrls } from '#local/config.ts';

export interface ForecastPoint {
  /** Identifier used as the key, e.g. `summit`. */
  readonly id: string;
  readonly name: string;
  readonly latitude: number;
  readonly longitude: number;
  readonly elevation: number;
}

export interface WeatherConfig {
  readonly jmaBaseUrl: string;
  readonly offices: readonly string[];
  readonly stations: readonly string[];
  readonly openMeteoUrl: string;
  /** Secrets Manager secret holding the commercial API key; unset = free endpoint, no key. */
  readonly openMeteoKeySecret: string | undefined;
  readonly points: readonly ForecastPoint[];
  /** Per request: a hung upstream connection is abandoned and retried after this long. */
  readonly httpTimeoutMs: number;
}

/** The summit and the three Shizuoka-side 5th stations (coordinates: see docs/sources). */
export const DEFAULT_POINTS: readonly ForecastPoint[] = [
  { id: 'summit', name: '富士山頂', latitude: 35.3606, longitude: 138.7274, elevation: 3776 },
  {
    id: 'fujinomiya_5th',
    name: '富士宮口五合目',
    latitude: 35.3365,
    longitude: 138.7342,
    elevation: 2400,
  },
  {
    id: 'gotemba_5th',
    name: '御殿場口新五合目',
    latitude: 35.3353,
    longitude: 138.7947,
    elevation: 1440,
  },
  {
    id: 'subashiri_5th',
    name: '須走口五合目',
    latitude: 35.3649,
    longitude: 138.7771,
    elevation: 2000,
  },
];

function points(env: Env): ForecastPoint[] {
  const raw = env.FUJI_ETL_OPEN_METEO_POINTS;
  if (!raw) return [...DEFAULT_POINTS];
  let list: unknown;
  try {
    list = JSON.parse(raw);
  } catch {
    throw new ConfigError(
      'FUJI_ETL_OPEN_METEO_POINTS must be JSON: [{id,name,latitude,longitude,elevation}]',
    );
  }
  if (!Array.isArray(list) || list.length === 0)
    throw new ConfigError('FUJI_ETL_OPEN_METEO_POINTS must be a non-empty array');
  return list.map((p: Record<string, unknown>, i) => {
    const ok =
      typeof p.id === 'string' &&
      /^[a-z][a-z0-9_]*$/.test(p.id) &&
      typeof p.name === 'string' &&
      [p.latitude, p.longitude, p.elevation].every(
        (n) => typeof n === 'number' && Number.isFinite(n),
      ) &&
      Math.abs(p.latitude as number) <= 90 &&
      Math.abs(p.longitude as number) <= 180;
    if (!ok)
      throw new ConfigError(
        `FUJI_ETL_OPEN_METEO_POINTS[${i}] needs id (lowercase), name, latitude, longitude, elevation`,
      );
    return p as unknown as ForecastPoint;
  });
}

export function weatherConfig(env: Env = process.env): WeatherConfig {
  const local = isLocalTarget(env);
  const fakes = localUrls().fakes;
  return {
    jmaBaseUrl: envUrl(env, 'FUJI_ETL_JMA_BASE_URL', local ? fakes : 'https://www.jma.go.jp'),
    offices: envCodes(env, 'FUJI_ETL_JMA_OFFICES', '220000', 6),
    stations: envCodes(env, 'FUJI_ETL_AMEDAS_STATIONS', '50066,50136,50196,50056,50206', 5),
    openMeteoUrl: envUrl(
      env,
      'FUJI_ETL_OPEN_METEO_URL',
      local ? fakes : 'https://api.open-meteo.com',
    ),
    openMeteoKeySecret: env.FUJI_ETL_OPEN_METEO_KEY_SECRET || undefined,
    points: points(env),
    httpTimeoutMs: envInt(env, 'FUJI_ETL_HTTP_TIMEOUT_MS', 30_000),
  };
}
