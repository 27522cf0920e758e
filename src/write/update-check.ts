/**
 * Checks an update a processor gives before anything is written: its shape and its
 * characters. The XML it gives is checked when it is written (unit-writer.ts), where its
 * target goes: a fragment is read in the namespaces in scope there.
 */
import { XliffError, codePointName, describe } from '../errors.js';
import type { Unit } from '../model.js';
import { targetXml } from './target-xml.js';
import type { SegmentResult, SegmentUpdate, TargetContent, UnitUpdate } from './update.js';

/**
 * Throws an `XliffError` `XLIFF_BAD_UPDATE`, naming the unit, when `update` cannot be written
 * into `unit`. `undefined` (leave the unit as it is) passes.
 */
export function validateUpdate(unit: Unit, value: unknown, options: { readonly fileName?: string | undefined } = {}): asserts value is UnitUpdate | undefined {
  const fail = (what: string): never => {
    throw updateError(unit, options.fileName, what);
  };
  if (value === undefined) return;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) fail(`expected an object or undefined, got ${describe(value)}`);
  const update = value as UnitUpdate;
  checkKeys(update, UPDATE_KEYS, '', fail);
  checkTarget(update.target, 'target', fail);
  checkState(update.state, 'state', fail);
  checkState(update.subState, 'subState', fail);
  const { segments } = update;
  if (segments !== undefined && !Array.isArray(segments)) fail(`segments: expected an array, got ${describe(segments)}`);
  if (segments !== undefined && segments.length > 0 && update.target !== undefined) fail('give either `target` or `segments`, not both');
  if (update.target !== undefined) checkUnitTarget(unit, update.target, fail);
  if (segments === undefined || segments.length === 0) return;
  const seen = new Set<number>();
  segments.forEach((segment: SegmentUpdate, n: number) => {
    const at = `segments[${n}]`;
    if (segment === null || typeof segment !== 'object' || Array.isArray(segment)) fail(`${at}: expected an object, got ${describe(segment)}`);
    checkKeys(segment, SEGMENT_KEYS, `${at}.`, fail);
    const index = checkPlace(unit, segment, at, fail);
    if (seen.has(index)) fail(`${at}: segment ${index} is updated twice`);
    seen.add(index);
    checkTarget(segment.target, `${at}.target`, fail);
    checkState(segment.state, `${at}.state`, fail);
    checkState(segment.subState, `${at}.subState`, fail);
    if (unit.segments[index]!.kind === 'ignorable' && (segment.state !== undefined || segment.subState !== undefined)) {
      fail(`${at}: segment ${index} is an ignorable, which has no state`);
    }
  });
}

/**
 * Throws an `XliffError` `XLIFF_BAD_UPDATE`, naming the unit and the segment, when `value`
 * is not what a processor of segments may give for segment `index` of `unit` (`per: 'segment'`):
 * `undefined`, or `{ target?, state?, subState? }`.
 */
export function validateSegmentResult(unit: Unit, index: number, value: unknown, options: { readonly fileName?: string | undefined } = {}): void {
  const fail = (what: string): never => {
    throw updateError(unit, options.fileName, `segment ${index}${unit.segments[index]?.id === undefined ? '' : ` (id ${JSON.stringify(unit.segments[index]!.id)})`}: ${what}`);
  };
  if (value === undefined) return;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) fail(`expected an object { target, state, subState } or undefined, got ${describe(value)}`);
  const result = value as SegmentResult;
  checkKeys(result, RESULT_KEYS, '', fail);
  checkTarget(result.target, 'target', fail);
  checkState(result.state, 'state', fail);
  checkState(result.subState, 'subState', fail);
}

/**
 * The index in `unit.segments` of the segment a `SegmentUpdate` names (by `index`, or by
 * `id`: the first segment with that id). For an update `validateUpdate` has passed.
 */
export function segmentIndex(unit: Unit, segment: SegmentUpdate): number {
  return segment.index ?? unit.segments.findIndex((s) => s.id === segment.id);
}

/** The segment a `SegmentUpdate` names must be there: `index` in range, `id` a segment's, and both (if given) the same one. */
function checkPlace(unit: Unit, segment: SegmentUpdate, at: string, fail: Fail): number {
  const { index, id } = segment;
  const count = unit.segments.length;
  if (index === undefined && id === undefined) fail(`${at}: give the segment's \`index\` (in unit.segments) or its \`id\``);
  if (index !== undefined && (!Number.isInteger(index) || index < 0 || index >= count)) {
    fail(`${at}.index: expected an integer from 0 to ${count - 1} (the unit has ${count} segment${count === 1 ? '' : 's'}${unit.version.startsWith('2') ? ' and ignorables' : ''}), got ${describe(index)}`);
  }
  if (id === undefined) return index!;
  if (typeof id !== 'string') fail(`${at}.id: expected a string, got ${describe(id)}`);
  const found = unit.segments.findIndex((s) => s.id === id);
  if (found === -1) fail(`${at}.id: the unit has no segment with id ${JSON.stringify(id)}`);
  if (index !== undefined && index !== found) fail(`${at}: index ${index} and id ${JSON.stringify(id)} name two segments (id ${JSON.stringify(id)} is segment ${found})`);
  return found;
}

/** A unit-level target on a unit of several segments would lose them (the rule is `targetLosesSegments`'s): refused. */
function checkUnitTarget(unit: Unit, target: unknown, fail: Fail): void {
  if (!targetLosesSegments(unit, target as TargetContent)) return;
  fail(`the unit has ${segmentCount(unit)} segments, and one \`target\` for all of them would lose them: give \`segments\` (a target for each, by index or id), or process with per: 'segment'`);
}

/**
 * Whether a unit-level target would lose `unit`'s segments. It fits a unit of one segment;
 * written over several, it would run their targets into one (or leave all but one empty),
 * unless a 1.2 target's XML holds the `mrk mtype="seg"` segments itself.
 */
export function targetLosesSegments(unit: Unit, target: TargetContent): boolean {
  if (segmentCount(unit) < 2) return false;
  return !(unit.version.startsWith('1') && typeof target !== 'string' && holdsSegmentMarks(targetXml(target)));
}

/** The unit's segments, ignorables not counted. */
function segmentCount(unit: Unit): number {
  let count = 0;
  for (const segment of unit.segments) if (segment.kind === 'segment') count++;
  return count;
}

/** Whether 1.2 target XML holds `mrk mtype="seg"` segments. */
export function holdsSegmentMarks(xml: string): boolean {
  return SEGMENT_MARK.test(xml);
}

/** A 1.2 segment's start tag: `<mrk mtype="seg" ...>`, any prefix, the attribute anywhere in the tag. */
const SEGMENT_MARK = /<(?:[^\s/>:]+:)?mrk\s[^>]*?\bmtype\s*=\s*(["'])seg\1/;

const UPDATE_KEYS = new Set(['target', 'state', 'subState', 'segments']);
const SEGMENT_KEYS = new Set(['index', 'id', 'target', 'state', 'subState']);
const RESULT_KEYS = new Set(['target', 'state', 'subState']);
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
}

function checkState(state: unknown, at: string, fail: Fail): void {
  if (state === undefined) return;
  if (typeof state !== 'string' || state === '') fail(`${at}: expected a non-empty string, got ${describe(state)}`);
  checkChars(state as string, at, fail);
}

function checkChars(value: string, at: string, fail: Fail): void {
  const match = NOT_XML.exec(value);
  if (match) fail(`${at}: ${codePointName(match[0].charCodeAt(0))} at ${match.index} cannot be written in XML`);
}

/** The `XLIFF_BAD_UPDATE` error of an update that cannot be written into `unit`, placed at the unit. */
export function updateError(unit: Unit, fileName: string | undefined, what: string): XliffError {
  return new XliffError('XLIFF_BAD_UPDATE', `the update of ${unitName(unit)}: ${what}`, {
    file: fileName,
    line: unit.location.line,
    column: unit.location.column,
    offset: unit.location.offset,
    unitId: unit.id,
  });
}

function unitName(unit: Unit): string {
  return unit.id === undefined ? `unit ${unit.index} (no id)` : `unit ${JSON.stringify(unit.id)}`;
}

