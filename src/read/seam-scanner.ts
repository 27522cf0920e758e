/**
 * The seam scanner: a quick pass over a document's bytes (ASCII-compatible encodings) that
 * proposes where to cut it into byte ranges for readers on other threads, and the context
 * each range starts in (`ReadContext`): every so many bytes, at the `<` of a unit outside
 * units. It follows markup only as far as that needs: comments, CDATA, PIs and the DOCTYPE
 * are skipped whole, tags outside units found with `indexOf` and read for their name and end,
 * text not read at all; inside a unit only its end tag and what could hide one (comments,
 * CDATA, PIs) are looked for, with a native search; lines are counted. Units and files are
 * known as the reader knows them, by local name and namespace: a tag outside units is decoded
 * for its namespace declarations only when it holds `xmlns` outside its values. Pure: it
 * keeps no piece it is given (a reader may hand it the same buffer again).
 *
 * What it proposes is a guess: the reader of the range before a seam checks it (it reads up
 * to the seam and gives its own context there, `sameContext`), so a guess that is wrong (a
 * document that is not well-formed, a unit holding an element of its own name, of another
 * namespace: the scan takes the inner end tag for the unit's) costs a range read again, never
 * a wrong result.
 */
import { decodingTable } from '../charsets.js';
import { copyBytes, nativeIndexOf as search } from './bytes.js';
import { ChunkRule } from './chunk-rule.js';
import { createDecoderAt } from './decoder.js';
import { LineCounter } from './line-counter.js';
import { XLIFF_2_NAMESPACES } from './namespaces.js';
import type { ReadContext } from './read-context.js';
import { SeamScopes, isNameEnd, isXmlnsAt } from './seam-scopes.js';

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
const DECLARATION = ascii('<!');
const PI = ascii('<?');
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
  /** Where the bytes not scanned yet are kept between pieces, and joined to the next piece (reused: new memory costs page faults). */
  private storage = new Uint8Array(0);
  private mode: Mode = 'text';
  private sawRoot = false;
  private unitName = TRANS_UNIT;
  /** The start tags of the elements open outside units, as bytes. */
  private readonly open: Uint8Array[] = [];
  private readonly scopes: SeamScopes;
  private fileOpen: boolean[] = [];
  /** `</` and the open unit's name (as its start tag spells it), while a unit is open. */
  private unitClose: Uint8Array | undefined;
  /** In the buffer: where the next `<!` and `<?` are at or after where the scan is (-1: none; undefined: not looked for). */
  private nextDeclaration: number | undefined;
  private nextPi: number | undefined;
  /** Whether the last tag `tagEnd` found the end of holds `xmlns` outside its values. */
  private tagDeclares = false;
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
  private readonly lines: LineCounter;
  private readonly decode: (bytes: Uint8Array) => string;

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
    this.lines = new LineCounter(encoding === 'utf-8', bom);
    // A start tag is whole characters: a decoder of its own each time.
    this.decode = (bytes) => createDecoderAt(encoding, 0).write(bytes);
    this.scopes = new SeamScopes(this.decode);
  }

  /** Whether the scan has stopped: no seam after it (a construct it cannot follow). */
  private get stopped(): boolean {
    return this.mode === 'stopped';
  }

  write(piece: Uint8Array): void {
    if (this.stopped) return;
    const buffer = this.joined(piece);
    this.buffer = buffer;
    this.lines.setBuffer(buffer, this.bufferStart);
    this.nextDeclaration = this.nextPi = undefined;
    let at = 0;
    this.resumeAt = buffer.length;
    while (at < buffer.length && !this.stopped) {
      const next = this.mode !== 'text' ? this.skip(buffer, at) : this.unitClose ? this.insideUnit(buffer, at, this.unitClose) : this.markup(buffer, at);
      if (next === -1) break;
      at = next;
      this.resumeAt = buffer.length;
    }
    this.keepFrom(this.stopped ? buffer.length : this.resumeAt);
  }

  /** The bytes kept from the last piece (at the start of `storage`), then `piece`. */
  private joined(piece: Uint8Array): Uint8Array {
    const kept = this.buffer.length;
    if (kept === 0) return piece;
    if (this.storage.length < kept + piece.length) {
      const larger = new Uint8Array(Math.max(kept + piece.length, 2 * this.storage.length));
      larger.set(this.buffer);
      this.storage = larger;
    }
    this.storage.set(piece, kept);
    return this.storage.subarray(0, kept + piece.length);
  }

  /** Where the scan goes on in the buffer: the start of what could not be read whole yet. */
  private resumeAt = 0;

  /** Reads the markup at or after `at` in text; the index after it, or -1 (more bytes needed: `resumeAt` says where). */
  private markup(buffer: Uint8Array, at: number): number {
    const lt = search.call(buffer, LT, at);
    if (lt === -1 || lt + 1 >= buffer.length) {
      this.resumeAt = lt === -1 ? buffer.length : lt;
      return -1;
    }
    this.resumeAt = lt;
    const c = buffer[lt + 1]!;
    if (c === BANG) return this.declaration(buffer, lt);
    if (c === QUESTION) return this.enter('pi', lt + 2);
    if (c === SLASH) {
      const gt = search.call(buffer, GT, lt + 2);
      if (gt === -1) return -1;
      this.endTag();
      return gt + 1;
    }
    const end = this.tagEnd(buffer, lt + 1);
    if (end === -1) {
      if (buffer.length - lt > MAX_TAG_BYTES) this.mode = 'stopped';
      return -1;
    }
    this.startTag(buffer, lt, end);
    return end + 1;
  }

  /**
   * Inside a unit from `at`: the index after its end tag, or after the `<!` or `<?` that opens
   * what comes first (a comment, CDATA, a PI: any may hold a false end tag), or -1.
   */
  private insideUnit(buffer: Uint8Array, at: number, close: Uint8Array): number {
    for (let from = at; ; ) {
      const found = search.call(buffer, close, from);
      const before = this.hidingBefore(buffer, at, found === -1 ? buffer.length : found);
      if (before !== -1) return this.markup(buffer, before);
      const after = found + close.length;
      if (found === -1 || after >= buffer.length) {
        this.resumeAt = found === -1 ? Math.max(at, buffer.length - close.length + 1) : found;
        return -1;
      }
      const c = buffer[after]!;
      // A longer name (`</unitx`) is not the end.
      if (c !== GT && c !== 0x20 && c !== 0x09 && c !== LF && c !== CR) {
        from = found + 1;
        continue;
      }
      const gt = search.call(buffer, GT, after);
      if (gt === -1) {
        this.resumeAt = found;
        return -1;
      }
      this.unitClose = undefined;
      this.unitEnd(this.bufferStart + gt + 1);
      return gt + 1;
    }
  }

  /** The first `<!` or `<?` from `at` to `limit` in the buffer, or -1 (each searched for once a buffer, as the scan passes them). */
  private hidingBefore(buffer: Uint8Array, at: number, limit: number): number {
    if (this.nextDeclaration === undefined || (this.nextDeclaration !== -1 && this.nextDeclaration < at)) this.nextDeclaration = search.call(buffer, DECLARATION, at);
    if (this.nextPi === undefined || (this.nextPi !== -1 && this.nextPi < at)) this.nextPi = search.call(buffer, PI, at);
    const first = this.nextDeclaration === -1 ? this.nextPi : this.nextPi === -1 ? this.nextDeclaration : Math.min(this.nextDeclaration, this.nextPi);
    return first !== -1 && first < limit ? first : -1;
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
    const found = search.call(buffer, end, at);
    if (found === -1) {
      this.resumeAt = Math.max(at, buffer.length - end.length + 1);
      return -1;
    }
    this.mode = 'text';
    return found + end.length;
  }

  /**
   * The DOCTYPE from `at`: its end is the first `>` outside quotes and outside its internal
   * subset (`[...]`), whose comments and PIs are skipped whole (they may hold a quote, `]`, `>`).
   */
  private doctype(buffer: Uint8Array, at: number): number {
    let subset = false;
    for (let i = at; i < buffer.length; i++) {
      const c = buffer[i]!;
      if (c === DOUBLE_QUOTE || c === SINGLE_QUOTE) {
        const close = search.call(buffer, c, i + 1);
        if (close === -1) break;
        i = close;
      } else if (c === LT && subset && (buffer[i + 1] === QUESTION || (buffer[i + 1] === BANG && buffer[i + 2] === 0x2d && buffer[i + 3] === 0x2d))) {
        const end = buffer[i + 1] === QUESTION ? PI_END : COMMENT_END;
        const close = search.call(buffer, end, i + (end === PI_END ? 2 : 4));
        if (close === -1) break;
        i = close + end.length - 1;
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
    const scope = this.scopes.scopeOf(buffer, lt, end, this.tagDeclares);
    let isFile = false;
    if (!this.sawRoot) {
      this.sawRoot = true;
      const uri = this.scopes.root(buffer, lt + 1, scope);
      if (XLIFF_2_NAMESPACES.has(uri) || (uri === '' && /\sversion\s*=\s*["']2/.test(fromCodes(buffer.subarray(lt, end + 1))))) this.unitName = UNIT;
    } else if (this.scopes.isXliffElement(buffer, lt + 1, this.unitName, scope)) {
      const offset = this.bufferStart + lt;
      const due = offset - this.lastSeam >= this.rangeBytes && this.open.length > 0 && this.candidate === undefined;
      if (due) {
        // Without chunks, or when the chunk before is full by its count, a chunk starts here whatever the unit's size.
        if (!this.rule || this.rule.openUnits === 0) this.seam(this.capture(offset), this.rule && { index: this.chunks, unitBytes: undefined });
        else this.candidate = this.capture(offset);
      }
      // A unit outside files makes one, after the context before it is taken.
      if (!this.fileOpen.includes(true) && !this.fileWithoutElement) {
        this.files++;
        this.fileWithoutElement = true;
      }
      this.units++;
      this.unitStart = offset;
      if (selfClosing) this.unitEnd(this.bufferStart + end + 1);
      else this.unitClose = this.closeTag(buffer, lt + 1);
      return;
    } else if (this.scopes.isXliffElement(buffer, lt + 1, FILE, scope)) {
      isFile = true;
      this.files++;
      this.fileWithoutElement = false;
    }
    if (selfClosing) return;
    this.open.push(copyBytes(buffer.subarray(lt, end + 1)));
    this.scopes.push(scope);
    this.fileOpen.push(isFile);
  }

  /** An end tag outside units. */
  private endTag(): void {
    this.open.pop();
    this.scopes.pop();
    this.fileOpen.pop();
  }

  /** `</` and the name starting at `from` (the last one made, when the name is the same). */
  private closeTag(buffer: Uint8Array, from: number): Uint8Array {
    let end = from;
    while (end < buffer.length && !isNameEnd(buffer[end]!)) end++;
    const last = this.lastClose;
    if (last.length === end - from + 2) {
      let same = true;
      for (let i = from; same && i < end; i++) same = buffer[i] === last[i - from + 2];
      if (same) return last;
    }
    const close = new Uint8Array(end - from + 2);
    close[0] = LT;
    close[1] = SLASH;
    close.set(buffer.subarray(from, end), 2);
    this.lastClose = close;
    return close;
  }

  private lastClose = new Uint8Array(0);

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
    const { line, column } = this.lines.at(offset);
    return { offset, ancestors: this.open.slice(), files: this.files, fileWithoutElement: this.fileWithoutElement, units: this.units, line, column };
  }

  private seam(at: Candidate, chunk: SeamChunk | undefined): void {
    this.lastSeam = at.offset;
    const { offset, files, fileWithoutElement, units, line, column } = at;
    this.onSeam({ encoding: this.encoding, ancestors: at.ancestors.map(this.decode), files, fileWithoutElement, units, line, column, offset }, chunk);
  }

  /**
   * The index of the `>` that ends the tag whose name starts at `from` (quotes followed), or -1;
   * `tagDeclares` says whether it holds `xmlns` outside its values (what a declaration needs).
   */
  private tagEnd(buffer: Uint8Array, from: number): number {
    let declares = false;
    for (let i = from; ; ) {
      const gt = search.call(buffer, GT, i);
      if (gt === -1) return -1;
      // A quote before it opens a value that may hold a ">".
      let quote = -1;
      for (let j = i; j < gt; j++) {
        const c = buffer[j]!;
        if (c === DOUBLE_QUOTE || c === SINGLE_QUOTE) {
          quote = j;
          break;
        }
        if (c === 0x78 && !declares) declares = isXmlnsAt(buffer, j);
      }
      if (quote === -1) {
        this.tagDeclares = declares;
        return gt;
      }
      const close = search.call(buffer, buffer[quote]!, quote + 1);
      if (close === -1) return -1;
      i = close + 1;
    }
  }

  /** Lets go of the buffer before index `from`, its lines counted and its columns kept. */
  private keepFrom(from: number): void {
    const cut = this.bufferStart + from;
    this.lines.cutAt(cut);
    this.buffer = from >= this.buffer.length ? new Uint8Array(0) : this.keep(this.buffer.subarray(from));
    this.bufferStart = cut;
    this.resumeAt = 0;
  }

  /** `bytes` (the end of the buffer) moved to the start of `storage`. */
  private keep(bytes: Uint8Array): Uint8Array {
    if (bytes.buffer === this.storage.buffer) this.storage.copyWithin(0, bytes.byteOffset, bytes.byteOffset + bytes.length);
    else {
      if (this.storage.length < bytes.length) this.storage = new Uint8Array(Math.max(bytes.length, 2 * this.storage.length));
      this.storage.set(bytes);
    }
    return this.storage.subarray(0, bytes.length);
  }
}

/** The string of these UTF-16 code units (in pieces: a call takes so many arguments at most). */
function fromCodes(codes: ArrayLike<number>): string {
  let text = '';
  for (let i = 0; i < codes.length; i += 4096) text += String.fromCharCode(...Array.prototype.slice.call(codes, i, i + 4096));
  return text;
}
