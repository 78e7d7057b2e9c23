/**
 * Bytes to lines of text, streamed: the encoding is detected from the first 64 KiB (BOM first,
 * then UTF-8 when its sequences dominate, else CP932), then the file is decoded block by block
 * so memory stays flat whatever its size. A line whose bytes are not valid in the detected
 * encoding is still delivered (with U+FFFD) but flagged with the byte offset of the first bad
 * byte, so the record is quarantined with a reason instead of landing with mangled text; a line
 * that is valid in the other encoding says the file mixes encodings. A few bad bytes thus cost
 * their records, not the file.
 */
import { CsvFileError } from './errors.ts';

export type Encoding = 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'utf-16be' | 'cp932';
export const ENCODINGS: readonly Encoding[] = [
  'utf-8',
  'utf-8-bom',
  'utf-16le',
  'utf-16be',
  'cp932',
];

export interface Detection {
  readonly encoding: Encoding;
  /** Why: "BOM", "valid UTF-8", "not UTF-8", "ASCII only (contract hint)", "declared". */
  readonly by: string;
}

export interface Line {
  /** 1-based physical line number. */
  readonly n: number;
  readonly text: string;
  /** Bytes in the detected encoding that did not decode. */
  readonly invalid?: boolean;
  /** With `invalid`: byte offset in the file of the first bad byte, and what the line looks like. */
  readonly invalidAt?: number;
  readonly mixed?: Encoding;
  /** Set when the line was longer than the limit: its full size in bytes; `text` is its start. */
  readonly overLong?: number;
}

export interface DecodeOptions {
  /** Encoding the sender declared; checked against the bytes, never trusted blindly. */
  readonly declared?: Encoding;
  /** Used only when the bytes cannot tell (plain ASCII). */
  readonly hint?: Encoding;
  readonly maxLineBytes?: number;
  /** Names the file in errors. */
  readonly source: string;
}

const SNIFF_BYTES = 64 * 1024;
const KEEP_OF_LONG_LINE = 4096;

function bomOf(b: Uint8Array): Encoding | undefined {
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return 'utf-8-bom';
  if (b[0] === 0xff && b[1] === 0xfe) return 'utf-16le';
  if (b[0] === 0xfe && b[1] === 0xff) return 'utf-16be';
  return undefined;
}

const bomLength = (e: Encoding) => (e === 'utf-8-bom' ? 3 : e.startsWith('utf-16') ? 2 : 0);

/** Offset of the first invalid UTF-8 sequence, ignoring a sequence cut off at the end. */
function firstInvalidUtf8(b: Uint8Array, complete: boolean, from = 0): number {
  let i = from;
  while (i < b.length) {
    const c = b[i]!;
    const len =
      c < 0x80
        ? 1
        : c >= 0xc2 && c <= 0xdf
          ? 2
          : c >= 0xe0 && c <= 0xef
            ? 3
            : c >= 0xf0 && c <= 0xf4
              ? 4
              : 0;
    if (len === 0) return i;
    if (i + len > b.length) return complete ? i : -1;
    for (let k = 1; k < len; k++) if ((b[i + k]! & 0xc0) !== 0x80) return i;
    // Overlongs, surrogates and values past U+10FFFF.
    if (len === 3) {
      const cp = ((c & 0x0f) << 12) | ((b[i + 1]! & 0x3f) << 6) | (b[i + 2]! & 0x3f);
      if (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    }
    if (len === 4) {
      const cp = ((c & 0x07) << 18) | ((b[i + 1]! & 0x3f) << 12) | ((b[i + 2]! & 0x3f) << 6);
      if (cp < 0x10000 || cp > 0x10ffff) return i;
    }
    i += len;
  }
  return -1;
}

const hasHighBytes = (b: Uint8Array) => b.some((x) => x >= 0x80);

/** Valid multi-byte UTF-8 sequences and invalid spots (runs of bad bytes) in a sample. */
function utf8Census(b: Uint8Array, complete: boolean): { multi: number; invalid: number } {
  let multi = 0;
  let invalid = 0;
  for (let i = 0; i < b.length;) {
    const bad = firstInvalidUtf8(b, complete, i);
    const end = bad < 0 ? b.length : bad;
    for (let k = i; k < end; k++) if (b[k]! >= 0xc0) multi++;
    if (bad < 0) break;
    // Adjacent bad bytes (a broken character) are one spot.
    if (bad !== i || invalid === 0) invalid++;
    i = bad + 1;
  }
  return { multi, invalid };
}

/** First byte of a line that breaks CP932's structure (lead 81–9F/E0–FC, trail 40–7E/80–FC). */
function firstInvalidCp932(b: Uint8Array): number {
  for (let i = 0; i < b.length; i++) {
    const c = b[i]!;
    if (c < 0x80 || (c >= 0xa1 && c <= 0xdf)) continue;
    const lead = (c >= 0x81 && c <= 0x9f) || (c >= 0xe0 && c <= 0xfc);
    const t = b[i + 1];
    if (!lead || t === undefined || t < 0x40 || t === 0x7f || t > 0xfc) return i;
    i++;
  }
  return 0;
}

/** UTF-8 wins when its sequences outnumber bad spots this many times over. */
const UTF8_DOMINANCE = 20;

/** Decides the encoding from the file's first bytes, checking a declared one against them. */
export function detectEncoding(
  head: Uint8Array,
  complete: boolean,
  opts: DecodeOptions,
): Detection {
  const bom = bomOf(head);
  const ctx = { source: opts.source };
  if (opts.declared) {
    const d = opts.declared;
    if (bom && bom !== d && !(bom === 'utf-8-bom' && d === 'utf-8')) {
      throw new CsvFileError(
        'CSV_ENCODING',
        `declared ${d} but the file starts with a ${bom} byte-order mark`,
        ctx,
      );
    }
    if (d === 'utf-8' || d === 'utf-8-bom') {
      const bad = firstInvalidUtf8(head.subarray(bomLength(bom ?? 'utf-8')), complete);
      if (bad >= 0) {
        throw new CsvFileError(
          'CSV_ENCODING',
          `declared ${d} but byte 0x${head[bad]!.toString(16)} at offset ${bad} is not UTF-8 (the file looks like CP932/Shift_JIS)`,
          ctx,
        );
      }
      return { encoding: bom ?? 'utf-8', by: 'declared' };
    }
    if (
      d === 'cp932' &&
      (bom === 'utf-8-bom' || (hasHighBytes(head) && firstInvalidUtf8(head, complete) < 0))
    ) {
      throw new CsvFileError(
        'CSV_ENCODING',
        'declared cp932 (Shift_JIS) but the file is UTF-8',
        ctx,
      );
    }
    return { encoding: d, by: 'declared' };
  }
  if (bom) return { encoding: bom, by: 'byte-order mark' };
  const nul = head.indexOf(0);
  if (nul >= 0) {
    throw new CsvFileError(
      'CSV_BINARY',
      `not a text file: NUL byte at offset ${nul} (UTF-16 needs a byte-order mark)`,
      ctx,
    );
  }
  const census = utf8Census(head, complete);
  if (census.invalid > 0 && census.multi >= census.invalid * UTF8_DOMINANCE) {
    return {
      encoding: 'utf-8',
      by: `UTF-8 with ${census.invalid} invalid byte sequence${census.invalid > 1 ? 's' : ''} in the first 64 KiB (their records are quarantined)`,
    };
  }
  if (census.invalid > 0) return { encoding: 'cp932', by: 'not UTF-8' };
  if (hasHighBytes(head)) return { encoding: 'utf-8', by: 'valid UTF-8' };
  return { encoding: opts.hint ?? 'utf-8', by: 'ASCII only in the first 64 KiB (contract hint)' };
}

/**
 * Decodes one block of complete lines; flags a block whose bytes did not decode. Node's
 * Shift_JIS decoder is the WHATWG one, whose table is Windows-31J's (CP932: ①, ㈱, ⅰ, 纊 and the
 * NEC/IBM rows included), so it serves CP932 without bundling a conversion library.
 */
function decoderFor(encoding: Encoding): (b: Uint8Array) => { text: string; invalid: boolean } {
  const label = encoding === 'cp932' ? 'shift_jis' : 'utf-8';
  const fatal = strictDecoder(label);
  const lenient = new TextDecoder(label);
  return (b) => {
    try {
      const text = fatal.decode(b);
      // A UTF-8 line in a CP932 file decodes without error, as mojibake: catch it here.
      if (encoding === 'cp932' && looksUtf8(b)) return { text, invalid: true };
      return { text, invalid: false };
    } catch {
      return { text: lenient.decode(b), invalid: true };
    }
  };
}

/** Valid UTF-8 with at least one multi-byte sequence: rarely true of CP932 text. */
function looksUtf8(b: Uint8Array): boolean {
  return hasHighBytes(b) && firstInvalidUtf8(b, true) < 0 && b.some((x) => x >= 0xe0);
}

/** Where a flagged line went wrong, and whether it is valid in the other encoding. */
function diagnose(b: Uint8Array, encoding: Encoding, start: number) {
  if (encoding === 'cp932') {
    if (looksUtf8(b)) return { invalidAt: start, mixed: 'utf-8' as Encoding };
    return { invalidAt: start + firstInvalidCp932(b) };
  }
  const at = Math.max(0, firstInvalidUtf8(b, true));
  let mixed: Encoding | undefined;
  try {
    new TextDecoder('shift_jis', { fatal: true }).decode(b);
    mixed = 'cp932';
  } catch {
    mixed = undefined;
  }
  return { invalidAt: start + at, ...(mixed && { mixed }) };
}

function strictDecoder(label: string) {
  try {
    return new TextDecoder(label, { fatal: true });
  } catch (err) {
    throw new CsvFileError(
      'CSV_ENCODING',
      `this Node.js cannot decode ${label} (built without full ICU)`,
      {
        cause: String(err),
      },
    );
  }
}

/**
 * The lines of one decoded block, and the file offset just past its last byte: a point where a
 * read can stop and a later one start again (the block ends at a line break).
 */
export interface LineBlock {
  readonly lines: readonly Line[];
  /** Undefined where offsets are not tracked (UTF-16, whose text is decoded as one stream). */
  readonly end?: number;
}

/** Where a read starts: a byte offset at a line start, and the lines before it. */
export interface TextPosition {
  readonly offset: number;
  readonly line: number;
}

async function* asciiCompatibleBlocks(
  chunks: AsyncIterable<Uint8Array>,
  encoding: Encoding,
  maxLineBytes: number,
  start: TextPosition,
): AsyncGenerator<LineBlock> {
  const decode = decoderFor(encoding);
  let n = start.line;
  /** File offset of the next byte not yet emitted as part of a line. */
  let offset = start.offset;
  let carry: Uint8Array = new Uint8Array(0);
  let skipping = 0; // > 0 while discarding the rest of an over-long line
  let longHead = '';
  // Lines are gathered per chunk and handed on as one block: a generator step per line costs
  // more than splitting the line.
  function emitBlock(block: Uint8Array, out: Line[]): void {
    const base = offset;
    offset += block.length;
    const whole = decode(block);
    if (!whole.invalid) {
      const texts = whole.text.split('\n');
      texts.pop(); // the block ends with \n
      for (const t of texts)
        out.push({ n: ++n, text: t.charCodeAt(t.length - 1) === 13 ? t.slice(0, -1) : t });
      return;
    }
    // Rare path: find which lines were invalid, and where.
    let from = 0;
    for (let i = 0; i < block.length; i++) {
      if (block[i] !== 0x0a) continue;
      const bytes = block.subarray(from, i);
      const d = decode(bytes);
      const t = d.text.endsWith('\r') ? d.text.slice(0, -1) : d.text;
      out.push({
        n: ++n,
        text: t,
        ...(d.invalid && { invalid: true, ...diagnose(bytes, encoding, base + from) }),
      });
      from = i + 1;
    }
  }
  for await (const chunk of chunks) {
    const out: Line[] = [];
    let buf = chunk;
    if (skipping > 0) {
      const lf = buf.indexOf(0x0a);
      if (lf < 0) {
        skipping += buf.length;
        continue;
      }
      out.push({ n: ++n, text: longHead, overLong: skipping + lf });
      offset += skipping + lf + 1;
      skipping = 0;
      buf = buf.subarray(lf + 1);
    }
    const lastLf = buf.lastIndexOf(0x0a);
    if (lastLf < 0) {
      carry = concat(carry, buf);
    } else {
      emitBlock(concat(carry, buf.subarray(0, lastLf + 1)), out);
      carry = buf.slice(lastLf + 1);
    }
    if (carry.length > maxLineBytes) {
      longHead = decode(carry.subarray(0, KEEP_OF_LONG_LINE)).text;
      skipping = carry.length;
      carry = new Uint8Array(0);
    }
    if (out.length > 0) yield { lines: out, ...(skipping === 0 && { end: offset }) };
  }
  const out: Line[] = [];
  if (skipping > 0) out.push({ n: ++n, text: longHead, overLong: skipping });
  else if (carry.length > 0) emitBlock(concat(carry, Uint8Array.of(0x0a)), out);
  if (out.length > 0) yield { lines: out };
}

async function* utf16Blocks(
  chunks: AsyncIterable<Uint8Array>,
  encoding: 'utf-16le' | 'utf-16be',
  maxLineBytes: number,
): AsyncGenerator<LineBlock> {
  const decoder = new TextDecoder(encoding);
  let n = 0;
  let carry = '';
  const line = (t: string): Line => {
    const text = t.endsWith('\r') ? t.slice(0, -1) : t;
    if (text.length * 2 > maxLineBytes) {
      return { n: ++n, text: text.slice(0, KEEP_OF_LONG_LINE / 2), overLong: text.length * 2 };
    }
    return { n: ++n, text, ...(text.includes('\uFFFD') && { invalid: true }) };
  };
  for await (const chunk of chunks) {
    const parts = (carry + decoder.decode(chunk, { stream: true })).split('\n');
    carry = parts.pop()!;
    if (parts.length > 0) yield { lines: parts.map(line) };
  }
  carry += decoder.decode();
  if (carry.length > 0) yield { lines: [line(carry)] };
}

/** One line at a time, for readers that want no blocks. */
export async function* linesOf(blocks: AsyncIterable<LineBlock>): AsyncGenerator<Line> {
  for await (const b of blocks) yield* b.lines;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  if (b.length === 0) return a;
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

export interface OpenedText {
  readonly detection: Detection;
  readonly lines: AsyncIterable<Line>;
  /** The same lines per decoded block, with the offsets a read can resume at. */
  readonly blocks: AsyncIterable<LineBlock>;
}

/**
 * Reads just enough of the stream to detect the encoding, then returns the decoded lines. With
 * `resume`, the stream starts at `resume.offset` of the file (a block end an earlier read gave)
 * and the encoding is the one that read detected.
 *
 * @example
 * const { detection, lines } = await openText(fs.createReadStream(path), { source: path });
 * for await (const line of lines) console.log(line.n, line.text);
 */
export async function openText(
  chunks: AsyncIterable<Uint8Array>,
  opts: DecodeOptions & { readonly resume?: TextPosition & { readonly detection: Detection } },
): Promise<OpenedText> {
  const max = opts.maxLineBytes ?? 16 * 1024 * 1024;
  if (opts.resume) {
    const { detection, offset, line } = opts.resume;
    const e = detection.encoding;
    if (e === 'utf-16le' || e === 'utf-16be')
      throw new CsvFileError('CSV_RESUME', 'a UTF-16 file cannot be resumed part-way', {
        source: opts.source,
      });
    const blocks = asciiCompatibleBlocks(chunks, e, max, { offset, line });
    return { detection, blocks, lines: linesOf(blocks) };
  }
  const it = chunks[Symbol.asyncIterator]();
  const head: Uint8Array[] = [];
  let size = 0;
  let done = false;
  while (size < SNIFF_BYTES) {
    const r = await it.next();
    if (r.done) {
      done = true;
      break;
    }
    head.push(r.value);
    size += r.value.length;
  }
  const headBytes = head.reduce(concat, new Uint8Array(0));
  const detection = detectEncoding(
    headBytes.subarray(0, SNIFF_BYTES),
    done && size <= SNIFF_BYTES,
    opts,
  );
  const skip = bomOf(headBytes) ? bomLength(detection.encoding) : 0;
  async function* replay(): AsyncGenerator<Uint8Array> {
    // The chunks as they came (a block per chunk), less the byte-order mark.
    let drop = skip;
    for (const h of head) {
      if (h.length > drop) yield drop > 0 ? h.subarray(drop) : h;
      drop = Math.max(0, drop - h.length);
    }
    if (done) return;
    for (let r = await it.next(); !r.done; r = await it.next()) yield r.value;
  }
  const e = detection.encoding;
  const blocks =
    e === 'utf-16le' || e === 'utf-16be'
      ? utf16Blocks(replay(), e, max)
      : asciiCompatibleBlocks(replay(), e, max, { offset: skip, line: 0 });
  return { detection, blocks, lines: linesOf(blocks) };
}
