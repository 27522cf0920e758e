/**
 * Checks an update a processor gives before anything is written: its shape and its
 * characters. The XML it gives is checked when it is written (unit-writer.ts), where its
 * target goes: a fragment is read in the namespaces in scope there.
 */
import { XliffError, codePointName, describe } from '../errors.js';
import type { Unit } from '../model.js';
import type { SegmentUpdate, UnitUpdate } from './update.js';

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

