/**
 * Which keys a file already used. A merge would silently keep only the last of two rows with one
 * key, so a repeated key must be caught, and files can hold tens of millions of rows, so the
 * index must not grow with them: a Bloom filter of fixed size answers "certainly new" for almost
 * every key, and the few "maybe seen" keys (real repeats, plus false positives at well under 1 %
 * up to about 25 million keys) are held back and verified exactly by a second pass over the file.
 *
 * The filter is blocked: a key's bits lie in two 64-byte blocks (one cache line each) rather than
 * anywhere in the 32 MiB, so adding a key costs two memory misses instead of seven, which was
 * most of the filter's time. Eight bits, four per block, keep the false positives where seven
 * scattered bits had them: for 2^28 bits, fewer false suspects in all over a file of 20 million
 * keys (about 5,100 against 5,600) or of 25 million (23,000 against 23,300); the rate at exactly
 * the 25 millionth key is 0.60 % against 0.58 %.
 */

/**
 * Two 32-bit lanes over the string's UTF-16 units, two units per step: each pair is pre-mixed
 * (off the lanes' dependency chain) with one unit in the low half for one lane and the other
 * for the other, so every unit reaches every bit; then cyrb53's finish. Half the steps of one
 * unit at a time, which was most of the filter's cost on keys of 60 characters.
 */
export function hash64(s: string): [number, number] {
  hashLanes(s);
  return [lane1, lane2];
}

// hashLanes' result: two numbers in module slots, not an array per key (add is called per row).
let lane1 = 0;
let lane2 = 0;

function hashLanes(s: string): void {
  let h1 = 0xdeadbeef ^ s.length;
  let h2 = 0x41c6ce57;
  const last = s.length - 1;
  let i = 0;
  for (; i < last; i += 2) {
    const c0 = s.charCodeAt(i);
    const c1 = s.charCodeAt(i + 1);
    let k1 = Math.imul(c0 | (c1 << 16), 0xcc9e2d51);
    let k2 = Math.imul(c1 | (c0 << 16), 0x1b873593);
    k1 ^= k1 >>> 15;
    k2 ^= k2 >>> 15;
    h1 = Math.imul(h1 ^ k1, 2654435761);
    h2 = Math.imul(h2 ^ k2, 1597334677);
  }
  if (i === last) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  lane1 = h1 >>> 0;
  lane2 = h2 >>> 0;
}

/** Bits per key. */
const DEFAULT_K = 8;

/** Bits in a block: one 64-byte cache line, sixteen 32-bit words. */
const BLOCK_BITS = 512;

/** Murmur3's 32-bit finaliser: spreads every input bit over the output. */
function mix32(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

export class KeyFilter {
  private readonly bits: Uint32Array;
  /** Number of blocks − 1 (a power of two less one). */
  private readonly blockMask: number;
  private readonly k: number;

  /**
   * 2^log2Bits bits (default 2^28 = 32 MiB), k bits per key (at most 8, alternately in its two
   * blocks: a filter read with fewer checks a subset of the same bits).
   */
  constructor(log2Bits = 28, k = DEFAULT_K) {
    if (log2Bits < 10 || k < 1 || k > 8)
      throw new RangeError(`a key filter of 2^${log2Bits} bits, k ${k}`);
    this.bits = new Uint32Array(2 ** (log2Bits - 5));
    this.blockMask = 2 ** log2Bits / BLOCK_BITS - 1;
    this.k = k;
  }

  get bytes(): number {
    return this.bits.byteLength;
  }

  /** The filter's state, to go on with in a later invocation ({@link KeyFilter.fromBytes}). */
  toBytes(): Uint8Array {
    return new Uint8Array(this.bits.buffer, this.bits.byteOffset, this.bits.byteLength);
  }

  static fromBytes(bytes: Uint8Array, k = DEFAULT_K): KeyFilter {
    const log2Bits = Math.log2(bytes.byteLength * 8);
    if (!Number.isInteger(log2Bits)) throw new Error(`a key filter of ${bytes.byteLength} bytes`);
    const f = new KeyFilter(log2Bits, k);
    f.bits.set(
      new Uint32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)),
    );
    return f;
  }

  /**
   * Adds the key; true when it may have been added before, false when it certainly was not.
   * With `log`, the key's hash is appended to it (hashed once for both).
   */
  add(key: string, log?: { append(a: number, b: number): void }): boolean {
    hashLanes(key);
    const a = lane1;
    const b = lane2;
    log?.append(a, b);
    // Block of the even probes from a, of the odd ones from b; bits within them from three
    // further words mixed from both, 9 bits (0–511) per probe.
    const base0 = (a & this.blockMask) << 4;
    const base1 = (b & this.blockMask) << 4;
    const c = mix32(a ^ Math.imul(b, 0x9e3779b1));
    const d = mix32(b ^ Math.imul(a, 0x85ebca6b));
    const e = mix32(c ^ d ^ 0x27d4eb2f);
    let seen = true;
    for (let i = 0; i < this.k; i++) {
      // Probe i: its block by parity, its 9-bit slice of c, d or e by i.
      const word = i < 6 ? (i & 1 ? d : c) : e;
      const pos = (word >>> (9 * (i < 6 ? i >> 1 : i - 6))) & (BLOCK_BITS - 1);
      const w = (i & 1 ? base1 : base0) + (pos >>> 5);
      const m = 1 << (pos & 31);
      if ((this.bits[w]! & m) === 0) {
        seen = false;
        this.bits[w] = this.bits[w]! | m;
      }
    }
    return seen;
  }
}
