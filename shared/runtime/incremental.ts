/**
 * Declared incremental loading (dlt's `incremental` with `lag`, Airbyte's datetime cursor): a
 * connector states its step, how far back it re-reads, how much a first run loads, when its
 * source's numbers settle and whether it can load a past range; the runtime plans the windows,
 * keeps the cursor and re-reads what has not settled.
 *
 * The cursor is the exclusive end of what has landed and settled: a day `YYYY-MM-DD` (the first
 * day not yet final) or an instant (the end of the last settled block). A window that landed but
 * has not settled leaves the cursor where it was, so a run that comes late still re-reads it.
 */
import { ConfigError } from '../errors/index.ts';
import { addDays, dayInZone, jstDay, jstDayStartUtc } from '../time/days.ts';
import type { DateRange } from './connector.ts';

/** A calendar day in the declared zone, or blocks of whole hours aligned on Asia/Tokyo midnight. */
export type Step = { readonly days: 1 } | { readonly hours: 1 | 2 | 3 | 4 | 6 | 8 | 12 };

type PerSettings<C, T> = T | ((settings: C) => T);

export interface Incremental<C = unknown> {
  readonly step: Step;
  /** Day steps only: the zone whose calendar days are the windows (default Asia/Tokyo). */
  readonly timeZone?: PerSettings<C, string>;
  /** Windows a first run (no cursor) loads, ending at the last window. */
  readonly firstRun: PerSettings<C, number>;
  /** Windows before the cursor read again every run, whatever their state (default 0). */
  readonly lookback?: PerSettings<C, number>;
  /**
   * Windows after which the source no longer changes a window (default 0: final once complete):
   * the last `settledAfter` windows before the current one are re-read every run.
   */
  readonly settledAfter?: PerSettings<C, number>;
  /** `complete`: whole windows only (up to yesterday); `now`: the current window too. */
  readonly until: 'complete' | 'now';
  /** Whether the source still serves past windows, so `--from/--to` can load them. */
  readonly backfill: boolean;
}

/** One planned window: the slice an incremental connector's fetch receives. */
export interface Window {
  /** `YYYY-MM-DD` for day steps, `YYYYMMDD_HH` (JST) for hour steps: the ledger's slice id. */
  readonly id: string;
  /** The calendar day the window starts in (its zone for day steps, JST for hour steps). */
  readonly day: string;
  readonly start: Date;
  readonly end: Date;
}

const HOUR = 3_600_000;
const JST = 9 * HOUR;
const of = <C, T>(v: PerSettings<C, T> | undefined, s: C, fallback: T): T =>
  v === undefined ? fallback : typeof v === 'function' ? (v as (s: C) => T)(s) : v;

/** The calendar arithmetic of one declaration and its settings. */
export class Windows {
  readonly #hours: number | undefined;
  readonly #zone: string;

  constructor(step: Step, zone = 'Asia/Tokyo') {
    this.#hours = 'hours' in step ? step.hours : undefined;
    if (this.#hours !== undefined && 24 % this.#hours !== 0)
      throw new ConfigError(`an hour step must divide the day, got ${this.#hours}`);
    this.#zone = zone;
  }

  /** The index of the window holding `t` (days since the epoch, or blocks). */
  indexAt(t: Date): number {
    if (this.#hours === undefined) return dayNumber(dayInZone(t, this.#zone));
    return Math.floor((t.getTime() + JST) / (this.#hours * HOUR));
  }

  window(i: number): Window {
    if (this.#hours === undefined) {
      const day = addDays('1970-01-01', i);
      const start = zoneDayStart(day, this.#zone);
      return { id: day, day, start, end: zoneDayStart(addDays(day, 1), this.#zone) };
    }
    const start = new Date(i * this.#hours * HOUR - JST);
    const j = new Date(start.getTime() + JST).toISOString();
    const id = `${j.slice(0, 4)}${j.slice(5, 7)}${j.slice(8, 10)}_${j.slice(11, 13)}`;
    return { id, day: jstDay(start), start, end: new Date(start.getTime() + this.#hours * HOUR) };
  }

  /** The window a ledger slice id names, or undefined when it is not one of this step's. */
  fromId(id: string): Window | undefined {
    const i = this.#hours === undefined ? dayId(id) : blockId(id, this.#hours);
    if (i === undefined) return undefined;
    const w = this.window(i);
    return w.id === id ? w : undefined;
  }

  /** The index of the first window a cursor has not passed. */
  indexOfCursor(cursor: string): number {
    if (/^\d{4}-\d{2}-\d{2}$/.test(cursor)) {
      return this.#hours === undefined ? dayNumber(cursor) : this.indexAt(jstDayStartUtc(cursor));
    }
    const t = new Date(cursor);
    if (Number.isNaN(t.getTime()))
      throw new ConfigError(`unreadable cursor ${JSON.stringify(cursor)}`);
    // An instant inside a window (an older cursor: the last observation) re-reads that window.
    return this.indexAt(t);
  }

  /** The cursor after window `i` has landed and settled. */
  cursorAfter(i: number): string {
    return this.#hours === undefined ? this.window(i + 1).id : this.window(i).end.toISOString();
  }

  /** The window indexes of a day range [from, to) in Asia/Tokyo days. */
  rangeIndexes(range: DateRange): [number, number] {
    if (this.#hours === undefined) return [dayNumber(range.from), dayNumber(range.to)];
    return [this.indexAt(jstDayStartUtc(range.from)), this.indexAt(jstDayStartUtc(range.to))];
  }
}

export interface Plan {
  readonly windows: readonly Window[];
  /** Windows at or below this index have settled: landing one moves the cursor past it. */
  readonly settledThrough: number;
  readonly calendar: Windows;
}

/**
 * The windows one run reads.
 *
 * @example
 * plan({ step: { days: 1 }, firstRun: 30, settledAfter: 3, until: 'complete', backfill: true },
 *      settings, { now, cursor: '2026-07-18' });
 */
export function plan<C>(
  decl: Incremental<C>,
  settings: C,
  input: { now: Date; cursor?: string; range?: DateRange },
): Plan {
  const calendar = new Windows(decl.step, of(decl.timeZone, settings, 'Asia/Tokyo'));
  const current = calendar.indexAt(input.now);
  const last = decl.until === 'now' ? current : current - 1;
  const settledThrough = current - 1 - of(decl.settledAfter, settings, 0);
  let from: number;
  let to = last + 1;
  if (input.range) {
    const [a, b] = calendar.rangeIndexes(input.range);
    // A range run's cursor is its own progress: a resumed backfill goes on after it.
    from = input.cursor ? Math.max(a, calendar.indexOfCursor(input.cursor)) : a;
    to = Math.min(b, to);
  } else {
    const next = input.cursor
      ? calendar.indexOfCursor(input.cursor)
      : last + 1 - of(decl.firstRun, settings, 1);
    from = Math.min(next - of(decl.lookback, settings, 0), settledThrough + 1);
  }
  const windows: Window[] = [];
  for (let i = from; i < to; i++) windows.push(calendar.window(i));
  return { windows, settledThrough, calendar };
}

function dayNumber(day: string): number {
  return Math.round((jstDayStartUtc(day).getTime() + JST) / 86_400_000);
}

function dayId(id: string): number | undefined {
  return /^\d{4}-\d{2}-\d{2}$/.test(id) ? dayNumber(id) : undefined;
}

function blockId(id: string, hours: number): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})_(\d{2})$/.exec(id);
  if (!m) return undefined;
  const t = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!) - JST;
  const i = (t + JST) / (hours * HOUR);
  return Number.isInteger(i) ? i : undefined;
}

/** 00:00 of a calendar day in an IANA zone, as an instant (zones with DST included). */
function zoneDayStart(day: string, zone: string): Date {
  if (zone === 'Asia/Tokyo') return jstDayStartUtc(day);
  const utcMidnight = jstDayStartUtc(day).getTime() + JST;
  // The zone's offset near that midnight, applied twice to land on the zone's own midnight.
  let t = utcMidnight - offsetMs(new Date(utcMidnight), zone);
  t = utcMidnight - offsetMs(new Date(t), zone);
  return new Date(t);
}

function offsetMs(at: Date, zone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(at);
  const get = (t: string) => Number(parts.find((p) => p.type === t)!.value);
  const asUtc = Date.UTC(
    get('year'),
    get('month') - 1,
    get('day'),
    get('hour'),
    get('minute'),
    get('second'),
  );
  return asUtc - Math.floor(at.getTime() / 1000) * 1000;
}
