/**
 * Parses an Open-Meteo forecast: parallel hourly arrays, local times without offset (the
 * offset is `utc_offset_seconds`), nulls where a value is unavailable. Units are checked, so
 * a km/h answer can never land in a m/s column.
 */
import { Json } from '#shared/http/shape.ts';
import type { ForecastPoint } from '../weather/config.ts';
import { ATTRIBUTION, VARIABLES } from './variables.ts';

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/;

export function parseForecast(payload: unknown, url: string, point: ForecastPoint, issuedAt: Date) {
  const root = new Json(payload, url);
  const offsetS =
    root.get('utc_offset_seconds').numberOrNull() ?? root.get('utc_offset_seconds').fail('missing');
  const units = root.get('hourly_units');
  for (const v of VARIABLES) {
    const u = units.get(v.name).string();
    if (u !== v.unit) units.get(v.name).fail(`expected unit ${v.unit}, got ${u}`);
  }
  const hourly = root.get('hourly');
  const times = hourly
    .get('time')
    .items()
    .map((t) => {
      const m = LOCAL.exec(t.string()) ?? t.fail('expected YYYY-MM-DDTHH:mm');
      const [, y, mo, d, h, mi] = m.map(Number) as number[];
      return new Date(Date.UTC(y!, mo! - 1, d!, h!, mi!) - offsetS * 1000);
    });
  const series = VARIABLES.map((v) => {
    const arr = hourly.get(v.name);
    const items = arr.items();
    if (items.length !== times.length)
      arr.fail(`has ${items.length} values for ${times.length} times`);
    return items.map((i) => {
      const n = i.numberOrNull();
      if (n !== null && v.type === 'int' && !Number.isInteger(n)) i.fail('expected an integer');
      return n;
    });
  });
  const base = {
    point_id: point.id,
    issued_at: issuedAt,
    point_name: point.name,
    elevation_m: root.get('elevation').numberOrNull(),
    grid_latitude: root.get('latitude').numberOrNull(),
    grid_longitude: root.get('longitude').numberOrNull(),
    attribution: ATTRIBUTION,
  };
  return times.map((t, i) => {
    const row: Record<string, unknown> = { ...base, valid_at: t };
    VARIABLES.forEach((v, j) => (row[v.column] = series[j]![i]));
    return row;
  });
}
