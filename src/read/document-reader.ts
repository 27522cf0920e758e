/**
 * The document reader: the pieces of one input (bytes, or strings) in, what they give out,
 * in document order. Push-style and pure (no streams, files or signals): `write(piece)` as
 * often as pieces come, then `end()`; each returns what its piece gave. Bytes go through
 * the decoder, text through the XLIFF reader; the byte window keeps the input bytes the
 * items are read from, when asked for.
 */
import { XliffError } from '../errors.js';
import { DEFAULT_MAX_DEPTH } from '../options.js';
import type { Unit, UnitLayout } from '../model.js';
import { ByteWindow } from './byte-window.js';
import { DecodeFault, createDecoder, createDecoderAt, type Decoder } from './decoder.js';
import type { ReadContext } from './read-context.js';
import { createStringDecoder, type StringDecoder } from './string-decoder.js';
import { XliffReader } from './xliff-reader.js';

/** How the reader's findings become the items it hands on. */
export interface ItemMakers<T> {
  /** The input's encoding, once known, before any other item. Omitted: not handed on. */
  readonly encoding?: ((encoding: string) => T) | undefined;
  /** Omitted: skeleton text is dropped as soon as it is read. */
  readonly skeleton?: ((text: string, bytes: Uint8Array | undefined) => T) | undefined;
  readonly unit: (unit: Unit, layout: UnitLayout, bytes: Uint8Array | undefined) => T;
  /** What is wrong but does not stop reading (`validate` reports it). Omitted: dropped. */
  readonly problem?: ((problem: XliffError) => T) | undefined;
  /** Whether to keep the input bytes for `skeleton` and `unit` (byte inputs only). */
  readonly bytes?: boolean | undefined;
}

/** How the document is read. */
export interface DocumentOptions {
  /** The largest unit, in input bytes; also the longest attribute, comment or DOCTYPE. */
  readonly maxUnitBytes: number;
  /** Elements nested deeper than this are refused (`XLIFF_TOO_DEEP`). Default `DEFAULT_MAX_DEPTH`. */
  readonly maxDepth?: number | undefined;
  /** `false`: any XML document, checked as XML only (no units, whatever the root). Default `true`. */
  readonly xliff?: boolean | undefined;
  /** The bytes start there, not at the start of the document (byte inputs only). */
  readonly resume?: ReadContext | undefined;
  /** Whether `context()` will be asked. */
  readonly keepContext?: boolean | undefined;
}

export class DocumentReader<T> {
  /**
   * The error the input failed with, once it has: the piece that held it still returned
   * what came before it, and every call after it throws it.
   */
  failure: unknown;
  private items: T[] = [];
  private readonly decoder: Decoder;
  private readonly strings: StringDecoder = createStringDecoder();
  /** Byte inputs only, when the items want their bytes. */
  private window: ByteWindow | undefined;
  private xliff: XliffReader | undefined;
  /** Whether the pieces are strings; `undefined` before the first. */
  private textInput: boolean | undefined;

  constructor(
    /** Name shown in error messages. */
    private readonly fileName: string,
    private readonly options: DocumentOptions,
    private readonly make: ItemMakers<T>,
  ) {
    const { resume } = options;
    this.decoder = resume ? createDecoderAt(resume.encoding, resume.offset) : createDecoder();
  }

  /** Where the bytes written so far end, as a context to read on from, if they end where one can be (`XliffReader.context`). */
  context(): ReadContext | undefined {
    const encoding = this.decoder.encoding;
    if (this.failure !== undefined || encoding === undefined) return undefined;
    const context = this.xliff?.context();
    return context && { encoding, ...context };
  }

  /**
   * The bytes of a range are all written and the document goes on after them (threads): the
   * items the skeleton still held gives, and the context where the range ends (`undefined`:
   * reading cannot stop there, or it failed).
   */
  endRange(): { items: T[]; context: ReadContext | undefined } {
    const encoding = this.decoder.encoding;
    if (this.failure !== undefined || encoding === undefined || !this.xliff) return { items: this.take(), context: undefined };
    const context = this.xliff.endRange();
    return { items: this.take(), context: context && { encoding, ...context } };
  }

  /** Reads the next piece of input; returns the items it gave. */
  write(piece: Uint8Array | string): T[] {
    if (this.failure !== undefined) throw this.failure;
    try {
      if (typeof piece === 'string') this.writeText(piece);
      else this.writeBytes(piece);
    } catch (error) {
      this.failure = error ?? new Error('undefined thrown');
    }
    return this.take();
  }

  /** Ends the input: flushes what the decoders hold, then checks the document is whole. */
  end(): T[] {
    if (this.failure !== undefined) throw this.failure;
    try {
      const rest = this.textInput ? this.decodeText(undefined) : this.decodeBytes(undefined);
      this.xliffReader().write(rest);
      this.xliffReader().end();
    } catch (error) {
      this.failure = error ?? new Error('undefined thrown');
    }
    return this.take();
  }

  private writeText(piece: string): void {
    if (this.textInput === false) throw this.mixedPieces();
    this.textInput = true;
    this.xliffReader().write(this.decodeText(piece));
  }

  private writeBytes(piece: Uint8Array): void {
    if (this.textInput === true) throw this.mixedPieces();
    if (this.textInput === undefined && this.make.bytes) this.window = new ByteWindow(this.options.resume?.offset);
    this.textInput = false;
    this.window?.push(piece);
    const text = this.decodeBytes(piece);
    // Until the encoding is known, the decoder holds the bytes back.
    if (this.decoder.encoding === undefined) return;
    const xliff = this.xliffReader();
    xliff.write(text);
    this.window?.release(xliff.heldOffset);
  }

  /** The piece decoded (`undefined`: what the decoder still holds, at the end). */
  private decodeBytes(piece: Uint8Array | undefined): string {
    try {
      return piece === undefined ? this.decoder.end() : this.decoder.write(piece);
    } catch (error) {
      throw this.decodeFailure(error);
    }
  }

  private decodeText(piece: string | undefined): string {
    try {
      return piece === undefined ? this.strings.end() : this.strings.write(piece);
    } catch (error) {
      throw this.decodeFailure(error);
    }
  }

  /** An invalid byte (or lone surrogate) becomes an `XliffError` placed after the valid text before it. */
  private decodeFailure(error: unknown): unknown {
    if (!(error instanceof DecodeFault)) return error;
    const xliff = this.xliffReader();
    xliff.write(error.text);
    const { line, column } = xliff.position();
    return new XliffError(error.kind === 'not-xml' ? 'XLIFF_PARSE' : 'XLIFF_ENCODING', error.reason, { file: this.fileName, line, column, offset: error.offset });
  }

  /** The XLIFF reader, made when the first text comes (after the encoding item, if wanted). */
  private xliffReader(): XliffReader {
    if (this.xliff) return this.xliff;
    const { make } = this;
    const text = this.textInput === true;
    if (make.encoding) this.items.push(make.encoding(text ? 'utf-8' : (this.decoder.encoding ?? 'utf-8')));
    return (this.xliff = new XliffReader({
      fileName: this.fileName,
      maxUnitBytes: this.options.maxUnitBytes,
      maxDepth: this.options.maxDepth ?? DEFAULT_MAX_DEPTH,
      xliff: this.options.xliff ?? true,
      resume: this.options.resume,
      keepContext: this.options.keepContext,
      // The byte decoder's is final by now: it comes with the encoding, before any text.
      byteLength: text ? this.strings.byteLength : this.decoder.byteLength,
      onUnit: (unit, layout) => {
        const { offset, length } = unit.location;
        this.items.push(make.unit(unit, layout, this.window?.slice(offset, offset + length)));
      },
      onProblem: make.problem && ((problem) => this.items.push(make.problem!(problem))),
      onSkeleton: make.skeleton && ((text, from, to) => this.items.push(make.skeleton!(text, this.window?.slice(from, to)))),
    }));
  }

  private take(): T[] {
    const items = this.items;
    if (items.length === 0) return [];
    this.items = [];
    return items;
  }

  private mixedPieces(): XliffError {
    return new XliffError('XLIFF_PARSE', 'the input mixes text and byte pieces', { file: this.fileName });
  }
}
