/**
 * What a job's cache keeps of an update: in memory, a copy that holds no piece of the input;
 * in the levels behind memory (disk, Redis, the user's stores), JSON.
 */
import type { CachedUpdate } from '../options.js';
import { detachedUpdate, type UnitUpdate } from '../write/update.js';

/** What the cache keeps for every unit left as it is: one object for all. */
const NO_UPDATE: CachedUpdate = Object.freeze({ update: undefined });

/** What the cache keeps of an update: it keeps it for long, so it may keep no piece of the input alive. */
export function keptUpdate(value: CachedUpdate): CachedUpdate {
  return value.update ? { update: detachedUpdate(value.update) } : NO_UPDATE;
}

/** A cached update as the levels behind memory keep it: JSON (`{}`: leave the unit as it is). */
export function encodeCached(value: CachedUpdate): string {
  return JSON.stringify(value);
}

/** A stored update read back; what does not read as one is a miss (its update is checked again when it is written). */
export function decodeCached(text: string): CachedUpdate | undefined {
  try {
    const value: unknown = JSON.parse(text);
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
    const { update } = value as { update?: unknown };
    return update === undefined ? NO_UPDATE : { update: update as UnitUpdate };
  } catch {
    return undefined;
  }
}
