/**
 * Opens the levels behind memory a job's options name: disk, then Redis, then the user's
 * stores (a lookup asks them in that order). A level that cannot open is reported like one
 * that fails later, and left out.
 */
import type { ResolvedCacheLevels } from '../options.js';
import { CacheLevels, type CacheLevel } from './cache-levels.js';
import { openDiskLevel } from './disk-level.js';
import { openRedisLevel } from './redis-level.js';

export async function openCacheLevels(options: ResolvedCacheLevels, onError: (level: string, error: unknown) => void): Promise<CacheLevels> {
  const opening: Array<Promise<CacheLevel | undefined>> = [];
  const attempt = (name: string, open: () => Promise<CacheLevel>): Promise<CacheLevel | undefined> =>
    open().catch((error: unknown) => {
      onError(name, error);
      return undefined;
    });
  if (options.disk) opening.push(attempt('disk', () => openDiskLevel(options.disk!)));
  if (options.redis) opening.push(attempt('redis', () => openRedisLevel(options.redis!)));
  const levels = (await Promise.all(opening)).filter((level): level is CacheLevel => level !== undefined);
  return new CacheLevels([...levels, ...options.stores], { onError });
}
