/**
 * Excel uploads through the same contracts: workbooks written here in the publishers' style (a
 * cover sheet, a merged title above the header, dates as Excel date cells or as text, numbers
 * as numbers or as "1,002人" text), and broken zips refused with the file named.
 */
import { strToU8, zipSync } from 'fflate';
import writeExcelFile, { type CellObject } from 'write-excel-file/node';
import { describe, expect, it } from 'vitest';
import { CsvFileError } from '#shared/csv/errors.ts';
import { openCsv } from '#shared/csv/read.ts';
import { defineContract } from '#shared/csv/contract.ts';
import { uploadContracts } from './contracts.ts';

const pref = uploadContracts.get('pref_climbers_5th')!;
const moe = uploadContracts.get('moe_climbers_8th')!;
const day = (iso: string) => new Date(`${iso}T00:00:00.000Z`);

async function read(bytes: Uint8Array, contract = pref, source = 'press.xlsx') {
  const open = () =>
    (async function* () {
      yield bytes;
    })();
  const reader = await openCsv(open(), contract, { source, reopen: async () => open() });
  const rows: Record<string, unknown>[] = [];
  const quarantined: { line: number; reason: string; raw: string }[] = [];
  for await (const b of reader.batches()) {
    rows.push(...b.rows);
    quarantined.push(...b.quarantined);
  }
  return { report: reader.report, rows, quarantined };
}

/** The prefecture's workbook: a cover sheet, then the table under a merged title. */
async function pressWorkbook(): Promise<Buffer> {
  const c = (value: CellObject['value'], more: Partial<CellObject> = {}) =>
    ({ value, ...more }) as CellObject;
  return writeExcelFile([
    { sheet: '表紙', data: [[c('富士山登山者数調査 報告書')]] },
    {
      sheet: '五合目',
      dateFormat: 'yyyy/mm/dd',
      data: [
        [c('富士山五合目における登山者数（令和7年）', { columnSpan: 5 }), null, null, null, null],
        [c('実測日'), c('富士宮口'), c('御殿場口'), c('須走口'), c('3登山口計')],
        [
          c(day('2025-07-10'), { type: Date } as Partial<CellObject>),
          c(1002),
          c(313),
          c(788),
          c(2103),
        ],
        [c('7/11(金)'), c('1,210人'), c('402人'), c('欠測'), c(1612)],
        [
          c(day('2025-07-12'), { type: Date } as Partial<CellObject>),
          c(980),
          c(300),
          c(650),
          c(1930),
        ],
        [c('期間計'), c(3192), c(1015), c(1438), c(5645)],
      ],
    },
  ]).toBuffer();
}

describe('Excel uploads', () => {
  it('reads the sheet that holds the header, dates as cells or text, the year of 7/11 from the merged title', async () => {
    const r = await read(await pressWorkbook());
    expect(r.report.detection).toEqual({ encoding: 'xlsx', by: 'sheet "五合目" of 2' });
    expect(r.quarantined).toEqual([]);
    expect(r.rows.map((x) => [x.count_date, x.route, x.climbers, x.source_line])).toEqual([
      ['2025-07-10', 'fujinomiya', 1002, 3],
      ['2025-07-10', 'gotemba', 313, 3],
      ['2025-07-10', 'subashiri', 788, 3],
      ['2025-07-11', 'fujinomiya', 1210, 4],
      ['2025-07-11', 'gotemba', 402, 4],
      ['2025-07-11', 'subashiri', null, 4],
      ['2025-07-12', 'fujinomiya', 980, 5],
      ['2025-07-12', 'gotemba', 300, 5],
      ['2025-07-12', 'subashiri', 650, 5],
    ]);
    expect(r.report).toMatchObject({ read: 6, loaded: 3, skipped: { title: 2, total: 1 } });
  });

  it('reads the sheet a contract names, and says which sheets there are when it is missing', async () => {
    const named = defineContract({ ...pref, sheet: '五合目' });
    expect((await read(await pressWorkbook(), named)).rows).toHaveLength(9);
    const missing = defineContract({ ...pref, sheet: '八合目' });
    await expect(read(await pressWorkbook(), missing)).rejects.toThrow(
      'no sheet named "八合目" (sheets: 表紙, 五合目)',
    );
  });

  it('quarantines a bad row of a sheet with its row number and the row as CSV, for replay', async () => {
    const book = await writeExcelFile([
      [{ value: '日付' }, { value: '登山道' }, { value: '登山者数' }],
      [
        { value: day('2025-07-10'), type: Date, format: 'yyyy/mm/dd' },
        { value: '富士宮' },
        { value: 850 },
      ],
      [{ value: '2025/7/11' }, { value: '大沢' }, { value: 12 }],
    ]).toBuffer();
    const r = await read(book, moe, 'moe.xlsx');
    expect(r.rows).toHaveLength(1);
    expect(r.quarantined).toMatchObject([
      {
        line: 3,
        raw: '2025/7/11,大沢,12',
        reason: expect.stringContaining('unknown value "大沢"'),
      },
    ]);
  });

  it('refuses a broken or truncated workbook with one clear error naming the file', async () => {
    const whole = await pressWorkbook();
    for (const bytes of [
      whole.subarray(0, whole.length / 2),
      Buffer.concat([whole.subarray(0, 4), Buffer.alloc(200, 7)]),
    ]) {
      const err = await read(bytes, pref, 'broken.xlsx').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(CsvFileError);
      expect((err as CsvFileError).code).toBe('XLSX_INVALID');
      expect((err as CsvFileError).context.source).toBe('broken.xlsx');
    }
  });

  it('refuses a hostile workbook that addresses the last cell of the sheet, instead of running out of memory', async () => {
    const xml = (body: string) =>
      strToU8(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>${body}`);
    const ns = 'http://schemas.openxmlformats.org';
    const bomb = zipSync({
      '[Content_Types].xml': xml(
        `<Types xmlns="${ns}/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`,
      ),
      '_rels/.rels': xml(
        `<Relationships xmlns="${ns}/package/2006/relationships"><Relationship Id="rId1" Type="${ns}/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
      ),
      'xl/workbook.xml': xml(
        `<workbook xmlns="${ns}/spreadsheetml/2006/main" xmlns:r="${ns}/officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>`,
      ),
      'xl/_rels/workbook.xml.rels': xml(
        `<Relationships xmlns="${ns}/package/2006/relationships"><Relationship Id="rId1" Type="${ns}/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
      ),
      'xl/worksheets/sheet1.xml': xml(
        `<worksheet xmlns="${ns}/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1"><v>1</v></c></row><row r="1048576"><c r="XFD1048576"><v>2</v></c></row></sheetData></worksheet>`,
      ),
    });
    const err = await read(bomb, pref, 'bomb.xlsx').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CsvFileError);
    expect((err as CsvFileError).context.source).toBe('bomb.xlsx');
  });
});
