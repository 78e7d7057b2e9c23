/**
 * Calendar arithmetic on plain integers, independent of the machine's time zone and of
 * `Date`'s quirks (two-digit years, millisecond precision). Timestamps are epoch microseconds
 * as bigint, because Iceberg stores microseconds and `Date` cannot hold them.
 */

const MICROS_PER_DAY = 86_400_000_000n;

/** Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
export function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Inverse of {@link daysFromCivil}. */
export function civilFromDays(z: number): { y: number; m: number; d: number } {
  const zz = z + 719468;
  const era = Math.floor(zz / 146097);
  const doe = zz - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp + (mp < 10 ? 3 : -9);
  return { y: yoe + era * 400 + (m <= 2 ? 1 : 0), m, d };
}

const pad = (n: number | bigint, w: number) => String(n).padStart(w, '0');

/** 'YYYY-MM-DD' for days since the epoch. */
export function formatDate(days: number): string {
  const { y, m, d } = civilFromDays(days);
  return `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`;
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Recently parsed dates: a batch repeats few distinct days across many rows, and every row's
 * date is read by validation, partitioning and staging. Bounded, so it never grows with a file.
 */
const parsed = new Map<string, number | undefined>();
const PARSED_MAX = 4_096;

/** Days since the epoch for 'YYYY-MM-DD', or undefined when it is not a real calendar date. */
export function parseDate(s: string): number | undefined {
  const hit = parsed.get(s);
  if (hit !== undefined || parsed.has(s)) return hit;
  if (parsed.size >= PARSED_MAX) parsed.clear();
  const days = parseDateUncached(s);
  parsed.set(s, days);
  return days;
}

function parseDateUncached(s: string): number | undefined {
  const m = DATE_RE.exec(s);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || d < 1 || d > 31) return undefined;
  const days = daysFromCivil(y, mo, d);
  const back = civilFromDays(days);
  return back.m === mo && back.d === d ? days : undefined;
}

/** 'YYYY-MM-DD HH:MM:SS.ffffff' (UTC) for epoch microseconds. */
export function formatMicros(micros: bigint): string {
  let days = micros / MICROS_PER_DAY;
  let rem = micros % MICROS_PER_DAY;
  if (rem < 0n) {
    rem += MICROS_PER_DAY;
    days -= 1n;
  }
  const secs = rem / 1_000_000n;
  const frac = rem % 1_000_000n;
  const hh = secs / 3600n;
  const mm = (secs % 3600n) / 60n;
  const ss = secs % 60n;
  return `${formatDate(Number(days))} ${pad(hh, 2)}:${pad(mm, 2)}:${pad(ss, 2)}.${pad(frac, 6)}`;
}

const TS_RE =
  /^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?\s*(Z|UTC|[+-]\d{2}:?\d{2})?$/;

/**
 * Epoch microseconds for an ISO-8601 / SQL timestamp text. A text without an explicit zone is
 * read as UTC only when `naiveIsUtc` is set (engine output is UTC by construction); connector
 * input must say its zone, so the default rejects it. Digits past microseconds must be zero.
 */
export function parseTimestamp(s: string, naiveIsUtc = false): bigint | undefined {
  const m = TS_RE.exec(s.trim());
  if (!m) return undefined;
  const days = parseDate(m[1]!);
  if (days === undefined) return undefined;
  const [h, mi, sec] = [Number(m[2]), Number(m[3]), Number(m[4] ?? '0')];
  if (h > 23 || mi > 59 || sec > 59) return undefined;
  const fracText = (m[5] ?? '').padEnd(9, '0');
  if (fracText.slice(6) !== '000') return undefined;
  const zone = m[6];
  if (zone === undefined && !naiveIsUtc) return undefined;
  let offsetMin = 0;
  if (zone !== undefined && zone !== 'Z' && zone !== 'UTC') {
    const digits = zone.replace(':', '');
    const sign = digits.startsWith('-') ? -1 : 1;
    offsetMin = sign * (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5)));
  }
  return (
    BigInt(days) * MICROS_PER_DAY +
    BigInt(h * 3600 + mi * 60 + sec - offsetMin * 60) * 1_000_000n +
    BigInt(fracText.slice(0, 6))
  );
}

export const MICROS = { perDay: MICROS_PER_DAY, perHour: 3_600_000_000n } as const;
