/**
 * The processor path of a unit: filter -> cache -> call -> check -> apply. A cache hit, or a
 * processor that answers at once, costs no promise and no pool slot; the rest goes through
 * the pool, with single flight on the cache key (a source is processed once).
 */
import { XliffError, errorAtUnit } from '../errors.js';
import type { JournalEntry } from '../io/journal.js';
import type { Segment, Unit } from '../model.js';
import type { CachedUpdate, ProcessContext, UnitSegment } from '../options.js';
import type { ResolvedProcessOptions } from '../normalize-options.js';
import type { ProcessContexts } from './process-context.js';
import { applyUpdate, writeUpdate, type UnitWriteOptions } from '../write/unit-writer.js';
import { validateSegmentResult, validateUpdate } from '../write/update-check.js';
import type { SegmentResult, SegmentUpdate, UnitUpdate } from '../write/update.js';
import type { SharedResults } from '../threads/shared-results.js';
import { hashKey, type ResultCache } from '../cache/result-cache.js';
import type { UnitErrorEvent, UnitResult } from './events.js';
import type { Answer, Answered, CallBatch, CallOne, Failed, Item } from './answer.js';
import { BatchAnswers, type BatchItem } from './batch-answers.js';
import type { JobChunk, ReadUnit } from './job-chunk.js';
import type { Pool } from './pool.js';
import type { ProgressCounters } from './progress.js';
import { isThenable, type RetryInfo } from './retry.js';

/** A unit's result and the XML written for it. */
export interface Outcome {
  readonly result: UnitResult;
  readonly raw: string;
}

/** Where an update comes from: a processor's answer was checked as it came; the others (segments' results put together among them) are checked when applied. */
type UpdateSource = 'processor' | 'assembled' | 'cache' | 'journal';

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
  /** The processor, its batch form, filter and cache key, over what they are given: units, or (`per: 'segment'`) segments. */
  private readonly call: CallOne | undefined;
  /** With `processBatch`. */
  private readonly batch: BatchAnswers;
  private readonly filter: (item: Item) => boolean;
  private readonly cacheKey: ((item: Item) => string) | undefined;
  private readonly perSegment: boolean;

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
    this.call = options.process as CallOne | undefined;
    this.filter = options.filter as (item: Item) => boolean;
    this.cacheKey = options.cacheKey as ((item: Item) => string) | undefined;
    this.perSegment = options.per === 'segment';
    const { perSegment, keyOf, validate, onRetry } = this;
    const callOnBatch = options.processBatch as CallBatch;
    this.batch = new BatchAnswers(cache, pool, { callOnBatch, perSegment, fileName, keyOf, validate, onRetry }, shared);
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
    if (this.perSegment) return this.processSegments(entry, chunk);
    if (!this.filter(unit)) return this.skipped(unit);
    if (!this.call) return unchanged(unit);
    const answer = this.answer(unit, unit, chunk);
    return isThenable(answer) ? answer.then((a) => this.outcome(entry, a)) : this.outcome(entry, answer);
  }

  /** `per: 'segment'`: each segment that passes the filter answered on its own, the unit written with their results. */
  private processSegments(entry: ReadUnit, chunk: JobChunk): Outcome | Promise<Outcome> {
    const { unit } = entry;
    const indexes: number[] = [];
    const answers: Array<Answer | Promise<Answer>> = [];
    let waiting = false;
    unit.segments.forEach((segment, index) => {
      if (segment.kind !== 'segment') return;
      const item = unitSegment(unit, segment, index);
      if (!this.filter(item)) return;
      indexes.push(index);
      if (!this.call) return;
      const answer = this.answer(item, unit, chunk);
      if (isThenable(answer)) waiting = true;
      answers.push(answer);
    });
    if (indexes.length === 0) return this.skipped(unit);
    if (!this.call) return unchanged(unit);
    if (!waiting) return this.segmentsOutcome(entry, indexes, answers as Answer[]);
    return Promise.all(answers.map((a) => Promise.resolve(a))).then((all) => this.segmentsOutcome(entry, indexes, all));
  }

  /**
   * What the processor answers for `item` (the unit, or one of its segments): from this
   * cache, from another worker's, or from a call. Never throws: a failure is an answer too.
   */
  private answer(item: Item, unit: Unit, chunk: JobChunk): Answer | Promise<Answer> {
    // Without a cache (and so without the shared one), no key is made, hashed (SHA-1) or looked up: the cache ignores both.
    if (!this.cache.enabled) return this.answersAtOnce ? this.callDirect(item, unit, chunk, '', '') : this.callPooled(item, unit, chunk, '', '', undefined);
    const key = this.keyOf(item);
    const hashed = hashKey(key);
    // A cache hit needs no promise, no pool slot, no retry machinery.
    const known = this.cache.get(key, hashed);
    if (known) return { value: known, hit: true };
    const owner = this.shared?.claim(hashed);
    if (owner !== undefined) return this.fromOwner(item, unit, chunk, key, hashed, owner);
    const { levels } = this.cache;
    if (levels) {
      // Levels that answer at once (the disk's memory-mapped file) keep the way without promises open;
      // another (Redis) is asked by the call's run, before it computes.
      if (!levels.sync) return this.callPooled(item, unit, chunk, key, hashed, undefined);
      const stored = this.cache.fromLevelsSync(hashed);
      if (stored) return { value: stored, hit: true };
    }
    if (this.answersAtOnce) return this.callDirect(item, unit, chunk, key, hashed);
    return this.callPooled(item, unit, chunk, key, hashed, undefined, !levels);
  }

  /** An answer whose source another worker claimed: its result, asked of that worker (kept here too); or, when it no longer holds it, processed here. */
  private async fromOwner(item: Item, unit: Unit, chunk: JobChunk, key: string, hashed: string, owner: number): Promise<Answer> {
    const value = await this.shared!.ask(owner, hashed);
    if (value) {
      this.cache.set(key, value, hashed);
      return { value, hit: true };
    }
    this.shared!.takeOver(hashed);
    return this.callPooled(item, unit, chunk, key, hashed, undefined);
  }

  /** The outcome of a unit from its answer. */
  private outcome(entry: ReadUnit, answer: Answer): Outcome {
    if ('error' in answer) return this.unitFailed(entry.unit, answer.error);
    if (answer.hit) this.counters.unitsCached++;
    return this.apply(entry, answer.value.update, answer.hit ? 'cache' : 'processor');
  }

  /** The outcome of a unit from its segments' answers: one failed, it failed; else it is written with their results. */
  private segmentsOutcome(entry: ReadUnit, indexes: readonly number[], answers: readonly Answer[]): Outcome {
    const { unit } = entry;
    const failed = answers.find((a): a is Failed => 'error' in a);
    if (failed) return this.unitFailed(unit, failed.error);
    const segments: SegmentUpdate[] = [];
    let hits = 0;
    answers.forEach((answer, k) => {
      const { value, hit } = answer as Answered;
      if (hit) hits++;
      if (value.update !== undefined) segments.push({ ...(value.update as SegmentResult), index: indexes[k]! });
    });
    const cached = hits === answers.length;
    if (cached) this.counters.unitsCached++;
    // Each result was checked on its own (or comes from a cache): the unit's update is checked whole as it is written.
    return this.apply(entry, segments.length === 0 ? undefined : { segments }, cached ? 'cache' : 'assembled');
  }

  /** One `processBatch` call for the units (or segments) that pass the filter and are not in the cache. */
  async processBatch(chunk: JobChunk, entries: readonly ReadUnit[]): Promise<Outcome[]> {
    const items: BatchItem[] = [];
    /** Per entry: the indexes of its items' answers (`per: 'segment'`: of its segments, with their indexes in the unit), or none when skipped. */
    const spans: Array<{ from: number; to: number; indexes: number[] } | undefined> = [];
    entries.forEach((entry, i) => {
      const { unit } = entry;
      const from = items.length;
      const indexes: number[] = [];
      if (this.perSegment) {
        unit.segments.forEach((segment, index) => {
          if (segment.kind !== 'segment') return;
          const item = unitSegment(unit, segment, index);
          if (!this.filter(item)) return;
          indexes.push(index);
          items.push(this.batch.item(i, item, unit));
        });
      } else if (this.filter(unit)) items.push(this.batch.item(i, unit, unit));
      spans.push(items.length === from ? undefined : { from, to: items.length, indexes });
    });
    const answers = await this.batch.answer(chunk, items);
    return entries.map((entry, i) => {
      const span = spans[i];
      if (!span) return this.skipped(entry.unit);
      const own = answers.slice(span.from, span.to);
      return this.perSegment ? this.segmentsOutcome(entry, span.indexes, own) : this.outcome(entry, own[0]!);
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
  private callDirect(item: Item, unit: Unit, chunk: JobChunk, key: string, hashed: string): Answer | Promise<Answer> {
    let update: unknown;
    try {
      update = this.call!(item, (this.directContext ??= Object.freeze(this.contexts.of(this.signal, 1))));
    } catch (error) {
      return this.callPooled(item, unit, chunk, key, hashed, { error });
    }
    if (isThenable(update)) {
      this.direct = false;
      return this.callPooled(item, unit, chunk, key, hashed, { running: update });
    }
    try {
      this.validate(item, unit, update);
    } catch (error) {
      return { error };
    }
    const value = { update: update as UnitUpdate | undefined };
    this.cache.set(key, value, hashed);
    return { value, hit: false };
  }

  /** The processor call through the pool: single flight, concurrency, retries, timeout, rate limit. */
  /** `useLevels`: `false` when the levels behind memory were asked already. */
  private async callPooled(item: Item, unit: Unit, chunk: JobChunk, key: string, hashed: string, first: FirstAttempt | undefined, useLevels = true): Promise<Answer> {
    const call = this.call!;
    try {
      const { value, hit } = await this.cache.run(
        key,
        () =>
          this.pool.run(async (context) => {
            let update: unknown;
            // The first attempt may have been made already, by callDirect.
            if (context.attempt === 1 && first) {
              if ('error' in first) throw first.error;
              update = await first.running;
            } else update = await call(item, context);
            this.validate(item, unit, update);
            return { update: update as UnitUpdate | undefined };
          }, this.onRetry(chunk, unit)),
        hashed,
        useLevels,
      );
      return { value, hit };
    } catch (error) {
      return { error };
    }
  }

  private readonly onRetry = (chunk: JobChunk, unit: Unit) => {
    return ({ attempt, error, errorClass, delayMs }: RetryInfo): void => {
      this.counters.retries++;
      this.counters.retriesByClass[errorClass]++;
      chunk.attempt = Math.max(chunk.attempt, attempt + 1);
      this.options.logger?.warn({ unitId: unit.id, attempt, errorClass, delayMs, err: error }, 'retrying a processor call');
      this.hooks.retrying(chunk);
    };
  };

  /**
   * Writes the update into the unit's XML; a unit the update cannot be written into fails like a processor error.
   * A processor's update was checked as it came and is written as it is; the others are checked first.
   */
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

  /** Checks a processor's answer for `item`: a unit's update, or a segment's result. */
  private readonly validate = (item: Item, unit: Unit, update: unknown): void => {
    try {
      if (item === unit) validateUpdate(unit, update, { fileName: this.fileName });
      else validateSegmentResult(unit, (item as UnitSegment).index, update, { fileName: this.fileName });
    } catch (error) {
      // The same processor would most likely return the same shape again.
      throw Object.assign(error as Error, { retryable: false });
    }
  };

  private skipped(unit: Unit): Outcome {
    this.counters.unitsSkipped++;
    return unchanged(unit, { skipped: true });
  }

  private unitFailed(unit: Unit, error: unknown): Outcome {
    if (this.signal.aborted) throw this.hooks.abortError();
    const failure = this.failureOf(unit, error);
    if (this.options.onError === 'abort') throw failure;
    this.counters.unitsFailed++;
    this.hooks.unitError({ unit, error: failure });
    return unchanged(unit, { error: failure });
  }

  /** A unit's failure as the job reports it: a bad update as it is, every endpoint down at the unit, else `XLIFF_PROCESS` with the error as its cause. */
  private failureOf(unit: Unit, error: unknown): XliffError {
    if (error instanceof XliffError && error.code === 'XLIFF_BAD_UPDATE') return error;
    if (error instanceof XliffError && error.code === 'XLIFF_ENDPOINTS_DOWN') return errorAtUnit(error.code, unit, error.reason, { file: this.fileName });
    return this.unitError(unit, `processing unit${unit.id === undefined ? ` #${unit.index}` : ` "${unit.id}"`} failed: ${(error as Error)?.message ?? String(error)}`, error);
  }

  private unitError(unit: Unit, reason: string, cause?: unknown): XliffError {
    return errorAtUnit('XLIFF_PROCESS', unit, reason, { file: this.fileName, cause });
  }

  /** The cache key: the caller's, or the source's XML and the target language (a segment's marked apart from a unit's). */
  private readonly keyOf = (item: Item): string => {
    const namespace = this.options.cacheNamespace;
    const key = this.ownKey(item);
    return namespace === '' ? key : `${namespace}\u0000${key}`;
  };

  private ownKey(item: Item): string {
    if (this.cacheKey) return this.cacheKey(item);
    const unit = this.perSegment ? (item as UnitSegment).unit : (item as Unit);
    const language = this.options.targetLanguage ?? unit.file.targetLanguage ?? '';
    return this.perSegment ? `segment\u0000${language}\u0000${item.source.xml}` : `${language}\u0000${item.source.xml}`;
  }
}

/** A segment as the processor gets it: one object of its own, its fields and its place. */
function unitSegment(unit: Unit, segment: Segment, index: number): UnitSegment {
  return { kind: segment.kind, id: segment.id, state: segment.state, subState: segment.subState, attributes: segment.attributes, source: segment.source, target: segment.target, index, unit };
}

/** A first attempt callDirect made: it threw, or it returned a promise still running. */
type FirstAttempt = { readonly error: unknown } | { readonly running: PromiseLike<unknown> };

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
