/**
 * Golden tests over real Open-Meteo answers (fixtures/real, see PROVENANCE.md). The captures
 * answer other queries than ours, so most of our variables are missing from them: each missing
 * or unusable variable must cost only its own column, named with its reason, and every
 * variable the capture does hold in our unit must land.
 */
import { describe, expect, it } from 'vitest';
import { SourceShapeError } from '#shared/http/errors.ts';
import { expectGolden, here, realFixtures } from '../../tests/helpers/golden.ts';
import { parseForecast } from './parse.ts';
import { VARIABLES } from './variables.ts';

const dir = here(import.meta.url);
const POINT = { id: 'fixture', name: 'fixture', latitude: 0, longitude: 0, elevation: 0 };
const ISSUED = new Date('2026-07-15T02:00:00Z');

describe('real Open-Meteo captures', () => {
  const fixtures = realFixtures(dir);

  it('has at least five answers', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(5);
  });

  for (const f of fixtures) {
    it(`parses ${f.name} into the rows and failures kept for it`, () => {
      const url = `https://api.open-meteo.com/v1/forecast?fixture=${f.name}`;
      let out: unknown;
      try {
        out = parseForecast(f.json, url, POINT, ISSUED);
      } catch (err) {
        // No usable hourly block at all: a clear error with URL and path, nothing else.
        expect(err).toBeInstanceOf(SourceShapeError);
        out = { error: (err as Error).message };
      }
      expectGolden(dir, f.name, out);
    });
  }

  it('lands a variable the capture holds in our unit and NULLs one whose unit is "undefined"', () => {
    const f = fixtures.find((x) => x.name.includes('undefined_unit_trailing_nulls'))!;
    const { rows, failures } = parseForecast(f.json, 'u', POINT, ISSUED);
    const held = VARIABLES.filter(
      (v) => (f.json as { hourly_units: Record<string, string> }).hourly_units[v.name] === v.unit,
    );
    expect(held.length).toBeGreaterThan(0);
    for (const v of held) expect(rows.some((r) => r[v.column] !== null)).toBe(true);
    expect(failures.map((x) => x.member)).not.toContain(`variable:${held[0]!.name}`);
    expect(rows[0]!.null_notes).toEqual(expect.any(String));
  });
});
