/**
 * Lines to CSV records (RFC 4180: quoted fields may hold commas, "" and line breaks), with
 * recovery: an unterminated quote costs one line, not the rest of the file. csv-parse was tried
 * first, but after a malformed record its `skip_records_with_error` mode swallows the records
 * that follow, which would lose good rows silently; here every physical line ends up in exactly
 * one record or one error.
 */
import type { Line, LineBlock } from './decode.ts';

export type CsvRecord =
  | {
      readonly line: number;
      readonly endLine: number;
      readonly raw: string;
      readonly fields: readonly string[];
    }
  | {
      readonly line: number;
      readonly endLine: number;
      readonly raw: string;
      readonly error: string;
    };

export interface RecordOptions {
  /** Longest record accepted; one row must fit an Athena statement (262,144 bytes) with room. */
  readonly maxRecordBytes?: number;
  /** Lines a quoted field may span before its quote is judged unterminated. */
  readonly maxRecordLines?: number;
  /** Names the encoding in "bytes not valid …" reasons. */
  readonly encoding: string;
}

type Parsed = { fields: string[] } | { open: true } | { error: string };

/** Splits one record's text into fields; `open` when a quoted field continues on the next line. */
export function parseFields(text: string): Parsed {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    if (text[i] === '"') {
      let value = '';
      let j = i + 1;
      for (;;) {
        const k = text.indexOf('"', j);
        if (k < 0) return { open: true };
        value += text.slice(j, k);
        if (text[k + 1] === '"') {
          value += '"';
          j = k + 2;
          continue;
        }
        i = k + 1;
        break;
      }
      fields.push(value);
      if (i === text.length) return { fields };
      if (text[i] !== ',') {
        return { error: `text after the closing quote of field ${fields.length}` };
      }
      i++;
    } else {
      // A quote inside an unquoted field is kept as a character (Excel writes such fields).
      const k = text.indexOf(',', i);
      fields.push(text.slice(i, k < 0 ? text.length : k));
      if (k < 0) return { fields };
      i = k + 1;
    }
  }
}

/** What a record block leaves for a resumed read: where the next record starts. */
export interface RecordBlock {
  readonly records: readonly CsvRecord[];
  /** Set when no record is open across the block's end (a quoted field spanning lines). */
  readonly resumeAt?: { readonly offset: number; readonly line: number };
}

/**
 * Physical lines in, records out, in order. A line with no quote and nothing wrong is a record
 * of its own at once (almost every line of a real file); only lines with quotes go through the
 * pending run that finds where a multi-line record closes.
 */
class RecordAssembler {
  private pending: Line[] = [];
  private readonly maxBytes: number;
  private readonly maxLines: number;
  private readonly encoding: string;

  constructor(opts: RecordOptions) {
    this.maxBytes = opts.maxRecordBytes ?? 64 * 1024;
    this.maxLines = opts.maxRecordLines ?? 100;
    this.encoding = opts.encoding;
  }

  get open(): boolean {
    return this.pending.length > 0;
  }

  private tooBig(text: string): boolean {
    return text.length > this.maxBytes / 3 && Buffer.byteLength(text) > this.maxBytes;
  }

  push(line: Line, out: CsvRecord[]): void {
    if (
      this.pending.length === 0 &&
      line.invalid === undefined &&
      line.overLong === undefined &&
      !line.text.includes('"') &&
      !this.tooBig(line.text)
    ) {
      out.push({ line: line.n, endLine: line.n, raw: line.text, fields: line.text.split(',') });
      return;
    }
    this.pending.push(line);
    this.drain(false, out);
  }

  finish(out: CsvRecord[]): void {
    this.drain(true, out);
  }

  // Tries to close records from the pending lines, first to last.
  private drain(atEnd: boolean, out: CsvRecord[]): void {
    const pending = this.pending;
    let at = 0;
    while (at < pending.length) {
      const first = pending[at]!;
      let take = 0;
      let raw = '';
      let parsed: Parsed = { open: true };
      // The shortest run of lines that closes every quote is the record.
      while (at + take < pending.length && 'open' in parsed) {
        raw = take === 0 ? first.text : `${raw}\n${pending[at + take]!.text}`;
        take++;
        if (this.tooBig(raw)) break;
        parsed = parseFields(raw);
      }
      const one = (error: string) => {
        at++;
        out.push({ line: first.n, endLine: first.n, raw: first.text, error });
      };
      if (first.overLong !== undefined) {
        one(`line is ${first.overLong} bytes, over the line limit`);
        continue;
      }
      if (this.tooBig(raw)) {
        one(
          take === 1
            ? `record is ${Buffer.byteLength(raw)} bytes, over the limit of ${this.maxBytes}`
            : `a quoted field opened on this line runs past the record limit of ${this.maxBytes} bytes`,
        );
        continue;
      }
      if ('open' in parsed) {
        const exhausted = atEnd || pending.length - at > this.maxLines;
        if (!exhausted) break;
        // Give up on the first line only; the lines after it get their own chance.
        one(
          `unterminated quoted field (no closing quote ${atEnd ? 'before the end of the file' : `within ${this.maxLines} lines`})`,
        );
        continue;
      }
      const used = pending.slice(at, at + take);
      at += take;
      const last = used[used.length - 1]!;
      const bad = used.find((l) => l.invalid);
      if (bad) {
        const where = bad.invalidAt === undefined ? '' : ` at byte offset ${bad.invalidAt}`;
        const mixed = bad.mixed
          ? ` (the line is valid ${bad.mixed}: the file mixes encodings)`
          : '';
        out.push({
          line: first.n,
          endLine: last.n,
          raw,
          error: `bytes not valid ${this.encoding}${where}${mixed}`,
        });
      } else if ('error' in parsed) {
        out.push({ line: first.n, endLine: last.n, raw, error: parsed.error });
      } else {
        out.push({ line: first.n, endLine: last.n, raw, fields: parsed.fields });
      }
    }
    this.pending = at === 0 ? pending : pending.slice(at);
  }
}

/**
 * Blocks of lines to blocks of records.
 *
 * @example
 * for await (const b of recordBlocks(opened.blocks, { encoding: 'cp932' })) {
 *   for (const r of b.records) if ('error' in r) quarantine(r.line, r.raw, r.error); else use(r.fields);
 * }
 */
export async function* recordBlocks(
  blocks: AsyncIterable<LineBlock>,
  opts: RecordOptions,
): AsyncGenerator<RecordBlock> {
  const assembler = new RecordAssembler(opts);
  let lastLine = 0;
  for await (const block of blocks) {
    const out: CsvRecord[] = [];
    for (const line of block.lines) assembler.push(line, out);
    lastLine = block.lines[block.lines.length - 1]?.n ?? lastLine;
    const resumable = block.end !== undefined && !assembler.open;
    yield { records: out, ...(resumable && { resumeAt: { offset: block.end!, line: lastLine } }) };
  }
  const out: CsvRecord[] = [];
  assembler.finish(out);
  if (out.length > 0) yield { records: out };
}

/**
 * @example
 * for await (const r of records(lines, { encoding: 'cp932' })) {
 *   if ('error' in r) quarantine(r.line, r.raw, r.error); else use(r.fields);
 * }
 */
export async function* records(
  lines: AsyncIterable<Line>,
  opts: RecordOptions,
): AsyncGenerator<CsvRecord> {
  const assembler = new RecordAssembler(opts);
  for await (const line of lines) {
    const out: CsvRecord[] = [];
    assembler.push(line, out);
    yield* out;
  }
  const out: CsvRecord[] = [];
  assembler.finish(out);
  yield* out;
}
