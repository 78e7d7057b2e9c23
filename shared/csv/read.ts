/**
 * One file read against one contract, streamed in batches: bytes → lines → records → header →
 * rows. Every record ends up counted exactly once: loaded, quarantined (with line, raw text and
 * reason) or skipped by a contract rule (title, blank, note, total), so
 * read = loaded + quarantined + skipped holds for every file.
 */
import { CsvFileError } from './errors.ts';
import { openText, type Detection, type Encoding, type LineBlock } from './decode.ts';
import { isZip, MAX_XLSX_BYTES, readWorkbook, type Sheet } from './xlsx.ts';
import { recordBlocks, type CsvRecord, type RecordBlock } from './records.ts';
import { matchHeader, readRow, type Contract, type HeaderMap, type Lineage } from './contract.ts';
import { hash64, KeyFilter } from './keyset.ts';
import { hashId, KeyLog } from './keylog.ts';
import { Spill } from './spill.ts';
import { DateContext, yearHint } from './dates.ts';
import type { CellContext } from './values.ts';
import { fullName } from '../model/table.ts';

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
  /** Records whose rows are in this batch (a record held for the duplicate check lands later). */
  readonly rowsLoaded: number;
}

export type SkipReason = 'title' | 'blank' | 'note' | 'total';

/** How a file was read: its text encoding, or `xlsx` for a workbook (cells carry text). */
export interface FileDetection {
  readonly encoding: Encoding | 'xlsx';
  readonly by: string;
}

export interface FileReport {
  readonly detection: FileDetection;
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
  /**
   * Where the read stands right after the batch just yielded, when it can stop there and go on
   * later (a CSV read, at a block end, outside a quoted field): give it back as `resume` with the
   * file's bytes from `state.text.offset`. Undefined otherwise (a workbook, UTF-16, mid-block).
   */
  position(): ReadCheckpoint | undefined;
}

/** A row held for the duplicate check until the end of the file. */
interface Suspect {
  readonly line: number;
  readonly raw: string;
  readonly rows: readonly Record<string, unknown>[];
  readonly keys: readonly string[];
  /** Each key's position in the key log. */
  readonly at: readonly number[];
}

/** Bumped when the key filter's layout or the checkpoint's shape changes. */
const CHECKPOINT_FORMAT = 3;

/** What a resumed read needs: plain data (JSON), the key filter's bits and the key log. */
export interface ReadCheckpoint {
  readonly state: {
    readonly format: number;
    readonly text: {
      readonly offset: number;
      readonly line: number;
      readonly detection: Detection;
    };
    readonly header: {
      readonly line: number;
      readonly raw: string;
      readonly fields: readonly string[];
    };
    /** Title and period lines above the header: the year of year-less dates. */
    readonly titles: readonly string[];
    readonly lastDay?: number;
    readonly report: Pick<FileReport, 'read' | 'loaded' | 'quarantined' | 'skipped' | 'problems'>;
    readonly suspects: number;
  };
  readonly filter: Uint8Array;
  readonly keyLog: Uint8Array;
  /** The records held for the duplicate check, as JSON lines. */
  readonly suspects: Uint8Array;
}

export interface ReadOptions {
  /**
   * Opens the same bytes again, for the second pass that verifies possible duplicate keys.
   * Without it, a possible duplicate is quarantined as such rather than verified.
   */
  readonly reopen?: () => Promise<AsyncIterable<Uint8Array>>;
  /** Names the file in rows, quarantine and errors: s3://bucket/key, a URL or a path. */
  readonly source: string;
  /** ETag or resource update time, kept with each row. */
  readonly version?: string;
  readonly licence?: string;
  readonly declared?: Encoding;
  readonly batchRows?: number;
  readonly maxRecordBytes?: number;
  /**
   * The file's size in bytes, when known (an S3 object's): the key filter is sized to it, so a
   * small file does not hold 32 MiB of filter. At most 2^28 bits, whatever the size.
   */
  readonly sizeHint?: number;
  /** Goes on from a checkpoint of an earlier read; the bytes start at its offset. */
  readonly resume?: ReadCheckpoint;
}

const RAW_KEEP = 4096;

/**
 * A copy of a string that does not keep its source alive: V8 represents a slice as a view into
 * the parent string, here a decoded block of the file, so holding a few slices holds megabytes.
 */
const detach = (s: string): string => Buffer.from(s, 'utf8').toString('utf8');

/**
 * Filter bits for a file of `bytes`: 16 per key at one key per 32 bytes (registration exports
 * run 50 bytes a row), between 2^16 and 2^28 (32 MiB). A false suspect costs only its lookup in
 * the key log, so the filter is sized for speed and memory, not for a second pass.
 */
function filterBits(bytes: number | undefined): number {
  if (bytes === undefined) return 28;
  return Math.min(28, Math.max(16, Math.ceil(Math.log2(Math.max(1, bytes / 32) * 16))));
}

export function clip(raw: string): string {
  return raw.length <= RAW_KEEP
    ? raw
    : `${raw.slice(0, RAW_KEEP)}… [truncated, ${Buffer.byteLength(raw)} bytes in all]`;
}

/**
 * The key of a row as one string. Cell parsers give one type per column (dates as YYYY-MM-DD,
 * codes as strings), so the plain text of each value identifies it.
 */
function keyOf(c: Contract, row: Record<string, unknown>): string {
  // Joined by ', ' in a loop: a million rows' arrays cost more than the key itself.
  let out = '';
  for (const k of c.table.key) {
    const part = `${k}=${String(row[k])}`;
    out = out === '' ? part : `${out}, ${part}`;
  }
  return out;
}

type Classified =
  | { readonly kind: 'title'; readonly raw: string; readonly near?: string }
  | {
      readonly kind: 'header';
      readonly line: number;
      readonly raw: string;
      readonly map: HeaderMap;
    }
  | { readonly kind: 'skip'; readonly reason: Exclude<SkipReason, 'title'> }
  | {
      readonly kind: 'reject';
      readonly line: number;
      readonly raw: string;
      readonly reason: string;
    }
  | {
      readonly kind: 'rows';
      readonly line: number;
      readonly raw: string;
      readonly rows: readonly Record<string, unknown>[];
    };

/**
 * Records in, one verdict per record out: title rows until the header, then rows, skips and
 * rejections; `exhausted` when no header shows up within the contract's search window.
 */
class Classifier {
  header: HeaderMap | undefined;
  headerFields: readonly string[] = [];
  readonly titleLines: string[] = [];
  ctx: CellContext = {};
  /** No header within the search window: the read stops after this title row. */
  exhausted = false;
  private titles = 0;
  private readonly contract: Contract;
  private readonly lineage: Lineage;

  constructor(contract: Contract, lineage: Lineage, resume?: ReadCheckpoint['state']) {
    this.contract = contract;
    this.lineage = lineage;
    if (resume) {
      const m = matchHeader(contract, resume.header.fields, resume.header.line);
      if (!m || !('map' in m)) throw new Error("the checkpoint's header no longer matches");
      this.header = m.map;
      this.headerFields = resume.header.fields;
      this.titleLines.push(...resume.titles);
      this.ctx = { dates: new DateContext(yearHint(this.titleLines)) };
      if (resume.lastDay !== undefined) this.ctx.dates!.saw(resume.lastDay);
    }
  }

  classify(r: CsvRecord): Classified {
    const contract = this.contract;
    if (!this.header) {
      const m = 'fields' in r ? matchHeader(contract, r.fields, r.line) : undefined;
      if (m && 'map' in m) {
        this.header = m.map;
        this.headerFields = (r as { fields: readonly string[] }).fields;
        // Title and period lines give the year of dates written without one.
        this.ctx = { dates: new DateContext(yearHint(this.titleLines)) };
        return { kind: 'header', line: r.line, raw: r.raw, map: m.map };
      }
      if (r.raw.trim() !== '') {
        this.titles++;
        this.titleLines.push('fields' in r ? r.fields.join(' ') : r.raw);
      }
      const searchRows = contract.headerSearchRows ?? 20;
      this.exhausted = this.titles >= searchRows || r.line > searchRows * 5;
      return { kind: 'title', raw: r.raw, ...(m && { near: m.near }) };
    }
    if ('error' in r) return { kind: 'reject', line: r.line, raw: r.raw, reason: r.error };
    const out = readRow(contract, this.header, r.fields, r.line, this.lineage, this.ctx);
    if (out.kind === 'skip') return { kind: 'skip', reason: out.reason };
    if (out.kind === 'reject')
      return { kind: 'reject', line: r.line, raw: r.raw, reason: out.reason };
    return { kind: 'rows', line: r.line, raw: r.raw, rows: out.rows };
  }
}

/** Where a file's records come from: decoded CSV lines, or the rows of a workbook's sheet. */
interface RecordSource {
  readonly detection: FileDetection;
  readonly first: AsyncIterable<RecordBlock>;
  readonly canReadAgain: boolean;
  /** The same records again from the start, for the duplicate check's second pass. */
  again(): Promise<AsyncIterable<RecordBlock>>;
}

/** The stream's first bytes (enough for a signature), and the whole stream again. */
async function peek(
  chunks: AsyncIterable<Uint8Array>,
): Promise<{ head: Uint8Array; all: AsyncIterable<Uint8Array> }> {
  const it = chunks[Symbol.asyncIterator]();
  const first = await it.next();
  const head = first.done ? new Uint8Array(0) : first.value;
  async function* all(): AsyncGenerator<Uint8Array> {
    if (!first.done) yield first.value;
    for (let r = await it.next(); !r.done; r = await it.next()) yield r.value;
  }
  return { head, all: all() };
}

async function csvSource(
  chunks: AsyncIterable<Uint8Array>,
  contract: Contract,
  opts: ReadOptions,
): Promise<RecordSource> {
  const resume = opts.resume?.state.text;
  const { detection, blocks } = await openText(chunks, {
    source: opts.source,
    declared: opts.declared,
    hint: contract.encoding,
    ...(resume && { resume }),
  });
  const recs = (bs: AsyncIterable<LineBlock>) =>
    recordBlocks(bs, { encoding: detection.encoding, maxRecordBytes: opts.maxRecordBytes });
  return {
    detection,
    first: recs(blocks),
    canReadAgain: opts.reopen !== undefined,
    again: async () =>
      recs(
        (
          await openText(await opts.reopen!(), {
            source: opts.source,
            declared: detection.encoding,
          })
        ).blocks,
      ),
  };
}

/** The contract's sheet, or the first sheet whose rows hold the contract's header. */
async function xlsxSource(
  chunks: AsyncIterable<Uint8Array>,
  contract: Contract,
  opts: ReadOptions,
): Promise<RecordSource> {
  const parts: Uint8Array[] = [];
  let size = 0;
  for await (const c of chunks) {
    size += c.length;
    if (size > MAX_XLSX_BYTES) break;
    parts.push(c);
  }
  const sheets = await readWorkbook(
    Buffer.concat(parts, Math.min(size, MAX_XLSX_BYTES + 1)),
    opts.source,
  );
  const searchRows = contract.headerSearchRows ?? 20;
  const hasHeader = (s: Sheet) =>
    s.records
      .slice(0, searchRows * 5)
      .some((r) => 'fields' in r && matchHeader(contract, r.fields, r.line) !== undefined);
  const sheet = contract.sheet
    ? sheets.find((s) => s.name === contract.sheet)
    : (sheets.find(hasHeader) ?? sheets[0]);
  if (!sheet)
    throw new CsvFileError(
      'XLSX_SHEET',
      contract.sheet
        ? `no sheet named ${JSON.stringify(contract.sheet)} (sheets: ${sheets.map((s) => s.name).join(', ')})`
        : 'the workbook has no sheet',
      { source: opts.source, contract: contract.name },
    );
  async function* each(): AsyncGenerator<RecordBlock> {
    yield { records: sheet!.records };
  }
  return {
    detection: { encoding: 'xlsx', by: `sheet ${JSON.stringify(sheet.name)} of ${sheets.length}` },
    first: each(),
    canReadAgain: true,
    again: async () => each(),
  };
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
  const resume = opts.resume;
  const { head, all } = await peek(chunks);
  const source =
    !resume && isZip(head)
      ? await xlsxSource(all, contract, opts)
      : await csvSource(all, contract, opts);
  const { detection } = source;
  const table = fullName(contract.table);
  const was = resume?.state;
  const report: FileReport = {
    detection,
    read: was?.report.read ?? 0,
    loaded: was?.report.loaded ?? 0,
    quarantined: was?.report.quarantined ?? 0,
    skipped: { title: 0, blank: 0, note: 0, total: 0, ...was?.report.skipped },
    problems: [...(was?.report.problems ?? [])],
  };
  const batchRows = opts.batchRows ?? 5000;
  const lineage = { source: opts.source, version: opts.version, licence: opts.licence };
  const classifier = new Classifier(contract, lineage, was);
  if (was && classifier.header)
    report.header = { line: was.header.line, raw: was.header.raw, map: classifier.header };
  if (was && was.format !== CHECKPOINT_FORMAT)
    throw new CsvFileError(
      'CSV_RESUME',
      `a checkpoint of format ${was.format} (this reader: ${CHECKPOINT_FORMAT})`,
      {
        source: opts.source,
      },
    );
  const filter = resume
    ? KeyFilter.fromBytes(resume.filter)
    : new KeyFilter(filterBits(opts.sizeHint));
  const keyLog = resume ? KeyLog.fromBytes(resume.keyLog) : new KeyLog();
  const suspects = resume
    ? Spill.fromBytes<Suspect>(resume.suspects, resume.state.suspects)
    : new Spill<Suspect>();
  /** Set while the batch just yielded ended at a point the read can resume from. */
  let resumable: { offset: number; line: number } | undefined;

  /** First line of each suspect key, from a second pass up to the last suspect's line. */
  async function firstLines(
    keys: ReadonlySet<string>,
    until: number,
  ): Promise<Map<string, number>> {
    const first = new Map<string, number>();
    const again = new Classifier(contract, lineage);
    for await (const block of await source.again()) {
      for (const r of block.records) {
        if (r.line > until) return first;
        const c = again.classify(r);
        if (c.kind !== 'rows') continue;
        for (const row of c.rows) {
          const k = keyOf(contract, row);
          if (keys.has(k) && !first.has(k)) first.set(detach(k), c.line);
        }
      }
    }
    return first;
  }

  async function* batches(): AsyncGenerator<CsvBatch> {
    try {
      yield* read();
    } finally {
      keyLog.close();
      suspects.close();
    }
  }

  async function* read(): AsyncGenerator<CsvBatch> {
    let rows: Record<string, unknown>[] = [];
    let quarantined: QuarantinedRecord[] = [];
    let read = 0;
    let skipped = 0;
    let loaded = 0;
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
    const land = (rs: readonly Record<string, unknown>[]) => {
      for (const r of rs) rows.push(r);
      loaded++;
      report.loaded++;
    };
    const take = (c: Classified) => {
      read++;
      report.read++;
      if (c.kind === 'title' || c.kind === 'header') {
        // Title rows and the header itself are skipped by contract rule.
        if (c.kind === 'header') report.header = { line: c.line, raw: c.raw, map: c.map };
        else {
          if (c.near) near ??= c.near;
          if (c.raw.trim() !== '') titles.push(c.raw);
        }
        skipped++;
        report.skipped.title++;
      } else if (c.kind === 'skip') {
        skipped++;
        report.skipped[c.reason]++;
      } else if (c.kind === 'reject') {
        reject(c.line, c.raw, c.reason);
      } else {
        const keys = c.rows.map((row) => keyOf(contract, row));
        const at = keyLog.length;
        // Every key goes into the filter and the log, so later repeats of any of them are caught.
        let seen = false;
        for (const k of keys) if (filter.add(k, keyLog)) seen = true;
        if (seen) {
          // Held until the end, on disk (as JSON, so no slice pins its decoded block).
          suspects.push({
            line: c.line,
            raw: c.raw,
            rows: c.rows,
            keys,
            at: keys.map((_, i) => at + i),
          });
        } else land(c.rows);
      }
    };
    const cut = () => {
      const b = { rows, quarantined, rowsRead: read, rowsSkipped: skipped, rowsLoaded: loaded };
      rows = [];
      quarantined = [];
      read = skipped = loaded = 0;
      return b;
    };
    const wholeSheet = detection.encoding === 'xlsx';
    reading: for await (const block of source.first) {
      resumable = undefined;
      for (const r of block.records) {
        take(classifier.classify(r));
        if (classifier.exhausted) break reading;
        // A workbook arrives as one block: cut it too (a workbook is not resumed). CSV blocks
        // are a stream chunk each, so they are cut at their ends, where a read can resume.
        if (wholeSheet && rows.length >= batchRows) yield cut();
      }
      if (rows.length >= batchRows || quarantined.length >= batchRows) {
        resumable = classifier.header && block.resumeAt;
        yield cut();
      }
    }
    resumable = undefined;
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
    // A suspect whose keys' hashes appear nowhere earlier in the log is certainly new; only the
    // others (real repeats, almost always) are looked up in a second pass, and only their keys.
    const hashes: [number, number][] = [];
    for (const x of suspects.items()) for (const k of x.keys) hashes.push(hash64(k));
    const earliest = keyLog.firstIndices(hashes);
    keyLog.close();
    const repeats = (x: Suspect) =>
      x.keys.filter((k, i) => earliest.get(hashId(...hash64(k)))! < x.at[i]!);
    const candidates: Suspect[] = [];
    for (const x of suspects.items()) {
      if (repeats(x).length > 0) candidates.push(x);
      else land(x.rows);
      if (rows.length >= batchRows) yield cut();
    }
    suspects.close();
    if (candidates.length > 0) {
      const first = source.canReadAgain
        ? await firstLines(
            new Set(candidates.flatMap(repeats)),
            candidates.reduce((m, x) => Math.max(m, x.line), 0),
          )
        : undefined;
      for (const x of candidates) {
        const dup = first && x.keys.find((k) => (first.get(k) ?? x.line) < x.line);
        if (!first) {
          reject(
            x.line,
            x.raw,
            `possible duplicate key (${x.keys.join('; ')}); the source could not be read again to verify`,
          );
        } else if (dup !== undefined) {
          reject(x.line, x.raw, `duplicate key (${dup}) first used at line ${first.get(dup)}`);
        } else land(x.rows);
      }
    }
    yield cut();
  }

  function position(): ReadCheckpoint | undefined {
    if (!resumable || !report.header || detection.encoding === 'xlsx') return undefined;
    return {
      state: {
        text: { ...resumable, detection: detection as Detection },
        header: {
          line: report.header.line,
          raw: report.header.raw,
          fields: classifier.headerFields,
        },
        titles: classifier.titleLines,
        ...(classifier.ctx.dates?.lastDay !== undefined && {
          lastDay: classifier.ctx.dates.lastDay,
        }),
        report: {
          read: report.read,
          loaded: report.loaded,
          quarantined: report.quarantined,
          skipped: { ...report.skipped },
          problems: [...report.problems],
        },
        suspects: suspects.length,
        format: CHECKPOINT_FORMAT,
      },
      filter: filter.toBytes(),
      keyLog: keyLog.toBytes(),
      suspects: suspects.toBytes(),
    };
  }
  return { report, batches, position };
}
