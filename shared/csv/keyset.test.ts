import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { hash64, KeyFilter } from './keyset.ts';

/** Keys shaped like the entry-registration keys, all distinct. */
const keyOf = (i: number) =>
  `entry_date=20${String(i % 97).padStart(2, '0')}-07-01, route=r${i % 4}, channel=c${i % 3}, country=${i}`;

describe('the blocked key filter', () => {
  it('answers maybe seen for every key it was given', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.string({ maxLength: 40 }), { maxLength: 300 }), (keys) => {
        const f = new KeyFilter(12);
        for (const k of keys) f.add(k);
        for (const k of keys) expect(f.add(k)).toBe(true);
      }),
    );
  });

  it('keeps false positives where the scattered filter had them (25 million keys in 2^28 bits, scaled)', () => {
    // 2^20 bits and 1/256 of the keys: the same bits per key; the scattered 7-bit filter gave
    // about 90 false positives here (23,300 at full size), this one as many.
    const f = new KeyFilter(20);
    let falsePositives = 0;
    for (let i = 0; i < 97_656; i++) if (f.add(keyOf(i))) falsePositives++;
    expect(falsePositives).toBeLessThan(120);
  });

  it('restored from its bytes, with fewer bits per key, still knows every key', () => {
    const f = new KeyFilter(16);
    for (let i = 0; i < 2000; i++) f.add(keyOf(i));
    const again = KeyFilter.fromBytes(new Uint8Array(f.toBytes()), 7);
    for (let i = 0; i < 2000; i++) expect(again.add(keyOf(i))).toBe(true);
  });

  it('refuses a shape it cannot hold', () => {
    expect(() => new KeyFilter(20, 9)).toThrow(RangeError);
    expect(() => new KeyFilter(8)).toThrow(RangeError);
  });
});

describe('the key hash', () => {
  it('tells apart keys that differ in one character, at any place and of any value', () => {
    const base = 'entry_date=2025-07-01, route=fujinomiya, channel=app, country=JP';
    const seen = new Map<string, string>();
    for (let p = 0; p < base.length; p++) {
      for (let c = 0; c < 65536; c += 61) {
        const k = base.slice(0, p) + String.fromCharCode(c) + base.slice(p + 1);
        const h = hash64(k).join(':');
        const prev = seen.get(h);
        expect(prev === undefined || prev === k, `${prev} and ${k}`).toBe(true);
        seen.set(h, k);
      }
    }
  });

  it('depends on the length (a trailing NUL is not nothing)', () => {
    expect(hash64('ab')).not.toEqual(hash64('ab\u0000'));
    expect(hash64('')).not.toEqual(hash64('\u0000'));
  });
});
