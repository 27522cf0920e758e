/**
 * XML 1.0 well-formedness that sax lets through, outside DTDs, checked on what sax has
 * already found: a start tag's raw text (whitespace after `<`, a `<` in an attribute value,
 * a duplicate attribute), an end tag's, a processing instruction's target, a `<!` construct
 * sax takes for an SGML declaration, a CDATA section's opening and place, a second root.
 *
 * `]]>` in text and the references sax reads case-insensitively (`&#X41;`, `&AMP;`) are
 * found by a cheap search of each piece of text before sax reads it; where each one stands
 * (text, an attribute value, a comment, CDATA...) is only known once sax reaches the markup
 * around it, so they wait in a queue, in document order, until then.
 */
import type { Attributes } from '../model.js';

/** Where a check failed: `reason`, at character index `at`. Must throw. */
export type Fail = (reason: string, at: number) => never;

/** Something found in the text, to be placed. */
interface Suspect {
  readonly at: number;
  readonly reason: string;
  /** Whether it is also wrong in an attribute value (a reference is; `]]>` is not). */
  readonly inAttribute: boolean;
}

/** `]]>` and a reference are at most this long: the text kept from one piece for the next. */
const TAIL = 5;
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

export class MarkupChecks {
  private suspects: Suspect[] = [];
  private next = 0;
  /** The last characters of the text scanned so far, and the index where they start. */
  private tail = '';
  private tailStart = 0;
  /** Index of the `<` of the CDATA section open. */
  private cdataStart = 0;

  constructor(private readonly fail: Fail) {}

  /** Whether something found in the text is still to be placed. */
  get pending(): boolean {
    return this.next < this.suspects.length;
  }

  /** Searches the piece of text that starts at index `at`, before sax reads it. */
  scan(text: string, at: number): void {
    const tail = this.tail;
    if (tail.length > 0) {
      // What starts in the last piece and ends in this one.
      const joined = tail + text.slice(0, TAIL);
      this.search(joined, this.tailStart, tail.length);
    }
    this.search(text, at, 0);
    // In document order: the two searches each find theirs in order.
    if (this.suspects.length - this.next > 1) {
      this.suspects = this.suspects.slice(this.next).sort((a, b) => a.at - b.at);
      this.next = 0;
    }
    if (text.length >= TAIL) {
      this.tail = text.slice(text.length - TAIL);
      this.tailStart = at + text.length - TAIL;
    } else {
      this.tail = (tail + text).slice(-TAIL);
      this.tailStart = at + text.length - this.tail.length;
    }
  }

  /** Finds `]]>` and references that end after `minEnd` in `text` (which starts at index `at`). */
  private search(text: string, at: number, minEnd: number): void {
    for (let i = text.indexOf(']]>'); i !== -1; i = text.indexOf(']]>', i + 1)) {
      if (i + 3 > minEnd && (minEnd === 0 || i < minEnd)) this.suspects.push({ at: at + i, reason: '"]]>" in text: it may only end a CDATA section (write ]]&gt;)', inAttribute: false });
    }
    for (let i = text.indexOf('&'); i !== -1; i = text.indexOf('&', i + 1)) {
      if (minEnd !== 0 && i >= minEnd) break;
      const c = text.charCodeAt(i + 1);
      if (c === 35) {
        // `&#X`: sax reads the reference in lower case.
        if (text.charCodeAt(i + 2) === 88 && i + 3 > minEnd) this.suspects.push({ at: at + i, reason: 'character reference with an uppercase "X": XML writes "&#x"', inAttribute: true });
        continue;
      }
      // `&AMP;`, `&lT;`...: sax finds entities in lower case too. Most references are in lower case already.
      let upper = false;
      let end = i + 1;
      for (; end < text.length && end <= i + TAIL; end++) {
        const d = text.charCodeAt(end);
        if (d === 59) break;
        if (d >= 65 && d <= 90) upper = true;
      }
      if (!upper || text.charCodeAt(end) !== 59 || end + 1 <= minEnd) continue;
      const name = text.slice(i + 1, end);
      if (ENTITY_NAMES.has(name.toLowerCase())) this.suspects.push({ at: at + i, reason: `entity reference "&${name};": entity names are case-sensitive ("&${name.toLowerCase()};")`, inAttribute: true });
    }
  }

  /**
   * Sax has reached markup from `start` to `end` (a tag if `tag`): what was found before it is
   * in text (wrong there if `inRoot`; outside the root, sax refuses text itself, and a DOCTYPE
   * is no concern of this module), what was found inside it, in a tag's attribute values or
   * in a comment, PI or CDATA section.
   */
  reached(start: number, end: number, inRoot: boolean, tag: boolean): void {
    const suspects = this.suspects;
    for (; this.next < suspects.length; this.next++) {
      const suspect = suspects[this.next]!;
      if (suspect.at >= end) return;
      if (suspect.at < start ? inRoot : tag && suspect.inAttribute) this.fail(suspect.reason, suspect.at);
    }
    this.suspects = [];
    this.next = 0;
  }

  /**
   * Sax has read the text up to `to` and found no markup in it since the last. What is left
   * is in the markup sax is inside (or in text sax has not placed yet): there, only the first
   * of each kind can matter, and only it is kept, so that a long comment full of "]]>" does
   * not fill the queue.
   */
  settle(to: number, inRoot: boolean): void {
    this.reached(to, to, inRoot, false);
    if (this.suspects.length - this.next <= 2) return;
    const rest = this.suspects.slice(this.next);
    const first = rest.find((suspect) => suspect.inAttribute);
    const other = rest.find((suspect) => !suspect.inAttribute);
    this.suspects = [first, other].filter((suspect) => suspect !== undefined).sort((a, b) => a.at - b.at);
    this.next = 0;
  }

  /** A start tag: `text` holds the characters from index `held` on. */
  startTag(text: string, held: number, start: number, end: number, attributes: Attributes, inRoot: boolean, sawRoot: boolean): void {
    if (this.next < this.suspects.length) this.reached(start, end, inRoot, true);
    if (sawRoot && !inRoot) this.fail('a second root element: the document has one, and it has ended', start);
    // On the held text itself, without a copy of the tag: most tags pass in a few reads.
    const from = start - held;
    if (isSpace(text.charCodeAt(from + 1))) this.spaceAfterLt(start);
    // The last character of the last attribute, if any: a quote, before "/>" or ">" and any space.
    let last = end - held - 2;
    if (text.charCodeAt(last) === 47) last--;
    while (isSpace(text.charCodeAt(last))) last--;
    const quote = text.charCodeAt(last);
    if (quote !== 34 && quote !== 39) return;
    // Searched in the held text, not in a copy of the tag: the next "<" is rarely far.
    const lt = text.indexOf('<', from + 1);
    if (lt !== -1 && lt < last) this.fail('"<" in an attribute value (write &lt;)', start + lt - from);
    // A duplicate sax drops: more attributes written than sax kept. Each has an "=".
    const eq = text.indexOf('=', from);
    const second = text.indexOf('=', eq + 1);
    if (second === -1 || second > last) return;
    let kept = 0;
    for (const _ in attributes) kept++;
    let written = 0;
    for (let i = eq; i !== -1 && i < last; i = text.indexOf('=', i + 1)) written++;
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
    if (this.next < this.suspects.length) this.reached(start, start, inRoot, false);
    if (isSpace(text.charCodeAt(start - held + 1))) this.spaceAfterLt(start);
    if (isSpace(text.charCodeAt(start - held + 2))) this.fail('whitespace after "</": the element name must follow it', start + 2);
  }

  openCdata(text: string, held: number, start: number, inRoot: boolean): void {
    if (this.next < this.suspects.length) this.reached(start, start, inRoot, false);
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
    if (this.next < this.suspects.length) this.reached(this.cdataStart, end, true, false);
  }

  /** A comment: what was found in it is no error. */
  comment(text: string, held: number, start: number, end: number, inRoot: boolean): void {
    if (this.next < this.suspects.length) this.reached(start, end, inRoot, false);
    if (isSpace(text.charCodeAt(start - held + 1))) this.spaceAfterLt(start);
  }

  /** A processing instruction named `name` (one named `xml` in any case is checked as the XML declaration before). */
  processingInstruction(text: string, held: number, name: string, start: number, end: number, inRoot: boolean): void {
    if (this.next < this.suspects.length) this.reached(start, end, inRoot, false);
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
