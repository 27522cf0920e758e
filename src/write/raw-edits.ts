/**
 * The pieces every edit of a unit's raw XML is made of: slices of `raw` replaced, start tags
 * rewritten attribute by attribute, targets written or inserted, new XML checked where it goes.
 */
import { XliffError } from '../errors.js';
import type { ElementSpan, Namespaces, Unit } from '../model.js';
import { decodeCharacterData, normalizeLineEnds } from '../read/character-data.js';
import { fragmentProblem } from '../read/fragment-check.js';
import { escapeAttribute, escapeForEncoding } from './escapes.js';
import { isSpace, parseStartTag, type StartTag, type TagAttribute } from './markup-lexer.js';
import { targetXml } from './target-xml.js';
import type { TargetContent } from './update.js';
import { updateError } from './update-check.js';

export interface UnitWriteOptions {
  /**
   * Whether the output encoding can hold a code point (asked for code points from U+0080 up
   * only). Characters of the new target and state that it cannot hold are written as
   * character references (`&#xE9;`). Default: every character (UTF-8, UTF-16).
   */
  readonly canEncode?: ((codePoint: number) => boolean) | undefined;
  /** The input's name, for error messages. */
  readonly fileName?: string | undefined;
}
/** `[from, to)` of raw becomes `text`; an insertion has `from === to`. Edits never overlap. */
export interface Edit {
  readonly from: number;
  readonly to: number;
  readonly text: string;
}

export function applyEdits(raw: string, edits: Edit[]): string {
  edits.sort((a, b) => a.from - b.from || a.to - b.to);
  let out = '';
  let at = 0;
  for (const edit of edits) {
    out += raw.slice(at, edit.from) + edit.text;
    at = edit.to;
  }
  return out + raw.slice(at);
}

/** Attribute changes: a value to set, or `null` to remove the attribute. */
export type AttributeChanges = Map<string, string | null>;

export interface Writer {
  readonly raw: string;
  readonly unit: Unit;
  readonly options: UnitWriteOptions;
}
/** Edits of an existing target: its inner XML (when `inner` is given) and its start tag's attributes. */
export function writeTarget(w: Writer, span: ElementSpan, inner: string | undefined, attributes: AttributeChanges, edits: Edit[]): void {
  const tag = parseStartTag(w.raw, span.start);
  if (tag.selfClosing && inner !== undefined && inner !== '') {
    edits.push({ from: span.start, to: span.end, text: `${rewriteStartTag(w, tag, attributes, true)}${inner}</${tag.name}>` });
    return;
  }
  if (attributes.size > 0) {
    const text = rewriteStartTag(w, tag, attributes, false);
    if (text !== w.raw.slice(tag.start, tag.end)) edits.push({ from: tag.start, to: tag.end, text });
  }
  if (inner !== undefined && !tag.selfClosing && inner !== w.raw.slice(span.innerStart, span.innerEnd)) {
    edits.push({ from: span.innerStart, to: span.innerEnd, text: inner });
  }
}

/**
 * A new target right after `after` (the source, or 1.2's seg-source), or when there is none,
 * right after the start tag of the element at `parentStart` (the 1.2 unit, or the 2.x segment).
 */
export function insertTarget(w: Writer, after: ElementSpan | undefined, parentStart: number, inner: string, attributes: AttributeChanges): Edit {
  const { raw } = w;
  let at: number;
  let prefix: string;
  let copied = '';
  let lineBreak = '';
  if (after) {
    const name = parseStartTag(raw, after.start).name;
    const colon = name.indexOf(':');
    prefix = colon === -1 ? '' : name.slice(0, colon + 1);
    for (const attribute of copiedAttributes(raw, after)) copied += ` ${raw.slice(attribute.start, attribute.end)}`;
    at = after.end;
    lineBreak = lineBreakBefore(raw, after.start);
  } else {
    const parent = parseStartTag(raw, parentStart);
    if (parent.selfClosing) badUpdate(w, `the ${parent.name} element is empty: there is no place for a target`);
    const colon = parent.name.indexOf(':');
    prefix = colon === -1 ? '' : parent.name.slice(0, colon + 1);
    at = parent.end;
  }
  let added = '';
  for (const [name, value] of attributes) if (value !== null) added += ` ${name}="${encode(w, escapeAttribute(value, '"'))}"`;
  const name = `${prefix}target`;
  const element = inner === '' ? `<${name}${copied}${added}/>` : `<${name}${copied}${added}>${inner}</${name}>`;
  return { from: at, to: at, text: lineBreak + element };
}

/** The attributes of the element at `after` that a target inserted after it copies: the declaration of its prefix, `xml:space`. */
export function copiedAttributes(raw: string, after: ElementSpan | undefined): readonly TagAttribute[] {
  if (!after) return [];
  const source = parseStartTag(raw, after.start);
  const colon = source.name.indexOf(':');
  const declaration = colon === -1 ? 'xmlns' : `xmlns:${source.name.slice(0, colon)}`;
  return source.attributes.filter((attribute) => attribute.name === declaration || attribute.name === 'xml:space');
}

/** `namespaces` with those `attributes` declare (itself when they declare none). */
export function declare(w: Writer, namespaces: Namespaces, attributes: readonly TagAttribute[]): Namespaces {
  let scope: Record<string, string> | undefined;
  for (const attribute of attributes) {
    const { name } = attribute;
    if (name !== 'xmlns' && !name.startsWith('xmlns:')) continue;
    scope ??= { ...namespaces };
    // The value as XML reads it: white space as spaces, then references.
    scope[name === 'xmlns' ? '' : name.slice(6)] = decodeCharacterData(normalizeLineEnds(w.raw.slice(attribute.valueStart, attribute.valueEnd)).replace(/[\t\n]/g, ' '));
  }
  return scope ?? namespaces;
}

/**
 * The inner XML of a new target, encoded. XML written as given (`{ xml }`, `{ parts }`) is
 * first read as this library's reader would read it there, in the `scope` of the target.
 */
export function content(w: Writer, target: TargetContent, at: string, scope: () => Namespaces): string {
  const xml = targetXml(target);
  if (typeof target !== 'string') {
    const problem = fragmentProblem(xml, scope());
    if (problem !== undefined) badUpdate(w, `${at}.${'xml' in target ? 'xml' : 'parts'}: not well-formed XML at character ${problem.index} (${problem.reason}): ${excerpt(xml, problem.index)}`);
  }
  return encode(w, xml);
}

/** Up to 60 characters of `xml` around `index`, quoted. */
function excerpt(xml: string, index: number): string {
  const from = Math.max(0, Math.min(index - 20, xml.length - 60));
  const to = Math.min(xml.length, from + 60);
  return `${from > 0 ? '...' : ''}${JSON.stringify(xml.slice(from, to))}${to < xml.length ? '...' : ''}`;
}

/** The line end and indentation before the element at `start`, or '' when it shares its line with what precedes it. */
function lineBreakBefore(raw: string, start: number): string {
  let i = start;
  while (i > 0 && (raw.charCodeAt(i - 1) === 0x20 || raw.charCodeAt(i - 1) === 0x09)) i--;
  const indent = raw.slice(i, start);
  const c = raw.charCodeAt(i - 1);
  if (c === 0x0a) return (raw.charCodeAt(i - 2) === 0x0d ? '\r\n' : '\n') + indent;
  if (c === 0x0d) return `\r${indent}`;
  return '';
}

export function encode(w: Writer, xml: string): string {
  const { canEncode } = w.options;
  if (!canEncode) return xml;
  try {
    return escapeForEncoding(xml, canEncode);
  } catch (error) {
    if (error instanceof XliffError) badUpdate(w, error.reason);
    throw error;
  }
}

export function badUpdate(w: Writer, what: string): never {
  throw updateError(w.unit, w.options.fileName, what);
}

/**
 * The start tag with `changes` made: values replaced in place (keeping their quotes), removed
 * attributes taken out with the white space before them, new ones added after the last
 * attribute. `open` turns a self-closing tag into a start tag (`<t a="1"/>` -> `<t a="1">`).
 */
export function rewriteStartTag(w: Writer, tag: StartTag, changes: AttributeChanges, open: boolean): string {
  const { raw } = w;
  let out = '';
  let at = tag.start;
  const pending = new Map(changes);
  for (const attribute of tag.attributes) {
    if (!pending.has(attribute.name)) continue;
    const value = pending.get(attribute.name)!;
    pending.delete(attribute.name);
    if (value === null) {
      let from = attribute.start;
      while (from > at && isSpace(raw.charCodeAt(from - 1))) from--;
      out += raw.slice(at, from);
    } else {
      out += raw.slice(at, attribute.valueStart) + encode(w, escapeAttribute(value, attribute.quote));
      at = attribute.valueEnd;
      continue;
    }
    at = attribute.end;
  }
  const insertAt = Math.max(at, tag.attributes.at(-1)?.end ?? tag.nameEnd);
  out += raw.slice(at, insertAt);
  at = insertAt;
  for (const [name, value] of pending) if (value !== null) out += ` ${name}="${encode(w, escapeAttribute(value, '"'))}"`;
  if (open && tag.selfClosing) {
    let close = tag.close;
    while (close > at && isSpace(raw.charCodeAt(close - 1))) close--;
    return `${out}${raw.slice(at, close)}>`;
  }
  return out + raw.slice(at, tag.end);
}
