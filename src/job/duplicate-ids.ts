/**
 * Spots unit ids used twice within one file, in bounded memory: ids are kept as 64-bit
 * hashes (StringHashSet), and the check stops after `maxIds` ids of a file (a table of
 * 16 MiB at 1 million).
 */
import { StringHashSet, hash64 } from './hash-set.js';

export class DuplicateIds {
  private ids = new StringHashSet();
  /** The file (its index in the document) the ids are of. */
  private file = -1;
  /** Whether the file has more ids than `maxIds`: the check stopped. */
  stopped = false;

  constructor(private readonly maxIds = 1_000_000) {}

  /** Starts over for another file. */
  reset(): void {
    if (this.ids.size > 0) {
      this.ids.dispose();
      this.ids = new StringHashSet();
    }
    this.stopped = false;
  }

  /** Adds `id`; `true` when it was seen before in this file. */
  add(id: string): boolean {
    const [high, low] = hash64(id);
    return this.addHash(high, low);
  }

  /** Adds an id of file `file` by its `hash64` (one another thread gave), starting over at a new file; `true` when it was seen before in that file. */
  addInFile(file: number, high: number, low: number): boolean {
    if (file !== this.file) {
      this.file = file;
      this.reset();
    }
    return this.addHash(high, low);
  }

  /**
   * Adds a range's ids first met in their file there (`ProcessPart.firstIds`: file, high,
   * low, offset for each), in document order; gives the offsets of the units whose id an
   * earlier range used.
   */
  addRange(firstIds: readonly number[]): Set<number> {
    const again = new Set<number>();
    for (let i = 0; i < firstIds.length; i += 4) {
      if (this.addInFile(firstIds[i]!, firstIds[i + 1]!, firstIds[i + 2]!)) again.add(firstIds[i + 3]!);
    }
    return again;
  }

  /** Adds an id by its `hash64`; `true` when it was seen before in this file. */
  addHash(high: number, low: number): boolean {
    if (this.stopped) return false;
    if (!this.ids.addHash(high, low)) return true;
    if (this.ids.size > this.maxIds) this.stopped = true;
    return false;
  }
}
