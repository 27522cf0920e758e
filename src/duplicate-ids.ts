/**
 * Spots unit ids used twice within one file, in bounded memory: ids are kept as 64-bit
 * hashes (`hash64`) in one open-addressing table for the whole job, made on first use and
 * cleared from file to file. It never grows: growing a table leaves the old one to the
 * next full GC, and a job's peak RSS went up by both (bench/process, 1 GiB). The OS
 * commits its pages as they are touched, so a small document costs little of it. The
 * check of a file stops after `maxIds` ids, three quarters of the table.
 */
import { hash64 } from './hash-set.js';

/** Slots of the table: 8 bytes each, 8 MiB. */
const SLOTS = 1 << 20;
export const MAX_CHECKED_IDS = (SLOTS / 4) * 3;
/** Slots a reset clears one by one, from a list, while the file used no more; past it the whole table is cleared. */
const LISTED = 1 << 14;

export class DuplicateIds {
  /** Two 32-bit halves per slot; 0:0 marks an empty slot. */
  private table: Uint32Array | undefined;
  /** The first slots used in this file, for a cheap reset. */
  private readonly listed = new Uint32Array(LISTED);
  private count = 0;
  /** Whether the file has more ids than `maxIds`: the check stopped. */
  stopped = false;

  constructor(private readonly maxIds = MAX_CHECKED_IDS) {
    if (maxIds > MAX_CHECKED_IDS) throw new RangeError(`Expected \`maxIds\` to be at most ${MAX_CHECKED_IDS}, got ${maxIds}`);
  }

  /** Starts over for another file. */
  reset(): void {
    const table = this.table;
    if (table && this.count > 0) {
      if (this.count > LISTED) table.fill(0);
      else {
        for (let i = 0; i < this.count; i++) {
          const slot = this.listed[i]!;
          table[2 * slot] = 0;
          table[2 * slot + 1] = 0;
        }
      }
    }
    this.count = 0;
    this.stopped = false;
  }

  /** Adds `id`; `true` when it was seen before in this file. */
  add(id: string): boolean {
    if (this.stopped) return false;
    const table = (this.table ??= new Uint32Array(2 * SLOTS));
    const [high, hashed] = hash64(id);
    const low = high === 0 && hashed === 0 ? 1 : hashed;
    for (let slot = (low ^ Math.imul(high, 0x9e3779b1)) & (SLOTS - 1); ; slot = (slot + 1) & (SLOTS - 1)) {
      const h = table[2 * slot]!;
      const l = table[2 * slot + 1]!;
      if (h === high && l === low) return true;
      if (h === 0 && l === 0) {
        table[2 * slot] = high;
        table[2 * slot + 1] = low;
        if (this.count < LISTED) this.listed[this.count] = slot;
        if (++this.count >= this.maxIds) this.stopped = true;
        return false;
      }
    }
  }
}
