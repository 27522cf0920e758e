/**
 * The chunker: groups the units read into chunks by the chunk rule (the one `readChunks`
 * follows), with the skeleton between them, and hands each chunk on once it is full.
 */
import { ChunkRule } from '../read/chunk-rule.js';
import type { JobChunk, ReadUnit, SettledUnit, Skeleton } from './job-chunk.js';

export interface ChunkerStage {
  /** A chunk begins (its place in the output is taken now, before its units). */
  open(index: number): JobChunk;
  /** What a unit becomes in its chunk: itself, or its result when it is processed on arrival. */
  item(unit: ReadUnit, chunk: JobChunk): ReadUnit | SettledUnit | Promise<SettledUnit>;
  /** The chunk is full: process it. */
  dispatch(chunk: JobChunk): Promise<void>;
  /** Skeleton between chunks. */
  outside(skeleton: Skeleton): void;
}

export class Chunker {
  private readonly rule: ChunkRule;
  private chunk: JobChunk | undefined;
  private count = 0;

  constructor(
    chunkUnits: number,
    chunkBytes: number,
    private readonly stage: ChunkerStage,
    /** The first chunk's index (a byte range of the input, read on a worker thread, starts at a chunk). */
    private readonly first = 0,
  ) {
    this.rule = new ChunkRule(chunkUnits, chunkBytes);
    this.count = first;
  }

  /** How many chunks were begun. */
  get chunks(): number {
    return this.count - this.first;
  }

  /** The open chunk's units and input bytes of units (0 when the last chunk was full by its count). */
  get open(): { readonly units: number; readonly bytes: number } {
    return { units: this.rule.openUnits, bytes: this.rule.openBytes };
  }

  skeleton(skeleton: Skeleton): void {
    if (this.chunk) this.chunk.append(skeleton);
    else this.stage.outside(skeleton);
  }

  /** Places a unit; returns a promise only when a chunk was handed on (most units cost none). */
  unit(unit: ReadUnit): Promise<void> | undefined {
    const size = unit.unit.location.length;
    if (this.chunk && this.rule.startsNewChunk(size)) return this.cut()!.then(() => this.place(unit, size));
    return this.place(unit, size);
  }

  /** The input ended: hands on the open chunk. */
  async end(): Promise<void> {
    await this.cut();
  }

  private place(unit: ReadUnit, size: number): Promise<void> | undefined {
    const chunk = (this.chunk ??= this.stage.open(this.count++));
    chunk.append(this.stage.item(unit, chunk));
    chunk.end = unit.unit.location.offset + size;
    chunk.units++;
    return this.rule.add(size) ? this.cut() : undefined;
  }

  private cut(): Promise<void> | undefined {
    const chunk = this.chunk;
    if (!chunk) return undefined;
    this.chunk = undefined;
    this.rule.cut();
    return this.stage.dispatch(chunk);
  }
}
