/**
 * The processor path of a unit: filter -> cache -> call -> check -> apply. A cache hit, or a
 * processor that answers at once, costs no promise and no pool slot; the rest goes through
 * the pool, with single flight on the cache key (a source is processed once).
 */
import { XliffError, errorAtUnit } from '../errors.js';
import type { JournalEntry } from '../io/journal.js';
import type { Unit } from '../model.js';
import type { BatchProcessor, CachedUpdate, ProcessContext, ResolvedProcessOptions } from '../options.js';
import type { ProcessContexts } from './process-context.js';
import { applyUpdate, writeUpdate, type UnitWriteOptions } from '../write/unit-writer.js';
import { validateUpdate } from '../write/update-check.js';
import type { UnitUpdate } from '../write/update.js';
import type { SharedResults } from '../threads/shared-results.js';
import { hashKey, type ResultCache } from './cache.js';
import type { UnitErrorEvent, UnitResult } from './events.js';
import type { JobChunk, ReadUnit } from './job-chunk.js';
import type { Pool } from './pool.js';
import type { ProgressCounters } from './progress.js';
import { isThenable } from './retry.js';

/** A unit's result and the XML written for it. */
export interface Outcome {
  readonly result: UnitResult;
  readonly raw: string;
}

/** Where an update comes from: a processor's answer was checked as it came; the others are checked when applied. */
type UpdateSource = 'processor' | 'cache' | 'journal';

export interface ProcessorPathHooks {
  /** A processor call for a unit of `chunk` failed and will be retried (`chunk.attempt` is up to date). */
  readonly retrying: (chunk: JobChunk) => void;
  readonly unitError: (event: UnitErrorEvent) => void;
  /** The job's error once it is aborted. */
  readonly abortError: () => XliffError;
}

export class ProcessorPath {
  /** Whether the processor may be called at once (callDirect): until it returns a promise. */
  private direct = true;
  /** The context of every direct call (the job's signal, attempt 1): one object, frozen since it is shared. */
  private directContext: ProcessContext | undefined;
  private writeOptions: UnitWriteOptions;

  constructor(
    private readonly options: ResolvedProcessOptions,
    private readonly cache: ResultCache<CachedUpdate>,
    private readonly pool: Pool,
    private readonly contexts: ProcessContexts,
    private readonly counters: ProgressCounters,
    private readonly signal: AbortSignal,
    private readonly fileName: string | undefined,
    private readonly hooks: ProcessorPathHooks,
    /** On a worker thread: the results the job's other workers hold. */
    private readonly shared?: SharedResults,
  ) {
    this.writeOptions = { canEncode: undefined, fileName };
  }

  /** Targets are written for this encoding from now on (what it cannot encode becomes character references). */
  useEncoding(canEncode: (codePoint: number) => boolean): void {
    this.writeOptions = { canEncode, fileName: this.fileName };
  }

  /**
   * Whether a unit may be processed as soon as it is read, before its chunk is complete:
   * when the processor answers at once and nothing waits in the pool.
   */
  get answersAtOnce(): boolean {
    return this.direct && this.pool.idle;
  }

  process(entry: ReadUnit, chunk: JobChunk): Outcome | Promise<Outcome> {
    const { unit } = entry;
    const { options } = this;
    if (!options.filter(unit)) {
      this.counters.unitsSkipped++;
      return unchanged(unit, { skipped: true });
    }
    if (!options.process) return unchanged(unit);
    const key = this.keyOf(unit);
    const hashed = hashKey(key);
    // A cache hit needs no promise, no pool slot, no retry machinery.
    const known = this.cache.get(key, hashed);
    if (known) return this.cached(entry, known);
    const owner = this.shared?.claim(hashed);
    if (owner !== undefined) return this.fromOwner(entry, chunk, key, hashed, owner);
    if (this.answersAtOnce) return this.callDirect(entry, chunk, key, hashed);
    return this.callPooled(entry, chunk, key, hashed, undefined);
  }

  /** A unit whose result is known (this cache's, or another worker's: then kept here too, under `key`). */
  private cached(entry: ReadUnit, value: CachedUpdate, key?: string, hashed?: string): Outcome {
    if (key !== undefined) this.cache.set(key, value, hashed);
    this.counters.unitsCached++;
    return this.apply(entry, value.update, 'cache');
  }

  /** A unit whose source another worker claimed: its result, asked of that worker; or, when it no longer holds it, processed here. */
  private async fromOwner(entry: ReadUnit, chunk: JobChunk, key: string, hashed: string, owner: number): Promise<Outcome> {
    const value = await this.shared!.ask(owner, hashed);
    if (value) return this.cached(entry, value, key, hashed);
    this.shared!.takeOver(hashed);
    return this.callPooled(entry, chunk, key, hashed, undefined);
  }

  /** One `processBatch` call for the units that pass the filter and are not in the cache. */
  async processBatch(chunk: JobChunk, entries: readonly ReadUnit[]): Promise<Outcome[]> {
    const { options } = this;
    const results: Array<Outcome | undefined> = [];
    const todo: BatchItem[] = [];
    const asked: Array<BatchItem & { owner: number }> = [];
    entries.forEach((entry, i) => {
      const { unit } = entry;
      if (!options.filter(unit)) {
        this.counters.unitsSkipped++;
        results[i] = unchanged(unit, { skipped: true });
        return;
      }
      const key = this.keyOf(unit);
      const hashed = hashKey(key);
      const cached = this.cache.get(key, hashed);
      const owner = cached ? undefined : this.shared?.claim(hashed);
      if (cached) results[i] = this.cached(entry, cached);
      else if (owner !== undefined) asked.push({ i, unit, key, hashed, owner });
      else todo.push({ i, unit, key, hashed });
    });
    // The batch starts at once (its keys are in flight from here on: another worker asking for one waits for it).
    const batch = this.batchOf(chunk, entries, todo, results);
    if (asked.length > 0) {
      // Sources other workers claimed: their results, or (no longer held there) a batch of their own.
      const answers = await Promise.all(asked.map(({ owner, hashed }) => this.shared!.ask(owner, hashed)));
      const gone: BatchItem[] = [];
      asked.forEach((item, k) => {
        const value = answers[k];
        if (value) results[item.i] = this.cached(entries[item.i]!, value, item.key, item.hashed);
        else {
          this.shared!.takeOver(item.hashed);
          gone.push(item);
        }
      });
      await batch;
      await this.batchOf(chunk, entries, gone, results);
    } else await batch;
    return results as Outcome[];
  }

  /**
   * One `processBatch` call for `todo` (units not in the cache), its outcomes into `results`.
   * Single flight, as for `process`: a key met earlier in this batch, or in flight in another
   * one, waits for that result; the call gets each key once. `cache.run` calls `compute` at
   * once (before its first await), so `leaders` is complete after the loop.
   */
  private async batchOf(chunk: JobChunk, entries: readonly ReadUnit[], todo: readonly BatchItem[], results: Array<Outcome | undefined>): Promise<void> {
    if (todo.length === 0) return;
    const leaders: Unit[] = [];
    let answer!: { resolve: (updates: ReadonlyArray<UnitUpdate | undefined>) => void; reject: (error: unknown) => void };
    const answered = new Promise<ReadonlyArray<UnitUpdate | undefined>>((resolve, reject) => (answer = { resolve, reject }));
    const runs = todo.map(({ unit, key, hashed }) =>
      this.cache.run(
        key,
        () => {
          const k = leaders.push(unit) - 1;
          return answered.then((updates) => ({ update: updates[k] }));
        },
        hashed,
      ),
    );
    if (leaders.length > 0) {
      try {
        answer.resolve(await this.callBatch(chunk, leaders, this.options.processBatch!));
      } catch (error) {
        answer.reject(error);
      }
    }
    const settled = await Promise.allSettled(runs);
    todo.forEach(({ i, unit }, k) => {
      const run = settled[k]!;
      if (run.status === 'rejected') {
        results[i] = this.unitFailed(unit, run.reason);
        return;
      }
      if (run.value.hit) this.counters.unitsCached++;
      results[i] = this.apply(entries[i]!, run.value.value.update, run.value.hit ? 'cache' : 'processor');
    });
  }

  /** A unit's result as an interrupted run recorded it in its journal. */
  replay(entry: ReadUnit, recorded: JournalEntry): Outcome {
    const { unit } = entry;
    if (recorded === 1) {
      this.counters.unitsSkipped++;
      return unchanged(unit, { skipped: true, replayed: true });
    }
    if (recorded !== 0 && 'e' in recorded) {
      const error = this.unitError(unit, `${recorded.e} (from the journal of an earlier run)`);
      this.counters.unitsFailed++;
      this.hooks.unitError({ unit, error });
      return unchanged(unit, { error, replayed: true });
    }
    this.counters.unitsReplayed++;
    if (recorded === 0) return unchanged(unit, { replayed: true });
    const outcome = this.apply(entry, recorded.u, 'journal');
    return { raw: outcome.raw, result: { ...outcome.result, replayed: true } };
  }

  /**
   * Calls the processor at once, with nothing else in flight: a synchronous processor
   * (pseudo-translation, QA checks) then costs no promise, pool slot or retry machinery.
   * What it cannot finish at once goes on in the pool: a throw to be retried, or a
   * promise, which takes the pool's one free slot (and from then on every call goes
   * through the pool: the processor is asynchronous).
   */
  private callDirect(entry: ReadUnit, chunk: JobChunk, key: string, hashed: string): Outcome | Promise<Outcome> {
    const { unit } = entry;
    let update: unknown;
    try {
      update = this.options.process!(unit, (this.directContext ??= Object.freeze(this.contexts.of(this.signal, 1))));
    } catch (error) {
      return this.callPooled(entry, chunk, key, hashed, { error });
    }
    if (isThenable(update)) {
      this.direct = false;
      return this.callPooled(entry, chunk, key, hashed, { running: update as PromiseLike<UnitUpdate | undefined> });
    }
    try {
      this.validate(unit, update);
    } catch (error) {
      return this.unitFailed(unit, error);
    }
    const value = { update: update as UnitUpdate | undefined };
    this.cache.set(key, value, hashed);
    return this.apply(entry, value.update, 'processor');
  }

  /** The processor call through the pool: single flight, concurrency, retries, timeout, rate limit. */
  private async callPooled(entry: ReadUnit, chunk: JobChunk, key: string, hashed: string, first: FirstAttempt | undefined): Promise<Outcome> {
    const { unit } = entry;
    const process = this.options.process!;
    try {
      const { value, hit } = await this.cache.run(
        key,
        () =>
          this.pool.run(async (context) => {
            let update: UnitUpdate | undefined;
            // The first attempt may have been made already, by callDirect.
            if (context.attempt === 1 && first) {
              if ('error' in first) throw first.error;
              update = await first.running;
            } else update = await process(unit, context);
            this.validate(unit, update);
            return { update };
          }, this.onRetry(chunk, unit)),
        hashed,
      );
      if (hit) this.counters.unitsCached++;
      return this.apply(entry, value.update, hit ? 'cache' : 'processor');
    } catch (error) {
      return this.unitFailed(unit, error);
    }
  }

  /** One `processBatch` call through the pool, its answer checked. */
  private callBatch(chunk: JobChunk, units: Unit[], processBatch: BatchProcessor): Promise<ReadonlyArray<UnitUpdate | undefined>> {
    return this.pool.run(async (context) => {
      const answer = await processBatch(units, context);
      if (!Array.isArray(answer) || answer.length !== units.length) {
        throw Object.assign(
          new XliffError('XLIFF_BAD_UPDATE', `processBatch returned ${Array.isArray(answer) ? `${answer.length} updates` : 'no array'} for ${units.length} units`, {
            file: this.fileName,
            unitId: units[0]!.id,
          }),
          { retryable: false },
        );
      }
      units.forEach((unit, k) => this.validate(unit, answer[k]));
      return answer as ReadonlyArray<UnitUpdate | undefined>;
    }, this.onRetry(chunk, units[0]!));
  }

  private onRetry(chunk: JobChunk, unit: Unit) {
    return ({ attempt, error, delayMs }: { attempt: number; error: unknown; delayMs: number }): void => {
      this.counters.retries++;
      chunk.attempt = Math.max(chunk.attempt, attempt + 1);
      this.options.logger?.warn({ unitId: unit.id, attempt, delayMs, err: error }, 'retrying a processor call');
      this.hooks.retrying(chunk);
    };
  }

  /** Writes the update into the unit's XML; a unit the update cannot be written into fails like a processor error. */
  private apply(entry: ReadUnit, update: UnitUpdate | undefined, source: UpdateSource): Outcome {
    const { unit, layout } = entry;
    const cached = source === 'cache';
    if (!update) return unchanged(unit, { cached });
    try {
      const raw = source === 'processor' ? writeUpdate(unit, layout, update, this.writeOptions) : applyUpdate(unit, layout, update, this.writeOptions);
      const changed = raw !== unit.raw;
      if (changed) this.counters.unitsChanged++;
      return { result: { unit, update, changed, cached, skipped: false, replayed: false, error: undefined }, raw };
    } catch (error) {
      return this.unitFailed(unit, error);
    }
  }

  private validate(unit: Unit, update: unknown): void {
    try {
      validateUpdate(unit, update, { fileName: this.fileName });
    } catch (error) {
      // The same processor would most likely return the same shape again.
      throw Object.assign(error as Error, { retryable: false });
    }
  }

  private unitFailed(unit: Unit, error: unknown): Outcome {
    if (this.signal.aborted) throw this.hooks.abortError();
    const failure =
      error instanceof XliffError && error.code === 'XLIFF_BAD_UPDATE'
        ? error
        : this.unitError(unit, `processing unit${unit.id === undefined ? ` #${unit.index}` : ` "${unit.id}"`} failed: ${(error as Error)?.message ?? String(error)}`, error);
    if (this.options.onError === 'abort') throw failure;
    this.counters.unitsFailed++;
    this.hooks.unitError({ unit, error: failure });
    return unchanged(unit, { error: failure });
  }

  private unitError(unit: Unit, reason: string, cause?: unknown): XliffError {
    return errorAtUnit('XLIFF_PROCESS', unit, reason, { file: this.fileName, cause });
  }

  private keyOf(unit: Unit): string {
    if (this.options.cacheKey) return this.options.cacheKey(unit);
    return `${this.options.targetLanguage ?? unit.file.targetLanguage ?? ''}\u0000${unit.source.xml}`;
  }
}

/** A first attempt callDirect made: it threw, or it returned a promise still running. */
type FirstAttempt = { readonly error: unknown } | { readonly running: PromiseLike<UnitUpdate | undefined> };

export function unchanged(unit: Unit, flags: { skipped?: boolean; cached?: boolean; replayed?: boolean; error?: XliffError } = {}): Outcome {
  const result: UnitResult = {
    unit,
    update: undefined,
    changed: false,
    cached: flags.cached ?? false,
    skipped: flags.skipped ?? false,
    replayed: flags.replayed ?? false,
    error: flags.error,
  };
  return { result, raw: unit.raw };
}

/** A unit of a batch not in the cache: its index among the chunk's entries, its key. */
interface BatchItem {
  readonly i: number;
  readonly unit: Unit;
  readonly key: string;
  readonly hashed: string;
}
