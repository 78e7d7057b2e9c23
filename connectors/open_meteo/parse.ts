/**
 * Parses an Open-Meteo forecast: parallel hourly arrays, local times without offset (the
 * offset is `utc_offset_seconds`), nulls where a value is unavailable. Units are checked, so
 * a km/h answer can never land in a m/s column: such a variable is NULL, with the reason in
 * `null_notes` and as a failed member of the slice.
 */
import { SourceShapeError } from '#shared/http/errors.ts';
import { Json } from '#shared/http/shape.ts';
import type { MemberFailure } from '#shared/runtime/connector.ts';
import { reasonOf } from '#shared/runtime/members.ts';
import type { ForecastPoint } from './settings.ts';
import { ATTRIBUTION, VARIABLES, type Variable } from './variables.ts';

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/;

/**
 * One variable's values, or why they are unusable. Learned from real answers: a variable the
 * chosen model lacks comes back with unit "undefined" and all values null. Such a variable, or
 * one with another unit or a broken array, becomes NULL with the reason; the others land.
 */
function series(hourly: Json, units: Json, v: Variable, times: number): (number | null)[] {
  const unitNode = units.opt(v.name) ?? units.fail(`${v.name}: missing`);
  const u = unitNode.string();
  if (u === 'undefined') unitNode.fail('unit "undefined": the model lacks this variable');
  if (u !== v.unit) unitNode.fail(`expected unit ${v.unit}, got ${u}`);
  const arr = hourly.get(v.name);
  const items = arr.items();
  if (items.length !== times) arr.fail(`has ${items.length} values for ${times} times`);
  return items.map((i) => {
    const n = i.numberOrNull();
    if (n !== null && v.type === 'int' && !Number.isInteger(n)) i.fail('expected an integer');
    return n;
  });
}

export function parseForecast(payload: unknown, url: string, point: ForecastPoint, issuedAt: Date) {
  const root = new Json(payload, url);
  const offsetS =
    root.get('utc_offset_seconds').numberOrNull() ?? root.get('utc_offset_seconds').fail('missing');
  const units = root.get('hourly_units');
  const hourly = root.get('hourly');
  const times = hourly
    .get('time')
    .items()
    .map((t) => {
      // `timeformat=unixtime` answers epoch seconds (UTC) instead of local clock times.
      if (typeof t.value === 'number' && Number.isInteger(t.value)) return new Date(t.value * 1000);
      const m = LOCAL.exec(t.string()) ?? t.fail('expected YYYY-MM-DDTHH:mm or epoch seconds');
      const [, y, mo, d, h, mi] = m.map(Number) as number[];
      return new Date(Date.UTC(y!, mo! - 1, d!, h!, mi!) - offsetS * 1000);
    });
  const failures: MemberFailure[] = [];
  const notes: string[] = [];
  const values = VARIABLES.map((v) => {
    try {
      return series(hourly, units, v, times.length);
    } catch (err) {
      if (!(err instanceof SourceShapeError)) throw err;
      failures.push({ member: `variable:${v.name}`, reason: reasonOf(err) });
      // The row's note names the path and the problem; the URL is in the ledger already.
      notes.push(`${v.name}: ${err.message.slice(err.message.indexOf(' at ') + 4)}`);
      return undefined;
    }
  });
  if (failures.length === VARIABLES.length)
    root.fail(`no usable variable: ${failures.map((f) => f.reason).join('; ')}`);
  const base = {
    point_id: point.id,
    issued_at: issuedAt,
    point_name: point.name,
    elevation_m: root.get('elevation').numberOrNull(),
    grid_latitude: root.get('latitude').numberOrNull(),
    grid_longitude: root.get('longitude').numberOrNull(),
    attribution: ATTRIBUTION,
    null_notes: notes.join('; ') || null,
  };
  const rows = times.map((t, i) => {
    const row: Record<string, unknown> = { ...base, valid_at: t };
    VARIABLES.forEach((v, j) => (row[v.column] = values[j]?.[i] ?? null));
    return row;
  });
  return { rows, failures };
}
