/**
 * The fake's warning and volcano answers: in the shape the connectors parse (nothing rejected),
 * with report times that move with the fake's clock as JMA's do, and statuses that change
 * from one report to the next.
 */
import { describe, expect, it } from 'vitest';
import { parseVolcanoWarnings } from '#connectors/jma_volcano/parse.ts';
import { parseWarnings } from '#connectors/jma_warning/parse.ts';
import { volcanoWarnings, warningReport, warnings } from './jma.ts';

const URL = 'http://fake/bosai/warning/data/warning/220000.json';

describe('fake JMA warnings', () => {
  it('issues a report every 3 hours at :10 JST, at or before the clock', () => {
    expect(warningReport(new Date('2026-07-15T02:30:00Z'))).toEqual(
      new Date('2026-07-15T00:10:00Z'),
    );
    expect(warningReport(new Date('2026-07-15T03:10:00Z'))).toEqual(
      new Date('2026-07-15T03:10:00Z'),
    );
  });

  it('parses without rejections, with calm areas, 発表 → 継続 → 解除 and two kinds at once', () => {
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
