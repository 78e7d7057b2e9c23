/**
 * Excel (.xlsx) uploads read into the same records as CSV, so contracts, cell rules, quarantine
 * and idempotency are the same. Cells become the text a person sees: numbers as written by
 * JavaScript, date cells (Excel serials, 1900 or 1904 system) as YYYY-MM-DD of the calendar day,
 * never through the machine's zone. A merged title above the header keeps its text in its first
 * cell, so it arrives as a title line (the year of year-less dates comes from it). Each record's
 * `raw` is the row written as CSV, so replay reads it back with the same parser.
 *
 * Why hucre (pinned; kept behind this one module): no dependencies, ~35 KiB zipped in a bundle
 * (an ExcelJS fork ~210 KiB, SheetJS ~120 KiB), both date systems and the Japanese era date
 * formats recognised, merged ranges reported, and caps on cells, input and zip expansion that
 * fail with a catchable error. read-excel-file, tried first, was smaller but crashed the process
 * out of memory on a 3 KB workbook addressing cell XFD1048576, a denial of service for
 * uploads; SheetJS on npm is a 2022 build with published advisories; ExcelJS is unmaintained.
 */
import { readXlsx } from 'hucre/xlsx';
import { CsvFileError } from './errors.ts';
import type { CsvRecord } from './records.ts';

/** A workbook is read whole (the zip's directory is at its end): larger files are refused. */
export const MAX_XLSX_BYTES = 64 * 1024 * 1024;

/** The zip signature every .xlsx starts with. */
export function isZip(head: Uint8Array): boolean {
  return head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04;
}

export interface Sheet {
  readonly name: string;
  readonly records: readonly CsvRecord[];
}

const pad = (n: number) => String(n).padStart(2, '0');

function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) {
    // The reader gives Excel's serial as a UTC instant: its UTC calendar day is the cell's day.
    // A serial a hair before midnight (…T23:59:59.999Z) is Excel's float for the next day.
    const t = new Date(Math.round(v.getTime() / 60_000) * 60_000);
    return `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`;
  }
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  return String(v);
}

/** A row as one CSV line, for `raw` (quarantine, replay). */
function csvLine(fields: readonly string[]): string {
  return fields.map((f) => (/[",\r\n]/.test(f) ? `"${f.replaceAll('"', '""')}"` : f)).join(',');
}

/** Every sheet of a workbook as records (line = the sheet's row number). */
export async function readWorkbook(bytes: Uint8Array, source: string): Promise<Sheet[]> {
  if (bytes.length > MAX_XLSX_BYTES)
    throw new CsvFileError(
      'XLSX_TOO_LARGE',
      `the workbook is ${bytes.length} bytes, over ${MAX_XLSX_BYTES}`,
      { source },
    );
  let sheets: { name: string; rows: readonly (readonly unknown[])[] }[];
  try {
    sheets = (await readXlsx(bytes, { dateSystem: 'auto' })).sheets;
  } catch (err) {
    throw new CsvFileError(
      'XLSX_INVALID',
      `not a readable .xlsx workbook: ${(err as Error).message.split('\n')[0]}`,
      { source },
    );
  }
  return sheets.map((s) => ({
    name: s.name,
    records: s.rows.map((row, i) => {
      const fields = row.map(cellText);
      return { line: i + 1, endLine: i + 1, raw: csvLine(fields), fields };
    }),
  }));
}
