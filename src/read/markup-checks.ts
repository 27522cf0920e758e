/**
 * XML 1.0 well-formedness that sax lets through, outside DTDs, checked on what sax has
 * already found: a start tag's raw text (whitespace after `<`; a `<` in an attribute value
 * and a duplicate attribute, when the sax adapter saw cause), an end tag's, a processing
 * instruction's target, a `<!` construct sax takes for an SGML declaration, a CDATA section's
 * opening and place, a second root, the references sax would read case-insensitively
 * (`&#X41;`, `&AMP;`: the adapter asks as sax looks them up).
 *
 * `]]>` in text is found by a cheap search of each piece of text before sax reads it; whether
 * it stands in text (or in an attribute value, a comment, CDATA...) is only known once sax
 * reaches the markup around it, so each waits in a queue, in document order, until then.
 */
import type { Attributes } from '../model.js';
import { PieceSearch } from './piece-search.js';

/** Where a check failed: `reason`, at character index `at`. Must throw. */
export type Fail = (reason: string, at: number) => never;

const ENTITY_NAMES = new Set(['amp', 'lt', 'gt', 'quot', 'apos']);

/* XML 1.0 (5th edition) names: NameStartChar NameChar*. */
const NAME_START = ':A-Z_a-z\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u02FF\\u0370-\\u037D\\u037F-\\u1FFF\\u200C-\\u200D\\u2070-\\u218F\\u2C00-\\u2FEF\\u3001-\\uD7FF\\uF900-\\uFDCF\\uFDF0-\\uFFFD\\u{10000}-\\u{EFFFF}';
const NAME_CHAR = `${NAME_START}\\-.0-9\\u00B7\\u0300-\\u036F\\u203F\\u2040`;
/** The longest prefix of a string that is a name (empty if it does not start with one). */
// eslint-disable-next-line no-misleading-character-class -- ranges of code points (combining marks among them), not characters written together
const NAME_PREFIX = new RegExp(`^(?:[${NAME_START}][${NAME_CHAR}]*)?`, 'u');
/** One attribute of a start tag sax has read (so: well-formed but for what this module checks), from after the element name. */
const ATTRIBUTE = /[ \t\r\n]+([^ \t\r\n=]+)[ \t\r\n]*=[ \t\r\n]*(?:"[^"]*"|'[^']*')/y;

const isSpace = (c: number): boolean => c === 32 || c === 10 || c === 9 || c === 13;

/**
 * What is wrong with a reference sax looked up by the name `name` (between `&` and `;`) and
 * would read case-insensitively: `&#X41;`, `&AMP;`. Undefined for any other name.
 */
export function referenceCaseProblem(name: string): string | undefined {
  if (name.charCodeAt(0) === 35) return name.charCodeAt(1) === 88 ? 'character reference with an uppercase "X": XML writes "&#x"' : undefined;
  const lower = name.toLowerCase();
  return lower !== name && ENTITY_NAMES.has(lower) ? `entity reference "&${name};": entity names are case-sensitive ("&${lower};")` : undefined;
}

export class MarkupChecks {
  /** Each `]]>` found in the text and not yet placed. */
  private readonly cdataEnds = new PieceSearch(']]>');
  /** Index of the `<` of the CDATA section open. */
  private cdataStart = 0;

  constructor(private readonly fail: Fail) {}

  /** Whether a `]]>` found in the text is still to be placed. */
  get pending(): boolean {
    return this.cdataEnds.pending;
  }

  /** Searches the piece of text that starts at index `at` for `]]>`, before sax reads it. */
  scan(text: string, at: number): void {
    this.cdataEnds.scan(text, at);
  }

  /**
   * Sax has reached markup from `start` to `end`: a `]]>` found before it is in text (wrong
   * there if `inRoot`; outside the root, sax refuses text itself, and a DOCTYPE is no concern
   * of this module), one inside it is in an attribute value, a comment, a PI or CDATA.
   */
  reached(start: number, end: number, inRoot: boolean): void {
    const cdataEnds = this.cdataEnds;
    for (let at = cdataEnds.first(); at !== -1 && at < end; at = cdataEnds.first()) {
      if (at < start && inRoot) this.fail('"]]>" in text: it may only end a CDATA section (write ]]&gt;)', at);
      cdataEnds.shift();
    }
  }

  /**
   * Sax has read the text up to `to` and found no markup in it since the last. What is left
   * is in the markup sax is inside (or in text sax has not placed yet): only the first can
   * matter, and only it is kept, so that a long comment full of "]]>" does not fill the queue.
   */
  settle(to: number, inRoot: boolean): void {
    this.reached(to, to, inRoot);
    this.cdataEnds.keepFirst();
  }

  /** A start tag: `text` holds the characters from index `held` on. */
  startTag(text: string, held: number, start: number, end: number, inRoot: boolean, sawRoot: boolean): void {
    if (this.cdataEnds.pending) this.reached(start, end, inRoot);
    if (sawRoot && !inRoot) this.fail('a second root element: the document has one, and it has ended', start);
    if (isSpace(text.charCodeAt(start - held + 1))) this.spaceAfterLt(start);
  }

  /**
   * A start tag's attributes as written, read when sax's give cause (`MarkupHandler.openTag`'s
   * `toRead`): a `<` in a value, a duplicate (sax drops it).
   */
  attributes(text: string, held: number, start: number, end: number, attributes: Attributes): void {
    const from = start - held;
    // The last character of the last attribute: a quote, before "/>" or ">" and any space.
    let last = end - held - 2;
    if (text.charCodeAt(last) === 47) last--;
    while (isSpace(text.charCodeAt(last))) last--;
    const lt = text.indexOf('<', from + 1);
    if (lt !== -1 && lt < last) this.fail('"<" in an attribute value (write &lt;)', start + lt - from);
    // More attributes written than sax kept: each has an "=" (a value may hold more).
    let kept = 0;
    for (const _ in attributes) kept++;
    let written = 0;
    for (let i = text.indexOf('=', from); i !== -1 && i < last; i = text.indexOf('=', i + 1)) written++;
    if (written > kept) this.duplicateAttribute(text.slice(from, last + 1), start);
  }

  /** Reads the attributes one by one (rare: an "=" in a value, or a duplicate). */
  private duplicateAttribute(raw: string, start: number): void {
    const names = new Set<string>();
    let i = 1;
    while (i < raw.length && !isSpace(raw.charCodeAt(i)) && raw.charCodeAt(i) !== 62 && raw.charCodeAt(i) !== 47) i++;
    ATTRIBUTE.lastIndex = i;
    for (let m = ATTRIBUTE.exec(raw); m !== null; m = ATTRIBUTE.exec(raw)) {
      const name = m[1]!;
      if (names.has(name)) this.fail(`attribute "${name}" given twice in <${raw.slice(1, i)}>`, start + m.index + m[0].indexOf(name, 1));
      names.add(name);
    }
  }

  /** An end tag (not the end of a self-closing one). */
  endTag(text: string, held: number, start: number, inRoot: boolean): void {
    if (this.cdataEnds.pending) this.reached(start, start, inRoot);
    if (isSpace(text.charCodeAt(start - held + 1))) this.spaceAfterLt(start);
    if (isSpace(text.charCodeAt(start - held + 2))) this.fail('whitespace after "</": the element name must follow it', start + 2);
  }

  openCdata(text: string, held: number, start: number, inRoot: boolean): void {
    if (this.cdataEnds.pending) this.reached(start, start, inRoot);
    this.cdataStart = start;
    const from = start - held;
    if (isSpace(text.charCodeAt(from + 1))) this.spaceAfterLt(start);
    if (!text.startsWith('<![CDATA[', from)) {
      let i = 0;
      while (text.charCodeAt(from + i) === '<![CDATA['.charCodeAt(i)) i++;
      this.fail(`malformed CDATA section: it starts "<![CDATA[", not "${text.slice(from, from + 9)}"`, start + i);
    }
    if (!inRoot) this.fail('a CDATA section outside the root element', start);
  }

  closeCdata(end: number): void {
    if (this.cdataEnds.pending) this.reached(this.cdataStart, end, true);
  }

  /** A comment: what was found in it is no error. */
  comment(text: string, held: number, start: number, end: number, inRoot: boolean): void {
    if (this.cdataEnds.pending) this.reached(start, end, inRoot);
    if (isSpace(text.charCodeAt(start - held + 1))) this.spaceAfterLt(start);
  }

  /** A processing instruction named `name` (one named `xml` in any case is checked as the XML declaration before). */
  processingInstruction(text: string, held: number, name: string, start: number, end: number, inRoot: boolean): void {
    if (this.cdataEnds.pending) this.reached(start, end, inRoot);
    if (isSpace(text.charCodeAt(start - held + 1))) this.spaceAfterLt(start);
    const at = start + 2;
    if (name.length === 0) this.fail('a processing instruction without a target: a name must follow "<?"', at);
    const valid = NAME_PREFIX.exec(name)![0].length;
    if (valid < name.length) this.fail(`processing instruction target "${name}" is not a name: ${valid === 0 ? 'it cannot start' : 'a name cannot go on'} with "${String.fromCodePoint(name.codePointAt(valid)!)}"${valid === 0 ? '' : ' (a space must separate the target from what follows)'}`, at + valid);
    const colon = name.indexOf(':');
    if (colon !== -1) this.fail(`processing instruction target "${name}" has a colon: namespaces forbid it`, at + colon);
  }

  /** sax skips whitespace between "<" and what follows it. */
  private spaceAfterLt(start: number): never {
    return this.fail('whitespace after "<": a name, "/", "?" or "!" must follow it', start + 1);
  }

  /** What sax takes for an SGML declaration, `<!` to `>` from `start` to `end`: nothing XML has, outside a DOCTYPE. */
  declaration(text: string, held: number, start: number, end: number): never {
    const raw = text.slice(start - held, end - held);
    if (isSpace(raw.charCodeAt(1))) this.spaceAfterLt(start);
    const keyword = /^<!([A-Za-z]*)/.exec(raw)![1]!;
    if (['ELEMENT', 'ATTLIST', 'ENTITY', 'NOTATION'].includes(keyword)) this.fail(`<!${keyword} outside a DOCTYPE: markup declarations belong in its internal subset`, start);
    const expected = raw.charCodeAt(2) === 45 ? '<!--' : raw.charCodeAt(2) === 91 || raw.slice(2).trimStart().toUpperCase().startsWith('[CDATA') ? '<![CDATA[' : undefined;
    if (expected !== undefined) {
      let i = 0;
      while (raw.charCodeAt(i) === expected.charCodeAt(i)) i++;
      this.fail(`malformed ${expected === '<!--' ? 'comment' : 'CDATA section'}: it starts "${expected}"`, start + i);
    }
    return this.fail(`unknown markup "${raw.length > 20 ? `${raw.slice(0, 20)}...` : raw}": after "<!", XML has only "--" (a comment), "[CDATA[" and DOCTYPE`, start + 2);
  }
}

/**
 * sax's "invalid character entity" at `at` (the `;` of a reference): the reason and the place
 * of a character reference, at its `&` (`text` holds the characters from index `held` on).
 * `undefined` if it is an entity reference (`&name;`).
 */
export function characterReferenceProblem(text: string, held: number, at: number): { readonly reason: string; readonly at: number } | undefined {
  const amp = text.lastIndexOf('&', at - held);
  if (amp === -1 || text.charCodeAt(amp + 1) !== 35) return undefined;
  const reference = text.slice(amp, at - held + 1);
  const digits = reference.slice(reference.charCodeAt(2) === 120 ? 3 : 2, -1);
  const wellFormed = reference.charCodeAt(2) === 120 ? /^[0-9A-Fa-f]+$/.test(digits) : /^[0-9]+$/.test(digits);
  const reason = wellFormed ? `character reference ${reference} to a character XML does not allow` : `malformed character reference ${reference}`;
  return { reason, at: held + amp };
}
