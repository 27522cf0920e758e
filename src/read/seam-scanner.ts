/**
 * The seam scanner: a quick pass over a document's bytes (ASCII-compatible encodings) that
 * proposes where to cut it into byte ranges for readers on other threads, and the context
 * each range starts in (`ReadContext`): every so many bytes, at the `<` of a unit outside
 * units. It follows markup only as far as that needs: comments, CDATA, PIs and the DOCTYPE
 * are skipped whole, tags found with `indexOf` and read for their name and end, text not
 * read at all; lines are counted. Pure.
 *
 * What it proposes is a guess: the reader of the range before a seam checks it (it reads up
 * to the seam and gives its own context there, `sameContext`), so a guess that is wrong (a
 * document that is not well-formed, a unit known only by its namespace) costs a range read
 * again, never a wrong result.
 */
import { decodingTable } from '../charsets.js';
import { concatBytes, indexOfBytes } from './bytes.js';
import { ChunkRule } from './chunk-rule.js';
import { createDecoderAt } from './decoder.js';
import type { ReadContext } from './read-context.js';

const LT = 0x3c;
const GT = 0x3e;
const SLASH = 0x2f;
const BANG = 0x21;
const QUESTION = 0x3f;
const LF = 0x0a;
const CR = 0x0d;
const DOUBLE_QUOTE = 0x22;
const SINGLE_QUOTE = 0x27;
const COMMENT_END = Uint8Array.from([0x2d, 0x2d, 0x3e]);
const CDATA_END = Uint8Array.from([0x5d, 0x5d, 0x3e]);
const PI_END = Uint8Array.from([0x3f, 0x3e]);
const ascii = (text: string): Uint8Array => Uint8Array.from(text, (c) => c.charCodeAt(0));
const TRANS_UNIT = ascii('trans-unit');
const UNIT = ascii('unit');
const FILE = ascii('file');
/** A tag longer than this stops the scan: the rest of the document is one range. */
const MAX_TAG_BYTES = 1024 * 1024;

type Mode = 'text' | 'comment' | 'cdata' | 'pi' | 'doctype' | 'stopped';

/** Where a seam falls in the job's chunks, when seams are kept to chunk starts. */
export interface SeamChunk {
  /** The index of the chunk the unit at the seam begins. */
  readonly index: number;
  /**
   * The unit's input bytes, when the chunk rule needed them to start a chunk there (the chunk
   * before was not full by its count): the reader of the range after the seam checks them.
   */
  readonly unitBytes: number | undefined;
}

/** A seam waiting for its unit's end: the chunk rule decides then whether a chunk starts there. */
interface Candidate {
  readonly offset: number;
  readonly ancestors: Uint8Array[];
  readonly files: number;
  readonly fileWithoutElement: boolean;
  readonly units: number;
  readonly line: number;
  readonly column: number;
}

/** Whether the scanner can read a document in `encoding`: one byte for each ASCII character, as ASCII. */
export function scannable(encoding: string): boolean {
  if (encoding === 'utf-8') return true;
  if (encoding.startsWith('utf-16')) return false;
  const table = decodingTable(encoding);
  for (let b = 0; b < 0x80; b++) if (table[b] !== b) return false;
  return true;
}

export class SeamScanner {
  /** Bytes not scanned yet (a construct begun in the last piece, and the new piece), from input offset `bufferStart`. */
  private buffer: Uint8Array = new Uint8Array(0);
  private bufferStart = 0;
  private mode: Mode = 'text';
  private sawRoot = false;
  private unitName = TRANS_UNIT;
  /** The start tags of the elements open outside units, as bytes. */
  private readonly open: Uint8Array[] = [];
  private fileOpen: boolean[] = [];
  /** Elements open inside the unit, if one is open (-1: none). */
  private inUnit = -1;
  private units = 0;
  private files = 0;
  private fileWithoutElement = false;
  private lastSeam = 0;
  /** Where the open unit starts (input offset). */
  private unitStart = 0;
  /** With chunks: the job's chunk rule, the chunks begun, and a seam waiting for its unit's end. */
  private readonly rule: ChunkRule | undefined;
  private chunks = 0;
  private candidate: Candidate | undefined;
  // Lines: counted up to input offset `countedTo`.
  private countedTo = 0;
  private line = 1;
  private lineStart = 0;
  private pendingCr = false;
  /** UTF-16 code units from `lineStart` to `bufferStart`, when the line started before the buffer. */
  private unitsBeforeBuffer = 0;
  private readonly utf8: boolean;
  private readonly decode: (bytes: Uint8Array) => string;
  private readonly bom: number;

  constructor(
    private readonly encoding: string,
    /** The least bytes between two seams. */
    private readonly rangeBytes: number,
    private readonly onSeam: (context: ReadContext, chunk: SeamChunk | undefined) => void,
    /** Bytes of a byte order mark the input starts with (not counted in columns). */
    bom = 0,
    /** Keep seams to the starts of the chunks this rule cuts (`processXliff`'s chunks). */
    chunks?: { readonly units: number; readonly bytes: number },
  ) {
    this.rule = chunks && new ChunkRule(chunks.units, chunks.bytes);
    this.utf8 = encoding === 'utf-8';
    // A start tag is whole characters: a decoder of its own each time.
    this.decode = (bytes) => createDecoderAt(encoding, 0).write(bytes);
    this.bom = bom;
  }

  /** Whether the scan has stopped: no seam after it (a construct it cannot follow). */
  private get stopped(): boolean {
    return this.mode === 'stopped';
  }

  write(piece: Uint8Array): void {
    if (this.stopped) return;
    const rest = this.buffer;
    const buffer = concatBytes(rest, piece);
    this.buffer = buffer;
    let at = 0;
    this.resumeAt = buffer.length;
    while (at < buffer.length && !this.stopped) {
      const next = this.mode === 'text' ? this.markup(buffer, at) : this.skip(buffer, at);
      if (next === -1) break;
      at = next;
      this.resumeAt = buffer.length;
    }
    this.keepFrom(this.stopped ? buffer.length : this.resumeAt);
  }

  /** Where the scan goes on in the buffer: the start of what could not be read whole yet. */
  private resumeAt = 0;

  /** Reads the markup at or after `at` in text; the index after it, or -1 (more bytes needed: `resumeAt` says where). */
  private markup(buffer: Uint8Array, at: number): number {
    const lt = buffer.indexOf(LT, at);
    if (lt === -1 || lt + 1 >= buffer.length) {
      this.resumeAt = lt === -1 ? buffer.length : lt;
      return -1;
    }
    this.resumeAt = lt;
    const c = buffer[lt + 1]!;
    if (c === BANG) return this.declaration(buffer, lt);
    if (c === QUESTION) return this.enter('pi', lt + 2);
    if (c === SLASH) {
      const gt = buffer.indexOf(GT, lt + 2);
      if (gt === -1) return -1;
      this.endTag(this.bufferStart + gt + 1);
      return gt + 1;
    }
    const end = tagEnd(buffer, lt + 1);
    if (end === -1) {
      if (buffer.length - lt > MAX_TAG_BYTES) this.mode = 'stopped';
      return -1;
    }
    this.startTag(buffer, lt, end);
    return end + 1;
  }

  /** `<!` at `lt`: a comment, CDATA, a DOCTYPE; anything else stops the scan (the reader will say what is wrong). */
  private declaration(buffer: Uint8Array, lt: number): number {
    if (buffer.length - lt < 9) return -1;
    if (buffer[lt + 2] === 0x2d && buffer[lt + 3] === 0x2d) return this.enter('comment', lt + 4);
    const word = fromCodes(buffer.subarray(lt + 2, lt + 9));
    if (word === '[CDATA[') return this.enter('cdata', lt + 9);
    if (word === 'DOCTYPE' && !this.sawRoot) return this.enter('doctype', lt + 9);
    this.mode = 'stopped';
    return -1;
  }

  private enter(mode: Mode, at: number): number {
    this.mode = mode;
    return at;
  }

  /** Inside a comment, CDATA, PI or the DOCTYPE from `at`: the index after its end, or -1. */
  private skip(buffer: Uint8Array, at: number): number {
    if (this.mode === 'doctype') return this.doctype(buffer, at);
    const end = this.mode === 'comment' ? COMMENT_END : this.mode === 'cdata' ? CDATA_END : PI_END;
    const found = indexOfBytes(buffer, end, at);
    if (found === -1) {
      this.resumeAt = Math.max(at, buffer.length - end.length + 1);
      return -1;
    }
    this.mode = 'text';
    return found + end.length;
  }

  /** The DOCTYPE from `at`: its end is the first `>` outside quotes and outside its internal subset (`[...]`). */
  private doctype(buffer: Uint8Array, at: number): number {
    let subset = false;
    for (let i = at; i < buffer.length; i++) {
      const c = buffer[i]!;
      if (c === DOUBLE_QUOTE || c === SINGLE_QUOTE) {
        const close = buffer.indexOf(c, i + 1);
        if (close === -1) break;
        i = close;
      } else if (c === 0x5b) subset = true;
      else if (c === 0x5d) subset = false;
      else if (c === GT && !subset) {
        this.mode = 'text';
        return i + 1;
      }
    }
    // Read again from its start when more bytes come: a DOCTYPE is short, or the scan stops.
    this.resumeAt = at;
    if (buffer.length - at > MAX_TAG_BYTES) this.mode = 'stopped';
    return -1;
  }

  private startTag(buffer: Uint8Array, lt: number, end: number): void {
    const selfClosing = buffer[end - 1] === SLASH;
    if (this.inUnit >= 0) {
      if (!selfClosing) this.inUnit++;
      return;
    }
    let isFile = false;
    if (!this.sawRoot) {
      this.sawRoot = true;
      if (isVersion2Root(buffer.subarray(lt, end + 1))) this.unitName = UNIT;
    } else if (localNameIs(buffer, lt + 1, this.unitName)) {
      const offset = this.bufferStart + lt;
      const due = offset - this.lastSeam >= this.rangeBytes && this.open.length > 0 && this.candidate === undefined;
      if (!this.fileOpen.includes(true) && !this.fileWithoutElement) {
        this.files++;
        this.fileWithoutElement = true;
      }
      if (due) {
        // Without chunks, or when the chunk before is full by its count, a chunk starts here whatever the unit's size.
        if (!this.rule || this.rule.openUnits === 0) this.seam(this.capture(offset), this.rule && { index: this.chunks, unitBytes: undefined });
        else this.candidate = this.capture(offset);
      }
      this.units++;
      this.unitStart = offset;
      if (selfClosing) this.unitEnd(this.bufferStart + end + 1);
      else this.inUnit = 0;
      return;
    } else if (localNameIs(buffer, lt + 1, FILE)) {
      isFile = true;
      this.files++;
      this.fileWithoutElement = false;
    }
    if (selfClosing) return;
    this.open.push(buffer.slice(lt, end + 1));
    this.fileOpen.push(isFile);
  }

  private endTag(end: number): void {
    if (this.inUnit > 0) this.inUnit--;
    else if (this.inUnit === 0) {
      this.inUnit = -1;
      this.unitEnd(end);
    } else {
      this.open.pop();
      this.fileOpen.pop();
    }
  }

  /** A unit ends at input offset `end`: the chunk rule counts it (and decides on a seam waiting for it). */
  private unitEnd(end: number): void {
    const rule = this.rule;
    if (!rule) return;
    const size = end - this.unitStart;
    const begins = rule.openUnits === 0 || rule.startsNewChunk(size);
    if (begins) {
      rule.cut();
      if (this.candidate) this.seam(this.candidate, { index: this.chunks, unitBytes: size });
      this.chunks++;
    }
    this.candidate = undefined;
    if (rule.add(size)) rule.cut();
  }

  /** What the context at the unit starting at input offset `offset` needs, before the unit is read. */
  private capture(offset: number): Candidate {
    this.countLines(offset);
    const column = this.unitsOnLine(offset) + 1 - (this.line === 1 && this.lineStart === 0 ? this.bomUnits() : 0);
    return { offset, ancestors: this.open.slice(), files: this.files, fileWithoutElement: this.fileWithoutElement, units: this.units, line: this.line, column };
  }

  private seam(at: Candidate, chunk: SeamChunk | undefined): void {
    this.lastSeam = at.offset;
    const { offset, files, fileWithoutElement, units, line, column } = at;
    this.onSeam({ encoding: this.encoding, ancestors: at.ancestors.map(this.decode), files, fileWithoutElement, units, line, column, offset }, chunk);
  }

  /** A UTF-8 byte order mark is one UTF-16 code unit that columns do not count. */
  private bomUnits(): number {
    return this.bom > 0 ? 1 : 0;
  }

  /** Counts the line ends before input offset `to` (in the buffer) not counted yet. */
  private countLines(to: number): void {
    const buffer = this.buffer;
    let i = this.countedTo - this.bufferStart;
    const end = to - this.bufferStart;
    if (this.pendingCr && i < end) {
      this.pendingCr = false;
      if (buffer[i] === LF) this.lineStart = this.bufferStart + ++i;
    }
    const cr = buffer.indexOf(CR, i);
    if (cr === -1 || cr >= end) {
      for (let lf = buffer.indexOf(LF, i); lf !== -1 && lf < end; lf = buffer.indexOf(LF, lf + 1)) {
        this.line++;
        this.lineStart = this.bufferStart + lf + 1;
      }
    } else {
      for (; i < end; i++) {
        const c = buffer[i]!;
        if (c === LF || c === CR) {
          if (c === CR) {
            if (i + 1 === end) this.pendingCr = true;
            else if (buffer[i + 1] === LF) i++;
          }
          this.line++;
          this.lineStart = this.bufferStart + i + 1;
        }
      }
    }
    this.countedTo = to;
  }

  /** UTF-16 code units from the start of the line to input offset `to` (in the buffer, counted). */
  private unitsOnLine(to: number): number {
    const from = Math.max(this.lineStart, this.bufferStart);
    return (this.lineStart < this.bufferStart ? this.unitsBeforeBuffer : 0) + this.units16(this.buffer.subarray(from - this.bufferStart, to - this.bufferStart));
  }

  private units16(bytes: Uint8Array): number {
    if (!this.utf8) return bytes.length;
    let units = 0;
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes[i]!;
      // Not a continuation byte; a four-byte sequence is a surrogate pair.
      if ((b & 0xc0) !== 0x80) units += b >= 0xf0 ? 2 : 1;
    }
    return units;
  }

  /** Lets go of the buffer before index `from`, its lines counted and its columns kept. */
  private keepFrom(from: number): void {
    const cut = this.bufferStart + from;
    this.countLines(cut);
    if (this.lineStart < cut) this.unitsBeforeBuffer = this.unitsOnLine(cut);
    this.buffer = from >= this.buffer.length ? new Uint8Array(0) : this.buffer.slice(from);
    this.bufferStart = cut;
    this.resumeAt = 0;
  }
}

/** The index of the `>` that ends the tag whose name starts at `from` (quotes followed), or -1. */
function tagEnd(buffer: Uint8Array, from: number): number {
  for (let i = from; ; ) {
    const gt = buffer.indexOf(GT, i);
    if (gt === -1) return -1;
    // A quote before it opens a value that may hold a ">".
    let quote = -1;
    for (let j = i; j < gt; j++) {
      const c = buffer[j]!;
      if (c === DOUBLE_QUOTE || c === SINGLE_QUOTE) {
        quote = j;
        break;
      }
    }
    if (quote === -1) return gt;
    const close = buffer.indexOf(buffer[quote]!, quote + 1);
    if (close === -1) return -1;
    i = close + 1;
  }
}

/** Whether the tag whose name starts at `from` is named `local` (bytes), whatever its prefix. */
function localNameIs(buffer: Uint8Array, from: number, local: Uint8Array): boolean {
  let start = from;
  let i = from;
  for (; i < buffer.length; i++) {
    const c = buffer[i]!;
    if (c === 0x20 || c === 0x09 || c === LF || c === CR || c === GT || c === SLASH) break;
    if (c === 0x3a) start = i + 1;
  }
  if (i - start !== local.length) return false;
  for (let j = 0; j < local.length; j++) if (buffer[start + j] !== local[j]) return false;
  return true;
}

/** What the reader reads as XLIFF 2: the 2.x namespace, or a version 2 without a namespace. */
function isVersion2Root(tag: Uint8Array): boolean {
  const text = fromCodes(tag);
  return /urn:oasis:names:tc:xliff:document:2\./.test(text) || (!/xmlns\s*=/.test(text) && /\sversion\s*=\s*["']2/.test(text));
}

/** The string of these UTF-16 code units (in pieces: a call takes so many arguments at most). */
function fromCodes(codes: ArrayLike<number>): string {
  let text = '';
  for (let i = 0; i < codes.length; i += 4096) text += String.fromCharCode(...Array.prototype.slice.call(codes, i, i + 4096));
  return text;
}
