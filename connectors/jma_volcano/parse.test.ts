/**
 * The eruption warning parser on payloads in JMA's shape, for what the real captures
 * (golden.test.ts, fixtures/real/PROVENANCE.md) do not show: Mt. Fuji's own rows, a report
 * without a 対象火山 info, a payload that is not a list. A list of reports with `volcanoInfos`,
 * the volcano in 対象火山, as in the captures.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { here } from '../../tests/helpers/golden.ts';
import { levelOf, parseVolcanoWarnings } from './parse.ts';

const URL = 'https://www.jma.go.jp/bosai/volcano/data/warning.json';

function fuji(condition = '継続', code = '11') {
  return {
    reportDatetime: '2026-07-15T11:00:00+09:00',
    eventId: '314',
    areas: ['2220700', '1942900'],
    volcanoInfos: [
      {
        type: '噴火警報・予報（対象火山）',
        items: [
          {
            name: 'レベル１（活火山であることに留意）',
            code,
            lastCode: '11',
            condition,
            areas: [{ name: '富士山', code: '314' }],
          },
        ],
      },
      {
        type: '噴火警報・予報（対象市町村等）',
        items: [
          {
            name: '噴火予報',
            code: '05',
            condition,
            areas: [{ name: '静岡県富士宮市', code: '2220700' }],
          },
        ],
      },
    ],
  };
}

describe('parseVolcanoWarnings', () => {
  it('gives one row per report and volcano with the level from codes 11–15', () => {
    const raised = { ...fuji('引上げ', '13'), reportDatetime: '2026-07-16T09:30:00+09:00' };
    const { rows, rejected } = parseVolcanoWarnings([fuji(), raised], URL);
    expect(rejected).toEqual([]);
    expect(rows).toEqual([
      {
        report_datetime: new Date('2026-07-15T02:00:00Z'),
        event_id: '314',
        municipality_codes: '2220700,1942900',
        volcano_code: '314',
        volcano_name: '富士山',
        warning_code: '11',
        warning_name: 'レベル１（活火山であることに留意）',
        alert_level: 1,
        last_warning_code: '11',
        condition: '継続',
      },
      expect.objectContaining({ alert_level: 3, condition: '引上げ', warning_code: '13' }),
    ]);
  });

  it('keeps a kind without a level (火口周辺警報 of a volcano without levels) with a NULL level', () => {
    const r = fuji('発表', '23');
    const { rows } = parseVolcanoWarnings([r], URL);
    expect(rows[0]).toMatchObject({ warning_code: '23', alert_level: null });
  });

  it('reads an empty list as no rows', () => {
    expect(parseVolcanoWarnings([], URL)).toEqual({ rows: [], rejected: [] });
  });

  it('rejects one report without a 対象火山 info, with its path, and keeps the others', () => {
    const noTarget = { ...fuji(), volcanoInfos: [fuji().volcanoInfos[1]] };
    const { rows, rejected } = parseVolcanoWarnings([noTarget, fuji()], URL);
    expect(rows).toHaveLength(1);
    expect(rejected).toHaveLength(1);
    expect(rejected[0]!.reason).toContain(
      '$[0].volcanoInfos: no info of type 噴火警報・予報（対象火山）',
    );
    expect(rejected[0]).toMatchObject({ table: 'weather.jma_volcano_alerts', source: URL });
  });

  it('fails naming the URL when the payload is not a list', () => {
    expect(() => parseVolcanoWarnings({ volcanoInfos: [] }, URL)).toThrow(
      `${URL} at $: expected the list of eruption warning reports`,
    );
  });
});

describe('against JMA’s own code tables (fixtures/real, see PROVENANCE.md)', () => {
  const table = (name: string) =>
    readFileSync(join(here(import.meta.url), 'fixtures', 'real', name), 'utf8')
      .split('\r\n')
      .map((line) => line.split(','))
      .filter(([code]) => /^\d+ ?$/.test(code ?? ''))
      .map(([code, name]) => [code!.trim(), name!] as const);

  it('names volcano 314 富士山', () => {
    expect(new Map(table('PointVolcano.csv')).get('314')).toBe('富士山');
  });

  it('reads a level from exactly the kinds JMA names レベル１…レベル５', () => {
    const kinds = table('VolcanicWarning.csv');
    expect(kinds.length).toBeGreaterThan(40);
    for (const [code, name] of kinds) {
      const level = /^レベル([１-５])/.exec(name);
      expect(levelOf(code)).toBe(level ? '１２３４５'.indexOf(level[1]!) + 1 : null);
    }
  });
});
