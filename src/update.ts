/**
 * What a processor returns for a unit: `undefined` leaves the unit as it is.
 */
import type { Part } from './model.js';

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
