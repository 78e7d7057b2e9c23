/**
 * The two JMA alert parsers, fuzzed: the fakes' warning (r8 list and legacy document) and
 * volcano answers and the real captures of the r8 warning list and of the volcano list
 * (fixtures/real of both connectors; kept beside the fakes so no connector file imports them), mutated by a seeded generator (a member deleted, nulled,
 * retyped or wrapped), give rows or a shape error naming the URL and path, never a crash; and
 * a mutation inside one area (one report) costs only that area (report): the others parse as
 * before.
 */
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SourceShapeError } from '#shared/http/errors.ts';
import { r8Warnings, volcanoWarnings, warnings } from './jma.ts';
import { realFixtures } from '../../../tests/helpers/golden.ts';
import { paths, type Path } from '../../../tests/helpers/json-paths.ts';
import { parseVolcanoWarnings } from '#connectors/jma_volcano/parse.ts';
import { parseWarnings } from '#connectors/jma_warning/parse.ts';

const URL = 'https://source.test/payload.json';
const connectorDir = (name: string) =>
  fileURLToPath(new globalThis.URL(`../../../connectors/${name}/`, import.meta.url));
type Node = Record<string | number, unknown>;
const KINDS = ['delete', 'null', 'string', 'number', 'object', 'array'] as const;

function mutate(json: unknown, path: Path, kind: (typeof KINDS)[number]): unknown {
  const copy = structuredClone(json) as Node;
  const parent = path.slice(0, -1).reduce<Node>((o, k) => o[k] as Node, copy);
  const key = path.at(-1)!;
  const old = parent[key];
  if (kind === 'delete') {
    if (Array.isArray(parent)) parent.splice(key as number, 1);
    else delete parent[key];
  } else {
    parent[key] = { null: null, string: String(old), number: 42.5, object: { old }, array: [old] }[
      kind
    ];
  }
  return copy;
}

function fuzz<T extends { rows: unknown[]; rejected: { reason: string }[] }>(
  payload: unknown,
  parse: (p: unknown) => T,
  member: (path: Path) => number | undefined,
  rowsOf: (rows: unknown[], index: number) => unknown[],
) {
  const base = parse(payload);
  fc.assert(
    fc.property(fc.constantFrom(...paths(payload)), fc.constantFrom(...KINDS), (path, kind) => {
      let got: T;
      try {
        got = parse(mutate(payload, path, kind));
      } catch (err) {
        if (!(err instanceof SourceShapeError)) throw err;
        expect(err.message.startsWith(`${URL} at $`)).toBe(true);
        return;
      }
      for (const r of got.rejected) expect(r.reason).toMatch(/^SOURCE_SHAPE: https:\/\/source/);
      const i = member(path);
      // Deleting a whole member shifts the ones after it: only in-member mutations compare.
      if (i === undefined || (kind === 'delete' && path.length <= 4)) return;
      expect(rowsOf(got.rows, i)).toEqual(rowsOf(base.rows, i));
    }),
    { seed: 20261202, numRuns: 300 },
  );
}

describe('fuzzed JMA alert payloads', () => {
  const now = new Date('2026-07-15T03:30:00Z');

  // As it arrives over HTTP: the fake shares objects between areas, JSON does not.
  const wire = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

  const r8Lists: [string, { dataTypeCode: string }[]][] = [
    ['the fake', wire(r8Warnings(now, '220000')!)],
    ...realFixtures(connectorDir('jma_warning'))
      .filter((f) => f.name.startsWith('r8_'))
      .map((f): [string, { dataTypeCode: string }[]] => [
        `real ${f.name}`,
        f.json as { dataTypeCode: string }[],
      ]),
  ];

  it.each(r8Lists)(
    'r8 warning list (%s): a broken report costs only its own rows',
    (_, payload) => {
      fuzz(
        payload,
        (p) => parseWarnings(p, URL, '220000'),
        (p) => (typeof p[0] === 'number' ? p[0] : undefined),
        (rows, broken) =>
          (rows as { data_type_code: string }[]).filter(
            (r) => r.data_type_code !== payload[broken]!.dataTypeCode,
          ),
      );
    },
  );

  it('legacy warnings: a broken area costs only its own rows', () => {
    const payload = wire(warnings(now, '220000')!);
    const inClass20 = (p: Path) =>
      p[0] === 'areaTypes' && p[1] === 1 && p[2] === 'areas' && typeof p[3] === 'number'
        ? p[3]
        : undefined;
    fuzz(
      payload,
      (p) => parseWarnings(p, URL, '220000'),
      inClass20,
      // Rows of every other class20 area, in order: the broken one is left out of both sides.
      (rows, broken) =>
        (rows as { area_code: string; area_class: string }[]).filter(
          (r) =>
            r.area_class === 'class20' && r.area_code !== payload.areaTypes[1]!.areas[broken]!.code,
        ),
    );
  });

  const volcanoLists: [string, { eventId: string }[]][] = [
    ['the fake', wire(volcanoWarnings(now))],
    ...realFixtures(connectorDir('jma_volcano')).map((f): [string, { eventId: string }[]] => [
      `real ${f.name}`,
      f.json as { eventId: string }[],
    ]),
  ];

  it.each(volcanoLists)(
    'volcano list (%s): a broken report costs only its own rows',
    (_, payload) => {
      fuzz(
        payload,
        (p) => parseVolcanoWarnings(p, URL),
        (p) => (typeof p[0] === 'number' ? p[0] : undefined),
        (rows, broken) =>
          (rows as { volcano_code: string }[]).filter(
            (r) => r.volcano_code !== payload[broken]!.eventId,
          ),
      );
    },
  );
});
