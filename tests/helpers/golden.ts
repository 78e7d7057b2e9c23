/**
 * Golden tests over real captured payloads: each fixture's parsed output is kept beside the
 * fixtures (`fixtures/expected/<name>.json`, one row per line) after it was checked by hand
 * against the raw payload, and every later run must produce it again exactly. Set
 * FUJI_ETL_UPDATE_GOLDEN=1 to write a missing or changed expectation, then read its diff.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

export interface Fixture {
  /** File name in `fixtures/real/`, e.g. `point_44132_20241123_18.json`. */
  readonly name: string;
  readonly text: string;
  readonly json: unknown;
}

/** Every `.json` file in the connector's `fixtures/real/` (one flat folder), sorted. */
export function realFixtures(connectorDir: string): Fixture[] {
  const root = join(connectorDir, 'fixtures', 'real');
  return readdirSync(root)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((name) => {
      const text = readFileSync(join(root, name), 'utf8');
      return { name, text, json: JSON.parse(text) as unknown };
    });
}

/** The folder of a test file, from its `import.meta.url`. */
export const here = (url: string) => dirname(fileURLToPath(url));

/** Bigints as `123n`; arrays one element per line, so a reviewer reads a changed row. */
function serialise(v: unknown): string {
  const one = (x: unknown) =>
    JSON.stringify(x, (_k, val: unknown) => (typeof val === 'bigint' ? `${val}n` : val));
  const block = (x: unknown): string => {
    if (Array.isArray(x)) return x.length === 0 ? '[]' : `[\n${x.map(one).join(',\n')}\n]`;
    if (x && typeof x === 'object' && !(x instanceof Date))
      return `{\n${Object.entries(x)
        .map(([k, val]) => `${JSON.stringify(k)}: ${Array.isArray(val) ? block(val) : one(val)}`)
        .join(',\n')}\n}`;
    return one(x);
  };
  return `${block(v)}\n`;
}

/** Parsed output of a fixture equals its kept expectation. */
export function expectGolden(connectorDir: string, fixture: string, actual: unknown): void {
  const file = join(connectorDir, 'fixtures', 'expected', fixture);
  const text = serialise(actual);
  if (process.env.FUJI_ETL_UPDATE_GOLDEN === '1') {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
    return;
  }
  let kept: string;
  try {
    kept = readFileSync(file, 'utf8');
  } catch {
    throw new Error(`no expectation for ${fixture}: run with FUJI_ETL_UPDATE_GOLDEN=1, check it`);
  }
  expect(JSON.parse(text)).toEqual(JSON.parse(kept));
}
