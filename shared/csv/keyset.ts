/**
 * Which keys a file already used, and on which line: a merge would silently keep only the last
 * of two rows with one key, so the second is quarantined instead. Keys are held as 64-bit hashes
 * in typed arrays (12 bytes a slot, no object per key), because a file may carry millions of rows.
 * Two different keys sharing a 64-bit hash (about 1 in 10^5 for 10^7 keys) would quarantine a
 * good row as a duplicate: visible, with a reason, and replayable; never a silent loss.
 */

/** Two 32-bit lanes over the string's UTF-16 units (cyrb53's mixing, without folding to 53 bits). */
export function hash64(s: string): [number, number] {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < s.length; i++) {
    const ch = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return [h1 >>> 0, h2 >>> 0];
}

export class KeyLines {
  private hi = new Uint32Array(1024);
  private lo = new Uint32Array(1024);
  /** Line + 1; 0 marks an empty slot. */
  private lines = new Uint32Array(1024);
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** Bytes held, for the benchmark. */
  get bytes(): number {
    return this.hi.byteLength * 3;
  }

  /** The line that first used this key, if any. */
  lineOf(key: string): number | undefined {
    const [a, b] = hash64(key);
    const slot = this.find(a, b);
    return this.lines[slot] === 0 ? undefined : this.lines[slot]! - 1;
  }

  add(key: string, line: number): void {
    const [a, b] = hash64(key);
    const slot = this.find(a, b);
    if (this.lines[slot] !== 0) return;
    this.hi[slot] = a;
    this.lo[slot] = b;
    this.lines[slot] = line + 1;
    if (++this.count * 4 > this.lines.length * 3) this.grow();
  }

  private find(a: number, b: number): number {
    const mask = this.lines.length - 1;
    let i = (a ^ b) & mask;
    while (this.lines[i] !== 0 && (this.hi[i] !== a || this.lo[i] !== b)) i = (i + 1) & mask;
    return i;
  }

  private grow(): void {
    const { hi, lo, lines } = this;
    const n = lines.length * 2;
    this.hi = new Uint32Array(n);
    this.lo = new Uint32Array(n);
    this.lines = new Uint32Array(n);
    for (let i = 0; i < lines.length; i++) {
      if (lines[i] === 0) continue;
      const slot = this.find(hi[i]!, lo[i]!);
      this.hi[slot] = hi[i]!;
      this.lo[slot] = lo[i]!;
      this.lines[slot] = lines[i]!;
    }
  }
}
