/**
 * The result cache's level on disk: an LMDB database (npm `lmdb`) in a folder. LMDB reads
 * are memory-mapped (about 130,000-240,000 lookups/s here, against 40,000-80,000 for
 * SQLite through better-sqlite3 and 10,000-80,000 for LevelDB: docs/ARCHITECTURE.md, "The
 * cache behind memory"), it ships built for each platform (nothing to compile), and
 * several threads and processes may open the same folder at once.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import type { RootDatabase } from 'lmdb';
import { loadLmdb } from '../cjs.js';
import { StringHashSet } from '../job/hash-set.js';
import type { CacheLevel } from './cache-levels.js';

export interface DiskLevelOptions {
  /** The folder of the database (made if missing). */
  readonly path: string;
  /** How long an entry is served after it was written; `undefined`: for ever. */
  readonly ttlMs?: number | undefined;
}

/**
 * Keys a job that opened an empty database wrote, at most: while none but it wrote there,
 * a key it did not write is a miss without a read (a first run's lookups all miss). Past
 * this many (16 bytes each), every lookup reads the file.
 */
const MAX_WRITTEN_KEYS = 1 << 20;

export async function openDiskLevel(options: DiskLevelOptions): Promise<CacheLevel> {
  await fs.mkdir(options.path, { recursive: true });
  // Each value is one string: its expiry (ms since the epoch, 0: never), a colon, the result (no msgpack: nothing to encode).
  // Writes wait up to 200 ms to be committed together: a key is a hash, so each commit rewrites
  // leaf pages all over the tree; fewer, larger commits cost a third less CPU here (bench/RESULTS.md).
  const db: RootDatabase<string, string> = loadLmdb().open<string, string>({ path: path.join(options.path, 'results.lmdb'), compression: false, encoding: 'string', commitDelay: 200 });
  const { ttlMs } = options;
  let written: StringHashSet | undefined = db.getKeysCount() === 0 ? new StringHashSet() : undefined;
  /** The value of a live entry; an expired one is removed from the file too, not only from the answer. */
  const live = (key: string, entry: string | undefined, now: number): string | undefined => {
    if (entry === undefined) return undefined;
    const colon = entry.indexOf(':');
    const expires = colon > 0 ? Number(entry.slice(0, colon)) : NaN;
    // What does not read as an entry (another version's) is a miss.
    if (Number.isNaN(expires)) return undefined;
    if (expires !== 0 && expires <= now) {
      void db.remove(key);
      return undefined;
    }
    return entry.slice(colon + 1);
  };
  const known = (key: string): boolean => written === undefined || written.has(key);
  return {
    name: 'disk',
    async getMany(keys) {
      const asked = written ? keys.filter(known) : keys;
      const entries = asked.length === 0 ? [] : await db.getMany([...asked]);
      const now = Date.now();
      if (asked === keys) return entries.map((entry, n) => live(keys[n]!, entry, now));
      const found = new Map(asked.map((key, n) => [key, entries[n]]));
      return keys.map((key) => live(key, found.get(key), now));
    },
    getSync: (key) => (known(key) ? live(key, db.get(key), Date.now()) : undefined),
    async setMany(entries) {
      const e = ttlMs === undefined ? 0 : Date.now() + ttlMs;
      // lmdb gathers the puts of one turn into one transaction: the last one settles with it.
      let last: Promise<boolean> | undefined;
      for (const [key, v] of entries) {
        if (written) {
          written.add(key);
          if (written.size > MAX_WRITTEN_KEYS) {
            written.dispose();
            written = undefined;
          }
        }
        last = db.put(key, `${e}:${v}`);
      }
      await last;
    },
    close: () => {
      written?.dispose();
      return db.close();
    },
  };
}
