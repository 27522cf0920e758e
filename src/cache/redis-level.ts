/**
 * The result cache's level on a Redis server, shared by every job (and machine) that uses
 * it: ioredis, one MGET per batch of lookups and one pipeline per batch of writes. Commands
 * are not queued while the server is away: they fail at once, and the level is skipped
 * for a while (ioredis reconnects on its own meanwhile).
 */
import { loadIoredis } from '../cjs.js';
import type { CacheLevel } from './cache-levels.js';

export interface RedisLevelOptions {
  /** `redis://host:port/db`. */
  readonly url: string;
  /** How long an entry is kept (Redis expires it: `PX`); `undefined`: for ever. */
  readonly ttlMs?: number | undefined;
  /** Put before each key, to keep this cache's keys apart from others on the server. @default 'xliff-stream:' */
  readonly prefix?: string | undefined;
}

export async function openRedisLevel(options: RedisLevelOptions): Promise<CacheLevel> {
  const { Redis } = loadIoredis();
  const redis = new Redis(options.url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2000,
    keyPrefix: options.prefix ?? 'xliff-stream:',
  });
  // Errors reach the caller through the commands that fail; without a listener ioredis prints them.
  redis.on('error', () => undefined);
  const { ttlMs } = options;
  const level: CacheLevel = {
    name: 'redis',
    async getMany(keys) {
      if (keys.length === 0) return [];
      const values = await redis.mget(...keys);
      return values.map((value) => value ?? undefined);
    },
    async setMany(entries) {
      const pipeline = redis.pipeline();
      for (const [key, value] of entries) {
        if (ttlMs === undefined) pipeline.set(key, value);
        else pipeline.set(key, value, 'PX', ttlMs);
      }
      const results = await pipeline.exec();
      const failed = results?.find(([error]) => error);
      if (failed) throw failed[0]!;
    },
    async close() {
      redis.disconnect();
    },
  };
  // A server that is not there yet: the level starts down (its first lookups fail), and ioredis keeps trying.
  await redis.connect().catch(() => undefined);
  return level;
}
