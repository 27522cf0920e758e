/**
 * What the processor is given (units, or with `per: 'segment'` segments) and what it, or a
 * cache, answered: the types the processor path and its batch form share.
 */
import type { Unit } from '../model.js';
import type { CachedUpdate, ProcessContext, UnitSegment } from '../options.js';

/** Units, or (`per: 'segment'`) segments: what the processor is given. */
export type Item = Unit | UnitSegment;
export type CallOne = (item: Item, context: ProcessContext) => unknown;
export type CallBatch = (items: readonly Item[], context: ProcessContext) => unknown;

/** What the processor (or a cache) answered for an item, or how that failed. */
export type Answered = { readonly value: CachedUpdate; readonly hit: boolean };
export type Failed = { readonly error: unknown };
export type Answer = Answered | Failed;
