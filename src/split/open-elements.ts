/**
 * The elements open at a point of a document's skeleton (the markup between units), each
 * with its start tag as written: what a part of the document needs around its units (the
 * root, the `file`, 1.2's `body`, the groups). Fed the skeleton in pieces as the reader
 * hands them on (a piece may end inside a tag); the reader has checked the XML already.
 */
import { parseStartTag, type StartTag } from '../write/markup-lexer.js';

export class OpenElements {
  /** Start tags of the open elements, outermost first. */
  private readonly tags: string[] = [];
  /** The text of a construct not complete yet (a tag cut between two pieces). */
  private pending = '';
  /** `file` elements met so far: the index of the open one is this less one. */
  private files = 0;

  /** The start tags of the elements open now, outermost first. */
  get path(): readonly string[] {
    return this.tags;
  }

  /** The index among the document's `file` elements of the one open now (-1 before the first). */
  get fileIndex(): number {
    return this.files - 1;
  }

  feed(text: string): void {
    const xml = this.pending + text;
    let i = 0;
    for (;;) {
      const lt = xml.indexOf('<', i);
      if (lt === -1) {
        i = xml.length;
        break;
      }
      const end = this.construct(xml, lt);
      if (end === -1) {
        i = lt;
        break;
      }
      i = end;
    }
    this.pending = xml.slice(i);
  }

  /** Reads the construct at `lt`: where it ends, or -1 when it is not complete yet. */
  private construct(xml: string, lt: number): number {
    // Too little to tell a comment from a CDATA section or a DOCTYPE yet.
    if (xml.length - lt < 9 && xml.indexOf('>', lt) === -1) return -1;
    if (xml.startsWith('<!--', lt)) return after(xml, '-->', lt + 4);
    if (xml.startsWith('<![CDATA[', lt)) return after(xml, ']]>', lt + 9);
    if (xml.startsWith('<?', lt)) return after(xml, '?>', lt + 2);
    if (xml.startsWith('<!', lt)) return doctypeEnd(xml, lt);
    if (xml[lt + 1] === '/') {
      const end = after(xml, '>', lt);
      if (end !== -1) this.tags.pop();
      return end;
    }
    const end = startTagEnd(xml, lt);
    if (end === -1) return -1;
    if (xml[end - 2] !== '/') {
      this.tags.push(xml.slice(lt, end));
      if (this.tags.length === 2 && localName(this.tags[1]!) === 'file') this.files++;
    }
    return end;
  }
}

/** A start tag of the path, read: its name and attributes. */
export function readTag(tag: string): StartTag {
  return parseStartTag(tag, 0);
}

/** The local name of a start tag's element. */
export function localName(tag: string): string {
  const { name } = readTag(tag);
  return name.slice(name.indexOf(':') + 1);
}

function after(xml: string, terminator: string, from: number): number {
  const i = xml.indexOf(terminator, from);
  return i === -1 ? -1 : i + terminator.length;
}

/** After the `>` of the start tag at `lt`, quotes minded (a value may hold `>`); -1 when it is not complete. */
function startTagEnd(xml: string, lt: number): number {
  let quote = '';
  for (let i = lt + 1; i < xml.length; i++) {
    const c = xml[i]!;
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '>') return i + 1;
  }
  return -1;
}

/** After the `>` of the DOCTYPE at `lt`: quotes and the internal subset's brackets minded. */
function doctypeEnd(xml: string, lt: number): number {
  let quote = '';
  let depth = 0;
  for (let i = lt + 2; i < xml.length; i++) {
    const c = xml[i]!;
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '[') depth++;
    else if (c === ']') depth--;
    else if (c === '>' && depth === 0) return i + 1;
  }
  return -1;
}
