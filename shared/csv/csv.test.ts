import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { date, fiscalYear, number, oneOf, text } from './values.ts';
import { openText, type Line } from './decode.ts';
import { parseFields, records, type CsvRecord } from './records.ts';
import { KeyFilter } from './keyset.ts';

async function* chunks(...parts: Uint8Array[]): AsyncGenerator<Uint8Array> {
  yield* parts;
}

async function lines(bytes: Uint8Array, opts: Parameters<typeof openText>[1] = { source: 't' }) {
  const { detection, lines } = await openText(chunks(bytes), opts);
  const out: Line[] = [];
  for await (const l of lines) out.push(l);
  return { detection, out };
}

async function recordsOf(text: string, maxRecordLines?: number): Promise<CsvRecord[]> {
  const { out } = await lines(Buffer.from(text));
  const got: CsvRecord[] = [];
  for await (const r of records(
    (async function* () {
      yield* out;
    })(),
    { encoding: 'utf-8', maxRecordLines },
  ))
    got.push(r);
  return got;
}

describe('numbers as Japanese tables write them', () => {
  const people = number({ units: ['人'], integer: true });
  const yen = number({ units: ['円'], integer: true });

  it('reads full-width digits, thousands separators, units and the three minus signs', () => {
    expect(people.parse('１，００２人')).toEqual({ ok: true, value: 1002 });
    expect(people.parse('"1,002人"'.slice(1, -1))).toEqual({ ok: true, value: 1002 });
    expect(people.parse('△15')).toEqual({ ok: true, value: -15 });
    expect(people.parse('▲1,500')).toEqual({ ok: true, value: -1500 });
    expect(people.parse('\u221215')).toEqual({ ok: true, value: -15 });
    expect(people.parse('\u3000 42 \u3000')).toEqual({ ok: true, value: 42 });
  });

  it('reads yen with ¥, its full-width form and the backslash CP932 decodes it to', () => {
    for (const t of ['¥4,000', '￥4,000', '\\4,000', '4,000円']) {
      expect(yen.parse(t)).toEqual({ ok: true, value: 4000 });
    }
  });

  it('turns placeholders into NULL and keeps what they meant', () => {
    expect(people.parse('x')).toEqual({ ok: true, value: null, note: 'x (confidential)' });
    expect(people.parse('－')).toEqual({ ok: true, value: null, note: '- (none)' });
    expect(people.parse('―')).toEqual({ ok: true, value: null, note: '― (none)' });
    expect(people.parse('…')).toEqual({ ok: true, value: null, note: '... (confidential)' });
    expect(people.parse('＊')).toEqual({ ok: true, value: null, note: '* (small sample)' });
    expect(people.parse('')).toEqual({ ok: true, value: null });
  });

  it('refuses malformed separators, formulas and fractions where integers are due', () => {
    for (const bad of ['1,00', '12,3456', '=1+2', '+SUM(A1)', '@cmd', '1.5', '1e3', '１２円']) {
      expect(people.parse(bad).ok, bad).toBe(false);
    }
  });

  it('never accepts what it cannot read (property)', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const r = people.parse(s);
        if (r.ok && r.value !== null) expect(Number.isSafeInteger(r.value)).toBe(true);
      }),
    );
  });
});

describe('dates in era and Western forms', () => {
  const d = date();
  it.each([
    ['令和7年7月10日', '2025-07-10'],
    ['令和７年７月１０日', '2025-07-10'],
    ['令和元年5月1日', '2019-05-01'],
    ['R7.7.10', '2025-07-10'],
    ['R07/07/10', '2025-07-10'],
    ['r7-7-10', '2025-07-10'],
    ['平成31年4月30日', '2019-04-30'],
    ['H1.1.8', '1989-01-08'],
    ['昭和64年1月7日', '1989-01-07'],
    ['2025/7/10', '2025-07-10'],
    ['2025-07-10', '2025-07-10'],
    ['2025年7月10日(木)', '2025-07-10'],
    ['令和7年7月10日（木曜日）', '2025-07-10'],
  ])('reads %s as %s', (input, want) => {
    expect(d.parse(input)).toEqual({ ok: true, value: want });
  });

  it.each([
    ['平成31年5月1日', 'outside the 平成 era'],
    ['令和元年4月30日', 'outside the 令和 era'],
    ['R7.2.30', 'no such date'],
    ['2025年7月10日(金)', 'weekday (金) does not match 2025-07-10 (木)'],
    ['7月10日', 'the date has no year'],
    ["'; DROP TABLE x; --", 'not a date'],
  ])('refuses %s (%s)', (input, why) => {
    const r = d.parse(input);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toContain(why);
  });

  it('reads fiscal years as the year they start', () => {
    const fy = fiscalYear();
    expect(fy.parse('令和6年度')).toEqual({ ok: true, value: 2024 });
    expect(fy.parse('令和元年度')).toEqual({ ok: true, value: 2019 });
    expect(fy.parse('平成30年度')).toEqual({ ok: true, value: 2018 });
    expect(fy.parse('２０２４年度')).toEqual({ ok: true, value: 2024 });
    expect(fy.parse('2024').ok).toBe(false);
  });
});

describe('codes and text', () => {
  it('matches spellings after width and case folding, and names the expected codes', () => {
    const route = oneOf({ fujinomiya: ['富士宮口'], gotemba: ['御殿場'] });
    expect(route.parse('　富士宮口 ')).toEqual({ ok: true, value: 'fujinomiya' });
    expect(route.parse('GOTEMBA')).toEqual({ ok: true, value: 'gotemba' });
    const r = route.parse('吉田');
    expect(!r.ok && r.error).toBe('unknown value "吉田" (expected fujinomiya, gotemba)');
  });

  it('keeps hostile text exactly, trimming only padding', () => {
    for (const s of [
      '=HYPERLINK("http://x")',
      "Robert'); DROP TABLE climbers;--",
      '@SUM(1)',
      '-1+1',
    ]) {
      expect(text().parse(`\u3000${s} `)).toEqual({ ok: true, value: s });
    }
  });
});

describe('encoding detection', () => {
  const sjis = iconv.encode('日付,人数\r\n令和7年7月10日,①\r\n', 'cp932');

  it('detects CP932, UTF-8, UTF-8 with BOM and UTF-16LE with BOM', async () => {
    const u8 = Buffer.from('日付,人数\n');
    expect((await lines(sjis)).detection).toEqual({ encoding: 'cp932', by: 'not UTF-8' });
    expect((await lines(u8)).detection.encoding).toBe('utf-8');
    expect(
      (await lines(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), u8]))).detection.encoding,
    ).toBe('utf-8-bom');
    const u16 = Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      Buffer.from('日付,人数\r\n1,2\r\n', 'utf16le'),
    ]);
    const got = await lines(u16);
    expect(got.detection.encoding).toBe('utf-16le');
    expect(got.out.map((l) => l.text)).toEqual(['日付,人数', '1,2']);
  });

  it('decodes the CP932 extensions (①, ㈱) and strips CR', async () => {
    expect((await lines(sjis)).out.map((l) => l.text)).toEqual(['日付,人数', '令和7年7月10日,①']);
    expect((await lines(iconv.encode('㈱富士\r\n', 'cp932'))).out[0]!.text).toBe('㈱富士');
  });

  it('uses the contract hint only when the bytes cannot tell', async () => {
    const ascii = Buffer.from('a,b\n1,2\n');
    expect((await lines(ascii, { source: 't', hint: 'cp932' })).detection.encoding).toBe('cp932');
  });

  it('refuses a declared encoding the bytes contradict, naming the offset', async () => {
    await expect(lines(sjis, { source: 'f.csv', declared: 'utf-8' })).rejects.toThrow(
      /declared utf-8 but byte 0x93 at offset 0 is not UTF-8 .*CP932/,
    );
    await expect(
      lines(Buffer.from('日付\n'), { source: 'f.csv', declared: 'cp932' }),
    ).rejects.toThrow(/declared cp932 .* but the file is UTF-8/);
  });

  it('refuses binary content', async () => {
    await expect(
      lines(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00]), { source: 'x.zip' }),
    ).rejects.toThrow(/NUL byte at offset 4/);
  });

  it('flags a line whose bytes are invalid after detection, and only that line', async () => {
    const head = Buffer.from('a,b\n' + 'x,y\n'.repeat(20_000)); // > 64 KiB of valid UTF-8
    const bad = Buffer.from([0x31, 0x2c, 0xff, 0xfe, 0x0a, 0x32, 0x2c, 0x33, 0x0a]);
    const { detection, out } = await lines(Buffer.concat([head, bad]));
    expect(detection.encoding).toBe('utf-8');
    expect(out.filter((l) => l.invalid).map((l) => l.n)).toEqual([20_002]);
    expect(out.at(-1)).toEqual({ n: 20_003, text: '2,3' });
  });

  it('keeps line numbers across chunk boundaries', async () => {
    const { detection, lines: ls } = await openText(
      chunks(Buffer.from('a,b\n1,'), Buffer.from('2\n3,4'), Buffer.from('\n')),
      { source: 't' },
    );
    expect(detection.encoding).toBe('utf-8');
    const got = [];
    for await (const l of ls) got.push(`${l.n}:${l.text}`);
    expect(got).toEqual(['1:a,b', '2:1,2', '3:3,4']);
  });
});

describe('records', () => {
  it('splits quoted fields with commas, doubled quotes and line breaks', async () => {
    expect(parseFields('a,"b,c","say ""hi""",')).toEqual({ fields: ['a', 'b,c', 'say "hi"', ''] });
    const got = await recordsOf('h1,h2\n1,"multi\nline"\n2,x\n');
    expect(got).toEqual([
      { line: 1, endLine: 1, raw: 'h1,h2', fields: ['h1', 'h2'] },
      { line: 2, endLine: 3, raw: '1,"multi\nline"', fields: ['1', 'multi\nline'] },
      { line: 4, endLine: 4, raw: '2,x', fields: ['2', 'x'] },
    ]);
  });

  it('loses one line to an unterminated quote, not the rest of the file', async () => {
    const got = await recordsOf('h\n1,"open\n2,ok\n3,ok\n', 2);
    expect(got[1]).toMatchObject({
      line: 2,
      error: expect.stringContaining('unterminated quoted field'),
    });
    expect(got.slice(2).map((r) => ('fields' in r ? r.fields : r.error))).toEqual([
      ['2', 'ok'],
      ['3', 'ok'],
    ]);
  });

  it('rejects text after a closing quote and keeps quotes inside unquoted fields', async () => {
    const got = await recordsOf('"a"b,c\nab"c,d\n');
    expect(got[0]).toMatchObject({ error: 'text after the closing quote of field 1' });
    expect(got[1]).toMatchObject({ fields: ['ab"c', 'd'] });
  });

  it('refuses a record over the size limit without parsing it', async () => {
    const got = await recordsOf(`1,"${'z'.repeat(70_000)}"\n2,ok\n`);
    expect(got[0]).toMatchObject({
      line: 1,
      error: expect.stringMatching(/record is 70004 bytes, over the limit of 65536/),
    });
    expect(got[1]).toMatchObject({ fields: ['2', 'ok'] });
  });
});

describe('the duplicate-key filter', () => {
  it('says certainly new for keys never added, and maybe seen for every key added', () => {
    const f = new KeyFilter(20);
    const fresh = Array.from({ length: 20_000 }, (_, i) => f.add(`key-${i}`)).filter(
      Boolean,
    ).length;
    expect(fresh).toBeLessThan(20); // false positives at 2^20 bits: a handful
    for (let i = 0; i < 20_000; i += 997) expect(f.add(`key-${i}`)).toBe(true);
  });
});
