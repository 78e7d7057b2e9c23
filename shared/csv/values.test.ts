import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DateContext } from './dates.ts';
import {
  date,
  isNfkcStable,
  isoCountry,
  normalizeCell,
  number,
  oneOf,
  plainNumber,
  type CellParser,
} from './values.ts';

/** Characters that test the edges of the fast paths: kana marks, widths, signs, units, spaces. */
const TRICKY = [
  ...'0123456789,.+-¥\\ xX*',
  ...'１２，．－＋￥＼　',
  ...'△▲\u2212人円名台',
  ...'ｶﾞﾊﾟ\u3099\u309a\u309b\u309c\u309fヿ\u302a',
  ...'かがカガ・ー々、。「」【】〈〉＜＞',
  ...'富士宮計合小累総',
  '\u00a0',
  '\u00a5',
  '\ufeff',
  '\t',
];
const tricky = (maxLength: number) =>
  fc.array(fc.constantFrom(...TRICKY), { maxLength }).map((cs) => cs.join(''));

describe('the NFKC shortcut', () => {
  it('claims only characters that NFKC leaves alone', () => {
    for (let c = 0; c <= 0xffff; c++) {
      const s = String.fromCharCode(c);
      if (isNfkcStable(s)) expect(s.normalize('NFKC'), `U+${c.toString(16)}`).toBe(s);
    }
  });

  it('normalises every string as NFKC and trimming would', () => {
    fc.assert(
      fc.property(fc.oneof(tricky(12), fc.string({ unit: 'grapheme', maxLength: 8 })), (s) => {
        expect(normalizeCell(s)).toBe(s.normalize('NFKC').trim());
      }),
      { numRuns: 5000 },
    );
  });
});

/** The number parser as it was before its fast paths: the specification they must match. */
function referenceNumber(units: readonly string[], integer: boolean, raw: string) {
  const placeholders = ['-', '―', '‐', '—', 'ー', '×', '欠測', '欠', '調査なし', '未調査'];
  let t = raw.normalize('NFKC').trim();
  if (t === '') return { ok: true, value: null };
  if ([...placeholders, '休止', '閉鎖', '...', 'x', 'X', '*'].includes(t)) return 'placeholder';
  t = t.replace(/^[△▲\u2212]/, '-');
  if ((t.startsWith('¥') || t.startsWith('\\')) && units.includes('円')) t = t.slice(1);
  for (const u of units) {
    const nu = u.normalize('NFKC');
    if (t.endsWith(nu)) {
      t = t.slice(0, -nu.length).trimEnd();
      break;
    }
  }
  if (!/^[+-]?(\d+|\d{1,3}(,\d{3})+)(\.\d+)?$/.test(t)) return 'error';
  const n = Number(t.replaceAll(',', ''));
  if (integer && !Number.isSafeInteger(n)) return 'error';
  return { ok: true, value: n };
}

const outcome = (c: ReturnType<CellParser['parse']>) =>
  !c.ok ? 'error' : c.note ? 'placeholder' : { ok: true, value: c.value };

describe('the number fast paths', () => {
  it('read plain and grouped digits as the general path does', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.array(fc.constantFrom(...'0123456789,'), { maxLength: 22 }).map((a) => a.join('')),
          fc.bigInt({ min: 0n, max: 10n ** 18n }).map((n) => n.toLocaleString('en-US')),
        ),
        (t) => {
          const general = /^(\d+|\d{1,3}(,\d{3})+)$/.test(t) && t.replaceAll(',', '').length <= 15;
          expect(plainNumber(t)).toBe(general ? Number(t.replaceAll(',', '')) : undefined);
          // Up to `end`: the same answer as for the slice (a count followed by its unit).
          expect(plainNumber(`${t}1人`, t.length)).toBe(plainNumber(t));
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('parse every cell as the parser did before them, whatever the units', () => {
    const unitSets: (readonly string[])[] = [[], ['人', '名'], ['円'], ['０'], ['', '人'], ['台']];
    for (const units of unitSets) {
      for (const integer of [true, false]) {
        const p = number({ units, integer });
        fc.assert(
          fc.property(tricky(10), (raw) => {
            expect(outcome(p.parse(raw))).toEqual(referenceNumber(units, integer, raw));
            expect(p.parseNormalized!(normalizeCell(raw), raw)).toEqual(p.parse(raw));
          }),
          { numRuns: 1500 },
        );
      }
    }
  });
});

const dateText = fc.oneof(
  fc
    .tuple(
      fc.integer({ min: 1980, max: 2030 }),
      fc.integer({ min: 0, max: 13 }),
      fc.integer({ min: 0, max: 32 }),
    )
    .map(([y, m, d]) => `${y}/${m}/${d}`),
  fc
    .tuple(fc.constantFrom('令和', 'R', '平成', 'H'), fc.integer({ min: 1, max: 31 }))
    .map(([e, y]) => `${e}${y}年7月1日`),
  fc
    .tuple(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 31 }))
    .map(([m, d]) => `${m}/${d}`),
  fc.constantFrom('', '-', 'x', '２０２５年８月３日', '8月4日（月）', 'not a date'),
);

describe('the remembered answers of date, oneOf and isoCountry', () => {
  it('give what a parser that never saw the text gives, and still move the date context on', () => {
    fc.assert(
      fc.property(fc.array(dateText, { maxLength: 30 }), (texts) => {
        const shared = date();
        const a = new DateContext({ year: 2025, from: 'title' });
        const b = new DateContext({ year: 2025, from: 'title' });
        for (const t of [...texts, ...texts]) {
          expect(shared.parse(t, { dates: a })).toEqual(date().parse(t, { dates: b }));
          expect(a.lastDay).toBe(b.lastDay);
        }
      }),
    );
  });

  it('keep the raw text in their errors', () => {
    const routes = oneOf({ fujinomiya: ['富士宮'] });
    expect(routes.parse('富士宮')).toEqual({ ok: true, value: 'fujinomiya' });
    expect(routes.parse(' 富士宮 ')).toEqual({ ok: true, value: 'fujinomiya' });
    expect(routes.parse('須走 ')).toEqual({
      ok: false,
      error: 'unknown value "須走 " (expected fujinomiya)',
    });
    const country = isoCountry();
    for (const t of ['jp', 'JP', 'ＪＰ', ' jp', 'jp'])
      expect(country.parse(t)).toEqual({ ok: true, value: 'JP' });
    expect(country.parse('JPN')).toEqual({ ok: false, error: 'not an ISO country code: "JPN"' });
    expect(country.parse('')).toEqual({ ok: true, value: 'ZZ', note: 'country not given' });
  });

  it('never grow past their bound on a file of distinct values', () => {
    const p = oneOf({ a: Array.from({ length: 5000 }, (_, i) => `v${i}`) });
    for (let i = 0; i < 5000; i++) expect(p.parse(`v${i}`)).toEqual({ ok: true, value: 'a' });
    for (let i = 0; i < 5000; i += 7) expect(p.parse(`V${i}`)).toEqual({ ok: true, value: 'a' });
  });
});
