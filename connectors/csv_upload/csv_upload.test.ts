/**
 * The contracts against their sample files (golden counts) and against the bad-input list, read
 * without the engine: what lands, what is skipped, what is quarantined and why.
 */
import { createReadStream, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import iconv from 'iconv-lite';
import { openCsv } from '#shared/csv/read.ts';
import { defineContract, type Contract } from '#shared/csv/contract.ts';
import { uploadContracts } from './contracts.ts';

const sample = (name: string) => new URL(`./samples/${name}`, import.meta.url);

async function read(
  contract: Contract,
  bytes: Uint8Array | URL,
  source = 'test.csv',
  canReopen = true,
) {
  const open = () =>
    bytes instanceof URL
      ? createReadStream(bytes)
      : (async function* () {
          yield bytes;
        })();
  const reader = await openCsv(open(), contract, {
    source,
    ...(canReopen && { reopen: async () => open() }),
  });
  const rows: Record<string, unknown>[] = [];
  const quarantined = [];
  for await (const b of reader.batches()) {
    rows.push(...b.rows);
    quarantined.push(...b.quarantined);
  }
  return { report: reader.report, rows, quarantined };
}

const c = (name: string) => uploadContracts.get(name)!;
const strip = (rows: Record<string, unknown>[]) => rows.map(({ source: _s, ...r }) => r);

describe('the sample files', () => {
  it.each([
    ['moe_climbers_8th', 33, 28, { title: 3, blank: 0, note: 1, total: 1 }, 28],
    ['pref_climbers_5th', 11, 7, { title: 2, blank: 0, note: 1, total: 1 }, 21],
    ['entry_registrations', 109, 108, { title: 1, blank: 0, note: 0, total: 0 }, 108],
    ['parking_shuttle', 18, 15, { title: 2, blank: 0, note: 0, total: 1 }, 15],
  ])(
    '%s loads every record from Shift_JIS and UTF-8 with BOM alike',
    async (name, read_, loaded, skipped, rows) => {
      const sj = await read(c(name), sample(`${name}.sjis.csv`));
      const u8 = await read(c(name), sample(`${name}.utf8bom.csv`));
      expect(sj.report.detection.encoding).toBe('cp932');
      expect(u8.report.detection.encoding).toBe('utf-8-bom');
      for (const r of [sj, u8]) {
        expect(r.report).toMatchObject({ read: read_, loaded, quarantined: 0, skipped });
        expect(r.report.read).toBe(
          r.report.loaded +
            r.report.quarantined +
            Object.values(r.report.skipped).reduce((a, b) => a + b),
        );
        expect(r.rows).toHaveLength(rows);
      }
      expect(strip(sj.rows)).toEqual(strip(u8.rows));
    },
  );

  it('reads era dates, units, placeholders and routes of the MOE file', async () => {
    const { rows } = await read(c('moe_climbers_8th'), sample('moe_climbers_8th.sjis.csv'));
    expect(rows[0]).toMatchObject({
      count_point: '8th_station',
      count_date: '2025-07-10',
      route: 'yoshida',
      climbers: 2340,
      source_line: 4,
    });
    const removed = rows.find((r) => r.count_date === '2025-07-13' && r.route === 'gotemba');
    expect(removed).toMatchObject({ climbers: null, null_notes: 'climbers=- (none)' });
    expect(new Set(rows.map((r) => r.route))).toEqual(
      new Set(['fujinomiya', 'gotemba', 'subashiri', 'yoshida']),
    );
  });

  it('unpivots the prefecture’s wide file, keeping a confidential cell as NULL with its reason', async () => {
    const { rows } = await read(c('pref_climbers_5th'), sample('pref_climbers_5th.sjis.csv'));
    expect(rows.filter((r) => r.count_date === '2025-07-14')).toEqual([
      expect.objectContaining({ route: 'fujinomiya', climbers: 1042 }),
      expect.objectContaining({
        route: 'gotemba',
        climbers: null,
        null_notes: 'climbers=x (confidential)',
      }),
      expect.objectContaining({ route: 'subashiri', climbers: 624 }),
    ]);
  });

  it('reads yen through CP932’s backslash, and a blank country as ZZ with a note', async () => {
    const { rows } = await read(c('entry_registrations'), sample('entry_registrations.sjis.csv'));
    expect(rows[0]).toMatchObject({
      entry_date: '2025-07-10',
      route: 'fujinomiya',
      channel: 'app',
      country: 'JP',
      fees_paid_jpy: 60000,
    });
    expect(rows[3]).toMatchObject({ country: 'ZZ', null_notes: 'country=country not given' });
  });

  it('reads △ as minus and trims U+3000 padding in the parking file', async () => {
    const { rows } = await read(c('parking_shuttle'), sample('parking_shuttle.sjis.csv'));
    expect(rows.map((r) => r.site)).toContain('水ケ塚駐車場');
    expect(rows.some((r) => (r.vehicles_yoy as number) < 0)).toBe(true);
    expect(rows.find((r) => r.site === '御殿場口新五合目駐車場')).toMatchObject({
      shuttle_passengers: null,
      null_notes: 'shuttle_passengers=- (none)',
    });
  });
});

describe('bad input', () => {
  const moe = c('moe_climbers_8th');
  const header = '日付,登山道,登山者数,備考\r\n';
  const csv = (body: string, enc: 'utf-8' | 'cp932' = 'utf-8') =>
    enc === 'cp932' ? iconv.encode(header + body, 'cp932') : Buffer.from(header + body);

  it('quarantines ragged rows, bad values and duplicate keys with reasons and lines; the rest lands', async () => {
    const r = await read(
      moe,
      csv(
        [
          '2025/7/10,富士宮,100,',
          '2025/7/10,富士宮,101,', // duplicate key
          '2025/7/11,富士宮', // too few fields
          '2025/7/12,富士宮,1,,extra', // too many
          '2025/7/13,富士宮ルートX,5,', // unknown route
          '2025/7/14,須走,=1+2,', // formula in a number
          '2025/7/15,須走,7,=HYPERLINK("http://evil")',
        ].join('\r\n') + '\r\n',
      ),
    );
    expect(r.report).toMatchObject({ read: 8, loaded: 2, quarantined: 5 });
    // Repeats are verified after the pass, so they are reported last; sorted here by line.
    const byLine = [...r.quarantined].sort((a, b) => a.line - b.line);
    expect(byLine.map((q) => [q.line, q.reason])).toEqual([
      [
        3,
        'duplicate key (count_point=8th_station, route=fujinomiya, count_date=2025-07-10) first used at line 2',
      ],
      [4, 'row has 2 fields, the header has 4'],
      [5, 'row has 5 fields, the header has 4'],
      [
        6,
        'route: unknown value "富士宮ルートX" (expected fujinomiya, gotemba, subashiri, yoshida)',
      ],
      [7, 'climbers: not a number: "=1+2"'],
    ]);
    expect(byLine[0]).toMatchObject({
      raw: '2025/7/10,富士宮,101,',
      contract: 'moe_climbers_8th',
      header: '日付,登山道,登山者数,備考',
    });
  });

  it('quarantines a repeat as a possible duplicate when the source cannot be read again', async () => {
    const r = await read(moe, csv('2025/7/10,富士宮,1,\r\n2025/7/10,富士宮,2,\r\n'), 'pipe', false);
    expect(r.quarantined.map((q) => [q.line, q.reason])).toEqual([
      [
        3,
        'possible duplicate key (count_point=8th_station, route=fujinomiya, count_date=2025-07-10); the source could not be read again to verify',
      ],
    ]);
  });

  it('lands formula-looking and SQL-looking text exactly as written', async () => {
    const p = c('parking_shuttle');
    const hostile = [
      "=cmd|' /C calc'!A0",
      '+1+1',
      '-2+3',
      '@SUM(A1)',
      "x'); DROP TABLE mobility.parking_shuttle_daily; --",
    ];
    const body =
      '日付,駐車場,駐車台数\r\n' +
      hostile.map((h, i) => `2025/7/${10 + i},"${h.replaceAll('"', '""')}",1`).join('\r\n');
    const r = await read(p, Buffer.from(body));
    expect(r.rows.map((x) => x.site)).toEqual(hostile);
  });

  it('loads the known columns of a file with an unknown one and names it; a strict contract refuses it', async () => {
    const file = Buffer.from('日付,登山道,登山者数,天気\n2025/7/10,富士宮,1,晴\n');
    const r = await read(moe, file);
    expect(r.report.loaded).toBe(1);
    expect(r.report.header?.map.unknown).toEqual(['天気']);
    const strict = defineContract({ ...moe, unknownColumns: 'fail' });
    await expect(read(strict, file)).rejects.toThrow(
      /header at line 1: unknown column "天気" \(add to the contract's headers or ignore list\)/,
    );
  });

  it('refuses a file without the contract’s header, showing its first row', async () => {
    await expect(read(moe, Buffer.from('a,b,c\n1,2,3\n'))).rejects.toThrow(
      /no header row in the first 2 rows .*first row: "a,b,c"/,
    );
  });

  it('loads nothing from a file of only headers, and says so in the counts', async () => {
    const r = await read(moe, Buffer.from(header));
    expect(r.report).toMatchObject({ read: 1, loaded: 0, quarantined: 0, skipped: { title: 1 } });
  });

  it('refuses garbage bytes and an empty file with clear messages', async () => {
    const garbage = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 255 || 1));
    await expect(read(moe, garbage)).rejects.toThrow(/CSV_HEADER|no header row/);
    await expect(read(moe, Buffer.alloc(0))).rejects.toThrow(/the file is empty/);
  });

  it('quarantines a 10 MB field with its size, keeping the raw text short, and loads the next row', async () => {
    const big = `2025/7/10,富士宮,1,"${'あ'.repeat(3_500_000)}"\r\n2025/7/11,富士宮,2,\r\n`;
    const r = await read(moe, csv(big));
    expect(r.report).toMatchObject({ loaded: 1, quarantined: 1 });
    expect(r.quarantined[0]!.reason).toMatch(/record is 10500024 bytes, over the limit of 65536/);
    expect(r.quarantined[0]!.raw.length).toBeLessThan(5000);
    expect(r.quarantined[0]!.raw).toMatch(/\[truncated, 10500024 bytes in all\]$/);
  });

  it('quarantines lines that are not valid in the detected encoding instead of landing mojibake', async () => {
    const good = iconv.encode(header + '2025/7/10,富士宮,1,注意\r\n', 'cp932');
    const bad = Buffer.from([
      0x32, 0x30, 0x32, 0x35, 0x2f, 0x37, 0x2f, 0x31, 0x31, 0x2c, 0x82, 0xff, 0x2c, 0x31, 0x2c,
      0x0d, 0x0a,
    ]);
    const r = await read(moe, Buffer.concat([good, bad]));
    expect(r.report.detection.encoding).toBe('cp932');
    expect(r.quarantined.map((q) => [q.line, q.reason])).toEqual([
      [3, `bytes not valid cp932 at byte offset ${good.length + 10}`],
    ]);
    expect(r.rows).toHaveLength(1);
  });

  it('keeps a UTF-8 file with one bad byte UTF-8: that record is quarantined with its offset, the rest lands', async () => {
    const lines = [
      header.trimEnd(),
      ...Array.from({ length: 30 }, (_, i) => `2025/7/${i + 1},富士宮,${i},富士山`),
    ];
    const text = Buffer.from(lines.join('\r\n') + '\r\n');
    const at = text.indexOf(Buffer.from('2025/7/7,')) + 12;
    const broken = Buffer.from(text);
    broken[at] = 0xff; // the first byte of 士 in line 8
    const r = await read(moe, broken);
    expect(r.report.detection).toMatchObject({
      encoding: 'utf-8',
      by: expect.stringMatching(/^UTF-8 with 1 invalid byte sequence/),
    });
    expect(r.quarantined.map((q) => [q.line, q.reason])).toEqual([
      [8, `bytes not valid utf-8 at byte offset ${at}`],
    ]);
    expect(r.rows).toHaveLength(29);
  });

  it('says a file mixes encodings when a line of it is CP932 inside UTF-8', async () => {
    const utf8 = Buffer.from(
      [
        header.trimEnd(),
        ...Array.from({ length: 30 }, (_, i) => `2025/7/${i + 1},富士宮,${i},富士山頂`),
      ].join('\n') + '\n',
    );
    const sjisLine = iconv.encode('2025/8/1,富士宮,5,富士山頂\n', 'cp932');
    const r = await read(moe, Buffer.concat([utf8, sjisLine]));
    expect(r.report.detection.encoding).toBe('utf-8');
    expect(r.quarantined).toHaveLength(1);
    expect(r.quarantined[0]!.reason).toMatch(
      /^bytes not valid utf-8 at byte offset \d+ \(the line is valid cp932: the file mixes encodings\)$/,
    );
    expect(r.rows).toHaveLength(30);
  });

  it('accepts header drift: full-width, spaces and alias spellings', async () => {
    const r = await read(
      moe,
      Buffer.from(
        'ＦＯＯ年報\n 年月日 ,ルート,登山者数（人）,備 考\n令和7年7月10日,吉田口,"1,200人",\n',
      ),
    );
    expect(r.rows).toEqual([
      expect.objectContaining({ count_date: '2025-07-10', route: 'yoshida', climbers: 1200 }),
    ]);
  });

  it('reads the samples identically whatever the chunking (streaming)', async () => {
    const bytes = readFileSync(sample('moe_climbers_8th.sjis.csv'));
    const reader = await openCsv(
      (async function* () {
        for (let i = 0; i < bytes.length; i += 7) yield bytes.subarray(i, i + 7);
      })(),
      moe,
      { source: 'test.csv' },
    );
    const rows = [];
    for await (const b of reader.batches()) rows.push(...b.rows);
    expect(strip(rows)).toEqual(strip((await read(moe, bytes)).rows));
  });
});
