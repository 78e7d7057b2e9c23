/**
 * Which keys a file already used. A merge would silently keep only the last of two rows with one
 * key, so a repeated key must be caught, and files can hold tens of millions of rows, so the
 * index must not grow with them: a Bloom filter of fixed size answers "certainly new" for almost
 * every key, and the few "maybe seen" keys (real repeats, plus false positives at well under 1 %
 * up to about 25 million keys) are held back and verified exactly by a second pass over the file.
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

export class KeyFilter {
  private readonly bits: Uint32Array;
  private readonly mask: number;
  private readonly k: number;

  /** 2^log2Bits bits (default 2^28 = 32 MiB), k hash probes. */
  constructor(log2Bits = 28, k = 7) {
    this.bits = new Uint32Array(2 ** (log2Bits - 5));
    this.mask = 2 ** log2Bits - 1;
    this.k = k;
  }

  get bytes(): number {
    return this.bits.byteLength;
  }

  /** The filter's state, to go on with in a later invocation ({@link KeyFilter.fromBytes}). */
  toBytes(): Uint8Array {
    return new Uint8Array(this.bits.buffer, this.bits.byteOffset, this.bits.byteLength);
  }

  static fromBytes(bytes: Uint8Array, k = 7): KeyFilter {
    const log2Bits = Math.log2(bytes.byteLength * 8);
    if (!Number.isInteger(log2Bits)) throw new Error(`a key filter of ${bytes.byteLength} bytes`);
    const f = new KeyFilter(log2Bits, k);
    f.bits.set(
      new Uint32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)),
    );
    return f;
  }

  /** Adds the key; true when it may have been added before, false when it certainly was not. */
  add(key: string): boolean {
    const [a, b] = hash64(key);
    let seen = true;
    // Kirsch–Mitzenmacher: k probes from two hashes.
    for (let i = 0; i < this.k; i++) {
      const bit = (a + Math.imul(i, b | 1)) & this.mask;
      const word = bit >>> 5;
      const m = 1 << (bit & 31);
      if ((this.bits[word]! & m) === 0) {
        seen = false;
        this.bits[word] = this.bits[word]! | m;
      }
    }
    return seen;
  }
}
