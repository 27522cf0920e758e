/**
 * A byte range of a file, read in pieces: what a worker thread reads of the input; and the
 * rest of a file read into one buffer again and again, for a pass that keeps nothing it reads
 * (the seam scan).
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { XliffError } from '../errors.js';

/** Pieces a worker reads its range in. */
const RANGE_PIECE_BYTES = 64 * 1024;

/** Pieces the seam scan reads in: larger than a reader's (it does little with each byte). */
const SCAN_PIECE_BYTES = 1024 * 1024;

/**
 * The bytes of `path` from `start` to its end, in pieces that are views of one buffer, each
 * valid until the next is asked for: no new memory for each piece (the page faults of new
 * memory cost more than reading from the page cache: 100 MiB in 1 MiB reads took 98-132 ms
 * into new buffers, 21-23 ms into one, bench/io.ts).
 */
export async function* readReusing(path: string, start: number, name: string): AsyncGenerator<Uint8Array> {
  const file = await open(path, 'r').catch((error: unknown) => {
    throw ioError(error, name);
  });
  try {
    const buffer = new Uint8Array(SCAN_PIECE_BYTES);
    for (let position = start; ; ) {
      const { bytesRead } = await file.read(buffer, 0, buffer.length, position).catch((error: unknown) => {
        throw ioError(error, name);
      });
      if (bytesRead === 0) return;
      position += bytesRead;
      yield buffer.subarray(0, bytesRead);
    }
  } finally {
    await file.close();
  }
}

function ioError(error: unknown, name: string): XliffError {
  const code = (error as NodeJS.ErrnoException)?.code;
  return new XliffError('XLIFF_IO', `cannot read the input${code ? ` (${code})` : ''}: ${(error as Error)?.message ?? error}`, { file: name, cause: error });
}

/** The bytes of `path` from `start` to `end` (excluded), in pieces. */
export async function* readByteRange(path: string, start: number, end: number, name: string): AsyncGenerator<Uint8Array> {
  if (end <= start) return;
  const stream = createReadStream(path, { start, end: end - 1, highWaterMark: RANGE_PIECE_BYTES });
  try {
    for await (const piece of stream) yield piece as Uint8Array;
  } catch (error) {
    throw ioError(error, name);
  } finally {
    stream.destroy();
  }
}
