/**
 * A byte range of a file, read in pieces: what a worker thread reads of the input.
 */
import { createReadStream } from 'node:fs';
import { XliffError } from '../errors.js';

/** Pieces a worker reads its range in. */
const RANGE_PIECE_BYTES = 64 * 1024;

/** The bytes of `path` from `start` to `end` (excluded), in pieces. */
export async function* readByteRange(path: string, start: number, end: number, name: string): AsyncGenerator<Uint8Array> {
  if (end <= start) return;
  const stream = createReadStream(path, { start, end: end - 1, highWaterMark: RANGE_PIECE_BYTES });
  try {
    for await (const piece of stream) yield piece as Uint8Array;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException)?.code;
    throw new XliffError('XLIFF_IO', `cannot read the input${code ? ` (${code})` : ''}: ${(error as Error)?.message ?? error}`, { file: name, cause: error });
  } finally {
    stream.destroy();
  }
}
