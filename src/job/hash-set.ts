/**
 * A compact set of strings kept as 64-bit hashes, for what must be told apart over a
 * whole file in bounded memory (repeated sources, duplicate unit ids). Two different
 * strings share a hash with a chance of about n² / 2^65.
 */
/**
 * A set of 64-bit string hashes (two 32-bit halves, open addressing): 16 bytes per entry
 * at most, where a `Set` of strings would keep every source (and V8 its parent string) alive.
 */
export class StringHashSet {
  private table = new Uint32Array(2 * 1024);
  private count = 0;

  /** Hashes held. */
  get size(): number {
    return this.count;
  }

  /** Adds the hash of `text`; `false` when it was there already. */
  add(text: string): boolean {
    const [high, low] = hash64(text);
    return this.addHash(high, low);
  }

  /** Adds a hash `hash64` gave (another set's, on another thread); `false` when it was there already. */
  addHash(high: number, hashed: number): boolean {
    // 0:0 marks an empty slot.
    const low = high === 0 && hashed === 0 ? 1 : hashed;
    const inserted = this.insert(high, low);
    if (inserted && ++this.count * 2 > this.table.length / 2) this.grow();
    return inserted;
  }

  /** Whether the hash of `text` was added. */
  has(text: string): boolean {
    const [high, hashed] = hash64(text);
    const low = high === 0 && hashed === 0 ? 1 : hashed;
    const table = this.table;
    const mask = table.length / 2 - 1;
    for (let slot = (low ^ Math.imul(high, 0x9e3779b1)) & mask; ; slot = (slot + 1) & mask) {
      const h = table[2 * slot]!;
      const l = table[2 * slot + 1]!;
      if (h === 0 && l === 0) return false;
      if (h === high && l === low) return true;
    }
  }

  private insert(high: number, low: number): boolean {
    const table = this.table;
    const mask = table.length / 2 - 1;
    for (let slot = (low ^ Math.imul(high, 0x9e3779b1)) & mask; ; slot = (slot + 1) & mask) {
      const h = table[2 * slot]!;
      const l = table[2 * slot + 1]!;
      if (h === 0 && l === 0) {
        table[2 * slot] = high;
        table[2 * slot + 1] = low;
        return true;
      }
      if (h === high && l === low) return false;
    }
  }

  /** Lets the table's memory go now, not at the next full GC: the set is not used after. */
  dispose(): void {
    release(this.table.buffer);
  }

  private grow(): void {
    const old = this.table;
    this.table = new Uint32Array(old.length * 2);
    for (let i = 0; i < old.length; i += 2) {
      const h = old[i]!;
      const l = old[i + 1]!;
      if (h !== 0 || l !== 0) this.insert(h, l);
    }
    release(old.buffer);
  }
}

/**
 * Frees a buffer's memory at the next young-generation GC. A table that lived long is in
 * V8's old generation, and its memory would go only with it, at the next full GC: the
 * tables a growing set leaves behind (megabytes) added up in a job's peak RSS. Transferred,
 * the memory goes with the copy, which dies young.
 */
function release(buffer: ArrayBufferLike): void {
  if (buffer instanceof ArrayBuffer) structuredClone(buffer, { transfer: [buffer] });
}

/** cyrb53's two 32-bit halves (a fast, well-mixed non-cryptographic string hash). */
export function hash64(text: string): [number, number] {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return [h1 >>> 0, h2 >>> 0];
}
