import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, isErrorCode } from './codes.ts';
import { codesDoc } from './docs.ts';
import { RUN_EVENTS } from './events.ts';
import { FujiEtlError } from './index.ts';

const page = () => readFileSync(new URL('../../docs/codes.md', import.meta.url), 'utf8');

describe('error codes and log events', () => {
  it('docs/codes.md is up to date with the two lists (npm run fuji-etl -- docs)', () => {
    expect(page()).toBe(codesDoc());
  });

  it('names every code once, error codes and event codes apart, all in the stable SHOUTING_CASE', () => {
    const all = [...Object.keys(ERROR_CODES), ...Object.keys(RUN_EVENTS)];
    for (const code of all) expect(code).toMatch(/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/);
    expect(new Set(all).size).toBe(all.length);
  });

  it('gives each code a one-line meaning', () => {
    for (const e of [...Object.values(ERROR_CODES), ...Object.values(RUN_EVENTS)]) {
      expect(e.doc).not.toMatch(/\n/);
      expect(e.doc.length).toBeGreaterThan(15);
    }
  });

  it('reads a code back from a ledger error line', () => {
    const line = new FujiEtlError('LOCK_HELD', 'table#weather.x is locked').toLine();
    const code = line.slice(0, line.indexOf(':'));
    expect(isErrorCode(code) && ERROR_CODES[code].retryable).toBe(true);
    expect(isErrorCode('PROBE')).toBe(false);
  });
});
