/**
 * The answers for the items of a `processBatch` chunk, in order: from the cache (memory, the
 * levels behind it, the job's other workers), and one `processBatch` call through the pool for
 * the rest, with single flight on each key as for `process`.
 */
import { XliffError } from '../errors.js';
import type { Unit } from '../model.js';
import type { CachedUpdate } from '../options.js';
import { hashKey, type ResultCache } from '../cache/result-cache.js';
import type { SharedResults } from '../threads/shared-results.js';
import type { UnitUpdate } from '../write/update.js';
import type { Answer, CallBatch, Item } from './answer.js';
import type { JobChunk } from './job-chunk.js';
import type { Pool } from './pool.js';
import type { RetryInfo } from './retry.js';

/** An item of a batch: its entry's index among the chunk's, its own among the batch's answers (`k`), its key. */
export interface BatchItem {
  readonly i: number;
  readonly k: number;
  readonly item: Item;
  readonly unit: Unit;
  readonly key: string;
  readonly hashed: string;
}

export interface BatchCalls {
  readonly callOnBatch: CallBatch;
  readonly perSegment: boolean;
  readonly fileName: string | undefined;
  /** The item's cache key (made only when the cache is enabled). */
  readonly keyOf: (item: Item) => string;
  /** Checks an answer for an item; throws what is not retried. */
  readonly validate: (item: Item, unit: Unit, update: unknown) => void;
  readonly onRetry: (chunk: JobChunk, unit: Unit) => (info: RetryInfo) => void;
}

export class BatchAnswers {
  constructor(
    private readonly cache: ResultCache<CachedUpdate>,
    private readonly pool: Pool,
    private readonly calls: BatchCalls,
    /** On a worker thread: the results the job's other workers hold. */
    private readonly shared: SharedResults | undefined,
  ) {}

  item(i: number, item: Item, unit: Unit): BatchItem {
    if (!this.cache.enabled) return { i, k: 0, item, unit, key: '', hashed: '' };
    const key = this.calls.keyOf(item);
    return { i, k: 0, item, unit, key, hashed: hashKey(key) };
  }

  /** The answers for a batch's items, in order: from the caches, from other workers, and from one `processBatch` call for the rest. */
  async answer(chunk: JobChunk, items: BatchItem[]): Promise<Answer[]> {
    const answers: Answer[] = [];
    let todo: BatchItem[] = [];
    const asked: Array<BatchItem & { owner: number }> = [];
    items.forEach((item, k) => {
      const batched = { ...item, k };
      const cached = this.cache.get(item.key, item.hashed);
      const owner = cached ? undefined : this.shared?.claim(item.hashed);
      if (cached) answers[k] = { value: cached, hit: true };
      else if (owner !== undefined) asked.push({ ...batched, owner });
      else todo.push(batched);
    });
    if (this.cache.levels && todo.length > 0) todo = await this.fromLevels(todo, answers);
    // The batch starts at once (its keys are in flight from here on: another worker asking for one waits for it).
    const batch = this.batchOf(chunk, todo, answers);
    if (asked.length > 0) {
      // Sources other workers claimed: their results, or (no longer held there) a batch of their own.
      const values = await Promise.all(asked.map(({ owner, hashed }) => this.shared!.ask(owner, hashed)));
      const gone: BatchItem[] = [];
      asked.forEach((item, n) => {
        const value = values[n];
        if (value) {
          this.cache.set(item.key, value, item.hashed);
          answers[item.k] = { value, hit: true };
        } else {
          this.shared!.takeOver(item.hashed);
          gone.push(item);
        }
      });
      await batch;
      await this.batchOf(chunk, gone, answers);
    } else await batch;
    return answers;
  }

  /** The items of `todo` the levels behind memory answer go into `answers`; the rest are returned. */
  private async fromLevels(todo: readonly BatchItem[], answers: Answer[]): Promise<BatchItem[]> {
    const found = await this.cache.fromLevels(todo.map((item) => item.hashed));
    const rest: BatchItem[] = [];
    todo.forEach((item, n) => {
      const value = found[n];
      if (value) answers[item.k] = { value, hit: true };
      else rest.push(item);
    });
    return rest;
  }

  /**
   * One `processBatch` call for `todo` (items not in the cache), its answers into `answers`.
   * Single flight, as for `process`: a key met earlier in this batch, or in flight in another
   * one, waits for that result; the call gets each key once. `cache.run` calls `compute` at
   * once (before its first await), so `leaders` is complete after the loop.
   */
  private async batchOf(chunk: JobChunk, todo: readonly BatchItem[], answers: Answer[]): Promise<void> {
    if (todo.length === 0) return;
    const leaders: BatchItem[] = [];
    let answer!: { resolve: (updates: readonly unknown[]) => void; reject: (error: unknown) => void };
    const answered = new Promise<readonly unknown[]>((resolve, reject) => (answer = { resolve, reject }));
    const runs = todo.map((item) =>
      this.cache.run(
        item.key,
        () => {
          const k = leaders.push(item) - 1;
          return answered.then((updates) => ({ update: updates[k] as UnitUpdate | undefined }));
        },
        item.hashed,
        // answer() asked the levels behind memory already (and `compute` must be called at once).
        false,
      ),
    );
    if (leaders.length > 0) {
      try {
        answer.resolve(await this.callBatch(chunk, leaders));
      } catch (error) {
        answer.reject(error);
      }
    }
    const settled = await Promise.allSettled(runs);
    todo.forEach(({ k }, n) => {
      const run = settled[n]!;
      answers[k] = run.status === 'rejected' ? { error: run.reason } : { value: run.value.value, hit: run.value.hit };
    });
  }

  /** One `processBatch` call through the pool, its answer checked. */
  private callBatch(chunk: JobChunk, items: readonly BatchItem[]): Promise<readonly unknown[]> {
    const { callOnBatch, perSegment, fileName, validate, onRetry } = this.calls;
    const given = items.map((b) => b.item);
    const what = perSegment ? 'segments' : 'units';
    return this.pool.run(async (context) => {
      const answer = await callOnBatch(given, context);
      if (!Array.isArray(answer) || answer.length !== items.length) {
        throw Object.assign(
          new XliffError('XLIFF_BAD_UPDATE', `processBatch returned ${Array.isArray(answer) ? `${answer.length} updates` : 'no array'} for ${items.length} ${what}`, {
            file: fileName,
            unitId: items[0]!.unit.id,
          }),
          { retryable: false },
        );
      }
      items.forEach((b, k) => validate(b.item, b.unit, answer[k]));
      return answer as readonly unknown[];
    }, onRetry(chunk, items[0]!.unit));
  }
}
