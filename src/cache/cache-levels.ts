/**
 * The result cache's levels behind memory: stores that outlive the run (a file on disk, a
 * Redis server). Lookups met in one turn of the event loop go to each store as one batch;
 * writes are batched too and flushed before the job ends. A store that fails is skipped
 * for a while (a `warning` each time it goes down) and the job goes on with the others,
 * unless the caller asked for every failure to fail the job.
 */

/** A store of the result cache: string values by hashed key. Expiry is the store's own. */
export interface CacheLevel {
  /** Shown in stats and warnings: `disk`, `redis`, or a store of the user's. */
  readonly name: string;
  /** The values of `keys`, in order; `undefined` where a key is absent (or expired). */
  getMany(keys: readonly string[]): Promise<ReadonlyArray<string | undefined>>;
  /** The value of one key at once, for a store that can (a memory-mapped file): a hit then costs no promise. */
  getSync?(key: string): string | undefined;
  setMany(entries: ReadonlyArray<readonly [key: string, value: string]>): Promise<void>;
  /** Releases what the store holds (connections, files); called once, when the job ends. */
  close?(): Promise<void>;
}

/** What one level did in a job. */
export interface CacheLevelStats {
  readonly hits: number;
  readonly misses: number;
  /** Values written to it. */
  readonly writes: number;
  /** Failed operations (the keys of a failed lookup are neither hits nor misses). */
  readonly errors: number;
}

export interface CacheLevelsOptions {
  /** Called when a level fails (and will be skipped for `downMs`). */
  readonly onError: (level: string, error: unknown) => void;
  /** How long a failed level is skipped. @default 5000 */
  readonly downMs?: number | undefined;
  /** Writes gathered before they go to a level. @default 256 */
  readonly writeBatch?: number | undefined;
}

/** The levels behind memory, in order: a lookup asks each in turn for the keys still missing. */
export class CacheLevels {
  private readonly levels: LevelState[];
  private pending: Array<{ key: string; resolve: (value: string | undefined) => void }> = [];
  private scheduled = false;
  private readonly downMs: number;
  private readonly writeBatch: number;

  constructor(
    levels: readonly CacheLevel[],
    private readonly options: CacheLevelsOptions,
  ) {
    this.levels = levels.map((level) => ({ level, stats: { hits: 0, misses: 0, writes: 0, errors: 0 }, downUntil: 0, queue: [], writing: new Set() }));
    this.downMs = options.downMs ?? 5000;
    this.writeBatch = options.writeBatch ?? 256;
  }

  /** Whether every level answers at once (`getSync`): then `getSync` is the whole lookup. */
  get sync(): boolean {
    return this.levels.every(({ level }) => level.getSync !== undefined);
  }

  /** `get`, at once, when `sync`: the value of a hashed key from the first level that has it (lower levels get it too). */
  getSync(key: string): string | undefined {
    const above: LevelState[] = [];
    for (const state of this.levels) {
      if (Date.now() < state.downUntil) continue;
      let value: string | undefined;
      try {
        value = state.level.getSync!(key);
      } catch (error) {
        this.failed(state, error);
        continue;
      }
      if (typeof value === 'string') {
        state.stats.hits++;
        for (const upper of above) this.queue(upper, key, value);
        return value;
      }
      state.stats.misses++;
      above.push(state);
    }
    return undefined;
  }

  stats(): Record<string, CacheLevelStats> {
    return Object.fromEntries(this.levels.map(({ level, stats }) => [level.name, { ...stats }]));
  }

  /** The value of a hashed key from the first level that has it (lower levels get it too), or `undefined`. */
  get(key: string): Promise<string | undefined> {
    return new Promise((resolve) => {
      this.pending.push({ key, resolve });
      if (this.scheduled) return;
      this.scheduled = true;
      setImmediate(() => void this.lookupPending());
    });
  }

  /** Stores `value` in every level (batched: `flush` waits for it). */
  set(key: string, value: string): void {
    for (const state of this.levels) this.queue(state, key, value);
  }

  /** Writes what is queued, and waits for every write to end. */
  async flush(): Promise<void> {
    for (const state of this.levels) if (state.queue.length > 0) this.write(state);
    await Promise.all(this.levels.flatMap((state) => [...state.writing]));
  }

  /** Flushes, then closes every level (a close that fails is reported as an error of that level). */
  async close(): Promise<void> {
    await this.flush();
    await Promise.all(
      this.levels.map(async (state) => {
        try {
          await state.level.close?.();
        } catch (error) {
          this.failed(state, error);
        }
      }),
    );
  }

  private async lookupPending(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    this.scheduled = false;
    const values = await this.lookup(batch.map((p) => p.key));
    batch.forEach((p, n) => p.resolve(values[n]));
  }

  private async lookup(keys: readonly string[]): Promise<Array<string | undefined>> {
    const values: Array<string | undefined> = new Array<string | undefined>(keys.length).fill(undefined);
    let missing = keys.map((_, n) => n);
    const above: LevelState[] = [];
    for (const state of this.levels) {
      if (missing.length === 0) break;
      if (Date.now() < state.downUntil) continue;
      let found: ReadonlyArray<string | undefined>;
      try {
        found = await state.level.getMany(missing.map((n) => keys[n]!));
      } catch (error) {
        this.failed(state, error);
        continue;
      }
      const still: number[] = [];
      missing.forEach((n, m) => {
        const value = found[m];
        if (typeof value === 'string') {
          values[n] = value;
          state.stats.hits++;
          // The levels asked before this one lacked it: they get it now.
          for (const upper of above) this.queue(upper, keys[n]!, value);
        } else {
          state.stats.misses++;
          still.push(n);
        }
      });
      missing = still;
      above.push(state);
    }
    return values;
  }

  private queue(state: LevelState, key: string, value: string): void {
    state.queue.push([key, value]);
    if (state.queue.length >= this.writeBatch) this.write(state);
  }

  /**
   * One batch of `state`'s queue to its store. Batches are not waited for one by one: a
   * store may gather them (LMDB commits the puts of one turn together; awaiting each
   * commit cut its writes from about 100,000/s to 9,000/s here).
   */
  private write(state: LevelState): void {
    const entries = state.queue;
    state.queue = [];
    if (Date.now() < state.downUntil) return;
    const writing = (async () => {
      try {
        await state.level.setMany(entries);
        state.stats.writes += entries.length;
      } catch (error) {
        this.failed(state, error);
      }
    })();
    state.writing.add(writing);
    void writing.finally(() => state.writing.delete(writing));
  }

  private failed(state: LevelState, error: unknown): void {
    state.stats.errors++;
    const wasUp = Date.now() >= state.downUntil;
    state.downUntil = Date.now() + this.downMs;
    if (wasUp) this.options.onError(state.level.name, error);
  }
}

interface LevelState {
  readonly level: CacheLevel;
  readonly stats: { hits: number; misses: number; writes: number; errors: number };
  downUntil: number;
  queue: Array<readonly [string, string]>;
  /** Its writes under way. */
  readonly writing: Set<Promise<void>>;
}

/** Two jobs' (or ranges') stats of their levels, level by level. */
export function addLevelStats(a: Readonly<Record<string, CacheLevelStats>>, b: Readonly<Record<string, CacheLevelStats>>): Record<string, CacheLevelStats> {
  const sum: Record<string, CacheLevelStats> = { ...a };
  for (const [name, stats] of Object.entries(b)) {
    const before = sum[name];
    sum[name] = before ? { hits: before.hits + stats.hits, misses: before.misses + stats.misses, writes: before.writes + stats.writes, errors: before.errors + stats.errors } : stats;
  }
  return sum;
}
