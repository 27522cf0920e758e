/**
 * Reads the markup of XML the reader has parsed already (so well-formed): start tags with
 * their attributes, and the ends of comments, CDATA sections and processing instructions.
 */

export interface TagAttribute {
  readonly name: string;
  /** Where the name starts. */
  readonly start: number;
  /** The value, without its quotes. */
  readonly valueStart: number;
  readonly valueEnd: number;
  /** After the closing quote. */
  readonly end: number;
  readonly quote: string;
}

export interface StartTag {
  readonly name: string;
  readonly start: number;
  readonly nameEnd: number;
  readonly attributes: readonly TagAttribute[];
  /** Where `>` or `/>` starts. */
  readonly close: number;
  readonly selfClosing: boolean;
  /** After the `>`. */
  readonly end: number;
}

export function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

/** The start tag whose `<` is at `start`. */
export function parseStartTag(raw: string, start: number): StartTag {
  let i = start + 1;
  while (i < raw.length && !isSpace(raw.charCodeAt(i)) && raw[i] !== '>' && raw[i] !== '/') i++;
  const name = raw.slice(start + 1, i);
  const nameEnd = i;
  const attributes: TagAttribute[] = [];
  for (;;) {
    while (i < raw.length && isSpace(raw.charCodeAt(i))) i++;
    if (i >= raw.length || raw[i] === '>' || raw[i] === '/') break;
    const attributeStart = i;
    while (i < raw.length && !isSpace(raw.charCodeAt(i)) && raw[i] !== '=') i++;
    const attributeName = raw.slice(attributeStart, i);
    while (i < raw.length && raw[i] !== '"' && raw[i] !== "'") i++;
    const quote = raw[i] ?? '"';
    const valueStart = i + 1;
    const valueEnd = raw.indexOf(quote, valueStart);
    i = valueEnd + 1;
    attributes.push({ name: attributeName, start: attributeStart, valueStart, valueEnd, end: i, quote });
  }
  const selfClosing = raw[i] === '/';
  return { name, start, nameEnd, attributes, close: i, selfClosing, end: selfClosing ? i + 2 : i + 1 };
}

/** The index right after the first `terminator` from `from` on (`-->`, `]]>`, `?>`, `>`), or the end of `xml` when there is none. */
export function skipPast(xml: string, terminator: string, from: number): number {
  const i = xml.indexOf(terminator, from);
  return i === -1 ? xml.length : i + terminator.length;
}
