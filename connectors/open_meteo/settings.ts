/**
 * The Open-Meteo connector's settings: the endpoint (free or commercial, whose key is a secret)
 * and the forecast points.
 */
import { ConfigError } from '#shared/errors/index.ts';
import { custom, HTTP_TIMEOUT_MS, text, url } from '#shared/settings/index.ts';

export interface ForecastPoint {
  /** Identifier used as the key, e.g. `summit`. */
  readonly id: string;
  readonly name: string;
  readonly latitude: number;
  readonly longitude: number;
  readonly elevation: number;
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

function points(raw: string | undefined): ForecastPoint[] {
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

export const settings = {
  url: url('FUJI_ETL_OPEN_METEO_URL', {
    default: 'https://api.open-meteo.com',
    doc: 'Open-Meteo’s forecast API (the commercial host when a key is configured).',
  }),
  keySecret: text('FUJI_ETL_OPEN_METEO_KEY_SECRET', {
    what: 'Secrets Manager secret id',
    doc: 'Secret holding the commercial API key; unset = the free endpoint, no key.',
  }),
  points: custom('FUJI_ETL_OPEN_METEO_POINTS', {
    type: 'JSON `[{id,name,latitude,longitude,elevation}]`',
    fallback: 'the summit and the three Shizuoka-side 5th stations',
    doc: 'Forecast points, one slice each; `id` is the key in the table.',
    parse: points,
  }),
  timeoutMs: HTTP_TIMEOUT_MS,
};
