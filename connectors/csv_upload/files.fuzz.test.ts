/**
 * Bad input, fuzzed: the sample files and publisher-style tables, mutated by a seeded generator
 * (truncations, flipped bytes, stray quotes, ragged rows, a line in the other encoding, huge
 * cells), go through the reader. No crash: a file is refused with a CsvFileError naming it, or
 * read with every record accounted for (read = loaded + quarantined + skipped), each quarantined
 * record naming its line and a reason.
 */
import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import writeExcelFile from 'write-excel-file/node';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { CsvFileError } from '#shared/csv/errors.ts';
import { openCsv } from '#shared/csv/read.ts';
import { uploadContracts } from './contracts.ts';

const samples = new URL('./samples/', import.meta.url);
const FILES: { name: string; bytes: Buffer; dataset: string }[] = readdirSync(samples)
  .filter((f) => f.endsWith('.csv'))
  .map((f) => ({ name: f, bytes: readFileSync(new URL(f, samples)), dataset: f.split('.')[0]! }));
FILES.push({
  name: 'press-table.sjis.csv',
  dataset: 'pref_climbers_5th',
  bytes: iconv.encode(
    '富士山五合目登山者数\r\n期間：令和元年8月3日～令和元年8月4日\r\n実測日,富士宮口,御殿場口,須走口,3登山口計\r\n8/3(土),"1,002人",313人,788人,"2,103人"\r\n8/4(日),欠測,402人,901人,\r\n期間計,"1,002人",715人,"1,689人",\r\n※速報値\r\n',
    'cp932',
  ),
});

type Mutation =
  | { kind: 'truncate'; at: number }
  | { kind: 'flip'; at: number; byte: number }
  | { kind: 'quote'; at: number }
  | { kind: 'ragged'; line: number; extra: number }
  | { kind: 'other-encoding'; line: number }
  | { kind: 'huge'; line: number; size: number };

function mutate(bytes: Buffer, m: Mutation): Buffer {
  const lines = bytes.toString('latin1').split('\n');
  const at = (n: number) => Math.min(n, bytes.length);
  switch (m.kind) {
    case 'truncate':
      return bytes.subarray(0, at(m.at));
    case 'flip': {
      const b = Buffer.from(bytes);
      if (b.length > 0) b[at(m.at) % b.length] = m.byte;
      return b;
    }
    case 'quote':
      return Buffer.concat([
        bytes.subarray(0, at(m.at)),
        Buffer.from('"'),
        bytes.subarray(at(m.at)),
      ]);
    case 'ragged': {
      const i = m.line % lines.length;
      lines[i] =
        m.extra > 0 ? `${lines[i]}${','.repeat(m.extra)}x` : lines[i]!.replace(/,[^,]*$/, '');
      return Buffer.from(lines.join('\n'), 'latin1');
    }
    case 'other-encoding': {
      // The line re-encoded: CP932 bytes in a UTF-8 file, UTF-8 bytes in a CP932 one.
      const i = m.line % lines.length;
      const asUtf8 = Buffer.from(lines[i]!, 'latin1').toString('utf8');
      const swapped = asUtf8.includes('\uFFFD')
        ? Buffer.from(iconv.decode(Buffer.from(lines[i]!, 'latin1'), 'cp932'), 'utf8')
        : iconv.encode(asUtf8, 'cp932');
      lines[i] = swapped.toString('latin1');
      return Buffer.from(lines.join('\n'), 'latin1');
    }
    case 'huge': {
      const i = m.line % lines.length;
      lines[i] = `${lines[i]},"${'x'.repeat(m.size)}"`;
      return Buffer.from(lines.join('\n'), 'latin1');
    }
  }
}

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat({ max: 5000 }) }),
  fc.record({
    kind: fc.constant('flip' as const),
    at: fc.nat({ max: 5000 }),
    byte: fc.integer({ min: 0, max: 255 }),
  }),
  fc.record({ kind: fc.constant('quote' as const), at: fc.nat({ max: 5000 }) }),
  fc.record({
    kind: fc.constant('ragged' as const),
    line: fc.nat({ max: 120 }),
    extra: fc.integer({ min: -1, max: 3 }),
  }),
  fc.record({ kind: fc.constant('other-encoding' as const), line: fc.nat({ max: 120 }) }),
  fc.record({
    kind: fc.constant('huge' as const),
    line: fc.nat({ max: 120 }),
    size: fc.constantFrom(10, 70_000, 300_000),
  }),
);

const RUNS = 1_040;
const XLSX_RUNS = 200;
const tally = { runs: 0, read: 0, refused: 0, records: 0, quarantined: 0 };

describe('fuzzed files', () => {
  it(`${RUNS} mutated files are refused naming the file, or read with every record accounted for`, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: FILES.length - 1 }),
        fc.array(mutation, { minLength: 1, maxLength: 3 }),
        async (i, ms) => {
          const f = FILES[i]!;
          const bytes = ms.reduce(mutate, f.bytes);
          const source = `fuzz/${f.name}`;
          const open = () =>
            (async function* () {
              yield bytes;
            })();
          tally.runs++;
          try {
            const reader = await openCsv(open(), uploadContracts.get(f.dataset)!, {
              source,
              reopen: async () => open(),
            });
            let quarantined = 0;
            for await (const b of reader.batches()) {
              for (const q of b.quarantined) {
                expect(q.line).toBeGreaterThanOrEqual(1);
                expect(q.reason.length).toBeGreaterThan(0);
              }
              quarantined += b.quarantined.length;
            }
            const r = reader.report;
            const skipped = r.skipped.title + r.skipped.blank + r.skipped.note + r.skipped.total;
            expect(r.read).toBe(r.loaded + r.quarantined + skipped);
            expect(quarantined).toBe(r.quarantined);
            tally.read++;
            tally.records += r.read;
            tally.quarantined += r.quarantined;
          } catch (err) {
            if (!(err instanceof CsvFileError)) throw err; // a crash fails the property
            expect(err.context.source).toBe(source);
            tally.refused++;
          }
        },
      ),
      { numRuns: RUNS, seed: 20261201 },
    );
    console.log(
      `files fuzz: ${tally.runs} mutated files, ${tally.read} read (${tally.records} records, ${tally.quarantined} quarantined, all accounted for), ${tally.refused} refused naming the file; 0 crashes`,
    );
    expect(tally.runs).toBe(RUNS);
  }, 300_000);

  it(`${XLSX_RUNS} broken workbooks (flipped bytes, truncated zips) are refused naming the file, or read accounted for`, async () => {
    const book = await writeExcelFile([
      [{ value: '富士山五合目 登山者数（令和7年）' }, null, null, null],
      [{ value: '実測日' }, { value: '富士宮口' }, { value: '御殿場口' }, { value: '須走口' }],
      ...Array.from({ length: 40 }, (_, i) => [
        { value: `7/${(i % 28) + 1}` },
        { value: 1000 + i },
        { value: 300 + i },
        { value: '欠測' },
      ]),
    ]).toBuffer();
    const pref = uploadContracts.get('pref_climbers_5th')!;
    let refused = 0;
    let read = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.record({ kind: fc.constant('truncate' as const), at: fc.nat({ max: book.length }) }),
          fc.record({
            kind: fc.constant('flip' as const),
            at: fc.nat({ max: book.length - 1 }),
            byte: fc.integer({ min: 0, max: 255 }),
          }),
        ),
        async (m) => {
          const bytes = mutate(book, m);
          const source = 'fuzz/book.xlsx';
          try {
            const reader = await openCsv(
              (async function* () {
                yield bytes;
              })(),
              pref,
              { source },
            );
            for await (const b of reader.batches()) void b;
            const r = reader.report;
            const skipped = r.skipped.title + r.skipped.blank + r.skipped.note + r.skipped.total;
            expect(r.read).toBe(r.loaded + r.quarantined + skipped);
            read++;
          } catch (err) {
            if (!(err instanceof CsvFileError)) throw err;
            expect(err.context.source).toBe(source);
            refused++;
          }
        },
      ),
      { numRuns: XLSX_RUNS, seed: 20261202 },
    );
    console.log(
      `xlsx fuzz: ${XLSX_RUNS} broken workbooks, ${read} read accounted for, ${refused} refused naming the file; 0 crashes`,
    );
    expect(read + refused).toBe(XLSX_RUNS);
  }, 300_000);
});
