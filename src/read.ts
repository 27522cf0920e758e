/**
 * The reader's face: `readUnits`, `readChunks` and the writer's `readEvents` as async
 * iterators. Pull-based: the next piece of input is read only when what the previous one
 * gave has been taken. The input edge (`openInput`) gives the pieces, the document reader
 * (src/read/) reads them; this file checks the signal in between.
 */
import { ChunkRule } from './read/chunk-rule.js';
import { DocumentReader, type ItemMakers } from './read/document-reader.js';
import { XliffError } from './errors.js';
import { readByteRange } from './io/byte-range.js';
import { inputName, openInput, type InputCounts, type XliffInput } from './io/input.js';
import type { ReadContext } from './read/read-context.js';
import type { Chunk, Unit, UnitLayout } from './model.js';
import { type ChunkOptions, type ReadOptions } from './options.js';
import { normalizeChunkOptions, normalizeReadOptions, type ResolvedReadOptions } from './normalize-options.js';

/** What the reader hands on, in document order: the text between units, and units. */
export type ReaderEvent =
  /** The input's encoding, once known, before any text: `utf-8`, `utf-16le`, `windows-1252`... */
  | { readonly kind: 'encoding'; readonly encoding: string }
  | { readonly kind: 'skeleton'; readonly text: string; readonly bytes: Uint8Array | undefined }
  | { readonly kind: 'unit'; readonly unit: Unit; readonly layout: UnitLayout; readonly bytes: Uint8Array | undefined };

export interface ReaderEventOptions extends ResolvedReadOptions {
  /** Hand on skeleton pieces too (the writer needs them; `readUnits` does not). */
  readonly skeleton: boolean;
  /**
   * Hand on, with each skeleton piece and unit, the input bytes it was read from (the
   * writer copies them when it changes nothing there); not for text inputs.
   */
  readonly bytes?: boolean | undefined;
  /** Given what is read of the input, kept up to date (for progress), once it is opened. */
  readonly onInput?: ((counts: InputCounts) => void) | undefined;
  /** Read only this byte range of the input file (a worker thread's part of it). */
  readonly range?: ReadRange | undefined;
}

/** A byte range of a file, read from the context it starts in (a seam: threads/). */
export interface ReadRange {
  readonly path: string;
  readonly start: number;
  /** Excluded. */
  readonly end: number;
  /** Whether the range ends the document (its reader then checks that the document is whole). */
  readonly last: boolean;
  /** Where the range starts; `undefined` at the start of the document. */
  readonly context: ReadContext | undefined;
  /** Given the context where the range ends, once read (not for the last range; `undefined`: the reader cannot stop there). */
  readonly onEnd?: ((context: ReadContext | undefined) => void) | undefined;
}

/** Every unit of an XLIFF 1.x or 2.x document, in document order. */
export function readUnits(input: XliffInput, options?: ReadOptions): AsyncGenerator<Unit, void, undefined> {
  return readUnitsCounted(input, options, undefined);
}

/** `readUnits`, giving `onInput` what is read of the input (for progress: the CLI). */
export function readUnitsCounted(input: XliffInput, options: ReadOptions | undefined, onInput: ((counts: InputCounts) => void) | undefined): AsyncGenerator<Unit, void, undefined> {
  const resolved = normalizeReadOptions(options);
  return flatten(readBatches(input, resolved, { unit: (unit) => unit }, onInput), resolved.signal, inputName(input, resolved.fileName));
}

/** The units in chunks of at most `chunkUnits` units and `chunkBytes` input bytes, cut at unit boundaries. */
export async function* readChunks(input: XliffInput, options?: ChunkOptions): AsyncGenerator<Chunk, void, undefined> {
  const { chunkUnits, chunkBytes, ...read } = normalizeChunkOptions(options);
  const rule = new ChunkRule(chunkUnits, chunkBytes);
  let index = 0;
  let units: Unit[] = [];
  const cut = (): Chunk => {
    const chunk = { index: index++, units, bytes: rule.openBytes };
    units = [];
    rule.cut();
    return chunk;
  };
  for await (const unit of readUnits(input, read)) {
    const size = unit.location.length;
    if (rule.startsNewChunk(size)) yield cut();
    units.push(unit);
    if (rule.add(size)) yield cut();
  }
  if (units.length > 0) yield cut();
}

/** Skeleton pieces and units, in document order: what the writer needs. */
export function readEvents(input: XliffInput, options: ReaderEventOptions): AsyncGenerator<ReaderEvent, void, undefined> {
  return flatten(readEventBatches(input, options), options.signal, inputName(input, options.fileName));
}

/**
 * `readEvents` in batches: what each piece of input gave, one `await` per batch instead
 * of one per event. The caller checks `signal` between the events of a batch.
 */
export function readEventBatches(input: XliffInput, options: ReaderEventOptions): AsyncGenerator<ReaderEvent[], void, undefined> {
  const make: ItemMakers<ReaderEvent> = {
    encoding: (encoding) => ({ kind: 'encoding', encoding }),
    skeleton: options.skeleton ? (text, bytes) => ({ kind: 'skeleton', text, bytes }) : undefined,
    unit: (unit, layout, bytes) => ({ kind: 'unit', unit, layout, bytes }),
    bytes: options.bytes ?? false,
  };
  return readBatches(input, options, make, options.onInput);
}

/** The items of the batches, one by one; stops at once when `signal` aborts. */
async function* flatten<T>(batches: AsyncGenerator<T[], void, undefined>, signal: AbortSignal | undefined, fileName: string): AsyncGenerator<T, void, undefined> {
  for await (const batch of batches) {
    for (let i = 0; i < batch.length; i++) {
      yield batch[i]!;
      throwIfAborted(signal, fileName);
    }
  }
}

/**
 * Pulls a piece of input, has the document reader read it, and yields what it gave (a
 * batch, never empty) before pulling the next one; an error comes after that batch.
 * `options.xliff` false: any XML, checked as XML only (`validate`).
 */
export async function* readBatches<T>(
  input: XliffInput,
  options: ResolvedReadOptions & { readonly xliff?: boolean | undefined; readonly range?: ReadRange | undefined },
  make: ItemMakers<T>,
  onInput?: ((counts: InputCounts) => void) | undefined,
): AsyncGenerator<T[], void, undefined> {
  const { signal, range } = options;
  throwIfAborted(signal, options.fileName);
  const opened = range ? { name: options.fileName ?? range.path, pieces: readByteRange(range.path, range.start, range.end, options.fileName ?? range.path) } : openInput(input, signal, options.fileName);
  if ('counts' in opened) onInput?.(opened.counts);
  const fileName = opened.name;
  const midRange = range !== undefined && !range.last;
  const reader = new DocumentReader(fileName, { maxUnitBytes: options.maxUnitBytes, maxDepth: options.maxDepth, xliff: options.xliff, resume: range?.context, keepContext: midRange }, make);
  try {
    let done = false;
    const pieces = opened.pieces[Symbol.asyncIterator]();
    try {
      while (!done) {
        const next = await pieces.next();
        throwIfAborted(signal, fileName);
        done = next.done === true;
        let batch: T[];
        if (!next.done) batch = reader.write(next.value);
        else if (!midRange) batch = reader.end();
        else {
          // A range that does not end the document ends where the next one starts: no end to check.
          const ended = reader.endRange();
          batch = ended.items;
          range.onEnd?.(ended.context);
        }
        if (batch.length > 0) {
          yield batch;
          throwIfAborted(signal, fileName);
        }
        if (reader.failure !== undefined) throw reader.failure;
      }
    } finally {
      if (!done) await pieces.return?.();
    }
  } catch (error) {
    if (signal?.aborted) throw abortError(signal, fileName);
    throw error;
  }
}

function throwIfAborted(signal: AbortSignal | undefined, fileName: string | undefined): void {
  if (signal?.aborted) throw abortError(signal, fileName);
}

function abortError(signal: AbortSignal, fileName: string | undefined): XliffError {
  return new XliffError('XLIFF_ABORTED', 'reading was aborted', { file: fileName, cause: signal.reason });
}
