/**
 * `readUnits` and `readChunks`: the reader as async iterators. Pull-based: the next
 * piece of input is read only when the units of the previous one have been taken.
 */
import { DecodeFault, createDecoder, createStringDecoder } from './decoder.js';
import { XliffError } from './errors.js';
import { openInput, type XliffInput } from './input.js';
import type { Chunk, Unit } from './model.js';
import { normalizeChunkOptions, normalizeReadOptions, type ChunkOptions, type ReadOptions, type ResolvedReadOptions } from './options.js';
import { ReaderCore } from './reader-core.js';
import type { UnitLayout } from './unit-builder.js';

/** What the reader hands on, in document order: the text between units, and units. */
export type ReaderEvent = { readonly kind: 'skeleton'; readonly text: string } | { readonly kind: 'unit'; readonly unit: Unit; readonly layout: UnitLayout };

export interface ReaderEventOptions extends ResolvedReadOptions {
  /** Hand on skeleton pieces too (the writer needs them; `readUnits` does not). */
  readonly skeleton: boolean;
}

/** Every unit of an XLIFF 1.x or 2.x document, in document order. */
export async function* readUnits(input: XliffInput, options?: ReadOptions): AsyncGenerator<Unit, void, undefined> {
  const resolved = normalizeReadOptions(options);
  for await (const event of readEvents(input, { ...resolved, skeleton: false })) {
    if (event.kind === 'unit') yield event.unit;
  }
}

/** The units in chunks of at most `chunkUnits` units and `chunkBytes` input bytes, cut at unit boundaries. */
export async function* readChunks(input: XliffInput, options?: ChunkOptions): AsyncGenerator<Chunk, void, undefined> {
  const { chunkUnits, chunkBytes, ...read } = normalizeChunkOptions(options);
  let index = 0;
  let units: Unit[] = [];
  let bytes = 0;
  for await (const event of readEvents(input, { ...read, skeleton: false })) {
    if (event.kind !== 'unit') continue;
    const size = event.unit.location.length;
    if (units.length > 0 && bytes + size > chunkBytes) {
      yield { index: index++, units, bytes };
      units = [];
      bytes = 0;
    }
    units.push(event.unit);
    bytes += size;
    if (units.length >= chunkUnits) {
      yield { index: index++, units, bytes };
      units = [];
      bytes = 0;
    }
  }
  if (units.length > 0) yield { index, units, bytes };
}

/** Skeleton pieces and units, in document order. The ground of `readUnits` and of the writer. */
export async function* readEvents(input: XliffInput, options: ReaderEventOptions): AsyncGenerator<ReaderEvent, void, undefined> {
  const { signal } = options;
  throwIfAborted(signal, options.fileName);
  const opened = openInput(input, signal, options.fileName);
  const fileName = opened.name;
  const events: ReaderEvent[] = [];
  const decoder = createDecoder();
  const strings = createStringDecoder();
  let core: ReaderCore | undefined;
  const coreFor = (byteLength: (text: string) => number): ReaderCore =>
    (core ??= new ReaderCore({
      fileName,
      maxUnitBytes: options.maxUnitBytes,
      byteLength,
      onUnit: (unit, layout) => events.push({ kind: 'unit', unit, layout }),
      onSkeleton: options.skeleton ? (text) => events.push({ kind: 'skeleton', text }) : undefined,
    }));
  let textInput: boolean | undefined;

  const feed = (piece: Uint8Array | string | undefined): void => {
    if (piece === undefined) {
      // End of input: flush what the decoders hold, then check the document is whole.
      const rest = textInput ? strings.end() : decode(() => decoder.end());
      coreFor(textInput ? strings.byteLength : decoder.byteLength).write(rest);
      coreFor(decoder.byteLength).end();
      return;
    }
    if (typeof piece === 'string') {
      if (textInput === false) throw new XliffError('XLIFF_PARSE', 'the input mixes text and byte pieces', { file: fileName });
      textInput = true;
      coreFor(strings.byteLength).write(strings.write(piece));
      return;
    }
    if (textInput === true) throw new XliffError('XLIFF_PARSE', 'the input mixes text and byte pieces', { file: fileName });
    textInput = false;
    const text = decode(() => decoder.write(piece));
    if (decoder.encoding !== undefined) coreFor(decoder.byteLength).write(text);
  };

  /** Runs the decoder; an invalid byte becomes an `XliffError` placed after the valid text before it. */
  const decode = (step: () => string): string => {
    try {
      return step();
    } catch (error) {
      if (!(error instanceof DecodeFault)) throw error;
      const reader = coreFor(decoder.byteLength);
      reader.write(error.text);
      const { line, column } = reader.position();
      throw new XliffError(error.kind === 'not-xml' ? 'XLIFF_PARSE' : 'XLIFF_ENCODING', error.reason, { file: fileName, line, column, offset: error.offset });
    }
  };

  /** Hands on the events one step of the reader produced, then its error, if any. */
  async function* drain(step: () => void): AsyncGenerator<ReaderEvent, void, undefined> {
    let failure: unknown;
    try {
      step();
    } catch (error) {
      failure = error;
    }
    for (let i = 0; i < events.length; i++) {
      yield events[i]!;
      throwIfAborted(signal, fileName);
    }
    events.length = 0;
    if (failure !== undefined) throw failure;
  }

  try {
    for await (const piece of opened.pieces) {
      throwIfAborted(signal, fileName);
      yield* drain(() => feed(piece));
    }
    throwIfAborted(signal, fileName);
    yield* drain(() => feed(undefined));
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
