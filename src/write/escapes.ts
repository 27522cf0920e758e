/**
 * Escaping of what the writer adds: text and attribute values for XML, and characters the
 * output encoding cannot hold as character references.
 */
import { codePointName, XliffError } from '../errors.js';
import { skipPast } from './markup-lexer.js';

const TEXT_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '\r': '&#13;' };

/** Text for element content: a CR as a reference, which XML does not turn into a line feed. */
export function escapeText(text: string): string {
  return /[&<>\r]/.test(text) ? text.replace(/[&<>\r]/g, (c) => TEXT_ESCAPES[c]!) : text;
}

const ATTRIBUTE_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;', '\t': '&#9;', '\n': '&#10;', '\r': '&#13;' };

/** A value for an attribute quoted with `quote`; white space as references, so that it survives attribute normalisation. */
export function escapeAttribute(value: string, quote: string): string {
  const pattern = quote === "'" ? /[&<>'\t\n\r]/g : /[&<>"\t\n\r]/g;
  return value.replace(pattern, (c) => ATTRIBUTE_ESCAPES[c]!);
}


function charRef(cp: number): string {
  return `&#x${cp.toString(16).toUpperCase()};`;
}

/**
 * `xml` with the characters `canEncode` refuses written as character references: in text and
 * attribute values as `&#xHHHH;`, in CDATA by closing the section around the reference. A
 * refused character in a comment, processing instruction or name has no other spelling: an
 * `XliffError` `XLIFF_BAD_UPDATE`.
 */
export function escapeForEncoding(xml: string, canEncode: (codePoint: number) => boolean): string {
  // Most targets fit the encoding whole: one pass finds that without reading the markup.
  if (!hasRefused(xml, canEncode)) return xml;
  return new EncodingEscaper(xml, canEncode).escape();
}

const LT = 0x3c;
const GT = 0x3e;
const DOUBLE_QUOTE = 0x22;
const SINGLE_QUOTE = 0x27;

function hasRefused(xml: string, canEncode: (codePoint: number) => boolean): boolean {
  for (let i = 0; i < xml.length; i++) {
    if (xml.charCodeAt(i) >= 0x80 && refusedAt(xml, i, canEncode) !== 0) return true;
  }
  return false;
}

/** The code point at `i` when the encoding cannot hold it, else 0 (ASCII always fits). */
function refusedAt(xml: string, i: number, canEncode: (codePoint: number) => boolean): number {
  if (xml.charCodeAt(i) < 0x80) return 0;
  const cp = xml.codePointAt(i)!;
  return canEncode(cp) ? 0 : cp;
}

function unwritable(cp: number, where: string): never {
  throw new XliffError('XLIFF_BAD_UPDATE', `${codePointName(cp)} in ${where} cannot be written in the output encoding`);
}

/**
 * One pass over `xml` that copies it into `out`, refused characters replaced. Each reader of
 * a construct (text, tag, CDATA...) takes the index where the construct starts and returns
 * the index after it.
 */
class EncodingEscaper {
  private out = '';
  /** `xml` up to here is accounted for in `out` (copied or replaced). */
  private copied = 0;

  constructor(
    private readonly xml: string,
    private readonly canEncode: (codePoint: number) => boolean,
  ) {}

  escape(): string {
    const { xml } = this;
    let i = 0;
    while (i < xml.length) {
      const code = xml.charCodeAt(i);
      if (code === LT) i = this.markup(i);
      else if (code < 0x80) i++;
      else i = this.character(i);
    }
    return this.out + xml.slice(this.copied);
  }

  private markup(i: number): number {
    const { xml } = this;
    if (xml.startsWith('<!--', i)) return this.requireWritable(i, skipPast(xml, '-->', i + 4), 'a comment');
    if (xml.startsWith('<![CDATA[', i)) return this.cdata(i);
    if (xml.startsWith('<?', i)) return this.requireWritable(i, skipPast(xml, '?>', i + 2), 'a processing instruction');
    return this.tag(i);
  }

  /** A character of text or of an attribute value: a reference when refused. */
  private character(i: number): number {
    const cp = refusedAt(this.xml, i, this.canEncode);
    return cp === 0 ? i + 1 : this.replace(i, cp);
  }

  /** `[from, to)`, where no character reference can stand, must hold no refused character. */
  private requireWritable(from: number, to: number, where: string): number {
    for (let j = from; j < to; j++) {
      const cp = refusedAt(this.xml, j, this.canEncode);
      if (cp !== 0) unwritable(cp, where);
    }
    return to;
  }

  /** A reference cannot stand inside CDATA: the section is closed around it. */
  private cdata(i: number): number {
    const { xml } = this;
    const close = xml.indexOf(']]>', i + 9);
    const end = close === -1 ? xml.length : close;
    let j = i + 9;
    while (j < end) {
      const cp = refusedAt(xml, j, this.canEncode);
      j = cp === 0 ? j + 1 : this.replace(j, cp, ']]>', '<![CDATA[');
    }
    return close === -1 ? end : end + 3;
  }

  /** A start or end tag: names outside quotes (no reference can stand there), attribute values inside. */
  private tag(i: number): number {
    const { xml } = this;
    let j = i + 1;
    while (j < xml.length) {
      const c = xml.charCodeAt(j);
      if (c === GT) return j + 1;
      if (c === DOUBLE_QUOTE || c === SINGLE_QUOTE) {
        j = this.attributeValue(j + 1, c);
        continue;
      }
      if (c >= 0x80) this.requireWritable(j, j + 1, 'a name');
      j++;
    }
    return j + 1;
  }

  /** From `j`, just after the opening `quote`, to after the closing one (or the end of `xml`). */
  private attributeValue(j: number, quote: number): number {
    const { xml } = this;
    while (j < xml.length) {
      const c = xml.charCodeAt(j);
      if (c === quote) return j + 1;
      j = c < 0x80 ? j + 1 : this.character(j);
    }
    return j;
  }

  /** Writes `cp` (at `i`) as a reference between `before` and `after`; returns the index after it. */
  private replace(i: number, cp: number, before = '', after = ''): number {
    const width = cp > 0xffff ? 2 : 1;
    this.out += this.xml.slice(this.copied, i) + before + charRef(cp) + after;
    this.copied = i + width;
    return i + width;
  }
}
