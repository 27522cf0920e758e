/**
 * How a job cuts its chunks and how many it keeps in flight when the user leaves that to
 * it. A `processBatch` call takes one chunk, so chunks are what run concurrently: the job
 * cuts about four chunks per concurrency slot out of the input (by its size) and keeps
 * `concurrency + 1` in flight. The choice depends on the input's size and the options
 * alone, never on timing, so that a rerun cuts the same chunks and its journal replays.
 * With `process`, units of a chunk run concurrently already: the defaults stay.
 */
import type { ResolvedProcessOptions } from '../normalize-options.js';

export interface Chunking {
  readonly chunkUnits: number;
  readonly chunkBytes: number;
  readonly highWaterMark: number;
}

/** Chunks cut per concurrency slot, when the job chooses. */
export const CHUNKS_PER_SLOT = 4;
/** The least input bytes of units a chunk the job chooses takes. */
export const MIN_CHUNK_BYTES = 1024;

/** The chunking of a job over an input of `inputBytes` bytes (`undefined`: not known, as for a stream). */
export function jobChunking(options: ResolvedProcessOptions, inputBytes: number | undefined): Chunking {
  const { chunkUnits, chunkBytes, highWaterMark, concurrency } = options;
  const batches = options.processBatch !== undefined;
  const sized = batches && !options.chunkSizeGiven && inputBytes !== undefined;
  return {
    chunkUnits,
    chunkBytes: sized ? Math.max(MIN_CHUNK_BYTES, Math.ceil(inputBytes / (CHUNKS_PER_SLOT * concurrency))) : chunkBytes,
    highWaterMark: batches && !options.highWaterMarkGiven ? Math.max(highWaterMark, concurrency + 1) : highWaterMark,
  };
}
