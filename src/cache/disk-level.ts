/**
 * The result cache's level on disk: an LMDB database (npm `lmdb`) in a folder. LMDB reads
 * are memory-mapped (about 100,000-240,000 lookups/s here, against 40,000-80,000 for
 * SQLite through better-sqlite3 and 10,000-80,000 for LevelDB: bench/cache-stores.md), it
 * ships built for each platform (nothing to compile), and several threads and processes
 * may open the same folder at once.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import type { RootDatabase } from 'lmdb';
import { loadLmdb } from '../cjs.js';
import type { CacheLevel } from './cache-levels.js';

export interface DiskLevelOptions {
  /** The folder of the database (made if missing). */
  readonly path: string;
  /** How long an entry is served after it was written; `undefined`: for ever. */
  readonly ttlMs?: number | undefined;
}

/** What the database holds for a key: the value and when it expires (0: never). */
interface Entry {
  readonly v: string;
  readonly e: number;
}

export async function openDiskLevel(options: DiskLevelOptions): Promise<CacheLevel> {
  await fs.mkdir(options.path, { recursive: true });
  const db: RootDatabase<Entry, string> = loadLmdb().open<Entry, string>({ path: path.join(options.path, 'results.lmdb'), compression: false });
  const { ttlMs } = options;
  /** The value of a live entry; an expired one is removed from the file too, not only from the answer. */
  const live = (key: string, entry: Entry | undefined, now: number): string | undefined => {
    if (entry === undefined) return undefined;
    if (entry.e !== 0 && entry.e <= now) {
      void db.remove(key);
      return undefined;
    }
    return entry.v;
  };
  return {
    name: 'disk',
    async getMany(keys) {
      const entries = await db.getMany([...keys]);
      const now = Date.now();
      return entries.map((entry, n) => live(keys[n]!, entry, now));
    },
    getSync: (key) => live(key, db.get(key), Date.now()),
    async setMany(entries) {
      const e = ttlMs === undefined ? 0 : Date.now() + ttlMs;
      // lmdb gathers the puts of one turn into one transaction: the last one settles with it.
      let last: Promise<boolean> | undefined;
      for (const [key, v] of entries) last = db.put(key, { v, e });
      await last;
    },
    close: () => db.close(),
  };
}
