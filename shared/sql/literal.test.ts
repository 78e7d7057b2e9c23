import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { sqlLiteral, stringLiteral } from './literal.ts';
import { quoteIdent, metadataTableName } from './identifier.ts';
import { LiteralError, IdentifierError } from './errors.ts';
import { formatMicros, parseTimestamp } from '../time/civil.ts';

describe('the literal encoder', () => {
  it('doubles single quotes and keeps every Unicode scalar as itself', () => {
    expect(stringLiteral("富士山's 🗻 \u{20000}")).toBe("'富士山''s 🗻 \u{20000}'");
  });

  it('writes control characters as Unicode escapes and doubles backslashes there', () => {
    expect(sqlLiteral('string', 'a\nb\\c')).toBe("U&'a\\000ab\\\\c'");
    expect(sqlLiteral('string', '\u0085')).toBe("U&'\\0085'");
  });

  it('rejects NUL and lone surrogates with a LiteralError naming the type', () => {
    expect(() => sqlLiteral('string', 'a\u0000b')).toThrow(LiteralError);
    expect(() => sqlLiteral('string', 'a\u0000b')).toThrow(/NUL/);
    expect(() => sqlLiteral('string', 'x\ud800')).toThrow(/lone surrogate/);
  });

  it('spells doubles in E-notation so Athena and Trino both read DOUBLE', () => {
    expect(sqlLiteral('double', 1.5)).toBe('1.5E+0');
    expect(sqlLiteral('double', 0.1)).toBe('1E-1');
    expect(sqlLiteral('double', NaN)).toBe('nan()');
    expect(sqlLiteral('double', -Infinity)).toBe('-infinity()');
    expect(sqlLiteral('double', -0)).toBe('-0E0');
    expect(sqlLiteral('float', Infinity)).toBe('CAST(infinity() AS REAL)');
  });

  it('round-trips every double through its E-notation text', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (v) => {
        const text = sqlLiteral('double', v).replace(/^-0E0$/, '-0');
        expect(Object.is(Number(text), v)).toBe(true);
      }),
    );
  });

  it('writes decimals as DECIMAL literals at the column scale and refuses to round', () => {
    expect(sqlLiteral('decimal(10,2)', '12.5')).toBe("DECIMAL '12.50'");
    expect(sqlLiteral('decimal(10,2)', -3n)).toBe("DECIMAL '-3.00'");
    expect(() => sqlLiteral('decimal(10,2)', '1.234')).toThrow(/decimal places/);
    expect(() => sqlLiteral('decimal(4,2)', '123.4')).toThrow(/integer digits/);
  });

  it('writes integers within range and bigint minimum as a typed literal', () => {
    expect(sqlLiteral('int', -7)).toBe('-7');
    expect(() => sqlLiteral('int', 2 ** 31)).toThrow(LiteralError);
    expect(sqlLiteral('long', 2n ** 63n - 1n)).toBe('9223372036854775807');
    expect(sqlLiteral('long', -(2n ** 63n))).toBe("BIGINT '-9223372036854775808'");
    expect(() => sqlLiteral('long', 2 ** 60)).toThrow(/safe integer/);
  });

  it('writes timestamps in UTC with microseconds and requires an explicit zone on text', () => {
    expect(sqlLiteral('timestamptz', '2026-07-10T05:00:00.123456+09:00')).toBe(
      "TIMESTAMP '2026-07-09 20:00:00.123456 UTC'",
    );
    expect(sqlLiteral('timestamp', new Date('2026-07-10T00:00:00.5Z'))).toBe(
      "TIMESTAMP '2026-07-10 00:00:00.500000'",
    );
    expect(() => sqlLiteral('timestamptz', '2026-07-10T05:00:00')).toThrow(/explicit zone/);
    expect(() => sqlLiteral('timestamp', '2026-07-10T05:00:00.1234567Z')).toThrow(LiteralError);
  });

  it('formats and parses any microsecond timestamp in years 0001-9999 back to itself', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -62_135_596_800_000_000n, max: 253_402_300_799_999_999n }),
        (v) => {
          expect(parseTimestamp(`${formatMicros(v)} UTC`)).toBe(v);
        },
      ),
    );
  });

  it('writes dates, booleans, binary and NULL', () => {
    expect(sqlLiteral('date', '2026-02-28')).toBe("DATE '2026-02-28'");
    expect(() => sqlLiteral('date', '2026-02-30')).toThrow(LiteralError);
    expect(() => sqlLiteral('date', new Date())).toThrow(/instant/);
    expect(sqlLiteral('boolean', false)).toBe('FALSE');
    expect(sqlLiteral('binary', Uint8Array.from([0, 255, 16]))).toBe("X'00ff10'");
    expect(sqlLiteral('string', null)).toBe('NULL');
    expect(sqlLiteral('int', undefined)).toBe('NULL');
  });

  it('never lets a string escape its literal, whatever it contains', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        fc.pre(!s.includes('\u0000'));
        const lit = sqlLiteral('string', s);
        const body = lit.startsWith("U&'") ? lit.slice(3, -1) : lit.slice(1, -1);
        // Inside the literal every quote is doubled, so no single quote stands alone.
        expect(body.replaceAll("''", '')).not.toContain("'");
      }),
    );
  });
});

describe('identifiers', () => {
  it('accepts lowercase names and quotes them', () => {
    expect(quoteIdent('date')).toBe('"date"');
    expect(metadataTableName('ops', 'run_ledger', 'snapshots')).toBe(
      '"ops"."run_ledger$snapshots"',
    );
  });

  it.each(['Date', 'a-b', 'a"b', '1a', 'a b', 'テーブル', '', 'x'.repeat(64)])(
    'rejects %j',
    (name) => {
      expect(() => quoteIdent(name)).toThrow(IdentifierError);
    },
  );
});
