/**
 * The 64-bit hash of every key a file used, in order, so that a key the Bloom filter flags as
 * "maybe seen" is settled without reading the file again: equal keys have equal hashes, so a
 * suspect whose hash appears at no earlier position is certainly new. Only a suspect whose hash
 * does appear earlier (a real repeat, or a 64-bit collision: about one in 10^5 files of 20
 * million keys) needs the second pass, and then only for those keys.
 *
 * Eight bytes per key would not keep memory flat (160 MB for 20 million keys), so the log lives
 * in a temporary file (Lambda's /tmp: 512 MB by default, enough for 60 million keys) and is
 * scanned once, sequentially, at the end. Small files never leave the buffer.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BUFFER_ENTRIES = 32_768;

export class KeyLog {
  private buffer = new Uint32Array(BUFFER_ENTRIES * 2);
  private buffered = 0;
  private written = 0;
  private fd: number | undefined;
  private readonly path = join(tmpdir(), `fuji-etl-keys-${randomBytes(6).toString('hex')}.bin`);

  /** Entries so far: the index the next one gets. */
  get length(): number {
    return this.written + this.buffered;
  }

  append(a: number, b: number): void {
    if (this.buffered === BUFFER_ENTRIES) this.flush();
    this.buffer[this.buffered * 2] = a;
    this.buffer[this.buffered * 2 + 1] = b;
    this.buffered++;
  }

  private flush(): void {
    if (this.buffered === 0) return;
    this.fd ??= openSync(this.path, 'w+');
    writeSync(this.fd, this.buffer, 0, this.buffered * 8, this.written * 8);
    this.written += this.buffered;
    this.buffered = 0;
  }

  /** For each hash asked about, the first index where it appears (absent: nowhere). */
  firstIndices(hashes: Iterable<readonly [number, number]>): Map<string, number> {
    const want = new Map<number, Set<number>>();
    for (const [a, b] of hashes) {
      const s = want.get(a) ?? new Set<number>();
      s.add(b);
      want.set(a, s);
    }
    const first = new Map<string, number>();
    const seen = (entries: Uint32Array, count: number, base: number) => {
      for (let i = 0; i < count; i++) {
        const s = want.get(entries[2 * i]!);
        if (s === undefined) continue;
        const b = entries[2 * i + 1]!;
        const id = `${entries[2 * i]}:${b}`;
        if (s.has(b) && !first.has(id)) first.set(id, base + i);
      }
    };
    if (this.fd !== undefined) {
      const chunk = new Uint32Array(BUFFER_ENTRIES * 2);
      for (let at = 0; at < this.written;) {
        const n = Math.min(BUFFER_ENTRIES, this.written - at);
        readSync(this.fd, chunk, 0, n * 8, at * 8);
        seen(chunk, n, at);
        at += n;
      }
    }
    seen(this.buffer, this.buffered, this.written);
    return first;
  }

  /** The whole log, for a read that goes on in a later invocation. */
  toBytes(): Uint8Array {
    this.flush();
    const out = new Uint8Array(this.written * 8);
    if (this.fd !== undefined) readSync(this.fd, out, 0, out.length, 0);
    return out;
  }

  static fromBytes(bytes: Uint8Array): KeyLog {
    const log = new KeyLog();
    if (bytes.length % 8 !== 0) throw new Error(`a key log of ${bytes.length} bytes`);
    log.fd = openSync(log.path, 'w+');
    writeSync(log.fd, bytes, 0, bytes.length, 0);
    log.written = bytes.length / 8;
    return log;
  }

  /** Removes the file (safe to call twice). */
  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    rmSync(this.path, { force: true });
  }
}

export const hashId = (a: number, b: number) => `${a}:${b}`;
