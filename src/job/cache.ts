/**
 * The result cache of `processXliff`: an lru-cache of results keyed by a hash of the
 * caller's key (the unit's source XML plus the target language), with single flight.
 *
 * Keys are hashed (SHA-1, base64) before they are stored: a key built from a slice of a
 * big input string would keep the whole input alive in V8 (DESIGN.md, "Pitfalls").
 */
import * as crypto from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { describe } from '../options.js';

export interface CacheOptions {
  /**
   * Results kept at most (least recently used go first).
   * @default 10000
   */
  readonly max?: number | undefined;
}

/**
 * The `cache` option: `undefined` or `true` (a cache of the default size), `{ max }`,
 * an `LRUCache` to share between jobs, or `false` (no cache, no single flight).
 */
export type CacheOption<V extends NonNullable<unknown>> = boolean | CacheOptions | LRUCache<string, V> | undefined;

export const DEFAULT_CACHE_MAX = 10_000;

export interface RunResult<V> {
  readonly value: V;
  /** `true` when this run did not call `compute`: served from the cache, or `shared`. */
  readonly hit: boolean;
  /** `true` when this run joined an identical run still in flight and got its result. */
  readonly shared: boolean;
}

export interface ResultCache<V extends NonNullable<unknown>> {
  /** `false` when the cache is off: every run computes. */
  readonly enabled: boolean;
  /** Runs that did not call `compute` (cache hits and shared runs). */
  readonly hits: number;
  /** Runs that called `compute`. */
  readonly misses: number;
  /** `hashed`: `hashKey(key)`, when the caller has it already. */
  get(key: string, hashed?: string): V | undefined;
  set(key: string, value: V, hashed?: string): void;
  /**
   * The cached value for `key`, else `compute()`'s, which is then cached. While a run of a
   * key is in flight, other runs of the same key (in this ResultCache) wait for it: one
   * `compute` call, and its failure is theirs too. A failure is never cached: the next
   * run after it computes again.
   */
  run(key: string, compute: () => Promise<V>, hashed?: string): Promise<RunResult<V>>;
}

/** The stored form of a key: a short, flat string that keeps nothing of the key alive. */
export function hashKey(key: string): string {
  // One-shot `crypto.hash` (Node >= 20.12) costs a fraction of a Hash object per key.
  return typeof crypto.hash === 'function' ? crypto.hash('sha1', key, 'base64') : crypto.createHash('sha1').update(key).digest('base64');
}

/**
 * `stored`: what the cache keeps of a value (by default the value itself); the run that
 * computed it, and those that shared it, get the value as computed.
 */
export function createResultCache<V extends NonNullable<unknown>>(option: CacheOption<V>, stored: (value: V) => V = (value) => value): ResultCache<V> {
  const lru = toLru(option);
  const inFlight = new Map<string, Promise<V>>();
  let hits = 0;
  let misses = 0;

  const computeAndStore = (hashed: string, compute: () => Promise<V>): Promise<V> => {
    // `.then` / `.finally` run later, so a `compute` that throws at once is forgotten after it is registered.
    const promise = (async () => compute())()
      .then((value) => {
        lru?.set(hashed, stored(value));
        return value;
      })
      .finally(() => inFlight.delete(hashed));
    inFlight.set(hashed, promise);
    return promise;
  };

  return {
    enabled: lru !== undefined,
    get hits() {
      return hits;
    },
    get misses() {
      return misses;
    },
    get: (key, hashed) => lru?.get(hashed ?? hashKey(key)),
    set: (key, value, hashed) => void lru?.set(hashed ?? hashKey(key), stored(value)),
    async run(key, compute, hashed = lru ? hashKey(key) : '') {
      if (!lru) {
        misses++;
        return { value: await compute(), hit: false, shared: false };
      }
      const cached = lru.get(hashed);
      if (cached !== undefined) {
        hits++;
        return { value: cached, hit: true, shared: false };
      }
      const running = inFlight.get(hashed);
      if (running) {
        hits++;
        return { value: await running, hit: true, shared: true };
      }
      misses++;
      return { value: await computeAndStore(hashed, compute), hit: false, shared: false };
    },
  };
}

function toLru<V extends NonNullable<unknown>>(option: CacheOption<V>): LRUCache<string, V> | undefined {
  if (option === false) return undefined;
  if (option instanceof LRUCache) return option as LRUCache<string, V>;
  if (option === undefined || option === true) return new LRUCache<string, V>({ max: DEFAULT_CACHE_MAX });
  if (option === null || typeof option !== 'object' || Array.isArray(option)) {
    throw new TypeError(`Expected \`cache\` to be a boolean, an object { max } or an LRUCache, got ${describe(option)}`);
  }
  const { max = DEFAULT_CACHE_MAX } = option;
  if (typeof max !== 'number') throw new TypeError(`Expected \`cache.max\` to be a number from 1 and up, got ${describe(max)}`);
  if (!Number.isInteger(max) || max < 1) throw new RangeError(`Expected \`cache.max\` to be a whole number from 1 and up, got ${max}`);
  return new LRUCache<string, V>({ max });
}
