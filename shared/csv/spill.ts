/**
 * Records held until the end of a file, kept in a temporary file as JSON lines rather than in
 * memory: a file of tens of millions of keys fills the key filter, and the suspects it flags
 * grow with the file. Small files never leave the buffer.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BUFFER_CHARS = 1 << 20;

export class Spill<T> {
  private buffer: string[] = [];
  private bufferedChars = 0;
  private bytes = 0;
  private count = 0;
  private fd: number | undefined;
  private readonly path = join(tmpdir(), `fuji-etl-held-${randomBytes(6).toString('hex')}.jsonl`);

  get length(): number {
    return this.count;
  }

  push(item: T): void {
    const line = `${JSON.stringify(item)}\n`;
    this.buffer.push(line);
    this.bufferedChars += line.length;
    this.count++;
    if (this.bufferedChars >= BUFFER_CHARS) this.flush();
  }

  private flush(): void {
    if (this.buffer.length === 0) return;
    this.fd ??= openSync(this.path, 'w+');
    const chunk = Buffer.from(this.buffer.join(''), 'utf8');
    writeSync(this.fd, chunk, 0, chunk.length, this.bytes);
    this.bytes += chunk.length;
    this.buffer = [];
    this.bufferedChars = 0;
  }

  /** Every item, in order, read back a megabyte at a time (JSON lines hold no raw newline). */
  *items(): Generator<T> {
    this.flush();
    if (this.fd === undefined) return;
    const chunk = Buffer.alloc(BUFFER_CHARS);
    let carry = Buffer.alloc(0);
    for (let at = 0; at < this.bytes;) {
      const n = readSync(this.fd, chunk, 0, Math.min(chunk.length, this.bytes - at), at);
      at += n;
      const bytes = Buffer.concat([carry, chunk.subarray(0, n)]);
      const lf = bytes.lastIndexOf(0x0a);
      carry = Buffer.from(bytes.subarray(lf + 1));
      if (lf < 0) continue;
      for (const l of bytes.toString('utf8', 0, lf).split('\n')) yield JSON.parse(l) as T;
    }
  }

  toBytes(): Uint8Array {
    this.flush();
    const out = new Uint8Array(this.bytes);
    if (this.fd !== undefined) readSync(this.fd, out, 0, out.length, 0);
    return out;
  }

  static fromBytes<T>(bytes: Uint8Array, count: number): Spill<T> {
    const s = new Spill<T>();
    if (bytes.length > 0) {
      s.fd = openSync(s.path, 'w+');
      writeSync(s.fd, bytes, 0, bytes.length, 0);
    }
    s.bytes = bytes.length;
    s.count = count;
    return s;
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    rmSync(this.path, { force: true });
  }
}
