/**
 * Where chunks are cut: the one rule `readChunks` and `processXliff` share. A chunk holds at
 * most `chunkUnits` units and at most `chunkBytes` input bytes of units (the text between
 * units is not counted), and always at least one unit: a unit that would take the chunk
 * past `chunkBytes` starts the next one.
 */
export class ChunkRule {
  private units = 0;
  private bytes = 0;

  constructor(
    private readonly maxUnits: number,
    private readonly maxBytes: number,
  ) {}

  /** Whether a unit of `size` input bytes must start a new chunk (the open one is full for it). */
  startsNewChunk(size: number): boolean {
    return this.units > 0 && this.bytes + size > this.maxBytes;
  }

  /** Counts a unit into the open chunk; returns whether the chunk is full after it. */
  add(size: number): boolean {
    this.units++;
    this.bytes += size;
    return this.units >= this.maxUnits;
  }

  /** The open chunk's units. */
  get openUnits(): number {
    return this.units;
  }

  /** The input bytes of the open chunk's units. */
  get openBytes(): number {
    return this.bytes;
  }

  /** The open chunk was handed on: the next unit starts a new one. */
  cut(): void {
    this.units = 0;
    this.bytes = 0;
  }
}
