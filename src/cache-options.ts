/**
 * The `cache` option of a job: its types, its default size, and what resolves and checks it
 * (the memory level, and the levels behind it).
 */
import { resolve as resolvePath } from 'node:path';
import { LRUCache } from 'lru-cache';
import { describe } from './errors.js';
import { object, optionalString, wholeNumber } from './option-checks.js';
import type { CacheLevel } from './cache/cache-levels.js';
import type { DiskLevelOptions } from './cache/disk-level.js';
import type { RedisLevelOptions } from './cache/redis-level.js';
import type { UnitUpdate } from './write/update.js';

export const DEFAULT_CACHE_MAX = 10_000;

/** What the cache holds: the update (or `undefined`: leave the unit as it is). */
export interface CachedUpdate {
  readonly update: UnitUpdate | undefined;
}

export interface CacheOptions {
  /**
   * Results kept in memory at most (least recently used go first).
   * @default 10000
   */
  readonly max?: number | undefined;
  /**
   * A level on disk behind memory, that outlives the run: a folder (an LMDB database in it,
   * made if missing), or `{ path, ttlMs }`. A rerun of the job, or another job with the same
   * `key`, takes the results from there instead of calling the processor again.
   */
  readonly disk?: string | DiskLevelOptions | undefined;
  /**
   * A level on a Redis server, behind memory and disk, shared by every job and machine that
   * uses it: a URL (`redis://127.0.0.1:6379`), or `{ url, ttlMs, prefix }`.
   */
  readonly redis?: string | RedisLevelOptions | undefined;
  /** Stores of your own behind those (`CacheLevel`: `getMany`, `setMany`, `close`), in order. */
  readonly stores?: readonly CacheLevel[] | undefined;
  /**
   * Names the processor in every key (engine, model, prompt version...): results of another
   * `key` are not reused. It matters for the levels that outlive the run.
   * @default ''
   */
  readonly key?: string | undefined;
  /**
   * A store that fails fails the job (`XLIFF_CACHE`). By default it is skipped for a few
   * seconds, with a `warning` event, and the job goes on with the levels that work.
   * @default false
   */
  readonly required?: boolean | undefined;
}

/** The levels behind memory a job opens (disk, Redis, the user's stores), and what keys them. */
export interface ResolvedCacheLevels {
  readonly disk: DiskLevelOptions | undefined;
  readonly redis: RedisLevelOptions | undefined;
  readonly stores: readonly CacheLevel[];
  readonly required: boolean;
}

/** What a job's `cache` option may be. */
export type CacheOption = boolean | CacheOptions | LRUCache<string, CachedUpdate> | undefined;

/** The cache a job uses: one to make with `max` entries, the user's own, or none. */
export type ResolvedCache = { readonly max: number } | LRUCache<string, CachedUpdate> | false;

/** `cache`: `undefined` or `true` (a cache of the default size), `{ max }`, an `LRUCache`, or `false`. */
export function normalizeCache(option: CacheOption): ResolvedCache {
  if (option === false) return false;
  if (option === undefined || option === true) return { max: DEFAULT_CACHE_MAX };
  if (option instanceof LRUCache) return option;
  if (option === null || typeof option !== 'object' || Array.isArray(option)) {
    throw new TypeError(`Expected \`cache\` to be a boolean, an object { max } or an LRUCache, got ${describe(option)}`);
  }
  return { max: wholeNumber('cache.max', option.max, 1, DEFAULT_CACHE_MAX) };
}

/** `cache.disk`, `cache.redis`, `cache.stores` and `cache.required`; `undefined` when there is no level behind memory. */
export function normalizeCacheLevels(option: CacheOption): ResolvedCacheLevels | undefined {
  if (option === undefined || typeof option === 'boolean' || option instanceof LRUCache) return undefined;
  const disk = typeof option.disk === 'string' ? { path: option.disk } : option.disk;
  if (disk !== undefined) {
    object('cache.disk', disk);
    if (typeof disk.path !== 'string' || disk.path === '') throw new TypeError(`Expected \`cache.disk\` to be a folder or { path, ttlMs }, got ${describe(option.disk)}`);
  }
  const redis = typeof option.redis === 'string' ? { url: option.redis } : option.redis;
  if (redis !== undefined) {
    object('cache.redis', redis);
    if (typeof redis.url !== 'string' || !/^rediss?:\/\//.test(redis.url)) throw new TypeError(`Expected \`cache.redis\` to be a URL redis://... or { url, ttlMs, prefix }, got ${describe(option.redis)}`);
    optionalString('cache.redis.prefix', redis.prefix);
  }
  const stores = option.stores ?? [];
  if (!Array.isArray(stores)) throw new TypeError(`Expected \`cache.stores\` to be an array of stores, got ${describe(stores)}`);
  for (const store of stores as unknown[]) {
    const { name, getMany, setMany } = (store ?? {}) as Partial<CacheLevel>;
    if (typeof name !== 'string' || typeof getMany !== 'function' || typeof setMany !== 'function') {
      throw new TypeError(`Expected each of \`cache.stores\` to have a name, getMany and setMany, got ${describe(store)}`);
    }
  }
  if (option.required !== undefined && typeof option.required !== 'boolean') throw new TypeError(`Expected \`cache.required\` to be a boolean, got ${describe(option.required)}`);
  if (disk === undefined && redis === undefined && stores.length === 0) return undefined;
  return {
    disk: disk && { path: resolvePath(disk.path), ttlMs: ttl('cache.disk.ttlMs', disk.ttlMs) },
    redis: redis && { url: redis.url, ttlMs: ttl('cache.redis.ttlMs', redis.ttlMs), prefix: redis.prefix },
    stores,
    required: option.required ?? false,
  };
}

export function cacheNamespace(option: CacheOption): string {
  if (option === undefined || typeof option === 'boolean' || option instanceof LRUCache) return '';
  return optionalString('cache.key', option.key) ?? '';
}

function ttl(name: string, value: unknown): number | undefined {
  return value === undefined ? undefined : wholeNumber(name, value, 1);
}
