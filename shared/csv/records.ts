/**
 * Lines to CSV records (RFC 4180: quoted fields may hold commas, "" and line breaks), with
 * recovery: an unterminated quote costs one line, not the rest of the file. csv-parse was tried
 * first, but after a malformed record its `skip_records_with_error` mode swallows the records
 * that follow, which would lose good rows silently; here every physical line ends up in exactly
 * one record or one error.
 */
import type { Line } from './decode.ts';

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
  const maxBytes = opts.maxRecordBytes ?? 64 * 1024;
  const maxLines = opts.maxRecordLines ?? 100;
  let pending: Line[] = [];

  const tooBig = (text: string) => text.length > maxBytes / 3 && Buffer.byteLength(text) > maxBytes;

  // Tries to close a record from the pending lines; returns what to emit and what remains.
  function* drain(atEnd: boolean): Generator<CsvRecord> {
    while (pending.length > 0) {
      const first = pending[0]!;
      let take = 0;
      let raw = '';
      let parsed: Parsed = { open: true };
      // The shortest run of lines that closes every quote is the record.
      while (take < pending.length && 'open' in parsed) {
        raw = take === 0 ? pending[0]!.text : `${raw}\n${pending[take]!.text}`;
        take++;
        if (tooBig(raw)) break;
        parsed = parseFields(raw);
      }
      if (first.overLong !== undefined) {
        pending = pending.slice(1);
        yield {
          line: first.n,
          endLine: first.n,
          raw: first.text,
          error: `line is ${first.overLong} bytes, over the line limit`,
        };
        continue;
      }
      if (tooBig(raw)) {
        pending = pending.slice(1);
        yield {
          line: first.n,
          endLine: first.n,
          raw: first.text,
          error:
            take === 1
              ? `record is ${Buffer.byteLength(raw)} bytes, over the limit of ${maxBytes}`
              : `a quoted field opened on this line runs past the record limit of ${maxBytes} bytes`,
        };
        continue;
      }
      if ('open' in parsed) {
        const exhausted = atEnd || pending.length > maxLines;
        if (!exhausted) return;
        // Give up on the first line only; the lines after it get their own chance.
        pending = pending.slice(1);
        yield {
          line: first.n,
          endLine: first.n,
          raw: first.text,
          error: `unterminated quoted field (no closing quote ${atEnd ? 'before the end of the file' : `within ${maxLines} lines`})`,
        };
        continue;
      }
      const used = pending.slice(0, take);
      pending = pending.slice(take);
      const last = used[used.length - 1]!;
      const bad = used.find((l) => l.invalid);
      if (bad) {
        const at = bad.invalidAt === undefined ? '' : ` at byte offset ${bad.invalidAt}`;
        const mixed = bad.mixed
          ? ` (the line is valid ${bad.mixed}: the file mixes encodings)`
          : '';
        yield {
          line: first.n,
          endLine: last.n,
          raw,
          error: `bytes not valid ${opts.encoding}${at}${mixed}`,
        };
      } else if ('error' in parsed) {
        yield { line: first.n, endLine: last.n, raw, error: parsed.error };
      } else {
        yield { line: first.n, endLine: last.n, raw, fields: parsed.fields };
      }
    }
  }

  for await (const line of lines) {
    pending.push(line);
    yield* drain(false);
  }
  yield* drain(true);
}
