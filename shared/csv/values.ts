/**
 * Cell parsers for Japanese public and operational files. Each turns the text of one cell into
 * a value, a NULL with the reason the source gave (a placeholder such as "x"), or an error naming
 * what was wrong. Dates are calendar dates (no clock, no machine zone): an era date is converted
 * by era tables, not by `Date`.
 */
import { daysFromCivil, formatDate } from '../time/civil.ts';
import { eraOf, validDay, WEEKDAYS, YEARLESS, type DateContext } from './dates.ts';

export type Cell<T> =
  | { readonly ok: true; readonly value: T | null; readonly note?: string }
  | { readonly ok: false; readonly error: string };

/** What a cell parser may know of the file around the cell (one per file, never shared). */
export interface CellContext {
  /** The year of year-less dates: earlier rows and the title lines. */
  readonly dates?: DateContext;
}

export interface CellParser<T = unknown> {
  /** What the parser accepts, for `csv check` and the docs. */
  readonly describe: string;
  parse(raw: string, ctx?: CellContext): Cell<T>;
  /**
   * The same answer as `parse(raw, ctx)`, given `cell = normalizeCell(raw)`: a reader that has
   * normalised the record's cells already saves the second NFKC. Optional; without it the
   * reader calls `parse`.
   */
  parseNormalized?(cell: string, raw: string, ctx?: CellContext): Cell<T>;
}

// One of two fixed shapes (no spread): the reader builds millions of these.
const ok = <T>(value: T | null, note?: string): Cell<T> =>
  note ? { ok: true, value, note } : { ok: true, value };
const fail = (error: string): Cell<never> => ({ ok: false, error });

/**
 * True when NFKC leaves the text as it is, by a check of each UTF-16 unit against blocks whose
 * characters are all normalised, combine with nothing and have canonical class 0 (Unicode's
 * quick check answers YES for any string of them): printable ASCII, ¥, some CJK punctuation,
 * kana, CJK unified ideographs. Anything else (full width, half-width kana, U+3000, combining
 * marks) takes the real NFKC.
 */
export function isNfkcStable(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) {
      if (c < 0x20 || c === 0x7f) return false;
    } else if (c >= 0x4e00) {
      if (c > 0x9fff) return false;
    } else if (c >= 0x3041) {
      // Hiragana up to ゖ, katakana ァ to ヺ, ・ and ー (not ゙゚ ゛゜ ゟ ヿ, which change or combine).
      if (c > 0x3096 && (c < 0x30a1 || c > 0x30fc)) return false;
    } else if (c !== 0xa5 && c !== 0x3001 && c !== 0x3002 && c !== 0x3005) {
      if (c < 0x300c || c > 0x3011) return false;
    }
  }
  return true;
}

/** NFKC (full-width digits, signs, spaces → ASCII) and trimming, incl. U+3000 padding. */
export function normalizeCell(raw: string): string {
  // Most cells are already normalised (ASCII, kana, kanji): skipping NFKC there saves most of it.
  return (isNfkcStable(raw) ? raw : raw.normalize('NFKC')).trim();
}

/**
 * A bounded memo of a parser's answers for normalised cells: files repeat a column's few values
 * (a date, a route, a country) on thousands of rows. Cleared when full, so it never grows with
 * the file; only answers that depend on the cell alone are kept.
 */
class Memo<V> {
  private readonly map = new Map<string, V>();
  private readonly max: number;
  // The last answer again costs a string comparison, not a hash: runs of one value are common.
  private lastKey: string | undefined;
  private lastValue: V | undefined;
  constructor(max = 512) {
    this.max = max;
  }
  get(k: string): V | undefined {
    if (k === this.lastKey) return this.lastValue;
    const v = this.map.get(k);
    if (v !== undefined) {
      this.lastKey = k;
      this.lastValue = v;
    }
    return v;
  }
  set(k: string, v: V): void {
    if (this.map.size >= this.max) this.map.clear();
    this.map.set(k, v);
    this.lastKey = k;
    this.lastValue = v;
  }
}

/**
 * Placeholders are not zero: statistical tables write these where a value is absent on purpose.
 * Keys are NFKC-normalised (full-width ＊ and － arrive as * and -); none starts with a digit
 * (number() does not look a cell that does up here).
 */
const PLACEHOLDERS: ReadonlyMap<string, string> = new Map([
  ['-', 'none'],
  ['―', 'none'],
  ['‐', 'none'],
  ['—', 'none'],
  ['ー', 'none'],
  ['×', 'not applicable'],
  ['欠測', 'not measured'],
  ['欠', 'not measured'],
  ['調査なし', 'not surveyed'],
  ['未調査', 'not surveyed'],
  ['休止', 'suspended'],
  ['閉鎖', 'closed'],
  ['...', 'confidential'],
  ['x', 'confidential'],
  ['X', 'confidential'],
  ['*', 'small sample'],
]);

function placeholder(t: string): string | undefined {
  const meaning = PLACEHOLDERS.get(t);
  return meaning && `${t} (${meaning})`;
}

/** Text as written, trimmed of padding; "" is NULL. Hostile strings stay exactly as they are. */
export function text(): CellParser<string> {
  return {
    describe: 'text',
    parse: (raw) => {
      const t = raw.replace(/^[\s\u3000]+|[\s\u3000]+$/g, '');
      return ok(t === '' ? null : t);
    },
  };
}

export interface NumberOptions {
  /** Suffixes (or ¥ prefix) stripped before parsing, e.g. 人, 円, 台. */
  readonly units?: readonly string[];
  readonly integer?: boolean;
}

const NUMBER = /^[+-]?(\d+|\d{1,3}(,\d{3})+)(\.\d+)?$/;

/**
 * Numbers as Japanese tables write them: "1,002人", "１２", "△15" (minus), "¥4,000".
 *
 * @example
 * number({ units: ['人'], integer: true }).parse('△1,002人') // → { ok: true, value: -1002 }
 */
export function number(opts: NumberOptions = {}): CellParser<number> {
  const units = opts.units ?? [];
  const normalUnits = units.map((u) => u.normalize('NFKC'));
  const yen = units.includes('円');
  // A plain number is its value at once unless a unit could be the end of one (none does).
  const early = normalUnits.every((u) => u !== '' && !/[\d,]$/.test(u));
  const parseNormalized = (cell: string, raw: string): Cell<number> => {
    let t = cell;
    if (t === '') return ok(null);
    if (early) {
      // Most cells: no placeholder, sign, yen or unit to look for.
      const plain = plainNumber(t);
      if (plain !== undefined) return plain < SMALL.length ? SMALL[plain]! : ok(plain);
    }
    const c0 = t.charCodeAt(0);
    // A cell that starts with a digit (a count and its unit, "1,002人") is no placeholder (none
    // starts with one) and has no sign or yen mark: straight to its unit.
    if (c0 < 0x30 || c0 > 0x39) {
      const ph = placeholder(t);
      if (ph) return ok(null, ph);
      // NFKC leaves these three alone; Japanese statistics use them for negative numbers.
      if (c0 === 0x25b3 || c0 === 0x25b2 || c0 === 0x2212) t = `-${t.slice(1)}`;
      // Byte 0x5C is ¥ in Shift_JIS fonts but decodes as a backslash: both mean yen here.
      else if ((c0 === 0xa5 || c0 === 0x5c) && yen) t = t.slice(1);
    }
    for (const nu of normalUnits) {
      if (t.endsWith(nu)) {
        const end = t.length - nu.length;
        // "1,002人": a digit right before the unit (nothing to trim), read in place, no copy.
        // (An empty unit is left to the slice below, which keeps nothing of the cell.)
        const last = t.charCodeAt(end - 1);
        if (nu !== '' && last >= 0x30 && last <= 0x39) {
          const plain = plainNumber(t, end);
          if (plain !== undefined) return plain < SMALL.length ? SMALL[plain]! : ok(plain);
        }
        t = t.slice(0, -nu.length).trimEnd();
        break;
      }
    }
    const plain = plainNumber(t);
    if (plain !== undefined) return plain < SMALL.length ? SMALL[plain]! : ok(plain);
    if (!NUMBER.test(t)) return fail(`not a number: ${JSON.stringify(raw)}`);
    const n = Number(t.replaceAll(',', ''));
    if (opts.integer && !Number.isSafeInteger(n))
      return fail(`not an integer: ${JSON.stringify(raw)}`);
    return ok(n);
  };
  return {
    describe: `${opts.integer ? 'integer' : 'number'}${units.length ? ` (units ${units.join(' ')})` : ''}`,
    parse: (raw) => parseNormalized(normalizeCell(raw), raw),
    parseNormalized,
  };
}

/** The answers for the small whole numbers most count cells hold, made once, not per cell. */
const SMALL: readonly Cell<number>[] = Array.from({ length: 1024 }, (_, n) => ok(n));

/**
 * The value of an unsigned whole number of at most 15 digits (always a safe integer), plain or
 * with thousands separators (`1,002`: groups of three after the first), else undefined: a part
 * of what NUMBER accepts, with the same value, read without a regex or a copy. Reads `t` up to
 * `end` (default its length), as if it were `t.slice(0, end)`.
 */
export function plainNumber(t: string, end = t.length): number | undefined {
  const len = end;
  if (len === 0 || len > 20) return undefined;
  let n = 0;
  let digits = 0;
  // Digits since the last comma; -1 before the first comma.
  let group = -1;
  for (let i = 0; i < len; i++) {
    const c = t.charCodeAt(i);
    if (c === 0x2c) {
      if (group === -1 ? digits < 1 || digits > 3 : group !== 3) return undefined;
      group = 0;
      continue;
    }
    const d = c - 48;
    if (d < 0 || d > 9) return undefined;
    n = n * 10 + d;
    digits++;
    if (group !== -1) group++;
  }
  if (digits === 0 || digits > 15 || (group !== -1 && group !== 3)) return undefined;
  return n;
}

const ERA_DATE =
  /^(令和|平成|昭和|[RHS])\s*(元|\d{1,2})(?:年(\d{1,2})月(\d{1,2})日|[./-](\d{1,2})[./-](\d{1,2}))$/i;
const WESTERN_DATE = /^(\d{4})(?:年(\d{1,2})月(\d{1,2})日|[./-](\d{1,2})[./-](\d{1,2}))$/;
const WEEKDAY_SUFFIX = /\s*\(([日月火水木金土])(?:曜日?)?\)$/;

/** Days since 1970-01-01 of an era or Western date, or an error message. */
export function parseDateText(raw: string): number | string {
  return dateDays(normalizeCell(raw), raw);
}

/** parseDateText of a normalised cell `t` (raw is for the messages). */
function dateDays(cell: string, raw: string): number | string {
  let t = cell;
  const weekday = WEEKDAY_SUFFIX.exec(t);
  if (weekday) t = t.slice(0, weekday.index);
  let days: number | undefined;
  const era = ERA_DATE.exec(t);
  if (era) {
    const e = eraOf(era[1]!);
    const year = era[2] === '元' ? 1 : Number(era[2]);
    const y = e.from[0] + year - 1;
    const m = Number(era[3] ?? era[5]);
    const d = Number(era[4] ?? era[6]);
    days = validDay(y, m, d);
    if (days === undefined) return `no such date: ${JSON.stringify(raw)}`;
    if (days < daysFromCivil(...e.from) || days > daysFromCivil(...e.to)) {
      return `${JSON.stringify(raw)} is outside the ${e.names[0]} era (${formatDate(daysFromCivil(...e.from))} to ${e.to[0] === 9999 ? 'now' : formatDate(daysFromCivil(...e.to))})`;
    }
  } else {
    const w = WESTERN_DATE.exec(t);
    if (!w) return `not a date: ${JSON.stringify(raw)}`;
    days = validDay(Number(w[1]), Number(w[2] ?? w[4]), Number(w[3] ?? w[5]));
    if (days === undefined) return `no such date: ${JSON.stringify(raw)}`;
  }
  if (weekday) {
    // 1970-01-01 was a Thursday (index 4).
    const actual = WEEKDAYS[(((days + 4) % 7) + 7) % 7]!;
    if (actual !== weekday[1]) {
      return `weekday (${weekday[1]}) does not match ${formatDate(days)} (${actual})`;
    }
  }
  return days;
}

/**
 * Calendar dates: 2025-07-10, 2025/7/10, 2025年7月10日, 令和7年7月10日, 令和元年…, R7.7.10,
 * R07/07/10, full-width digits, an optional weekday "(木)" that must match. Returns 'YYYY-MM-DD'.
 * Year-less dates (`8/3(日)`, `8月4日（月）`) take their year from the file (see dates.ts).
 */
export function date(): CellParser<string> {
  // Full dates only: a year-less date's answer depends on the rows before it.
  const full = new Memo<{ readonly days: number; readonly cell: Cell<string> }>();
  const parseNormalized = (t: string, raw: string, ctx?: CellContext): Cell<string> => {
    const hit = full.get(t);
    if (hit) {
      ctx?.dates?.saw(hit.days);
      return hit.cell;
    }
    if (t === '') return ok(null);
    const ph = placeholder(t);
    if (ph) return ok(null, ph);
    const yearless = YEARLESS.exec(t);
    let days: number | string;
    if (yearless) {
      const [, m, d1, d2, weekday] = yearless;
      days = ctx?.dates
        ? ctx.dates.resolve(Number(m), Number(d1 ?? d2), weekday)
        : 'the date has no year';
      if (typeof days === 'string') return fail(`${JSON.stringify(raw)}: ${days}`);
      ctx?.dates?.saw(days);
      return ok(formatDate(days));
    }
    days = dateDays(t, raw);
    if (typeof days === 'string') return fail(days);
    ctx?.dates?.saw(days);
    const cell = ok(formatDate(days));
    full.set(t, { days, cell });
    return cell;
  };
  return {
    describe: 'date (western or 令和/平成/昭和, R7.7.10; 8/3(日) with the year from the file)',
    parse: (raw, ctx) => parseNormalized(normalizeCell(raw), raw, ctx),
    parseNormalized,
  };
}

const FISCAL_YEAR = /^(?:(令和|平成|昭和|[RHS])\s*(元|\d{1,2})|(\d{4}))\s*年度$/i;

/**
 * A fiscal year (年度, April to March) as the calendar year it starts in: 令和6年度 → 2024.
 */
export function fiscalYear(): CellParser<number> {
  return {
    describe: 'fiscal year (令和6年度, 2024年度) → starting year',
    parse: (raw) => {
      const t = normalizeCell(raw);
      if (t === '') return ok(null);
      const m = FISCAL_YEAR.exec(t);
      if (!m) return fail(`not a fiscal year (年度): ${JSON.stringify(raw)}`);
      if (m[3]) return ok(Number(m[3]));
      const e = eraOf(m[1]!);
      const y = e.from[0] + (m[2] === '元' ? 1 : Number(m[2])) - 1;
      // A fiscal year belongs to the era it starts in; 平成31年度 started in April 2019.
      if (y > e.to[0] || y < e.from[0]) {
        return fail(`${JSON.stringify(raw)} is outside the ${e.names[0]} era`);
      }
      return ok(y);
    },
  };
}

/**
 * A closed set of codes, each with the spellings sources use (matched after NFKC, trimming and
 * lower-casing).
 *
 * @example
 * oneOf({ fujinomiya: ['富士宮', '富士宮口'] }).parse('富士宮口') // → 'fujinomiya'
 */
export function oneOf(spellings: Readonly<Record<string, readonly string[]>>): CellParser<string> {
  const index = new Map<string, string>();
  for (const [code, names] of Object.entries(spellings)) {
    for (const n of [code, ...names]) index.set(normalizeCell(n).toLowerCase(), code);
  }
  // Keyed by the normalised cell before lower-casing; only known values (errors quote the raw).
  const known = new Memo<Cell<string>>();
  const parseNormalized = (cell: string, raw: string): Cell<string> => {
    const hit = known.get(cell);
    if (hit) return hit;
    const t = cell.toLowerCase();
    if (t === '') return ok(null);
    const code = index.get(t);
    if (!code) {
      return fail(
        `unknown value ${JSON.stringify(raw)} (expected ${Object.keys(spellings).join(', ')})`,
      );
    }
    const answer = ok(code);
    known.set(cell, answer);
    return answer;
  };
  return {
    describe: `one of ${Object.keys(spellings).join(', ')}`,
    parse: (raw) => parseNormalized(normalizeCell(raw), raw),
    parseNormalized,
  };
}

/** ISO 3166-1 alpha-2 country codes; exports leave it blank for visitors who did not say (ZZ). */
export function isoCountry(): CellParser<string> {
  const known = new Memo<Cell<string>>(1024);
  const parseNormalized = (cell: string, raw: string): Cell<string> => {
    const hit = known.get(cell);
    if (hit) return hit;
    const t = cell.toUpperCase();
    if (t === '') return ok('ZZ', 'country not given');
    if (!ISO_COUNTRY.test(t)) return fail(`not an ISO country code: ${JSON.stringify(raw)}`);
    const answer = ok(t);
    known.set(cell, answer);
    return answer;
  };
  return {
    describe: 'ISO 3166-1 alpha-2 country code, blank → ZZ',
    parse: (raw) => parseNormalized(normalizeCell(raw), raw),
    parseNormalized,
  };
}

const ISO_COUNTRY = /^[A-Z]{2}$/;
