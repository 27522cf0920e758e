/**
 * Attribute-value normalisation (XML 1.0, 3.3.3), for attributes of type CDATA (without a DTD,
 * all of them): each literal tab, LF, CR and CRLF in a value becomes one space; a character
 * reference gives its character as written (`&#10;` an LF), an entity reference its character.
 * sax gives values with references expanded and literal white space left as it was, so that the
 * two cannot be told apart afterwards: a value holding a tab, LF or CR is read again from the
 * text of its tag. A tag holding a character beyond U+FFFF (sax read stand-ins for its halves:
 * see the sax adapter) is read whole from its text. Pure.
 */
import type { Attributes } from '../model.js';

const BREAK_OR_TAB = /[\t\n\r]/;
const IN_VALUE = /\r\n|[\t\n\r]|&(?:#x([0-9A-Fa-f]+)|#([0-9]+)|(lt|gt|amp|quot|apos));/g;
const ENTITIES: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** Whether a value of `attributes` holds a tab, LF or CR: only then can one need normalising. */
export function needsNormalizing(attributes: Attributes): boolean {
  for (const key in attributes) if (BREAK_OR_TAB.test(attributes[key]!)) return true;
  return false;
}

/**
 * Sets, in `attributes` (sax's, from the start tag `tag`: `<name a="..." ...>`), each value that
 * holds a tab, LF or CR to its normalised value, read from `tag`. Of repeated attributes, the
 * first is the one kept, as sax keeps it.
 */
export function normalizeAttributes(attributes: Record<string, string>, tag: string): void {
  const done = new Set<string>();
  forEachAttribute(tag, (name, _at, valueStart, valueEnd) => {
    const current = attributes[name];
    if (current === undefined || done.has(name)) return;
    done.add(name);
    if (BREAK_OR_TAB.test(current)) attributes[name] = normalizeValue(tag.slice(valueStart, valueEnd));
  });
}

/** An attribute read from the text of its tag: its name, at index `at` of the tag. */
export interface RawAttribute {
  readonly name: string;
  readonly at: number;
}

/**
 * The attributes of the start tag `tag` (`<name a="..." ...>`, well-formed: sax has read it), read
 * from its text alone, values normalised; of repeated attributes, the first is the one kept, as
 * sax keeps it. `names` receives each attribute as written, repeats included.
 */
export function readAttributes(tag: string, names?: RawAttribute[]): Record<string, string> {
  const attributes: Record<string, string> = {};
  forEachAttribute(tag, (name, at, valueStart, valueEnd) => {
    names?.push({ name, at });
    if (!Object.hasOwn(attributes, name)) attributes[name] = normalizeValue(tag.slice(valueStart, valueEnd));
  });
  return attributes;
}

/** Calls `each` with every attribute of the start tag `tag`: its name, where it starts, and where its value starts and ends (inside the quotes). */
function forEachAttribute(tag: string, each: (name: string, at: number, valueStart: number, valueEnd: number) => void): void {
  let i = 1;
  while (i < tag.length && !isSpace(tag.charCodeAt(i)) && tag.charCodeAt(i) !== 0x3e && tag.charCodeAt(i) !== 0x2f) i++;
  for (;;) {
    while (i < tag.length && isSpace(tag.charCodeAt(i))) i++;
    const nameStart = i;
    while (i < tag.length && !isSpace(tag.charCodeAt(i)) && tag.charCodeAt(i) !== 0x3d && tag.charCodeAt(i) !== 0x3e && tag.charCodeAt(i) !== 0x2f) i++;
    if (i === nameStart) return;
    const name = tag.slice(nameStart, i);
    while (i < tag.length && tag.charCodeAt(i) !== 0x22 && tag.charCodeAt(i) !== 0x27) i++;
    const quote = tag[i];
    if (quote === undefined) return;
    const end = tag.indexOf(quote, i + 1);
    if (end === -1) return;
    each(name, nameStart, i + 1, end);
    i = end + 1;
  }
}

/** The value of an attribute whose text between the quotes is `literal` (well-formed: sax has read it). */
export function normalizeValue(literal: string): string {
  return literal.replace(IN_VALUE, (match, hex: string | undefined, decimal: string | undefined, entity: string | undefined) => {
    if (entity !== undefined) return ENTITIES[entity]!;
    if (hex === undefined && decimal === undefined) return ' ';
    const code = hex !== undefined ? parseInt(hex, 16) : parseInt(decimal!, 10);
    return code <= 0x10ffff ? String.fromCodePoint(code) : match;
  });
}

/** XML's white space: space, tab, LF, CR. */
function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}
