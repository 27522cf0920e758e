/**
 * The result cache of `processXliff`: an lru-cache of results keyed by a hash of the
 * caller's key (the unit's source XML plus the target language), with single flight.
 *
 * Keys are hashed (SHA-1, base64) before they are stored: a key built from a slice of a
 * big input string would keep the whole input alive in V8 (docs/ARCHITECTURE.md, "How memory stays bounded").
 */
import * as crypto from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { CacheLevels } from './cache-levels.js';

/** What the cache is made of: a new lru-cache of `max` entries, the caller's own, or nothing (`false`: no cache, no single flight). */
export type CacheStore<V extends NonNullable<unknown>> = { readonly max: number } | LRUCache<string, V> | false;

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
   * run after it computes again. Before it computes, the levels behind memory are asked
   * (unless `useLevels` is `false`: the caller asked them already).
   */
  run(key: string, compute: () => Promise<V>, hashed?: string, useLevels?: boolean): Promise<RunResult<V>>;
  /** What the cache holds of a hashed key: its value, the run of it in flight, or nothing. */
  lookup(hashed: string): V | Promise<V> | undefined;
  /** The levels behind memory (disk, Redis), if any: `run` looks there before it computes, and stores there what it computed. */
  readonly levels: CacheLevels | undefined;
  /**
   * The values the levels behind memory hold of `hashed` keys (`undefined` where none),
   * each one found also kept in memory.
   */
  fromLevels(hashed: readonly string[]): Promise<Array<V | undefined>>;
  /** `fromLevels` of one key at once, when every level answers at once (`levels.sync`); the value is kept in memory. */
  fromLevelsSync(hashed: string): V | undefined;
}

/** The levels behind memory, and how a value is stored there (a string), and read back (`undefined`: unreadable, a miss). */
export interface LevelsOfCache<V> {
  readonly levels: CacheLevels;
  readonly encode: (value: V) => string;
  readonly decode: (text: string) => V | undefined;
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
export function createResultCache<V extends NonNullable<unknown>>(
  store: CacheStore<V>,
  stored: (value: V) => V = (value) => value,
  behind?: LevelsOfCache<V>,
): ResultCache<V> {
  const lru = store === false ? undefined : store instanceof LRUCache ? store : new LRUCache<string, V>({ max: store.max });
  const levels = lru ? behind?.levels : undefined;
  const inFlight = new Map<string, Promise<V>>();
  let hits = 0;
  let misses = 0;

  const fromLevel = async (hashed: string): Promise<V | undefined> => {
    const text = await levels!.get(hashed);
    return text === undefined ? undefined : behind!.decode(text);
  };

  /** The value of a key missing from memory: from a level behind it, else computed (and stored in memory and the levels). */
  const computeAndStore = (hashed: string, compute: () => Promise<V>, useLevels: boolean): Promise<RunResult<V>> => {
    // `.then` / `.finally` run later, so a `compute` that throws at once is forgotten after it is registered.
    const run = (async (): Promise<RunResult<V>> => {
      const found = levels && useLevels ? await fromLevel(hashed) : undefined;
      if (found !== undefined) {
        hits++;
        return { value: found, hit: true, shared: false };
      }
      misses++;
      return { value: await compute(), hit: false, shared: false };
    })()
      .then((result) => {
        lru!.set(hashed, stored(result.value));
        if (!result.hit) levels?.set(hashed, behind!.encode(result.value));
        return result;
      })
      .finally(() => inFlight.delete(hashed));
    const value = run.then((result) => result.value);
    // The runs that share it get its failure; unshared, it is not an unhandled rejection.
    value.catch(() => undefined);
    inFlight.set(hashed, value);
    return run;
  };

  return {
    enabled: lru !== undefined,
    levels,
    get hits() {
      return hits;
    },
    get misses() {
      return misses;
    },
    get: (key, hashed) => lru?.get(hashed ?? hashKey(key)),
    lookup: (hashed) => lru?.get(hashed) ?? inFlight.get(hashed),
    set: (key, value, hashed) => {
      const at = hashed ?? hashKey(key);
      lru?.set(at, stored(value));
      levels?.set(at, behind!.encode(value));
    },
    fromLevelsSync(hashed) {
      const text = levels?.getSync(hashed);
      const value = text === undefined ? undefined : behind!.decode(text);
      if (value === undefined) return undefined;
      hits++;
      lru!.set(hashed, stored(value));
      return value;
    },
    async fromLevels(hashed) {
      if (!levels) return hashed.map(() => undefined);
      const values = await Promise.all(hashed.map((h) => fromLevel(h)));
      values.forEach((value, n) => {
        if (value !== undefined) lru!.set(hashed[n]!, stored(value));
      });
      return values;
    },
    async run(key, compute, hashed = lru ? hashKey(key) : '', useLevels = true) {
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
      return computeAndStore(hashed, compute, useLevels);
    },
  };
}
