/**
 * Writes an update into one unit's raw XML. Pure: strings in, a string out.
 *
 * A change touches only what it changes (DESIGN.md, invariant 2): the result is built from
 * slices of `unit.raw`, and only these are new:
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
import { fragmentProblem } from './fragment.js';
import type { CodePart, Part, Unit } from '../model.js';
import type { ElementSpan, UnitLayout } from '../model.js';
import type { SegmentUpdate, TargetContent, UnitUpdate } from './update.js';

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
 * the wrong shape, holds characters XML cannot hold, or cannot be written into this unit.
 */
export function applyUpdate(unit: Unit, layout: UnitLayout, update: UnitUpdate, options: UnitWriteOptions = {}): string {
  validateUpdate(unit, update, options);
  return writeUpdate(unit, layout, update, options);
}

/** `applyUpdate` without its check: for an update `validateUpdate` has passed already. */
export function writeUpdate(unit: Unit, layout: UnitLayout, update: UnitUpdate, options: UnitWriteOptions = {}): string {
  const edits = unit.version.startsWith('1') ? edits12(unit, layout, update, options) : edits2(unit, layout, update, options);
  if (edits.length === 0) return unit.raw;
  const result = applyEdits(unit.raw, edits);
  return result === unit.raw ? unit.raw : result;
}

/**
 * The inner XML of a new target: text escaped, `{ xml }` as given, parts joined (text parts
 * escaped, the `xml` of the others as is). A code part holds its `sub` elements in its `xml`
 * and the parts of those `sub`s follow it (see `CodePart`): they are written into the code's
 * `sub` elements, not a second time after it, so that translated `sub` text is kept.
 */
export function targetXml(content: TargetContent): string {
  if (typeof content === 'string') return escapeText(content);
  if ('xml' in content) return content.xml;
  return partsXml(content.parts, { i: 0 }, false);
}

/** Parts from `at.i` on; inside a `sub` (`inSub`), up to the `sub`'s end part (left for the caller). */
function partsXml(parts: readonly Part[], at: { i: number }, inSub: boolean): string {
  let out = '';
  let depth = 0;
  while (at.i < parts.length) {
    const part = parts[at.i]!;
    if (part.type === 'text') {
      out += escapeText(part.text);
      at.i++;
      continue;
    }
    if (part.type === 'code') {
      at.i++;
      out += codeXml(part, parts, at);
      continue;
    }
    if (inSub && part.name === 'sub') {
      if (part.type === 'start') depth++;
      else if (depth === 0) return out;
      else depth--;
    }
    out += part.xml;
    at.i++;
  }
  return out;
}

/** A code part's XML, its `sub` elements filled from the parts that follow it (from `at.i`). */
function codeXml(code: CodePart, parts: readonly Part[], at: { i: number }): string {
  const next = parts[at.i];
  if (next?.type !== 'start' || next.name !== 'sub') return code.xml;
  let out = '';
  let cursor = 0;
  for (const sub of subElements(code.xml)) {
    const start = parts[at.i];
    if (start?.type !== 'start' || start.name !== 'sub' || start.xml !== code.xml.slice(sub.start, sub.innerStart)) break;
    at.i++;
    const inner = partsXml(parts, at, true);
    if (at.i < parts.length) at.i++; // the sub's end part
    if (sub.innerStart === sub.end) continue; // <sub/>: kept as it is
    out += code.xml.slice(cursor, sub.innerStart) + inner;
    cursor = sub.innerEnd;
  }
  return out + code.xml.slice(cursor);
}

/** The outermost `sub` elements inside the element `xml` (a code as written), in order. */
function subElements(xml: string): ElementSpan[] {
  const found: ElementSpan[] = [];
  const open: { start: number; innerStart: number; isSub: boolean }[] = [];
  const isSub = (name: string): boolean => name === 'sub' || name.endsWith(':sub');
  let i = 0;
  while ((i = xml.indexOf('<', i)) !== -1) {
    if (xml.startsWith('<!--', i)) i = endOf(xml, '-->', i + 4);
    else if (xml.startsWith('<![CDATA[', i)) i = endOf(xml, ']]>', i + 9);
    else if (xml.startsWith('<?', i)) i = endOf(xml, '?>', i + 2);
    else if (xml[i + 1] === '/') {
      const end = endOf(xml, '>', i);
      const element = open.pop();
      if (element?.isSub && !open.some((e) => e.isSub)) found.push({ start: element.start, innerStart: element.innerStart, innerEnd: i, end });
      i = end;
    } else {
      const tag = parseStartTag(xml, i);
      const sub = open.length > 0 && isSub(tag.name);
      if (!tag.selfClosing) open.push({ start: i, innerStart: tag.end, isSub: sub });
      else if (sub && !open.some((e) => e.isSub)) found.push({ start: i, innerStart: tag.end, innerEnd: tag.end, end: tag.end });
      i = tag.end;
    }
  }
  return found;
}

/**
 * `xml` with the characters `canEncode` refuses written as character references: in text and
 * attribute values as `&#xHHHH;`, in CDATA by closing the section around the reference. A
 * refused character in a comment, processing instruction or name has no other spelling: an
 * `XliffError` `XLIFF_BAD_UPDATE`.
 */
export function escapeForEncoding(xml: string, canEncode: (codePoint: number) => boolean): string {
  const refused = (i: number): number => {
    const code = xml.charCodeAt(i);
    if (code < 0x80) return 0;
    const cp = xml.codePointAt(i)!;
    return canEncode(cp) ? 0 : cp;
  };
  let first = -1;
  for (let i = 0; i < xml.length; i++) {
    if (xml.charCodeAt(i) >= 0x80 && refused(i) !== 0) {
      first = i;
      break;
    }
  }
  if (first === -1) return xml;

  let out = '';
  let last = 0;
  const replace = (i: number, cp: number, before = '', after = ''): number => {
    const width = cp > 0xffff ? 2 : 1;
    out += xml.slice(last, i) + before + charRef(cp) + after;
    last = i + width;
    return i + width;
  };
  const unwritable = (cp: number, where: string): never => {
    throw new XliffError('XLIFF_BAD_UPDATE', `${hex(cp)} in ${where} cannot be written in the output encoding`);
  };
  /** Checks `[from, to)`, where no character reference can stand. */
  const checkRaw = (from: number, to: number, where: string): void => {
    for (let j = from; j < to; j++) {
      const cp = refused(j);
      if (cp !== 0) unwritable(cp, where);
    }
  };

  let i = 0;
  while (i < xml.length) {
    const code = xml.charCodeAt(i);
    if (code === 0x3c /* < */) {
      if (xml.startsWith('<!--', i)) {
        const end = endOf(xml, '-->', i + 4);
        checkRaw(i, end, 'a comment');
        i = end;
      } else if (xml.startsWith('<![CDATA[', i)) {
        const close = xml.indexOf(']]>', i + 9);
        const end = close === -1 ? xml.length : close;
        let j = i + 9;
        while (j < end) {
          const cp = refused(j);
          j = cp === 0 ? j + 1 : replace(j, cp, ']]>', '<![CDATA[');
        }
        i = close === -1 ? end : end + 3;
      } else if (xml.startsWith('<?', i)) {
        const end = endOf(xml, '?>', i + 2);
        checkRaw(i, end, 'a processing instruction');
        i = end;
      } else {
        // A tag: names outside quotes, attribute values inside.
        let quote = 0;
        let j = i + 1;
        for (; j < xml.length; j++) {
          const c = xml.charCodeAt(j);
          if (quote !== 0) {
            if (c === quote) quote = 0;
            else if (c >= 0x80) {
              const cp = refused(j);
              if (cp !== 0) j = replace(j, cp) - 1;
            }
          } else if (c === 0x22 || c === 0x27) quote = c;
          else if (c === 0x3e /* > */) break;
          else if (c >= 0x80) {
            const cp = refused(j);
            if (cp !== 0) unwritable(cp, 'a name');
          }
        }
        i = j + 1;
      }
    } else if (code >= 0x80) {
      const cp = refused(i);
      i = cp === 0 ? i + 1 : replace(i, cp);
    } else i++;
  }
  return out + xml.slice(last);
}

/**
 * Throws an `XliffError` `XLIFF_BAD_UPDATE`, naming the unit, when `update` cannot be written
 * into `unit`. `undefined` (leave the unit as it is) passes.
 */
export function validateUpdate(unit: Unit, value: unknown, options: Pick<UnitWriteOptions, 'fileName'> = {}): asserts value is UnitUpdate | undefined {
  const fail = (what: string): never => {
    throw new XliffError('XLIFF_BAD_UPDATE', `the update of ${unitName(unit)}: ${what}`, {
      file: options.fileName,
      line: unit.location.line,
      column: unit.location.column,
      offset: unit.location.offset,
      unitId: unit.id,
    });
  };
  if (value === undefined) return;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) fail(`expected an object or undefined, got ${describe(value)}`);
  const update = value as UnitUpdate;
  checkKeys(update, UPDATE_KEYS, '', fail);
  checkTarget(update.target, 'target', fail);
  checkState(update.state, 'state', fail);
  checkState(update.subState, 'subState', fail);
  const { segments } = update;
  if (segments === undefined) return;
  if (!Array.isArray(segments)) fail(`segments: expected an array, got ${describe(segments)}`);
  if (segments.length === 0) return;
  if (unit.version.startsWith('1')) fail('segments: an XLIFF 1.x unit is written whole: give `target`, not `segments`');
  if (update.target !== undefined) fail('give either `target` or `segments`, not both');
  const seen = new Set<number>();
  segments.forEach((segment: SegmentUpdate, n: number) => {
    const at = `segments[${n}]`;
    if (segment === null || typeof segment !== 'object' || Array.isArray(segment)) fail(`${at}: expected an object, got ${describe(segment)}`);
    checkKeys(segment, SEGMENT_KEYS, `${at}.`, fail);
    const { index } = segment;
    if (!Number.isInteger(index) || index < 0 || index >= unit.segments.length) {
      fail(`${at}.index: expected an integer from 0 to ${unit.segments.length - 1} (the unit has ${unit.segments.length} segments and ignorables), got ${describe(index)}`);
    }
    if (seen.has(index)) fail(`${at}.index: segment ${index} is updated twice`);
    seen.add(index);
    checkTarget(segment.target, `${at}.target`, fail);
    checkState(segment.state, `${at}.state`, fail);
    checkState(segment.subState, `${at}.subState`, fail);
    if (unit.segments[index]!.kind === 'ignorable' && (segment.state !== undefined || segment.subState !== undefined)) {
      fail(`${at}: segment ${index} is an ignorable, which has no state`);
    }
  });
}

// ---------------------------------------------------------------------------------------------
// Validation helpers

const UPDATE_KEYS = new Set(['target', 'state', 'subState', 'segments']);
const SEGMENT_KEYS = new Set(['index', 'target', 'state', 'subState']);
const PART_TYPES = new Set(['text', 'start', 'end', 'code']);

/** Characters XML 1.0 cannot hold, not even as character references, and lone surrogates. */
const NOT_XML = /[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

type Fail = (what: string) => never;

function checkKeys(value: object, allowed: ReadonlySet<string>, at: string, fail: Fail): void {
  for (const key of Object.keys(value)) {
    if (!allowed.has(key)) fail(`${at}${key}: unknown key (expected ${[...allowed].join(', ')})`);
  }
}

function checkTarget(target: unknown, at: string, fail: Fail): void {
  if (target === undefined) return;
  if (typeof target === 'string') {
    checkChars(target, at, fail);
    return;
  }
  const expected = 'a string, { xml: string } or { parts: Part[] }';
  if (target === null || typeof target !== 'object' || Array.isArray(target)) fail(`${at}: expected ${expected}, got ${describe(target)}`);
  const object = target as Record<string, unknown>;
  const hasXml = 'xml' in object;
  const hasParts = 'parts' in object;
  if (hasXml === hasParts) fail(`${at}: expected ${expected}, got an object with ${hasXml ? 'both xml and parts' : 'neither xml nor parts'}`);
  if (hasXml) {
    if (typeof object['xml'] !== 'string') fail(`${at}.xml: expected a string, got ${describe(object['xml'])}`);
    checkChars(object['xml'] as string, `${at}.xml`, fail);
    checkFragment(object['xml'] as string, `${at}.xml`, fail);
    return;
  }
  const parts = object['parts'];
  if (!Array.isArray(parts)) fail(`${at}.parts: expected an array of parts, got ${describe(parts)}`);
  (parts as unknown[]).forEach((part, n) => {
    const here = `${at}.parts[${n}]`;
    if (part === null || typeof part !== 'object') fail(`${here}: expected a part, got ${describe(part)}`);
    const { type, text, xml } = part as { type?: unknown; text?: unknown; xml?: unknown };
    if (typeof type !== 'string' || !PART_TYPES.has(type)) fail(`${here}.type: expected 'text', 'start', 'end' or 'code', got ${describe(type)}`);
    const field = type === 'text' ? 'text' : 'xml';
    const value = type === 'text' ? text : xml;
    if (typeof value !== 'string') fail(`${here}.${field}: expected a string, got ${describe(value)}`);
    checkChars(value as string, `${here}.${field}`, fail);
  });
  checkFragment(targetXml({ parts: parts as Part[] }), `${at}.parts`, fail);
}

/** The XML of a target must be well-formed, or the output would not be XML. */
function checkFragment(xml: string, at: string, fail: Fail): void {
  const problem = fragmentProblem(xml);
  if (problem !== undefined) fail(`${at}: not well-formed XML (${problem}): ${JSON.stringify(xml.length > 60 ? `${xml.slice(0, 60)}...` : xml)}`);
}

function checkState(state: unknown, at: string, fail: Fail): void {
  if (state === undefined) return;
  if (typeof state !== 'string' || state === '') fail(`${at}: expected a non-empty string, got ${describe(state)}`);
  checkChars(state as string, at, fail);
}

function checkChars(value: string, at: string, fail: Fail): void {
  const match = NOT_XML.exec(value);
  if (match) fail(`${at}: ${hex(match[0].charCodeAt(0))} at ${match.index} cannot be written in XML`);
}

function unitName(unit: Unit): string {
  return unit.id === undefined ? `unit ${unit.index} (no id)` : `unit ${JSON.stringify(unit.id)}`;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value)}`;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return `${typeof value} ${String(value)}`;
  return typeof value === 'object' ? 'an object' : typeof value;
}

// ---------------------------------------------------------------------------------------------
// Edits

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
  const inner = update.target === undefined ? undefined : encode(w, targetXml(update.target));
  const attributes: AttributeChanges = new Map();
  if (update.state !== undefined) attributes.set('state', update.state);
  if (update.subState !== undefined) attributes.set('state-qualifier', update.subState);
  const edits: Edit[] = [];
  if (layout.target) writeTarget(w, layout.target, inner, attributes, edits);
  else if (inner !== undefined) {
    const after = layout.segSource ?? layout.source;
    edits.push(insertTarget(w, after, 0, inner, attributes));
  }
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

  if (update.target !== undefined) {
    const first = unit.segments.findIndex((s) => s.kind === 'segment');
    if (first === -1) badUpdate(w, 'the unit has no segment to hold the target');
    plan(first).target = encode(w, targetXml(update.target));
    for (let i = first + 1; i < unit.segments.length; i++) {
      if (isSegment(i) && layout.segments[i]!.target) plan(i).target = '';
    }
  }
  for (const s of segments) {
    const p = plan(s.index);
    if (s.target !== undefined) p.target = encode(w, targetXml(s.target));
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
    const source = parseStartTag(raw, after.start);
    const colon = source.name.indexOf(':');
    prefix = colon === -1 ? '' : source.name.slice(0, colon + 1);
    const declaration = prefix === '' ? 'xmlns' : `xmlns:${prefix.slice(0, -1)}`;
    for (const attribute of source.attributes) {
      if (attribute.name === declaration || attribute.name === 'xml:space') copied += ` ${raw.slice(attribute.start, attribute.end)}`;
    }
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
  const { unit } = w;
  throw new XliffError('XLIFF_BAD_UPDATE', `the update of ${unitName(unit)}: ${what}`, {
    file: w.options.fileName,
    line: unit.location.line,
    column: unit.location.column,
    offset: unit.location.offset,
    unitId: unit.id,
  });
}

// ---------------------------------------------------------------------------------------------
// Start tags (of well-formed XML: the reader has parsed them)

interface TagAttribute {
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

interface StartTag {
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

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

function parseStartTag(raw: string, start: number): StartTag {
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

// ---------------------------------------------------------------------------------------------
// Escaping

function escapeText(text: string): string {
  return /[&<>]/.test(text) ? text.replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;')) : text;
}

const ATTRIBUTE_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;', '\t': '&#9;', '\n': '&#10;', '\r': '&#13;' };

function escapeAttribute(value: string, quote: string): string {
  const pattern = quote === "'" ? /[&<>'\t\n\r]/g : /[&<>"\t\n\r]/g;
  return value.replace(pattern, (c) => ATTRIBUTE_ESCAPES[c]!);
}

function charRef(cp: number): string {
  return `&#x${cp.toString(16).toUpperCase()};`;
}

function hex(cp: number): string {
  return `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
}

function endOf(xml: string, terminator: string, from: number): number {
  const i = xml.indexOf(terminator, from);
  return i === -1 ? xml.length : i + terminator.length;
}
