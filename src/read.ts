/**
 * `readUnits` and `readChunks`: the reader as async iterators. Pull-based: the next
 * piece of input is read only when the units of the previous one have been taken.
 */
import { ByteWindow } from './read/byte-window.js';
import { ChunkRule } from './read/chunk-rule.js';
import { DecodeFault, createDecoder } from './read/decoder.js';
import { createStringDecoder } from './read/string-decoder.js';
import { XliffError } from './errors.js';
import { inputName, openInput, type InputCounts, type XliffInput } from './io/input.js';
import type { Chunk, Unit, UnitLayout } from './model.js';
import { normalizeChunkOptions, normalizeReadOptions, type ChunkOptions, type ReadOptions, type ResolvedReadOptions } from './options.js';
import { XliffReader } from './read/xliff-reader.js';

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
}

/** Every unit of an XLIFF 1.x or 2.x document, in document order. */
export function readUnits(input: XliffInput, options?: ReadOptions): AsyncGenerator<Unit, void, undefined> {
  return readUnitsCounted(input, options, undefined);
}

/** `readUnits`, giving `onInput` what is read of the input (for progress: the CLI). */
export function readUnitsCounted(input: XliffInput, options: ReadOptions | undefined, onInput: ((counts: InputCounts) => void) | undefined): AsyncGenerator<Unit, void, undefined> {
  const resolved = normalizeReadOptions(options);
  return flatten(read(input, resolved, { unit: (unit) => unit, onInput }), resolved.signal, inputName(input, resolved.fileName));
}

/** The units in chunks of at most `chunkUnits` units and `chunkBytes` input bytes, cut at unit boundaries. */
export async function* readChunks(input: XliffInput, options?: ChunkOptions): AsyncGenerator<Chunk, void, undefined> {
  const { chunkUnits, chunkBytes, ...read } = normalizeChunkOptions(options);
  const rule = new ChunkRule(chunkUnits, chunkBytes);
  let index = 0;
  let units: Unit[] = [];
  const cut = (): Chunk => {
    const chunk = { index: index++, units, bytes: rule.chunkBytes };
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
  return read<ReaderEvent>(input, options, {
    encoding: (encoding) => ({ kind: 'encoding', encoding }),
    skeleton: options.skeleton ? (text, bytes) => ({ kind: 'skeleton', text, bytes }) : undefined,
    unit: (unit, layout, bytes) => ({ kind: 'unit', unit, layout, bytes }),
    bytes: options.bytes ?? false,
    onInput: options.onInput,
  });
}

/** How the reader's findings become the items a reading generator yields. */
interface ItemMakers<T> {
  readonly encoding?: ((encoding: string) => T) | undefined;
  /** Omitted: skeleton text is dropped as soon as it is read. */
  readonly skeleton?: ((text: string, bytes: Uint8Array | undefined) => T) | undefined;
  readonly unit: (unit: Unit, layout: UnitLayout, bytes: Uint8Array | undefined) => T;
  /** Whether to keep the input bytes for `skeleton` and `unit` (byte inputs only). */
  readonly bytes?: boolean | undefined;
  readonly onInput?: ((counts: InputCounts) => void) | undefined;
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
 * The reading loop: pulls a piece of input, decodes it, parses it, and yields what it
 * gave (a batch, never empty) before pulling the next one.
 */
async function* read<T>(input: XliffInput, options: ResolvedReadOptions, make: ItemMakers<T>): AsyncGenerator<T[], void, undefined> {
  const { signal } = options;
  throwIfAborted(signal, options.fileName);
  const opened = openInput(input, signal, options.fileName);
  make.onInput?.(opened.counts);
  const fileName = opened.name;
  let events: T[] = [];
  const decoder = createDecoder();
  const strings = createStringDecoder();
  // Byte inputs only: text inputs have no bytes to copy.
  let window: ByteWindow | undefined;
  let core: XliffReader | undefined;
  const coreFor = (byteLength: (text: string) => number): XliffReader => {
    if (!core && make.encoding) events.push(make.encoding(textInput ? 'utf-8' : (decoder.encoding ?? 'utf-8')));
    return (core ??= new XliffReader({
      fileName,
      maxUnitBytes: options.maxUnitBytes,
      byteLength,
      onUnit: (unit, layout) => {
        const { offset, length } = unit.location;
        events.push(make.unit(unit, layout, window?.slice(offset, offset + length)));
      },
      onSkeleton: make.skeleton && ((text, from, to) => events.push(make.skeleton!(text, window?.slice(from, to)))),
    }));
  };
  let textInput: boolean | undefined;

  const feed = (piece: Uint8Array | string | undefined): void => {
    if (piece === undefined) {
      // End of input: flush what the decoders hold, then check the document is whole.
      const rest = decode(() => (textInput ? strings.end() : decoder.end()));
      coreFor(textInput ? strings.byteLength : decoder.byteLength).write(rest);
      coreFor(decoder.byteLength).end();
      return;
    }
    if (typeof piece === 'string') {
      if (textInput === false) throw new XliffError('XLIFF_PARSE', 'the input mixes text and byte pieces', { file: fileName });
      textInput = true;
      coreFor(strings.byteLength).write(decode(() => strings.write(piece)));
      return;
    }
    if (textInput === true) throw new XliffError('XLIFF_PARSE', 'the input mixes text and byte pieces', { file: fileName });
    if (textInput === undefined && make.bytes) window = new ByteWindow();
    textInput = false;
    window?.push(piece);
    const text = decode(() => decoder.write(piece));
    if (decoder.encoding !== undefined) {
      const reader = coreFor(decoder.byteLength);
      reader.write(text);
      window?.release(reader.heldOffset);
    }
  };

  /** Runs the decoder; an invalid byte becomes an `XliffError` placed after the valid text before it. */
  const decode = (step: () => string): string => {
    try {
      return step();
    } catch (error) {
      if (!(error instanceof DecodeFault)) throw error;
      const reader = coreFor(textInput ? strings.byteLength : decoder.byteLength);
      reader.write(error.text);
      const { line, column } = reader.position();
      throw new XliffError(error.kind === 'not-xml' ? 'XLIFF_PARSE' : 'XLIFF_ENCODING', error.reason, { file: fileName, line, column, offset: error.offset });
    }
  };

  /** Runs one step of the reader; its error, if any, comes after the items the step gave. */
  const attempt = (step: () => void): unknown => {
    try {
      step();
      return undefined;
    } catch (error) {
      return error ?? new Error('undefined thrown');
    }
  };

  try {
    let done = false;
    const pieces = opened.pieces[Symbol.asyncIterator]();
    try {
      while (!done) {
        const next = await pieces.next();
        throwIfAborted(signal, fileName);
        done = next.done === true;
        const failure = attempt(() => feed(next.done ? undefined : next.value));
        if (events.length > 0) {
          const batch = events;
          events = [];
          yield batch;
          throwIfAborted(signal, fileName);
        }
        if (failure !== undefined) throw failure;
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
