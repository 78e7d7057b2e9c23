/**
 * The fake's warning and volcano answers: in the shape the connectors parse (nothing rejected),
 * with report times that move with the fake's clock as JMA's do, and statuses that change
 * from one report to the next.
 */
import { describe, expect, it } from 'vitest';
import { parseVolcanoWarnings } from '#connectors/jma_volcano/parse.ts';
import { parseWarnings } from '#connectors/jma_warning/parse.ts';
import { r8Warnings, volcanoWarnings, warningReport, warnings } from './jma.ts';

const URL = 'http://fake/bosai/warning/data/warning/220000.json';
const R8_URL = 'http://fake/bosai/warning/data/r8/220000.json';
// As it arrives over HTTP: the fake shares objects between areas, JSON does not.
const wire = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

describe('fake JMA warnings', () => {
  it('issues a report every 3 hours at :10 JST, at or before the clock', () => {
    expect(warningReport(new Date('2026-07-15T02:30:00Z'))).toEqual(
      new Date('2026-07-15T00:10:00Z'),
    );
    expect(warningReport(new Date('2026-07-15T03:10:00Z'))).toEqual(
      new Date('2026-07-15T03:10:00Z'),
    );
  });

  it('r8: one report per phenomenon, 大雨 and 土砂災害 at one time, the others older and daily', () => {
    const now = new Date('2026-07-15T03:30:00Z'); // 12:30 JST
    const list = wire(r8Warnings(now, '220000')!);
    expect(list.map((r) => [r.dataTypeCode, r.reportDatetime])).toEqual([
      ['VPWW55', '2026-07-15T12:10:00+09:00'],
      ['VPWW56', '2026-07-15T12:10:00+09:00'],
      ['VPWW59', '2026-07-15T06:10:00+09:00'],
      ['VPWW61', '2026-07-15T05:10:00+09:00'],
    ]);
    expect(list[0]!.controlDatetime).toBe('2026-07-15T03:10:31Z');
    // Before 05:10 JST the daily reports are yesterday's.
    const early = r8Warnings(new Date('2026-07-14T19:00:00Z'), '220000')!; // 04:00 JST
    expect(early.map((r) => r.reportDatetime).slice(2)).toEqual([
      '2026-07-14T06:10:00+09:00',
      '2026-07-14T05:10:00+09:00',
    ]);
  });

  it('r8: parses without rejections, through 発表 → 継続 → 解除 → calm, fog with properties', () => {
    const statuses = new Set<string>();
    for (const h of [0, 3, 6, 9]) {
      const now = new Date(Date.UTC(2026, 6, 15, h, 30));
      const { rows, rejected } = parseWarnings(wire(r8Warnings(now, '220000')), R8_URL, '220000');
      expect(rejected).toEqual([]);
      expect(rows).toHaveLength(40);
      rows.forEach((r) => statuses.add(`${r.warning_code} ${r.status as string}`));
      expect(rows.filter((r) => r.data_type_code === 'VPWW61' && r.status === '継続')).toHaveLength(
        3,
      );
    }
    expect(statuses).toEqual(
      new Set([
        '00 発表警報・注意報はなし',
        ...['10', '29'].flatMap((c) => ['発表', '継続', '解除'].map((s) => `${c} ${s}`)),
        '16 継続',
        '20 継続',
      ]),
    );
  });

  it('legacy: parses without rejections, with calm areas, 発表 → 継続 → 解除 and two kinds at once', () => {
    const statuses = new Set<string>();
    for (const h of [0, 3, 6, 9]) {
      const now = new Date(Date.UTC(2026, 6, 15, h, 30));
      const { rows, rejected } = parseWarnings(warnings(now, '220000'), URL, '220000');
      expect(rejected).toEqual([]);
      expect(rows.every((r) => r.report_datetime instanceof Date)).toBe(true);
      expect(rows.some((r) => r.warning_code === '00')).toBe(true);
      rows.forEach((r) => statuses.add(r.status as string));
      expect(new Set(rows.map((r) => r.area_class))).toEqual(new Set(['class10', 'class20']));
    }
    expect(statuses).toEqual(new Set(['発表', '継続', '解除', '発表警報・注意報はなし']));
  });

  it('answers only the Shizuoka office', () => {
    expect(warnings(new Date(), '130000')).toBeUndefined();
    expect(r8Warnings(new Date(), '130000')).toBeUndefined();
  });
});

describe('fake JMA volcano list', () => {
  it('has Mt. Fuji (314) at level 1 and 桜島 at level 3, reported before the clock', () => {
    const now = new Date('2026-07-15T02:30:00Z'); // 11:30 JST: today's 桜島, yesterday's 富士山
    const { rows, rejected } = parseVolcanoWarnings(volcanoWarnings(now), 'http://fake/w.json');
    expect(rejected).toEqual([]);
    expect(
      rows.map((r) => [r.volcano_code, r.alert_level, (r.report_datetime as Date).toISOString()]),
    ).toEqual([
      ['506', 3, '2026-07-15T02:00:00.000Z'],
      ['314', 1, '2026-07-14T05:00:00.000Z'],
    ]);
  });
});
