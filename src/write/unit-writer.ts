/**
 * Writes an update into one unit's raw XML. Pure: strings in, a string out.
 *
 * A change touches only what it changes: the result is built from slices of `unit.raw`, and
 * only these are new:
 * - the inner XML of a `target` (or a whole `target` element, inserted where the schema puts it:
 *   1.2 right after `seg-source` if there is one, else after `source`; 2.x right after the
 *   segment's `source`);
 * - a self-closing `<target .../>` that gets content, written as `<target ...>new</target>`;
 * - the state attributes: 1.2 `state` / `state-qualifier` on `target`, 2.x `state` /
 *   `subState` on `segment` (a value replaced in place, a new attribute added after the last one).
 *
 * An inserted `target` takes the qualified name of the `source` before it (`x:source` gives
 * `x:target`; a namespace declaration for that prefix on the source, and its `xml:space`, are
 * copied), and stands on its own line with the indentation and line end of the element it
 * follows; when that element shares its line with what comes before it, the target follows
 * it on the same line.
 */
import { XliffError } from '../errors.js';
import type { ElementSpan, Namespaces, Unit, UnitLayout } from '../model.js';
import { decodeCharacterData, normalizeLineEnds } from '../read/character-data.js';
import { fragmentProblem } from '../read/fragment-check.js';
import { escapeAttribute, escapeForEncoding } from './escapes.js';
import { isSpace, parseStartTag, type StartTag, type TagAttribute } from './markup-lexer.js';
import { targetXml } from './target-xml.js';
import type { TargetContent, UnitUpdate } from './update.js';
import { updateError, validateUpdate } from './update-check.js';

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

/**
 * The unit's raw XML with `update` written into it; `unit.raw` itself when the update changes
 * nothing. `layout` is the one the reader gave with the unit.
 *
 * 1.2: `target` replaces the inner XML of the `target` (or inserts one); `state` and
 * `subState` set `target/@state` and `target/@state-qualifier`, and when the unit has no
 * target and the update gives none, they are ignored (there is no element to carry them).
 * A non-empty `segments` is refused: 1.2 `mrk` segments are written through `target`.
 *
 * 2.x: `target` goes to the first `segment` (ignorables are skipped); every other `segment`
 * that has a target gets an empty one, the others stay without. `segments` writes targets
 * (and states) segment by segment, by index in `unit.segments`; an ignorable may get a
 * target but has no state. `target` and a non-empty `segments` together are refused.
 * `state` / `subState` set `segment/@state` / `segment/@subState`: of every `segment` when
 * the update has no `segments`, else of the segments it lists (a segment's own state wins).
 * Setting `state` without `subState` removes a `subState` already there, as the 2.x spec
 * asks of writers that update `state`.
 *
 * Throws an `XliffError` with code `XLIFF_BAD_UPDATE` (naming the unit) when the update has
 * the wrong shape, holds characters XML cannot hold, gives XML this library's reader would
 * not read where it goes (not well-formed, or a prefix not bound there), or cannot be written
 * into this unit.
 */
export function applyUpdate(unit: Unit, layout: UnitLayout, update: UnitUpdate, options: UnitWriteOptions = {}): string {
  validateUpdate(unit, update, options);
  return writeUpdate(unit, layout, update, options);
}

/**
 * `applyUpdate` without its check of the update's shape and characters: for an update
 * `validateUpdate` has passed already. The XML it gives is checked here, where its target
 * goes: in the namespaces in scope there.
 */
export function writeUpdate(unit: Unit, layout: UnitLayout, update: UnitUpdate, options: UnitWriteOptions = {}): string {
  const edits = unit.version.startsWith('1') ? edits12(unit, layout, update, options) : edits2(unit, layout, update, options);
  if (edits.length === 0) return unit.raw;
  const result = applyEdits(unit.raw, edits);
  return result === unit.raw ? unit.raw : result;
}

/** `[from, to)` of raw becomes `text`; an insertion has `from === to`. Edits never overlap. */
interface Edit {
  readonly from: number;
  readonly to: number;
  readonly text: string;
}

function applyEdits(raw: string, edits: Edit[]): string {
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
type AttributeChanges = Map<string, string | null>;

interface Writer {
  readonly raw: string;
  readonly unit: Unit;
  readonly options: UnitWriteOptions;
}

function edits12(unit: Unit, layout: UnitLayout, update: UnitUpdate, options: UnitWriteOptions): Edit[] {
  const w: Writer = { raw: unit.raw, unit, options };
  const { namespaces, target } = layout;
  const after = layout.segSource ?? layout.source;
  const scope = (): Namespaces => declare(w, namespaces, target ? parseStartTag(w.raw, target.start).attributes : copiedAttributes(w.raw, after));
  const inner = update.target === undefined ? undefined : content(w, update.target, 'target', scope);
  const attributes: AttributeChanges = new Map();
  if (update.state !== undefined) attributes.set('state', update.state);
  if (update.subState !== undefined) attributes.set('state-qualifier', update.subState);
  const edits: Edit[] = [];
  if (target) writeTarget(w, target, inner, attributes, edits);
  else if (inner !== undefined) edits.push(insertTarget(w, after, 0, inner, attributes));
  return edits;
}

function edits2(unit: Unit, layout: UnitLayout, update: UnitUpdate, options: UnitWriteOptions): Edit[] {
  const w: Writer = { raw: unit.raw, unit, options };
  interface Plan {
    target?: string | undefined;
    state?: string | undefined;
    subState?: string | undefined;
  }
  const plans = new Map<number, Plan>();
  const plan = (index: number): Plan => {
    let p = plans.get(index);
    if (!p) plans.set(index, (p = {}));
    return p;
  };
  const isSegment = (i: number): boolean => unit.segments[i]!.kind === 'segment';
  const segments = update.segments ?? [];
  /** The namespaces in scope in the target of segment `i`: the unit's, the segment's, the target's (or those the new one copies). */
  const scope = (i: number) => (): Namespaces => {
    const { element, source, target } = layout.segments[i]!;
    const inSegment = declare(w, layout.namespaces, parseStartTag(w.raw, element.start).attributes);
    return declare(w, inSegment, target ? parseStartTag(w.raw, target.start).attributes : copiedAttributes(w.raw, source));
  };

  if (update.target !== undefined) {
    const first = unit.segments.findIndex((s) => s.kind === 'segment');
    if (first === -1) badUpdate(w, 'the unit has no segment to hold the target');
    plan(first).target = content(w, update.target, 'target', scope(first));
    for (let i = first + 1; i < unit.segments.length; i++) {
      if (isSegment(i) && layout.segments[i]!.target) plan(i).target = '';
    }
  }
  for (const [n, s] of segments.entries()) {
    const p = plan(s.index);
    if (s.target !== undefined) p.target = content(w, s.target, `segments[${n}].target`, scope(s.index));
    p.state = s.state;
    p.subState = s.subState;
  }
  if (update.state !== undefined || update.subState !== undefined) {
    const written = segments.length > 0 ? segments.map((s) => s.index) : unit.segments.map((_, i) => i);
    for (const i of written) {
      if (!isSegment(i)) continue;
      const p = plan(i);
      p.state ??= update.state;
      p.subState ??= update.subState;
    }
  }

  const edits: Edit[] = [];
  for (const [index, p] of plans) {
    const segment = layout.segments[index]!;
    const attributes: AttributeChanges = new Map();
    if (p.state !== undefined) attributes.set('state', p.state);
    if (p.subState !== undefined) attributes.set('subState', p.subState);
    else if (p.state !== undefined) attributes.set('subState', null);
    if (attributes.size > 0) {
      const tag = parseStartTag(w.raw, segment.element.start);
      const text = rewriteStartTag(w, tag, attributes, false);
      if (text !== w.raw.slice(tag.start, tag.end)) edits.push({ from: tag.start, to: tag.end, text });
    }
    if (p.target === undefined) continue;
    if (segment.target) writeTarget(w, segment.target, p.target, new Map(), edits);
    else edits.push(insertTarget(w, segment.source, segment.element.start, p.target, new Map()));
  }
  return edits;
}

/** Edits of an existing target: its inner XML (when `inner` is given) and its start tag's attributes. */
function writeTarget(w: Writer, span: ElementSpan, inner: string | undefined, attributes: AttributeChanges, edits: Edit[]): void {
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
function insertTarget(w: Writer, after: ElementSpan | undefined, parentStart: number, inner: string, attributes: AttributeChanges): Edit {
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
function copiedAttributes(raw: string, after: ElementSpan | undefined): readonly TagAttribute[] {
  if (!after) return [];
  const source = parseStartTag(raw, after.start);
  const colon = source.name.indexOf(':');
  const declaration = colon === -1 ? 'xmlns' : `xmlns:${source.name.slice(0, colon)}`;
  return source.attributes.filter((attribute) => attribute.name === declaration || attribute.name === 'xml:space');
}

/** `namespaces` with those `attributes` declare (itself when they declare none). */
function declare(w: Writer, namespaces: Namespaces, attributes: readonly TagAttribute[]): Namespaces {
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
function content(w: Writer, target: TargetContent, at: string, scope: () => Namespaces): string {
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

function encode(w: Writer, xml: string): string {
  const { canEncode } = w.options;
  if (!canEncode) return xml;
  try {
    return escapeForEncoding(xml, canEncode);
  } catch (error) {
    if (error instanceof XliffError) badUpdate(w, error.reason);
    throw error;
  }
}

function badUpdate(w: Writer, what: string): never {
  throw updateError(w.unit, w.options.fileName, what);
}

/**
 * The start tag with `changes` made: values replaced in place (keeping their quotes), removed
 * attributes taken out with the white space before them, new ones added after the last
 * attribute. `open` turns a self-closing tag into a start tag (`<t a="1"/>` -> `<t a="1">`).
 */
function rewriteStartTag(w: Writer, tag: StartTag, changes: AttributeChanges, open: boolean): string {
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
