/**
 * Bytes -> text. Picks the encoding from the BOM or the XML declaration, decodes
 * piece by piece (a character split across pieces comes out whole) and reports the
 * byte offset of the first byte that is not valid in that encoding.
 * Pure: no I/O.
 */

/** Thrown by a decoder; the reader turns it into an `XliffError` with a line and column. */
export class DecodeFault extends Error {
  constructor(
    readonly kind: 'encoding' | 'not-xml',
    readonly reason: string,
    /** Byte offset of the offending byte in the input. */
    readonly offset: number,
    /** Valid text decoded before the fault, not yet returned by `write`. */
    readonly text: string,
  ) {
    super(reason);
  }
}

export interface Decoder {
  /** The encoding in use once known: `utf-8`, `utf-16le`, `utf-16be`, `iso-8859-1`, `windows-1252`... */
  readonly encoding: string | undefined;
  /** Whether the input starts with a byte order mark (kept in the text as U+FEFF). */
  readonly bom: boolean;
  /** Bytes `text` takes in the input's encoding. */
  byteLength(text: string): number;
  write(bytes: Uint8Array): string;
  end(): string;
}

const SNIFF_LIMIT = 1024;
const UTF8_BOM = [0xef, 0xbb, 0xbf];

/** Labels that libxml2 reads as true ISO-8859-1 (bytes 0x80-0x9F are C1 controls, not windows-1252). */
const LATIN1_LABELS = new Set(['iso-8859-1', 'iso8859-1', 'iso_8859-1', 'latin1', 'latin-1', 'l1', 'cp819', 'ibm819', 'iso-ir-100', 'csisolatin1']);
const ASCII_LABELS = new Set(['us-ascii', 'ascii', 'ansi_x3.4-1968', 'iso646-us', 'csascii']);
/** WHATWG single-byte encodings (canonical names), decoded through a 256-entry table. */
const SINGLE_BYTE = new Set([
  'ibm866', 'iso-8859-2', 'iso-8859-3', 'iso-8859-4', 'iso-8859-5', 'iso-8859-6', 'iso-8859-7', 'iso-8859-8',
  'iso-8859-8-i', 'iso-8859-10', 'iso-8859-13', 'iso-8859-14', 'iso-8859-15', 'iso-8859-16', 'koi8-r', 'koi8-u',
  'macintosh', 'windows-874', 'windows-1250', 'windows-1251', 'windows-1252', 'windows-1253', 'windows-1254',
  'windows-1255', 'windows-1256', 'windows-1257', 'windows-1258', 'x-mac-cyrillic',
]);

export function createDecoder(): Decoder {
  return new SniffingDecoder();
}

/**
 * A decoder for input that arrives as strings: nothing to decode, offsets count UTF-8 bytes.
 * A lone surrogate is not a character (XML's `Char` excludes them, and it has no UTF-8 form):
 * `write` and `end` throw a `DecodeFault` at it, as the byte decoders do at a bad byte.
 */
export function createStringDecoder(): { byteLength(text: string): number; write(text: string): string; end(): string } {
  let pendingHigh = '';
  /** UTF-8 bytes of the text returned so far. */
  let bytes = 0;
  const fault = (text: string, at: number): DecodeFault => {
    const before = text.slice(0, at);
    const offset = bytes + utf8ByteLength(before);
    const code = text.charCodeAt(at).toString(16).toUpperCase();
    return new DecodeFault('encoding', `invalid text at byte ${offset}: a lone surrogate (U+${code})`, offset, before);
  };
  return {
    byteLength: utf8ByteLength,
    write(text) {
      // Hold back half a surrogate pair so that it is never seen alone.
      text = pendingHigh + text;
      pendingHigh = '';
      const last = text.charCodeAt(text.length - 1);
      if (last >= 0xd800 && last <= 0xdbff) {
        pendingHigh = text.slice(-1);
        text = text.slice(0, -1);
      }
      if (!isWellFormed(text)) throw fault(text, LONE_SURROGATE.exec(text)!.index);
      bytes += utf8ByteLength(text);
      return text;
    },
    end() {
      if (pendingHigh) throw fault(pendingHigh, 0);
      return '';
    },
  };
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const nativeIsWellFormed = (String.prototype as { isWellFormed?: () => boolean }).isWellFormed;
/** Whether `text` holds no lone surrogate (`String.prototype.isWellFormed`, Node 20+). */
function isWellFormed(text: string): boolean {
  return nativeIsWellFormed ? nativeIsWellFormed.call(text) : !LONE_SURROGATE.test(text);
}

/**
 * UTF-8 bytes of `text`. The reader may cut its text inside a surrogate pair (it hands sax
 * slices of a fixed length): a half pair at either end counts 2 of the pair's 4 bytes, not
 * the 3 of U+FFFD that `Buffer.byteLength` gives it, so that the halves add up.
 */
function utf8ByteLength(text: string): number {
  let bytes = Buffer.byteLength(text, 'utf8');
  const first = text.charCodeAt(0);
  if (first >= 0xdc00 && first <= 0xdfff) bytes--;
  const last = text.charCodeAt(text.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) bytes--;
  return bytes;
}

interface InnerDecoder {
  write(bytes: Uint8Array, offset: number): string;
  end(offset: number): string;
}

class SniffingDecoder implements Decoder {
  encoding: string | undefined;
  bom = false;
  byteLength: (text: string) => number = utf8ByteLength;
  private head: Uint8Array | undefined = new Uint8Array(0);
  private inner: InnerDecoder | undefined;
  private offset = 0;

  write(bytes: Uint8Array): string {
    if (this.inner) return this.decode(bytes);
    this.head = concat(this.head!, bytes);
    if (!this.sniff(false)) return '';
    const head = this.head;
    this.head = undefined;
    return this.decode(head);
  }

  end(): string {
    let text = '';
    if (!this.inner) {
      if (this.head!.length === 0) return '';
      this.sniff(true);
      const head = this.head!;
      this.head = undefined;
      text = this.decode(head);
    }
    return text + this.inner!.end(this.offset);
  }

  private decode(bytes: Uint8Array): string {
    const text = this.inner!.write(bytes, this.offset);
    this.offset += bytes.length;
    return text;
  }

  /** Decides the encoding from the first bytes; false while more bytes are needed. */
  private sniff(final: boolean): boolean {
    const b = this.head!;
    if (b.length < 4 && !final) return false;
    if (startsWith(b, UTF8_BOM)) {
      this.bom = true;
      return this.use('utf-8');
    }
    if (b[0] === 0xff && b[1] === 0xfe) {
      this.bom = true;
      return this.use('utf-16le');
    }
    if (b[0] === 0xfe && b[1] === 0xff) {
      this.bom = true;
      return this.use('utf-16be');
    }
    if (b[0] === 0x3c && b[1] === 0 && b[2] === 0x3f && b[3] === 0) return this.use('utf-16le');
    if (b[0] === 0 && b[1] === 0x3c && b[2] === 0 && b[3] === 0x3f) return this.use('utf-16be');
    const first = firstNonSpace(b);
    if (first === -1) {
      // Only white space so far: ASCII-compatible, and the reader will say whether a document follows.
      return final || b.length >= SNIFF_LIMIT ? this.use('utf-8') : false;
    }
    if (b[first] !== 0x3c) throw new DecodeFault('not-xml', notXmlReason(b, first), first, '');
    const declaration = [0x3c, 0x3f, 0x78, 0x6d, 0x6c];
    // `<?xm` may yet become `<?xml`: wait for the fifth byte before deciding there is no declaration.
    if (!final && b.length < declaration.length && b.every((v, i) => v === declaration[i])) return false;
    if (!startsWith(b, declaration)) return this.use('utf-8');
    const end = indexOfDeclarationEnd(b);
    if (end === -1 && !final && b.length < SNIFF_LIMIT) return false;
    const text = latin1(b.subarray(0, end === -1 ? Math.min(b.length, SNIFF_LIMIT) : end));
    const label = /\sencoding\s*=\s*(["'])([A-Za-z][A-Za-z0-9._-]*)\1/.exec(text)?.[2];
    return this.use(label ?? 'utf-8');
  }

  private use(label: string): true {
    const name = label.toLowerCase();
    if (name === 'utf-8' || name === 'utf8') {
      this.encoding = 'utf-8';
      this.inner = new Utf8Decoder();
    } else if (name === 'utf-16le' || name === 'utf-16be' || name === 'utf-16') {
      // A declared UTF-16 without a BOM or `<?` pattern is not UTF-16 at all: libxml2 reads it as UTF-8.
      const sniffed = this.sniffedUtf16();
      this.encoding = sniffed ?? 'utf-8';
      this.inner = sniffed ? new Utf16Decoder(sniffed) : new Utf8Decoder();
      if (sniffed) this.byteLength = (text) => text.length * 2;
    } else if (LATIN1_LABELS.has(name) || ASCII_LABELS.has(name)) {
      this.encoding = ASCII_LABELS.has(name) ? 'us-ascii' : 'iso-8859-1';
      this.inner = new TableDecoder(this.encoding, latin1Table(ASCII_LABELS.has(name)));
      this.byteLength = (text) => text.length;
    } else {
      let canonical: string;
      try {
        canonical = new TextDecoder(name).encoding;
      } catch {
        throw new DecodeFault('encoding', `unknown encoding "${label}" in the XML declaration`, 0, '');
      }
      if (!SINGLE_BYTE.has(canonical)) {
        throw new DecodeFault('encoding', `unsupported encoding "${label}": xliff-stream reads UTF-8, UTF-16 and single-byte encodings`, 0, '');
      }
      this.encoding = canonical;
      this.inner = new TableDecoder(canonical, singleByteTable(canonical));
      this.byteLength = (text) => text.length;
    }
    return true;
  }

  private sniffedUtf16(): 'utf-16le' | 'utf-16be' | undefined {
    const b = this.head!;
    if ((b[0] === 0xff && b[1] === 0xfe) || (b[0] === 0x3c && b[1] === 0)) return 'utf-16le';
    if ((b[0] === 0xfe && b[1] === 0xff) || (b[0] === 0 && b[1] === 0x3c)) return 'utf-16be';
    return undefined;
  }
}

class Utf8Decoder implements InnerDecoder {
  private readonly decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  /**
   * The last (up to 3) bytes of the input so far, whatever the pieces were: a sequence the
   * decoder holds back may have begun several 1-byte pieces ago.
   */
  private tail: Uint8Array = new Uint8Array(0);

  write(bytes: Uint8Array, offset: number): string {
    let text: string;
    try {
      text = this.decoder.decode(bytes, { stream: true });
    } catch {
      throw this.fault(bytes, offset);
    }
    // Copied: the caller may reuse its buffer.
    this.tail = bytes.length >= 3 ? bytes.slice(bytes.length - 3) : concat(this.tail, bytes).slice(-3);
    return text;
  }

  end(offset: number): string {
    try {
      return this.decoder.decode();
    } catch {
      throw this.fault(new Uint8Array(0), offset);
    }
  }

  private fault(bytes: Uint8Array, offset: number): DecodeFault {
    const pending = incompleteUtf8Suffix(this.tail);
    const all = concat(this.tail.subarray(this.tail.length - pending), bytes);
    const bad = firstInvalidUtf8(all);
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(all.subarray(0, bad));
    const at = offset - pending + bad;
    // The bad sequence up to the byte that breaks it: the same bytes whatever the pieces.
    const size = utf8Sequence(all, bad);
    const what = size === 0 ? ': the input ends inside a character' : ` (${hex(all.subarray(bad, bad - size))})`;
    return new DecodeFault('encoding', `invalid UTF-8 at byte ${at}${what}`, at, text);
  }
}

class Utf16Decoder implements InnerDecoder {
  private readonly utf16 = new TextDecoder('utf-16le', { ignoreBOM: true });
  /** A byte of an unfinished code unit, or a high surrogate waiting for its pair. */
  private held: Uint8Array = new Uint8Array(0);

  constructor(private readonly encoding: 'utf-16le' | 'utf-16be') {}

  write(bytes: Uint8Array, offset: number): string {
    const start = offset - this.held.length;
    const b = concat(this.held, bytes);
    let units = b.length >> 1;
    const codes = new Uint16Array(units);
    const le = this.encoding === 'utf-16le';
    for (let i = 0; i < units; i++) codes[i] = le ? b[2 * i]! | (b[2 * i + 1]! << 8) : (b[2 * i]! << 8) | b[2 * i + 1]!;
    const last = codes[units - 1];
    if (last !== undefined && last >= 0xd800 && last <= 0xdbff) units--;
    this.held = b.slice(units * 2);
    for (let i = 0; i < units; i++) {
      const c = codes[i]!;
      if (c < 0xd800 || c > 0xdfff) continue;
      const d = codes[i + 1] ?? 0;
      if (c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff) {
        i++;
        continue;
      }
      const at = start + i * 2;
      const text = this.utf16.decode(codes.subarray(0, i));
      throw new DecodeFault('encoding', `invalid ${this.encoding.toUpperCase()} at byte ${at}: a lone surrogate`, at, text);
    }
    return this.utf16.decode(codes.subarray(0, units));
  }

  end(offset: number): string {
    if (this.held.length === 0) return '';
    const at = offset - this.held.length;
    const what = this.held.length % 2 === 1 ? 'ends in the middle of a character' : 'ends with a lone surrogate';
    throw new DecodeFault('encoding', `invalid ${this.encoding.toUpperCase()} at byte ${at}: the input ${what}`, at, '');
  }
}

/** Single-byte encodings: one table lookup per byte. 0xFFFF marks a byte the encoding does not define. */
class TableDecoder implements InnerDecoder {
  private readonly utf16 = new TextDecoder('utf-16le');

  constructor(
    private readonly name: string,
    private readonly table: Uint16Array,
  ) {}

  write(bytes: Uint8Array, offset: number): string {
    const codes = new Uint16Array(bytes.length);
    for (let i = 0; i < bytes.length; i++) {
      const code = this.table[bytes[i]!]!;
      if (code === 0xffff) {
        const text = this.utf16.decode(codes.subarray(0, i));
        throw new DecodeFault('encoding', `byte 0x${hex(bytes.subarray(i, i + 1))} at offset ${offset + i} is not defined in ${this.name}`, offset + i, text);
      }
      codes[i] = code;
    }
    return this.utf16.decode(codes);
  }

  end(): string {
    return '';
  }
}

/**
 * The 256-entry table of a single-byte encoding, named as `Decoder.encoding` names it
 * (`iso-8859-1`, `us-ascii`, `windows-1252`...): byte -> UTF-16 code unit, 0xFFFF where
 * the encoding defines no character. For the writer's encoder.
 */
export function decodingTable(encoding: string): Uint16Array {
  if (encoding === 'iso-8859-1' || encoding === 'us-ascii') return latin1Table(encoding === 'us-ascii');
  if (!SINGLE_BYTE.has(encoding)) throw new RangeError(`Expected a single-byte encoding, got "${encoding}"`);
  return singleByteTable(encoding);
}

function latin1Table(asciiOnly: boolean): Uint16Array {
  const table = new Uint16Array(256);
  for (let b = 0; b < 256; b++) table[b] = asciiOnly && b > 0x7f ? 0xffff : b;
  return table;
}

const tables = new Map<string, Uint16Array>();

/**
 * Builds the table from Node's own decoder, one byte at a time in streaming mode:
 * Node's non-streaming legacy decoders map windows-1252 0x80-0x9F to C1 controls.
 * Node drops the bytes WHATWG leaves undefined; windows-1252's five holes are
 * C1 controls in the WHATWG index.
 */
function singleByteTable(encoding: string): Uint16Array {
  let table = tables.get(encoding);
  if (table) return table;
  table = new Uint16Array(256);
  for (let b = 0; b < 256; b++) {
    const decoder = new TextDecoder(encoding);
    const text = decoder.decode(Uint8Array.of(b), { stream: true }) + decoder.decode();
    table[b] = text.length === 1 ? text.charCodeAt(0) : encoding === 'windows-1252' && b >= 0x80 && b <= 0x9f ? b : 0xffff;
  }
  tables.set(encoding, table);
  return table;
}

/** Index of the first byte that starts an invalid UTF-8 sequence (or `bytes.length` if the input ends inside one). */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    if (bytes[i]! < 0x80) {
      i++;
      continue;
    }
    const size = utf8Sequence(bytes, i);
    if (size <= 0) return i;
    i += size;
  }
  return i;
}

/**
 * The UTF-8 sequence at `i`: its length if valid; minus the bytes up to and including the
 * one that makes it invalid; 0 if `bytes` end before it is complete.
 */
function utf8Sequence(bytes: Uint8Array, i: number): number {
  const b = bytes[i]!;
  let need: number;
  let min = 0x80;
  let max = 0xbf;
  if (b < 0x80) return 1;
  if (b >= 0xc2 && b <= 0xdf) need = 1;
  else if (b >= 0xe0 && b <= 0xef) {
    need = 2;
    if (b === 0xe0) min = 0xa0;
    if (b === 0xed) max = 0x9f;
  } else if (b >= 0xf0 && b <= 0xf4) {
    need = 3;
    if (b === 0xf0) min = 0x90;
    if (b === 0xf4) max = 0x8f;
  } else return -1;
  for (let k = 1; k <= need; k++) {
    if (i + k >= bytes.length) return 0;
    const c = bytes[i + k]!;
    if (c < (k === 1 ? min : 0x80) || c > (k === 1 ? max : 0xbf)) return -(k + 1);
  }
  return need + 1;
}

/** How many bytes at the end of `tail` begin a UTF-8 sequence that is not complete yet. */
function incompleteUtf8Suffix(tail: Uint8Array): number {
  for (let k = 1; k <= Math.min(3, tail.length); k++) {
    const b = tail[tail.length - k]!;
    if (b >= 0x80 && b < 0xc0) continue;
    const size = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return size > k ? k : 0;
  }
  return 0;
}

function notXmlReason(b: Uint8Array, at: number): string {
  const magic: Array<[number[], string]> = [
    [[0x50, 0x4b, 0x03, 0x04], 'a ZIP archive'],
    [[0x25, 0x50, 0x44, 0x46], 'a PDF file'],
    [[0x1f, 0x8b], 'gzip data'],
    [[0x7b], 'JSON?'],
  ];
  const kind = magic.find(([m]) => startsWith(b.subarray(at), m))?.[1];
  return `not XML: the input starts with bytes ${hex(b.subarray(at, at + 4))}${kind ? ` (${kind})` : ''}, not "<"`;
}

function firstNonSpace(b: Uint8Array): number {
  for (let i = 0; i < b.length; i++) {
    const c = b[i]!;
    if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return i;
  }
  return -1;
}

function indexOfDeclarationEnd(b: Uint8Array): number {
  for (let i = 1; i < b.length; i++) if (b[i] === 0x3e && b[i - 1] === 0x3f) return i + 1;
  return -1;
}

function startsWith(b: Uint8Array, prefix: readonly number[]): boolean {
  if (b.length < prefix.length) return false;
  return prefix.every((v, i) => b[i] === v);
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  if (b.length === 0) return a;
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

function latin1(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.length).toString('latin1');
}

function hex(b: Uint8Array): string {
  return Array.from(b, (v) => v.toString(16).padStart(2, '0').toUpperCase()).join(' ');
}
