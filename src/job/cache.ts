/**
 * The result cache of `processXliff`: an lru-cache of results keyed by a hash of the
 * caller's key (the unit's source XML plus the target language), with single flight.
 *
 * Keys are hashed (SHA-1, base64) before they are stored: a key built from a slice of a
 * big input string would keep the whole input alive in V8 (docs/ARCHITECTURE.md, "How memory stays bounded").
 */
import * as crypto from 'node:crypto';
import { LRUCache } from 'lru-cache';

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
   * run after it computes again.
   */
  run(key: string, compute: () => Promise<V>, hashed?: string): Promise<RunResult<V>>;
  /** What the cache holds of a hashed key: its value, the run of it in flight, or nothing. */
  lookup(hashed: string): V | Promise<V> | undefined;
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
export function createResultCache<V extends NonNullable<unknown>>(store: CacheStore<V>, stored: (value: V) => V = (value) => value): ResultCache<V> {
  const lru = store === false ? undefined : store instanceof LRUCache ? store : new LRUCache<string, V>({ max: store.max });
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
    lookup: (hashed) => lru?.get(hashed) ?? inFlight.get(hashed),
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
