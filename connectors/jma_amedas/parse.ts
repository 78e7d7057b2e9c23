/**
 * Parses an AMeDAS per-station 3-hour file (`point/{code}/{YYYYMMDD}_{HH}.json`): one row per
 * 10-minute record. An element's value is kept only when its quality flag is 0; the flag is
 * always kept, and an element the station does not observe stays NULL in both.
 *
 * Learned from real files: on every on-the-hour record JMA sends `snow1h`…`snow24h` as
 * `[0, null]` for stations without a snow gauge. A null flag means "no quality flag": the
 * element was not observed, so value and flag are both NULL. A record that breaks its shape is
 * rejected alone (quarantined with its path); the other records of the file land.
 */
import { Json } from '#shared/http/shape.ts';
import { eachRecord } from '#shared/runtime/records.ts';
import { fullName } from '#shared/model/table.ts';
import { ELEMENTS, TIME_ELEMENTS } from './elements.ts';
import { amedasObservation } from './tables.ts';

const KEY = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/;
const TABLE = fullName(amedasObservation);

/** "YYYYMMDDHHmmss" in Japan time as an instant. */
export function amedasTime(key: string): Date | undefined {
  const m = KEY.exec(key);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number) as number[];
  return new Date(Date.UTC(y!, mo! - 1, d!, h! - 9, mi!, s!));
}

/**
 * {hour, minute} in UTC as the latest instant at or before the observation: the extremes are
 * of the day so far, so they lie within the 24 hours before it.
 */
export function utcClockBefore(observedAt: Date, hour: number, minute: number): Date {
  const t = new Date(observedAt);
  t.setUTCHours(hour, minute, 0, 0);
  if (t.getTime() > observedAt.getTime()) t.setUTCDate(t.getUTCDate() - 1);
  return t;
}

function parseRecord(key: string, rec: Json, station: string): Record<string, unknown> {
  const observedAt = amedasTime(key) ?? rec.fail('key is not a YYYYMMDDHHmmss time');
  rec.entries(); // a record is an object
  const row: Record<string, unknown> = { station_code: station, observed_at: observedAt };
  for (const e of ELEMENTS) {
    const pair = rec.opt(e.key);
    if (!pair || pair.value === null) continue;
    const [value, flag] = [pair.at(0), pair.at(1)];
    const aqc = flag.numberOrNull();
    if (aqc !== null && !Number.isInteger(aqc)) flag.fail('expected an integer quality flag');
    const v = value.numberOrNull();
    row[`${e.column}_aqc`] = aqc;
    row[e.column] = aqc === 0 ? v : null;
    if (e.type === 'int' && row[e.column] !== null && !Number.isInteger(v))
      value.fail('expected an integer');
  }
  for (const t of TIME_ELEMENTS) {
    const at = rec.opt(t.key);
    if (!at || at.value === null) continue;
    const hour = at.get('hour').numberOrNull();
    const minute = at.get('minute').numberOrNull();
    row[t.column] =
      hour === null || minute === null ? null : utcClockBefore(observedAt, hour, minute);
  }
  return row;
}

export function parsePoint(payload: unknown, url: string, station: string) {
  const root = new Json(payload, url);
  if (typeof root.value !== 'object' || root.value === null || Array.isArray(root.value)) {
    root.fail('expected an object keyed by observation time');
  }
  const records = root.entries().sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const byNode = new Map(records.map(([k, n]) => [n, k]));
  const { values, rejected } = eachRecord(
    records.map(([, n]) => n),
    TABLE,
    (n) => parseRecord(byNode.get(n)!, n, station),
  );
  return { rows: values, rejected };
}
