/**
 * One file read against one contract, streamed in batches: bytes → lines → records → header →
 * rows. Every record ends up counted exactly once: loaded, quarantined (with line, raw text and
 * reason) or skipped by a contract rule (title, blank, note, total), so
 * read = loaded + quarantined + skipped holds for every file.
 */
import { CsvFileError } from './errors.ts';
import { openText, type Detection, type Encoding } from './decode.ts';
import { records } from './records.ts';
import { matchHeader, readRow, type Contract, type HeaderMap } from './contract.ts';
import { KeyLines } from './keyset.ts';
import { fullName } from '../model/table.ts';
import { canonical } from '../sql/canonical.ts';
import { columnOf } from '../model/table.ts';

export interface QuarantinedRecord {
  readonly table: string;
  readonly line: number;
  /** The record as written (truncated past 4 KiB). */
  readonly raw: string;
  readonly reason: string;
  readonly contract: string;
  /** The file's header record, so a replay can map the raw record again. */
  readonly header?: string;
}

export interface CsvBatch {
  readonly rows: readonly Record<string, unknown>[];
  readonly quarantined: readonly QuarantinedRecord[];
  readonly rowsRead: number;
  readonly rowsSkipped: number;
}

export type SkipReason = 'title' | 'blank' | 'note' | 'total';

export interface FileReport {
  readonly detection: Detection;
  header?: { readonly line: number; readonly raw: string; readonly map: HeaderMap };
  read: number;
  loaded: number;
  quarantined: number;
  skipped: Record<SkipReason, number>;
  /** The first problems, for `csv check`. */
  readonly problems: { line: number; reason: string }[];
}

export interface CsvReader {
  readonly report: FileReport;
  batches(): AsyncGenerator<CsvBatch>;
}

export interface ReadOptions {
  /** Names the file in rows, quarantine and errors: s3://bucket/key, a URL or a path. */
  readonly source: string;
  /** ETag or resource update time, kept with each row. */
  readonly version?: string;
  readonly licence?: string;
  readonly declared?: Encoding;
  readonly batchRows?: number;
  readonly maxRecordBytes?: number;
}

const RAW_KEEP = 4096;

export function clip(raw: string): string {
  return raw.length <= RAW_KEEP
    ? raw
    : `${raw.slice(0, RAW_KEEP)}… [truncated, ${Buffer.byteLength(raw)} bytes in all]`;
}

/** The key of a row as one string, in the writer's canonical form (so 1 and "1" collide). */
function keyOf(c: Contract, row: Record<string, unknown>): string {
  return c.table.key
    .map((k) => {
      const v = canonical(columnOf(c.table, k).type, row[k]);
      return `${k}=${typeof v === 'bigint' ? v.toString() : String(v)}`;
    })
    .join(', ');
}

/**
 * @example
 * const reader = await openCsv(fs.createReadStream(path), contract, { source: path });
 * for await (const batch of reader.batches()) await write(batch.rows);
 * console.log(reader.report.loaded, reader.report.quarantined);
 */
export async function openCsv(
  chunks: AsyncIterable<Uint8Array>,
  contract: Contract,
  opts: ReadOptions,
): Promise<CsvReader> {
  const { detection, lines } = await openText(chunks, {
    source: opts.source,
    declared: opts.declared,
    hint: contract.encoding,
  });
  const table = fullName(contract.table);
  const report: FileReport = {
    detection,
    read: 0,
    loaded: 0,
    quarantined: 0,
    skipped: { title: 0, blank: 0, note: 0, total: 0 },
    problems: [],
  };
  const batchRows = opts.batchRows ?? 5000;

  async function* batches(): AsyncGenerator<CsvBatch> {
    const keys = new KeyLines();
    let rows: Record<string, unknown>[] = [];
    let quarantined: QuarantinedRecord[] = [];
    let read = 0;
    let skipped = 0;
    let near: string | undefined;
    const titles: string[] = [];
    const reject = (line: number, raw: string, reason: string) => {
      quarantined.push({
        table,
        line,
        raw: clip(raw),
        reason,
        contract: contract.name,
        ...(report.header && { header: report.header.raw }),
      });
      report.quarantined++;
      if (report.problems.length < 20) report.problems.push({ line, reason });
    };
    const searchRows = contract.headerSearchRows ?? 20;
    for await (const r of records(lines, {
      encoding: detection.encoding,
      maxRecordBytes: opts.maxRecordBytes,
    })) {
      read++;
      report.read++;
      if (!report.header) {
        const m = 'fields' in r ? matchHeader(contract, r.fields, r.line) : undefined;
        if (m && 'map' in m) {
          report.header = { line: r.line, raw: r.raw, map: m.map };
        } else {
          if (m) near ??= m.near;
          if (r.raw.trim() !== '') titles.push(r.raw);
          if (titles.length >= searchRows || r.line > searchRows * 5) break;
        }
        // Title rows and the header itself are skipped by contract rule.
        skipped++;
        report.skipped.title++;
        continue;
      }
      if ('error' in r) {
        reject(r.line, r.raw, r.error);
      } else {
        const out = readRow(contract, report.header.map, r.fields, r.line, {
          source: opts.source,
          version: opts.version,
          licence: opts.licence,
        });
        if (out.kind === 'skip') {
          skipped++;
          report.skipped[out.reason]++;
        } else if (out.kind === 'reject') {
          reject(r.line, r.raw, out.reason);
        } else {
          const ks = out.rows.map((row) => keyOf(contract, row));
          const dup = ks.find((k) => keys.lineOf(k) !== undefined);
          if (dup !== undefined) {
            reject(r.line, r.raw, `duplicate key (${dup}) first used at line ${keys.lineOf(dup)}`);
          } else {
            for (const k of ks) keys.add(k, r.line);
            rows.push(...out.rows);
            report.loaded++;
          }
        }
      }
      if (rows.length >= batchRows || quarantined.length >= batchRows) {
        yield { rows, quarantined, rowsRead: read, rowsSkipped: skipped };
        rows = [];
        quarantined = [];
        read = 0;
        skipped = 0;
      }
    }
    if (!report.header) {
      const expected = Object.values(contract.columns)
        .filter((c) => c.required)
        .map((c) => c.headers[0])
        .join(', ');
      throw new CsvFileError(
        'CSV_HEADER',
        near ??
          (report.read === 0
            ? 'the file is empty'
            : `no header row in the first ${titles.length} rows (expected ${expected}); first row: ${JSON.stringify(clip(titles[0] ?? '').slice(0, 200))}`),
        { source: opts.source, contract: contract.name, encoding: detection.encoding },
      );
    }
    yield { rows, quarantined, rowsRead: read, rowsSkipped: skipped };
  }
  return { report, batches };
}
