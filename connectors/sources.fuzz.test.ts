/**
 * Bad payloads, fuzzed: real captured answers of every HTTP source (fixtures/real), mutated by a
 * seeded generator (missing keys, wrong types, nulls where values were, truncations, huge
 * arrays, unexpected extra keys), go through the parsers the connectors use. Every outcome is
 * rows or a shape error naming the URL and the JSON path: no crash. A mutation confined to one
 * member (an AMeDAS record, an Open-Meteo variable, a catalogue resource, a GA4 row) costs only
 * that member: the others parse exactly as before.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { paths, type Path } from '../tests/helpers/json-paths.ts';
import { SourceShapeError } from '#shared/http/errors.ts';
import { parseJson } from '#shared/http/client.ts';
import { Json } from '#shared/http/shape.ts';
import { realFixtures } from '../tests/helpers/golden.ts';
import { parsePoint } from './jma_amedas/parse.ts';
import { parseForecast as parseJma, parseOverview } from './jma_forecast/parse.ts';
import { parseForecast as parseOpenMeteo } from './open_meteo/parse.ts';
import { parsePackage } from './shizuoka_opendata/parse.ts';
import { parsePage } from './ga4/parse.ts';
import type { ReportDef } from './ga4/reports.ts';
import { VARIABLES } from './open_meteo/variables.ts';

const dirOf = (name: string) => new URL(`./${name}/`, import.meta.url).pathname;
const URL_ = 'https://source.test/payload.json';
const POINT = { id: 'p', name: 'p', latitude: 0, longitude: 0, elevation: 0 };

type Mutation =
  | {
      kind: 'delete' | 'null' | 'string' | 'number' | 'object' | 'array' | 'extra' | 'huge';
      path: Path;
    }
  | { kind: 'truncate'; at: number };

type Node = Record<string | number, unknown>;

function apply(json: unknown, m: Mutation & { path: Path }): unknown {
  const copy = structuredClone(json) as Node;
  const parent = m.path.slice(0, -1).reduce<Node>((o, k) => o[k] as Node, copy);
  const key = m.path.at(-1)!;
  const old = parent[key];
  switch (m.kind) {
    case 'delete':
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete parent[key];
      break;
    case 'null':
      parent[key] = null;
      break;
    case 'string':
      parent[key] = typeof old === 'string' ? `${old}\u0000x` : String(old);
      break;
    case 'number':
      parent[key] = typeof old === 'number' ? -old * 1e308 : 42.5;
      break;
    case 'object':
      parent[key] = { unexpected: old };
      break;
    case 'array':
      parent[key] = [old, old];
      break;
    case 'extra':
      if (old && typeof old === 'object' && !Array.isArray(old))
        (old as Record<string, unknown>).unexpectedExtraKey = [1, 'two', null];
      else parent[key] = old;
      break;
    case 'huge':
      parent[key] = Array.isArray(old)
        ? Array.from({ length: 20_000 }, (_, i) => old[i % Math.max(1, old.length)] ?? null)
        : old;
      break;
  }
  return copy;
}

const mutation = (all: Path[], textLength: number): fc.Arbitrary<Mutation> =>
  fc.oneof(
    fc.record({
      kind: fc.constantFrom(
        'delete',
        'null',
        'string',
        'number',
        'object',
        'array',
        'extra',
        'huge' as const,
      ),
      path: fc.constantFrom(...all),
    }),
    fc.record({
      kind: fc.constant('truncate' as const),
      at: fc.nat({ max: Math.max(0, textLength - 1) }),
    }),
  ) as fc.Arbitrary<Mutation>;

/** Runs the parser on a mutated payload: rows, or a shape error that names URL and path. */
function outcome(
  parse: (payload: unknown) => unknown,
  f: { text: string; json: unknown },
  m: Mutation,
) {
  try {
    const payload =
      m.kind === 'truncate' ? parseJson(f.text.slice(0, m.at), URL_) : apply(f.json, m);
    return { ok: true as const, value: parse(payload) };
  } catch (err) {
    if (!(err instanceof SourceShapeError)) throw err; // a crash: fails the property
    expect(err.message).toMatch(/^https:\/\/source\.test\/payload\.json at \$/);
    return { ok: false as const };
  }
}

/** Every reason a parser records for a rejected record or failed member names URL and path. */
function expectReasonsNamed(value: unknown) {
  const v = value as { rejected?: { reason: string }[]; failures?: { reason: string }[] };
  for (const r of [...(v.rejected ?? []), ...(v.failures ?? [])])
    expect(r.reason).toMatch(/SOURCE_SHAPE: https:\/\/source\.test\/payload\.json at \$/);
}

interface Source {
  readonly name: string;
  readonly fixtures: { name: string; text: string; json: unknown }[];
  parse(f: { name: string; json: unknown }): (payload: unknown) => unknown;
}

const ga4Report = (json: unknown): ReportDef => {
  const a = json as { dimensionHeaders?: { name: string }[]; metricHeaders?: { name: string }[] };
  return {
    name: 'fuzz',
    doc: { ja: '', en: '' },
    dimensions: (a.dimensionHeaders ?? []).map((h) => h.name).filter((d) => d !== 'date'),
    metrics: (a.metricHeaders ?? []).map((h) => h.name),
  };
};
const ga4Answer = (json: unknown) => (json as { reports?: unknown[] }).reports?.[0] ?? json;

const SOURCES: Source[] = [
  {
    name: 'jma_forecast',
    fixtures: realFixtures(dirOf('jma_forecast')),
    parse: (f) => (p) =>
      f.name.startsWith('forecast_') ? parseJma(p, URL_) : parseOverview(p, URL_, '220000'),
  },
  {
    name: 'jma_amedas',
    fixtures: realFixtures(dirOf('jma_amedas')).filter((f) => f.name.startsWith('point_')),
    parse: () => (p) => parsePoint(p, URL_, '44132'),
  },
  {
    name: 'open_meteo',
    fixtures: realFixtures(dirOf('open_meteo')),
    parse: () => (p) => parseOpenMeteo(p, URL_, POINT, new Date(0)),
  },
  {
    name: 'ga4',
    // Without the date dimension, so rows of every day in a capture are read.
    fixtures: realFixtures(dirOf('ga4'))
      .filter((f) => f.name.startsWith('runreport_'))
      .map((f) => ({ ...f, json: ga4Answer(f.json), text: JSON.stringify(ga4Answer(f.json)) }))
      .filter(
        (f) =>
          !(f.json as { dimensionHeaders?: { name: string }[] }).dimensionHeaders?.some(
            (h) => h.name === 'date',
          ),
      ),
    parse: (f) => (p) => parsePage(p, URL_, ga4Report(f.json), '1', '2024-01-01', 't.ga4_fuzz'),
  },
  {
    name: 'shizuoka_opendata',
    fixtures: realFixtures(dirOf('shizuoka_opendata')).filter((f) =>
      f.name.startsWith('package_show_'),
    ),
    parse: () => (p) => {
      const failures: { member: string; reason: string }[] = [];
      return { pkg: parsePackage(new Json(p, URL_).get('result'), failures), failures };
    },
  },
];

const RUNS_PER_SOURCE = 250;
const counts: Record<string, { runs: number; parsed: number; refused: number }> = {};

describe('fuzzed real payloads', () => {
  for (const s of SOURCES) {
    it(`${s.name}: ${RUNS_PER_SOURCE} mutated captures parse or fail with URL and path, never crash`, () => {
      expect(s.fixtures.length).toBeGreaterThan(0);
      const c = (counts[s.name] = { runs: 0, parsed: 0, refused: 0 });
      const perFixture = Math.ceil(RUNS_PER_SOURCE / s.fixtures.length);
      s.fixtures.forEach((f, i) => {
        const all = paths(f.json);
        if (all.length === 0) return;
        fc.assert(
          fc.property(mutation(all, f.text.length), (m) => {
            const o = outcome(s.parse(f), f, m);
            c.runs++;
            if (o.ok) {
              c.parsed++;
              expectReasonsNamed(o.value);
            } else c.refused++;
          }),
          { numRuns: perFixture, seed: 20261201 + i },
        );
      });
      expect(c.runs).toBeGreaterThanOrEqual(RUNS_PER_SOURCE - s.fixtures.length);
    });
  }

  it('a mutation inside one member costs only that member', () => {
    const amedas = SOURCES[1]!.fixtures.find((f) => Object.keys(f.json as object).length > 5)!;
    const om = SOURCES[2]!.fixtures.find((f) => f.name.includes('hrrr'))!;
    const ga = SOURCES[3]!.fixtures.find(
      (f) => ((f.json as { rows?: unknown[] }).rows?.length ?? 0) > 5,
    )!;
    let runs = 0;
    // AMeDAS: one record broken; the other records' rows are unchanged.
    fc.assert(
      fc.property(
        fc.constantFrom(...Object.keys(amedas.json as object)),
        fc.constantFrom('null', 'string', 'object', 'array' as const),
        fc.nat(),
        (key, kind, n) => {
          // Anywhere inside the record, or the record itself.
          const inner = [[key], ...paths((amedas.json as Record<string, unknown>)[key], [key])];
          const m = { kind, path: inner[n % inner.length]! } as Mutation & { path: Path };
          const before = parsePoint(amedas.json, URL_, '44132').rows.filter(
            (r) => !sameKey(r, key),
          );
          const after = parsePoint(apply(amedas.json, m), URL_, '44132');
          expect(after.rows.filter((r) => !sameKey(r, key))).toEqual(before);
          runs++;
        },
      ),
      { numRuns: 60, seed: 1 },
    );
    // Open-Meteo: one variable broken; every other column is unchanged.
    const vars = Object.keys((om.json as { hourly: object }).hourly).filter((k) => k !== 'time');
    fc.assert(
      fc.property(
        fc.constantFrom(...vars),
        fc.constantFrom('delete', 'null', 'string', 'object', 'huge' as const),
        fc.boolean(),
        (v, kind, unit) => {
          const path = unit ? ['hourly_units', v] : ['hourly', v];
          const before = parseOpenMeteo(om.json, URL_, POINT, new Date(0)).rows;
          const after = parseOpenMeteo(
            apply(om.json, { kind, path } as never),
            URL_,
            POINT,
            new Date(0),
          ).rows;
          const col = (r: Record<string, unknown>) =>
            Object.fromEntries(
              Object.entries(r).filter(([k]) => k !== 'null_notes' && !columnOf(v).includes(k)),
            );
          expect(after.map(col)).toEqual(before.map(col));
          runs++;
        },
      ),
      { numRuns: 60, seed: 2 },
    );
    // GA4: one row broken; the other rows are unchanged and the broken one is rejected.
    const n = (ga.json as { rows: unknown[] }).rows.length;
    fc.assert(
      fc.property(
        fc.nat({ max: n - 1 }),
        fc.constantFrom('null', 'string', 'object', 'delete' as const),
        (i, kind) => {
          const report = ga4Report(ga.json);
          const before = parsePage(ga.json, URL_, report, '1', '2024-01-01', 't');
          const after = parsePage(
            apply(ga.json, { kind, path: ['rows', i, 'metricValues', 0] } as never),
            URL_,
            report,
            '1',
            '2024-01-01',
            't',
          );
          const others = (rows: unknown[]) => rows.filter((_, j) => j !== i);
          if (after.rejected.length > 0) expect(after.rows).toEqual(others(before.rows));
          else expect(others(after.rows)).toEqual(others(before.rows));
          runs++;
        },
      ),
      { numRuns: 60, seed: 3 },
    );
    counts.confined = { runs, parsed: runs, refused: 0 };
    expect(runs).toBe(180);
    console.log(
      `fuzz: ${Object.entries(counts)
        .map(
          ([k, v]) =>
            `${k} ${v.runs} runs (${v.parsed} parsed, ${v.refused} refused with URL and path)`,
        )
        .join('; ')}; 0 crashes`,
    );
  });
});

function sameKey(row: Record<string, unknown>, key: string): boolean {
  const t = row.observed_at as Date;
  const j = new Date(t.getTime() + 9 * 3_600_000).toISOString();
  return (
    `${j.slice(0, 4)}${j.slice(5, 7)}${j.slice(8, 10)}${j.slice(11, 13)}${j.slice(14, 16)}00` ===
    key
  );
}

/** Columns a variable lands in (any, since the fixture's names may not be ours). */
function columnOf(variable: string): string[] {
  return [variable, ...(VARIABLE_COLUMNS[variable] ?? [])];
}
const VARIABLE_COLUMNS: Record<string, string[]> = Object.fromEntries(
  VARIABLES.map((v) => [v.name, [v.column]]),
);
