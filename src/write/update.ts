/**
 * What a processor returns for a unit: `undefined` leaves the unit as it is.
 */
import type { Part } from '../model.js';

/**
 * New target content: plain text (escaped on write), inner XML written as given,
 * or parts (text parts escaped, the `xml` of other parts written as is).
 */
export type TargetContent = string | { readonly xml: string } | { readonly parts: readonly Part[] };

/** An update of one 2.x segment (or 1.2 `mrk mtype="seg"` segment), by its position in `unit.segments`. */
export interface SegmentUpdate {
  /** Index in `unit.segments` (ignorables count). */
  readonly index: number;
  readonly target?: TargetContent | undefined;
  readonly state?: string | undefined;
  readonly subState?: string | undefined;
}

export interface UnitUpdate {
  /**
   * The unit's new target. For a 2.x unit of several segments, it goes to the first
   * segment and the other segments get an empty target: use `segments` to keep them apart.
   */
  readonly target?: TargetContent | undefined;
  /** 1.2: `target/@state`; 2.x: `segment/@state` of the segments written. */
  readonly state?: string | undefined;
  /** 1.2: `target/@state-qualifier`; 2.x: `segment/@subState`. */
  readonly subState?: string | undefined;
  /** 2.x per-segment updates (1.2: `mrk` segments are not written one by one; give `target`). */
  readonly segments?: readonly SegmentUpdate[] | undefined;
}

/**
 * A copy of `update` that keeps no input text alive, for the cache. The reader's strings
 * are slices of the input text it held (64 KiB pieces), and V8 keeps a whole piece alive
 * for any slice of it: a processor that returns `unit.source.text` or `unit.source.parts`
 * would make every cached result hold a piece of the input.
 */
export function detachedUpdate(update: UnitUpdate): UnitUpdate {
  const copy = detachedFields(update);
  if (update.segments) copy.segments = update.segments.map(detachedFields);
  return copy;
}

/** A copy of a unit's or a segment's update whose target and states are strings of their own. */
function detachedFields<T extends UnitUpdate | SegmentUpdate>(update: T): { -readonly [K in keyof T]: T[K] } {
  const copy: { -readonly [K in keyof UnitUpdate | keyof SegmentUpdate]?: unknown } = { ...update };
  if (update.target !== undefined) copy.target = detachedTarget(update.target);
  if (typeof update.state === 'string') copy.state = flatCopy(update.state);
  if (typeof update.subState === 'string') copy.subState = flatCopy(update.subState);
  return copy as { -readonly [K in keyof T]: T[K] };
}

function detachedTarget(target: TargetContent): TargetContent {
  if (typeof target === 'string') return flatCopy(target);
  if ('xml' in target) return { xml: flatCopy(target.xml) };
  return { parts: target.parts.map(detachedPart) };
}

/** Names, ids and attributes are sax's own strings, built character by character: only text and XML are slices. */
function detachedPart(part: Part): Part {
  if (part.type === 'text') return { type: 'text', text: flatCopy(part.text) };
  if (part.type === 'code') return { ...part, code: flatCopy(part.code), xml: flatCopy(part.xml) };
  return { ...part, xml: flatCopy(part.xml) };
}

/** The same text in a string of its own: the concatenation is flattened into a new string, and the slice keeps only that. */
function flatCopy(text: string): string {
  return text.length === 0 ? '' : (' ' + text).slice(1);
}
