/**
 * Spots unit ids used twice within one file, in bounded memory: ids are kept as 53-bit
 * hashes in an open-addressing table of doubles (8 bytes a slot, not a string each),
 * and the check stops after `maxIds` ids of a file (16 MiB of table at 1 million).
 * Two different ids share a hash with a chance of about n² / 2^54 (5e-5 at a million).
 */
export class DuplicateIds {
  private table = new Float64Array(1024);
  private count = 0;
  /** Whether the file has more ids than `maxIds`: the check stopped. */
  stopped = false;

  constructor(private readonly maxIds = 1_000_000) {}

  /** Starts over for another file. */
  reset(): void {
    if (this.count > 0) this.table = new Float64Array(1024);
    this.count = 0;
    this.stopped = false;
  }

  /** Adds `id`; `true` when it was seen before in this file. */
  add(id: string): boolean {
    if (this.stopped) return false;
    const h = hash53(id);
    const mask = this.table.length - 1;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const slot = this.table[i]!;
      if (slot === h) return true;
      if (slot === 0) {
        if (this.count >= this.maxIds) {
          this.stopped = true;
          return false;
        }
        this.table[i] = h;
        if (++this.count * 2 > this.table.length) this.grow();
        return false;
      }
    }
  }

  private grow(): void {
    const old = this.table;
    this.table = new Float64Array(old.length * 2);
    const mask = this.table.length - 1;
    for (const h of old) {
      if (h === 0) continue;
      let i = h & mask;
      while (this.table[i] !== 0) i = (i + 1) & mask;
      this.table[i] = h;
    }
  }
}

/** Two 32-bit FNV-1a style hashes of the UTF-16 code units, mixed into one 53-bit number (never 0). */
function hash53(text: string): number {
  let a = 0x811c9dc5;
  let b = 0x9747b28c;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  a ^= a >>> 16;
  a = Math.imul(a, 0x85ebca6b);
  a ^= a >>> 13;
  b = Math.imul(b ^ (b >>> 16), 0xc2b2ae35);
  b ^= b >>> 16;
  return ((a >>> 0) % 0x200000) * 0x100000000 + (b >>> 0) + 1;
}
