/**
 * What a processor returns for a unit: `undefined` leaves the unit as it is.
 */
import type { Part } from '../model.js';

/**
 * New target content: plain text (escaped on write), inner XML written as given,
 * or parts (text parts escaped, the `xml` of other parts written as is).
 */
export type TargetContent = string | { readonly xml: string } | { readonly parts: readonly Part[] };

/**
 * An update of one segment: a 2.x `segment` or `ignorable`, a 1.2 `mrk mtype="seg"` of the
 * `seg-source` (or, in a 1.2 unit without one, the whole unit), by its position in
 * `unit.segments` or by its id (2.x `segment/@id`, 1.2 `mrk/@mid`).
 */
export interface SegmentUpdate {
  /** Index in `unit.segments` (2.x ignorables count). Give `index` or `id`. */
  readonly index?: number | undefined;
  /** The segment's id: `Segment.id`. Give `index` or `id`. */
  readonly id?: string | undefined;
  readonly target?: TargetContent | undefined;
  /**
   * 2.x: `segment/@state`. 1.2: the target's `state` when every segment of the unit gets one
   * (the least advanced of them), and the segment's own state where the file's tool keeps one
   * (Trados `sdl:seg/@conf`).
   */
  readonly state?: string | undefined;
  readonly subState?: string | undefined;
}

/** What a processor gives for one segment (`per: 'segment'`): a `SegmentUpdate` without its place, which the job knows. */
export type SegmentResult = Omit<SegmentUpdate, 'index' | 'id'>;

export interface UnitUpdate {
  /**
   * The unit's new target. On a unit of one segment it is that segment's target (a 1.2
   * `mrk mtype="seg"` segment gets it inside its `mrk`). On a unit of several segments it is
   * refused (`XLIFF_BAD_UPDATE`): give `segments`, or process with `per: 'segment'`; a 1.2
   * target whose XML holds the `mrk mtype="seg"` segments itself is written whole.
   */
  readonly target?: TargetContent | undefined;
  /** 1.2: `target/@state`; 2.x: `segment/@state` of the segments written. */
  readonly state?: string | undefined;
  /** 1.2: `target/@state-qualifier`; 2.x: `segment/@subState`. */
  readonly subState?: string | undefined;
  /** Updates segment by segment: each segment's target stays apart from the others'. */
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
