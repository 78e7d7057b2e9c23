/**
 * Dates without a year, as publishers write them (`8/3(日)`, `8月4日（月）`): the year comes from
 * the file itself. In order: the nearest earlier date of the file (a table runs forward, so a
 * month far before the previous row's is the next year), then the title and period lines above
 * the header (`期間：令和元年8月3日～…`, or a fiscal-year title `令和７年度` = April to March).
 * A weekday in parentheses must match the year chosen; with no year anywhere the date is an
 * error for its record, never a guess.
 */
import { civilFromDays, daysFromCivil } from '../time/civil.ts';

export interface Era {
  readonly names: readonly string[];
  /** First day, inclusive, and last day, inclusive, as [y, m, d]. */
  readonly from: readonly [number, number, number];
  readonly to: readonly [number, number, number];
}

/** The eras Japanese tables date by; every era date here is converted through this one table. */
export const ERAS: readonly Era[] = [
  { names: ['令和', 'R'], from: [2019, 5, 1], to: [9999, 12, 31] },
  { names: ['平成', 'H'], from: [1989, 1, 8], to: [2019, 4, 30] },
  { names: ['昭和', 'S'], from: [1926, 12, 25], to: [1989, 1, 7] },
];

export function eraOf(name: string): Era {
  const upper = name.toUpperCase();
  return ERAS.find((e) => e.names.includes(upper) || e.names.includes(name))!;
}

/** Western year of an era year (元 = 1). */
const yearOfEra = (era: string, year: string) =>
  eraOf(era).from[0] + (year === '元' ? 1 : Number(year)) - 1;

const ERA_YEAR = /(令和|平成|昭和|[RHS])\s*(元|\d{1,2})\s*年(度)?/i;
const WESTERN_YEAR = /(\d{4})\s*年(度)?/;
const FULL_DATE =
  /(令和|平成|昭和|[RHS])\s*(元|\d{1,2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日|(\d{4})\s*[年/.-]\s*(\d{1,2})\s*[月/.-]\s*(\d{1,2})/i;

/** Month and day of a year-less date cell, with its weekday if written: `8/3(日)`, `8月4日(月)`. */
export const YEARLESS =
  /^(\d{1,2})(?:月(\d{1,2})日|\/(\d{1,2}))(?:\s*\(([日月火水木金土])(?:曜日?)?\))?$/;

export const WEEKDAYS = '日月火水木金土';

/** What the lines above the header say about the year: a full date, or a fiscal year. */
export interface YearHint {
  /** Days since 1970-01-01 of the first full date found (a period's start). */
  readonly anchor?: number;
  /** A fiscal year (April to March) as the year it starts in. */
  readonly fiscalYear?: number;
  /** A plain year (`2025年` in a title). */
  readonly year?: number;
  /** The line it came from, for error messages. */
  readonly from: string;
}

/** Reads title and period lines (NFKC-normalised text) for the file's year. */
export function yearHint(lines: readonly string[]): YearHint | undefined {
  for (const raw of lines) {
    const l = raw.normalize('NFKC');
    const full = FULL_DATE.exec(l);
    if (full) {
      const y = full[1] ? yearOfEra(full[1], full[2]!) : Number(full[5]);
      const m = Number(full[3] ?? full[6]);
      const d = Number(full[4] ?? full[7]);
      return { anchor: daysFromCivil(y, m, d), from: raw };
    }
  }
  for (const raw of lines) {
    const l = raw.normalize('NFKC');
    const era = ERA_YEAR.exec(l);
    const west = era ? undefined : WESTERN_YEAR.exec(l);
    const y = era ? yearOfEra(era[1]!, era[2]!) : west ? Number(west[1]) : undefined;
    if (y === undefined) continue;
    return (era?.[3] ?? west?.[2]) ? { fiscalYear: y, from: raw } : { year: y, from: raw };
  }
  return undefined;
}

/**
 * Per file: the year hint of its title lines and the last date its rows gave. Not shared
 * between files.
 */
export class DateContext {
  private last: number | undefined;
  private readonly hint: YearHint | undefined;

  constructor(hint?: YearHint) {
    this.hint = hint;
  }

  /** The last date a row gave (kept when a read stops part-way and resumes later). */
  get lastDay(): number | undefined {
    return this.last;
  }

  /** A full date seen in a row: later year-less rows take their year from it. */
  saw(days: number): void {
    this.last = days;
  }

  /** Days of a year-less month/day, or why it cannot be placed. */
  resolve(m: number, d: number, weekday?: string): number | string {
    const candidates = this.years(m);
    if (candidates === undefined)
      return 'the date has no year, and neither an earlier row nor the title gives one';
    for (const y of candidates) {
      const days = validDay(y, m, d);
      if (days === undefined) continue;
      if (weekday && WEEKDAYS[(((days + 4) % 7) + 7) % 7] !== weekday) continue;
      return days;
    }
    return weekday
      ? `the weekday (${weekday}) of ${m}/${d} matches no year the file allows (${candidates.join(', ')})`
      : `no such date: ${m}/${d} in ${candidates[0]}`;
  }

  /** The year a month falls in, most likely first. */
  private years(m: number): number[] | undefined {
    if (this.last !== undefined) {
      const p = civilFromDays(this.last);
      // A table runs forward: a month well before the previous row's is in the next year.
      return [m < p.m - 5 ? p.y + 1 : p.y];
    }
    const h = this.hint;
    if (!h) return undefined;
    if (h.anchor !== undefined) {
      const p = civilFromDays(h.anchor);
      return [m < p.m - 5 ? p.y + 1 : p.y];
    }
    if (h.fiscalYear !== undefined) return [m >= 4 ? h.fiscalYear : h.fiscalYear + 1];
    return [h.year!];
  }
}

/** Days of a calendar date, or undefined when there is no such day. */
export function validDay(y: number, m: number, d: number): number | undefined {
  if (m < 1 || m > 12 || d < 1 || d > 31) return undefined;
  const days = daysFromCivil(y, m, d);
  const back = civilFromDays(days);
  return back.m === m && back.d === d ? days : undefined;
}
