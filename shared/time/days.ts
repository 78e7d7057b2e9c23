/**
 * Days in Asia/Tokyo, computed explicitly (JST is UTC+9 all year, no DST) so nothing depends
 * on the machine's zone.
 */
import { formatDate, parseDate } from './civil.ts';

const JST_OFFSET_MS = 9 * 3_600_000;

/** The Asia/Tokyo calendar day of an instant, 'YYYY-MM-DD'. */
export function jstDay(at: Date): string {
  return formatDate(Math.floor((at.getTime() + JST_OFFSET_MS) / 86_400_000));
}

/** 00:00 Asia/Tokyo of a day, as an instant. */
export function jstDayStartUtc(day: string): Date {
  const d = parseDate(day);
  if (d === undefined) throw new Error(`not a date: ${JSON.stringify(day)}`);
  return new Date(d * 86_400_000 - JST_OFFSET_MS);
}

/** The day `n` days after `day` (a 'YYYY-MM-DD' or an instant, read in Asia/Tokyo). */
export function addDays(day: string | Date, n: number): string {
  const base = typeof day === 'string' ? parseDate(day) : parseDate(jstDay(day));
  if (base === undefined) throw new Error(`not a date: ${JSON.stringify(day)}`);
  return formatDate(base + n);
}

/**
 * A half-open range of Asia/Tokyo days, `[from, to)`, as 'YYYY-MM-DD'. The runtime's `DateRange`
 * has this shape; it is declared here so the time helpers depend on nothing above them.
 */
export interface DayRange {
  readonly from: string;
  readonly to: string;
}

/** One slice per day of [from, to). */
export function daySlices(range: DayRange): { id: string; day: string }[] {
  const from = parseDate(range.from);
  const to = parseDate(range.to);
  if (from === undefined || to === undefined)
    throw new Error(`bad range ${range.from}..${range.to}`);
  const out = [];
  for (let d = from; d < to; d++) out.push({ id: formatDate(d), day: formatDate(d) });
  return out;
}

/** The calendar day of an instant in an IANA time zone (a GA4 property's), 'YYYY-MM-DD'. */
export function dayInZone(at: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(at);
  const get = (t: string) => parts.find((p) => p.type === t)!.value;
  return `${get('year')}-${get('month')}-${get('day')}`;
}
