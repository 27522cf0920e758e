/**
 * A file's SHA-256, streamed: what names a document between its split and its join.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { XliffError } from '../errors.js';

export async function fileSha256(path: string, signal?: AbortSignal): Promise<string> {
  const hash = createHash('sha256');
  try {
    for await (const piece of createReadStream(path, { highWaterMark: 1 << 20, signal })) hash.update(piece as Buffer);
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    throw new XliffError('XLIFF_IO', `cannot read ${path}: ${(error as Error).message}`, { cause: error });
  }
  return hash.digest('hex');
}
