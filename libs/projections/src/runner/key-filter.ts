/**
 * A set of strings that may answer "maybe" for a string never added, never "no" for one added: a Bloom
 * filter of ~10 bits and 7 probes per key (under 1 % false "maybe"), grown by adding filters of twice
 * the capacity of the last as keys come (each full one is kept and asked). Memory is ~1.25 bytes a key
 * whatever the keys' length: the carried rows of a rebuild remember the keys they evicted in one
 * (carried-rows.ts), so that a table stays complete at any history size.
 */
export class KeyFilter {
  private readonly filters: BloomFilter[] = [];

  constructor(private readonly firstCapacity = 1 << 16) {}

  add(key: string): void {
    let last = this.filters[this.filters.length - 1];
    if (!last || last.full) {
      last = new BloomFilter(last ? last.capacity * 2 : this.firstCapacity);
      this.filters.push(last);
    }
    last.add(key);
  }

  /** False only for a key never added. */
  mightHold(key: string): boolean {
    if (this.filters.length === 0) return false;
    const [a, b] = hashes(key);
    for (const filter of this.filters) if (filter.has(a, b)) return true;
    return false;
  }

  /** Bytes of the filters' bit arrays. */
  get bytes(): number {
    return this.filters.reduce((sum, f) => sum + f.bytes, 0);
  }
}

const PROBES = 7;
const BITS_PER_KEY = 10;

class BloomFilter {
  private readonly bits: Uint32Array;
  private readonly mask: number;
  private count = 0;

  constructor(readonly capacity: number) {
    // a power of two of 32-bit words, so a probe is a mask, not a modulo
    let words = 1;
    while (words * 32 < capacity * BITS_PER_KEY) words *= 2;
    this.bits = new Uint32Array(words);
    this.mask = words * 32 - 1;
  }

  get full(): boolean {
    return this.count >= this.capacity;
  }

  get bytes(): number {
    return this.bits.byteLength;
  }

  add(key: string): void {
    const [a, b] = hashes(key);
    for (let i = 0; i < PROBES; i += 1) {
      const bit = (a + i * b) & this.mask;
      this.bits[bit >>> 5] |= 1 << (bit & 31);
    }
    this.count += 1;
  }

  has(a: number, b: number): boolean {
    for (let i = 0; i < PROBES; i += 1) {
      const bit = (a + i * b) & this.mask;
      if ((this.bits[bit >>> 5] & (1 << (bit & 31))) === 0) return false;
    }
    return true;
  }
}

/** Two 32-bit hashes of a string (FNV-1a and a multiplicative one), for double hashing; `b` is odd. */
function hashes(key: string): [number, number] {
  let a = 0x811c9dc5;
  let b = 0x9e3779b9;
  for (let i = 0; i < key.length; i += 1) {
    const c = key.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  return [a >>> 0, (b | 1) >>> 0];
}
