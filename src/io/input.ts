/**
 * Input edge: turns a path, URL, Readable or async iterable into an async iterable
 * of byte (or string) pieces, decompressing gzip when the first bytes say so.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { XliffError, describe } from '../errors.js';

/**
 * A file path or URL, bytes in memory, a Node Readable, or any (async) iterable of byte or
 * text pieces. Byte pieces must not change once handed over (Node streams never reuse
 * them): `processXliff` copies the bytes of what it leaves untouched straight from them.
 */
export type XliffInput = string | URL | Uint8Array | NodeJS.ReadableStream | AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>;

/** Size of the pieces read from a file: 64 KiB parses fastest here (docs/ARCHITECTURE.md, "Pitfalls measured"). */
export const READ_PIECE_BYTES = 64 * 1024;

export interface OpenedInput {
  /** Name for messages: the path, or `<stream>`. */
  readonly name: string;
  readonly pieces: AsyncIterable<Uint8Array | string>;
  /** Kept up to date as `pieces` are read. */
  readonly counts: InputCounts;
}

/** What has been read of a byte input so far (text pieces are not counted). */
export interface InputCounts {
  gzipped: boolean;
  /** Bytes of the document handed on (decompressed). */
  bytes: number;
  /** Of gzip input: compressed bytes per document byte, in what was decompressed so far (1 otherwise). */
  scale: number;
}

/** The name messages give the input: `fileName` if given, else the path, `<buffer>` or `<stream>`. */
export function inputName(input: XliffInput, fileName?: string): string {
  if (fileName !== undefined) return fileName;
  if (typeof input === 'string') return input;
  if (input instanceof URL) return decodeURIComponent(input.pathname);
  return input instanceof Uint8Array ? '<buffer>' : '<stream>';
}

/** The input's path, when it is a file (a path or a `file:` URL). */
export function inputPath(input: XliffInput): string | undefined {
  if (typeof input === 'string') return input;
  return input instanceof URL && input.protocol === 'file:' ? fileURLToPath(input) : undefined;
}

/** The size of an input file, or `undefined` when it cannot be known (progress then has no percent). */
export function inputSize(path: string | undefined): Promise<number | undefined> {
  if (path === undefined) return Promise.resolve(undefined);
  return stat(path).then(
    (info) => info.size,
    () => undefined,
  );
}

export function openInput(input: XliffInput, signal: AbortSignal | undefined, fileName?: string): OpenedInput {
  const name = inputName(input, fileName);
  const counts: InputCounts = { gzipped: false, bytes: 0, scale: 1 };
  if (typeof input === 'string' || input instanceof URL) return { name, pieces: gunzipIfNeeded(readFile(input, name, signal), counts), counts };
  if (input instanceof Uint8Array) return { name, pieces: gunzipIfNeeded([input], counts), counts };
  if (isIterable(input)) return { name, pieces: gunzipIfNeeded(input, counts), counts };
  throw new TypeError(`Expected \`input\` to be a path, a URL, a Readable or an async iterable of Uint8Array or string, got ${describe(input)}`);
}

async function* readFile(path: string | URL, name: string, signal: AbortSignal | undefined): AsyncGenerator<Uint8Array> {
  const stream = createReadStream(path, { highWaterMark: READ_PIECE_BYTES, signal });
  try {
    for await (const piece of stream) yield piece as Uint8Array;
  } catch (error) {
    if ((error as Error)?.name === 'AbortError') throw error;
    const code = (error as NodeJS.ErrnoException)?.code;
    throw new XliffError('XLIFF_IO', `cannot read the input${code ? ` (${code})` : ''}: ${(error as Error)?.message ?? error}`, { file: name, cause: error });
  } finally {
    stream.destroy();
  }
}

/** Looks at the first two bytes; gzip's magic number sends the rest through gunzip. */
async function* gunzipIfNeeded(pieces: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>, counts: InputCounts): AsyncGenerator<Uint8Array | string> {
  const iterator = countBytes(toAsyncIterator(pieces), counts);
  const head: Uint8Array[] = [];
  let headBytes = 0;
  try {
    while (headBytes < 2) {
      const next = await iterator.next();
      if (next.done) break;
      const piece = next.value;
      if (typeof piece === 'string') {
        // Text input is already decoded: no gzip to look for.
        yield* head;
        yield piece;
        yield* rest(iterator);
        return;
      }
      if (piece.length === 0) continue;
      head.push(piece);
      headBytes += piece.length;
    }
    const first = head[0];
    const second = first && first.length > 1 ? first[1] : head[1]?.[0];
    if (first?.[0] !== 0x1f || second !== 0x8b) {
      yield* head;
      yield* rest(iterator);
      return;
    }
    counts.gzipped = true;
    counts.bytes = 0;
    counts.scale = 0;
    const gunzip = createGunzip();
    const compressed = Readable.from(
      (async function* () {
        yield* head;
        yield* rest(iterator);
      })(),
      { objectMode: false },
    );
    compressed.on('error', (error) => gunzip.destroy(error));
    compressed.pipe(gunzip);
    try {
      for await (const piece of gunzip) {
        counts.bytes += (piece as Uint8Array).length;
        // What the engine took (compressed) against what it gave: handed on, or waiting in its buffer.
        counts.scale = gunzip.bytesWritten / (counts.bytes + gunzip.readableLength);
        yield piece as Uint8Array;
      }
    } catch (error) {
      if (error instanceof XliffError) throw error;
      throw new XliffError('XLIFF_PARSE', `corrupt gzip data: ${(error as Error)?.message ?? error}`, { cause: error });
    } finally {
      compressed.destroy();
      gunzip.destroy();
    }
  } finally {
    await iterator.return?.();
  }
}

/** Counts the bytes of the byte pieces `iterator` gives in `counts.bytes`, until the input turns out to be gzip. */
function countBytes(iterator: AsyncIterator<Uint8Array | string>, counts: InputCounts): AsyncIterator<Uint8Array | string> {
  return {
    next: async () => {
      const next = await iterator.next();
      if (!next.done && typeof next.value !== 'string' && !counts.gzipped) counts.bytes += next.value.length;
      return next;
    },
    return: async () => (await iterator.return?.()) ?? { done: true, value: undefined },
  };
}

async function* rest<T>(iterator: AsyncIterator<T>): AsyncGenerator<T> {
  for (;;) {
    const next = await iterator.next();
    if (next.done) return;
    yield next.value;
  }
}

function toAsyncIterator<T>(source: AsyncIterable<T> | Iterable<T>): AsyncIterator<T> {
  if (Symbol.asyncIterator in source) return source[Symbol.asyncIterator]();
  const sync = source[Symbol.iterator]();
  return {
    next: async () => sync.next(),
    return: async () => sync.return?.() ?? { done: true, value: undefined },
  };
}

function isIterable(value: unknown): value is AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string> {
  return value !== null && typeof value === 'object' && (Symbol.asyncIterator in value || (Symbol.iterator in value && !ArrayBuffer.isView(value)));
}
