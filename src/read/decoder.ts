/**
 * Bytes -> text. Picks the encoding from the BOM or the XML declaration, decodes
 * piece by piece (a character split across pieces comes out whole) and reports the
 * byte offset of the first byte that is not valid in that encoding.
 * Pure: no I/O.
 */
import { decodingTable, singleByteEncoding } from '../charsets.js';
import { concatBytes } from './bytes.js';
import { incompleteUtf8Suffix, firstInvalidUtf8, utf8ByteLength, utf8Sequence } from './utf8.js';

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

export function createDecoder(): Decoder {
  return new SniffingDecoder();
}

/**
 * A decoder for bytes of a known `encoding` (one a sniffing decoder gave) that start at byte
 * `offset` of the input, between characters: a byte range of a document read on its own.
 */
export function createDecoderAt(encoding: string, offset: number): Decoder {
  const decoder = new SniffingDecoder();
  decoder.resumeAt(encoding, offset);
  return decoder;
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
    this.head = concatBytes(this.head!, bytes);
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

  resumeAt(encoding: string, offset: number): void {
    this.head = undefined;
    this.offset = offset;
    this.begin(encoding);
  }

  /** Decodes from now on as `encoding` (`utf-8`, `utf-16le`, `utf-16be` or a single-byte one). */
  private begin(encoding: string): true {
    this.encoding = encoding;
    if (encoding === 'utf-16le' || encoding === 'utf-16be') {
      this.inner = new Utf16Decoder(encoding);
      this.byteLength = (text) => text.length * 2;
    } else if (encoding === 'utf-8') {
      this.inner = new Utf8Decoder();
    } else {
      this.inner = new TableDecoder(encoding, decodingTable(encoding));
      this.byteLength = (text) => text.length;
    }
    return true;
  }

  /** Decides the encoding from the first bytes; false while more bytes are needed. */
  private sniff(final: boolean): boolean {
    const b = this.head!;
    if (b.length < 4 && !final) return false;
    // What the first bytes say: a BOM, or `<?` in UTF-16; otherwise ASCII-compatible (`undefined`).
    let family: 'utf-8' | 'utf-16le' | 'utf-16be' | undefined;
    if (startsWith(b, UTF8_BOM)) family = 'utf-8';
    else if (b[0] === 0xff && b[1] === 0xfe) family = 'utf-16le';
    else if (b[0] === 0xfe && b[1] === 0xff) family = 'utf-16be';
    this.bom = family !== undefined;
    if (b[0] === 0x3c && b[1] === 0 && b[2] === 0x3f && b[3] === 0) family = 'utf-16le';
    if (b[0] === 0 && b[1] === 0x3c && b[2] === 0 && b[3] === 0x3f) family = 'utf-16be';
    if (family === undefined) {
      const first = firstNonSpace(b);
      if (first === -1) {
        // Only white space so far: ASCII-compatible, and the reader will say whether a document follows.
        return final || b.length >= SNIFF_LIMIT ? this.use(undefined, undefined) : false;
      }
      if (b[first] !== 0x3c) throw new DecodeFault('not-xml', notXmlReason(b, first), first, '');
    }
    const start = this.bom ? (family === 'utf-8' ? 3 : 2) : 0;
    const unit = family === 'utf-16le' || family === 'utf-16be' ? 2 : 1;
    const text = asciiChars(b.subarray(start, SNIFF_LIMIT), unit, family === 'utf-16le');
    // `<?xm` may yet become `<?xml`: wait for the fifth character before deciding there is no declaration.
    if (!final && text.length < 5 && '<?xml'.startsWith(text)) return false;
    if (!text.startsWith('<?xml')) return this.use(family, undefined);
    const end = text.indexOf('?>');
    if (end === -1 && !final && b.length < SNIFF_LIMIT) return false;
    const declaration = end === -1 ? text : text.slice(0, end);
    const m = DECLARED_ENCODING.exec(declaration);
    if (!m) return this.use(family, undefined);
    const label = m[2]!;
    const index = m[0].length - 1 - label.length;
    return this.use(family, { label, offset: start + index * unit, before: (this.bom ? '\uFEFF' : '') + declaration.slice(0, index) });
  }

  /**
   * Takes the encoding the first bytes (`family`) and the declaration agree on, as libxml2
   * does; what they disagree on is refused (libxml2 reads a UTF-16 document declared UTF-8,
   * and a UTF-8 BOM before another declared encoding, but the XML spec makes both an error).
   */
  private use(family: 'utf-8' | 'utf-16le' | 'utf-16be' | undefined, declared: Declared | undefined): true {
    const label = declared?.label;
    const name = label?.toLowerCase();
    const refuse = (reason: string): DecodeFault => new DecodeFault('encoding', reason, declared!.offset, declared!.before);
    if (family === 'utf-16le' || family === 'utf-16be') {
      const by = this.bom ? 'its byte order mark' : 'its first bytes';
      if (name !== undefined && name !== 'utf-16' && name !== 'utf16' && name !== family) {
        throw refuse(`the document is ${family.toUpperCase()} (by ${by}) but its XML declaration says encoding="${label}"`);
      }
      return this.begin(family);
    }
    if (name === undefined || name === 'utf-8' || name === 'utf8') return this.begin('utf-8');
    if (family === 'utf-8') throw refuse(`the document starts with a UTF-8 byte order mark but its XML declaration says encoding="${label}"`);
    if (name.startsWith('utf-16') || name.startsWith('utf16')) {
      // libxml2: "Document labelled UTF-16 but has UTF-8 content".
      throw refuse(`the XML declaration says encoding="${label}" but the document is not UTF-16 (no byte order mark, and "<?xml" is one byte a character)`);
    }
    const encoding = singleByteEncoding(name);
    if (encoding === null) throw refuse(`unknown encoding "${label}" in the XML declaration`);
    if (encoding === undefined) throw refuse(`unsupported encoding "${label}": xliff-stream reads UTF-8, UTF-16 and single-byte encodings`);
    return this.begin(encoding);
  }
}

/** The encoding a declaration names: its label, the byte offset of the label, the text before it. */
interface Declared {
  readonly label: string;
  readonly offset: number;
  readonly before: string;
}

/**
 * The encoding declaration of a well-formed start of an XML declaration (XML white space
 * only); a malformed one names no encoding here, and the reader says what is wrong with it.
 */
const DECLARED_ENCODING = /^<\?xml[ \t\r\n]+version[ \t\r\n]*=[ \t\r\n]*(?:"[^"]*"|'[^']*')[ \t\r\n]+encoding[ \t\r\n]*=[ \t\r\n]*(["'])([A-Za-z][A-Za-z0-9._-]*)\1/;

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
    this.tail = bytes.length >= 3 ? bytes.slice(bytes.length - 3) : concatBytes(this.tail, bytes).slice(-3);
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
    const all = concatBytes(this.tail.subarray(this.tail.length - pending), bytes);
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
    const b = concatBytes(this.held, bytes);
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

function startsWith(b: Uint8Array, prefix: readonly number[]): boolean {
  if (b.length < prefix.length) return false;
  return prefix.every((v, i) => b[i] === v);
}


/** The characters of `b` read one code unit (`unit` bytes) each: enough for the ASCII of a declaration. */
function asciiChars(b: Uint8Array, unit: 1 | 2, le: boolean): string {
  let text = '';
  for (let i = 0; i + unit <= b.length; i += unit) text += String.fromCharCode(unit === 1 ? b[i]! : le ? b[i]! | (b[i + 1]! << 8) : (b[i]! << 8) | b[i + 1]!);
  return text;
}

function hex(b: Uint8Array): string {
  return Array.from(b, (v) => v.toString(16).padStart(2, '0').toUpperCase()).join(' ');
}
