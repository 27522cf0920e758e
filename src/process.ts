/**
 * `processXliff`: reads units in chunks, runs the user's processor over them with
 * bounded concurrency (retries, timeouts, rate limit, cache), and writes the document
 * back in order: skeleton and untouched units verbatim, changed units with only their
 * target and state edited.
 */
import { EventEmitter, setMaxListeners } from 'node:events';
import { stat } from 'node:fs/promises';
import { resolve as resolvePath } from 'node:path';
import { fileURLToPath } from 'node:url';
import pLimit, { type LimitFunction } from 'p-limit';
import { createResultCache, hashKey, type ResultCache } from './job/cache.js';
import { DuplicateIds } from './job/duplicate-ids.js';
import { createEncoder, type Encoder } from './write/encoder.js';
import { OutputAssembler } from './write/output-assembler.js';
import { XliffError } from './errors.js';
import type { XliffInput } from './io/input.js';
import { fingerprint, identifyInput, Journal, type JournalEntry, type JournalRecord } from './io/journal.js';
import type { Unit } from './model.js';
import { checkOutputPath, openOutput, removeStaleTemporaries, type OutputSink } from './io/output.js';
import { callContext, normalizeProcessOptions, type BatchProcessor, type CachedUpdate, type ProcessContext, type ProcessOptions, type ResolvedProcessOptions } from './process-options.js';
import { ProgressCounters, type Progress } from './job/progress.js';
import { RateLimiter } from './job/rate-limit.js';
import { readEventBatches, type ReaderEvent } from './read.js';
import { ChunkRule } from './read/chunk-rule.js';
import { callWithRetry, isThenable } from './job/retry.js';
import { setTargetLanguage } from './write/target-language.js';
import { applyUpdate, writeUpdate } from './write/unit-writer.js';
import { validateUpdate } from './write/update-check.js';
import { detachedUpdate, type UnitUpdate } from './write/update.js';

/** What became of one unit. */
export interface UnitResult {
  readonly unit: Unit;
  /** The update applied, or `undefined` when the unit was left as it was. */
  readonly update: UnitUpdate | undefined;
  /** Whether the unit's XML changed. */
  readonly changed: boolean;
  /** Whether the update came from the cache. */
  readonly cached: boolean;
  /** Whether the filter left the unit out. */
  readonly skipped: boolean;
  /** Whether the result came from the checkpoint journal of an earlier run (the processor was not called). */
  readonly replayed: boolean;
  /** The failure, with `onError: 'skip'`. */
  readonly error: XliffError | undefined;
}

export interface ChunkResult {
  readonly index: number;
  readonly results: readonly UnitResult[];
}

export type ChunkState = 'pending' | 'processing' | 'retrying' | 'done' | 'failed';

export interface ChunkEvent {
  readonly index: number;
  readonly state: ChunkState;
  readonly units: number;
  /** The highest attempt of a unit of the chunk so far. */
  readonly attempt: number;
}

export interface UnitErrorEvent {
  readonly unit: Unit;
  readonly error: XliffError;
}

export interface Summary {
  readonly units: number;
  /** Units whose update came from the processor (not from the cache). */
  readonly unitsProcessed: number;
  readonly unitsCached: number;
  /** Units whose result came from the checkpoint journal of an interrupted run. */
  readonly unitsReplayed: number;
  readonly unitsChanged: number;
  readonly unitsSkipped: number;
  readonly unitsFailed: number;
  readonly chunks: number;
  readonly cacheHits: number;
  readonly cacheMisses: number;
  readonly retries: number;
  readonly bytesRead: number;
  readonly bytesWritten: number;
  readonly elapsedMs: number;
  /** The output path, when the output is a file. */
  readonly output: string | undefined;
  /** Duplicate unit ids and other `warning`s. */
  readonly warnings: number;
}

/** Something odd in the input that does not stop the job. */
export interface WarningEvent {
  readonly code: 'XLIFF_DUPLICATE_ID';
  /** `file:line:column: what`. */
  readonly message: string;
  readonly unit: Unit;
}

export interface JobEvents {
  progress: [Progress];
  chunk: [ChunkEvent];
  unitError: [UnitErrorEvent];
  warning: [WarningEvent];
  done: [Summary];
}

/** A unit as read: with its layout, and its input bytes (written as they are when it is left unchanged). */
type Entry = Extract<ReaderEvent, { kind: 'unit' }>;

/** Skeleton text, and its input bytes when it is written as it was read. */
interface Skeleton {
  readonly text: string;
  readonly bytes: Uint8Array | undefined;
}

/**
 * A unit once processed: what the writer, the iterator and the journal need of it, and
 * not the unit itself (let go at once, it dies young: bench/process, peak RSS).
 */
interface Done {
  /** The XML written for it, and its input bytes when that is the unit as read. */
  readonly raw: string;
  readonly bytes: Uint8Array | undefined;
  /** Kept for the iterator only. */
  readonly result: UnitResult | undefined;
  /** Kept for the journal only. */
  readonly journal: JournalEntry | undefined;
}

/** A unit of a chunk: read, processed, or being processed. */
type UnitItem = Entry | Done | Promise<Done>;

interface PendingChunk {
  readonly index: number;
  /**
   * Skeleton and units, in document order, from the first unit not processed yet on:
   * what comes before it is in `output`, `results` and `journal` already.
   */
  items: Array<Skeleton | UnitItem>;
  /** Its output so far (with an output to write). */
  output: OutputAssembler | undefined;
  results: Array<UnitResult | undefined>;
  journal: Array<JournalEntry | undefined>;
  /** Unit count. */
  units: number;
  /** Input offset where its last unit ends. */
  end: number;
  attempt: number;
  /** Set when the chunk is processed: its output (encoded), and what the iterator and the journal need. */
  finished: { readonly bytes: Uint8Array | undefined; readonly end: number; readonly results: UnitResult[]; readonly journal: JournalEntry[] | undefined } | undefined;
  /** Replayed from the journal: not appended to it again. */
  replayed: boolean;
}

type QueueItem = Skeleton | { readonly chunk: PendingChunk };

/** Text waiting behind a chunk in flight, at most, before reading waits (characters). */
const MAX_QUEUED_TEXT = 8 * 1024 * 1024;

export class XliffJob extends EventEmitter<JobEvents> implements AsyncIterable<ChunkResult> {
  /** The summary when the job succeeds; rejects with an `XliffError` when it fails. */
  readonly done: Promise<Summary>;
  private readonly options: ResolvedProcessOptions;
  private readonly controller = new AbortController();
  private readonly signal: AbortSignal;
  private readonly limit: LimitFunction;
  private readonly cache: ResultCache<CachedUpdate>;
  private readonly rateLimiter: RateLimiter | undefined;
  private counters = new ProgressCounters(undefined);
  private failure: unknown;
  private readonly queue: QueueItem[] = [];
  private queuedChars = 0;
  private inFlight = 0;
  private encoder: Encoder | undefined;
  private sink: OutputSink | undefined;
  private writing: Promise<void> | undefined;
  private roomWaiters: Array<() => void> = [];
  private iterating: ChunkResult[] | undefined;
  private iteratorWake: (() => void) | undefined;
  private onDrained: (() => void) | undefined;
  private finished = false;
  private chunkCount = 0;
  private journal: Journal | undefined;
  /** Whether the processor may be called at once (callDirect): until it returns a promise. */
  private direct = true;
  /** The context of every direct call (the job's signal, attempt 1): one object, frozen since it is shared. */
  private directContext: ProcessContext | undefined;
  /** The journal's records still to replay. */
  private replay: AsyncIterator<JournalRecord> | undefined;
  private readonly duplicateIds = new DuplicateIds();
  private warnings = 0;

  constructor(
    private readonly input: XliffInput,
    options: ProcessOptions,
  ) {
    super();
    this.options = normalizeProcessOptions(options);
    checkpointInput(input, this.options);
    const { signal } = this.options;
    this.signal = signal ? AbortSignal.any([signal, this.controller.signal]) : this.controller.signal;
    // Every call in flight (and every wait for the rate limit) listens to it.
    setMaxListeners(0, this.signal);
    this.limit = pLimit(this.options.concurrency);
    // The cache keeps its updates for long: none may keep a piece of the input alive.
    this.cache = createResultCache<CachedUpdate>(this.options.cache, (value) => (value.update ? { update: detachedUpdate(value.update) } : NO_UPDATE));
    this.rateLimiter = this.options.rateLimit && new RateLimiter(this.options.rateLimit);
    // Start on the next tick, once the caller has attached listeners.
    this.done = new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.run());
    // `done` rejects with the failure; a caller that only iterates must not get an unhandled rejection.
    this.done.catch(() => undefined);
  }

  /**
   * The processed chunks, in document order. Start iterating before awaiting anything
   * else. Breaking out stops the iteration, not the job: abort it with `signal`.
   */
  async *[Symbol.asyncIterator](): AsyncGenerator<ChunkResult, void, undefined> {
    const results = (this.iterating ??= []);
    try {
      for (;;) {
        while (results.length > 0) {
          yield results.shift()!;
          this.wakeWriter();
        }
        if (this.finished) break;
        await new Promise<void>((resolve) => (this.iteratorWake = resolve));
      }
      await this.done;
    } finally {
      if (!this.finished) {
        this.iterating = undefined;
        this.wakeWriter();
      }
    }
  }

  private async run(): Promise<Summary> {
    const { options } = this;
    const log = options.logger;
    try {
      if (typeof options.output === 'string') await checkOutputPath(options.output, this.input);
      const inputPath = filePathOf(this.input);
      const totalBytes = inputPath === undefined ? undefined : await stat(inputPath).then((s) => s.size, () => undefined);
      if (options.checkpoint) await this.openJournal(inputPath!);
      this.counters = new ProgressCounters(totalBytes);
      const ticker = setInterval(() => this.emit('progress', this.counters.snapshot()), options.progressIntervalMs);
      ticker.unref();
      try {
        await this.readAndDispatch();
        await this.flushWriter();
        if (this.failure) throw this.failure;
        this.counters.bytesDone = this.counters.bytesRead;
        this.counters.complete();
        await this.sink?.commit();
        await this.journal?.remove();
      } finally {
        clearInterval(ticker);
      }
    } catch (error) {
      const failure = this.toFailure(error);
      this.failure ??= failure;
      this.controller.abort(failure);
      await this.sink?.abort().catch(() => undefined);
      // Kept: a rerun resumes from it.
      await this.journal?.close().catch(() => undefined);
      this.finish();
      log?.error({ err: failure }, 'xliff-stream job failed');
      throw failure;
    }
    const c = this.counters;
    const processed = c.unitsDone - c.unitsCached - c.unitsSkipped - c.unitsFailed - c.unitsReplayed;
    this.emit('progress', c.snapshot());
    const summary: Summary = {
      units: c.unitsRead,
      unitsProcessed: processed,
      unitsCached: c.unitsCached,
      unitsReplayed: c.unitsReplayed,
      unitsChanged: c.unitsChanged,
      unitsSkipped: c.unitsSkipped,
      unitsFailed: c.unitsFailed,
      chunks: this.chunkCount,
      cacheHits: c.unitsCached,
      cacheMisses: processed,
      retries: c.retries,
      bytesRead: c.bytesRead,
      bytesWritten: this.sink?.bytesWritten ?? 0,
      elapsedMs: c.elapsedMs(),
      output: typeof options.output === 'string' ? options.output : undefined,
      warnings: this.warnings,
    };
    this.finish();
    log?.info({ summary }, 'xliff-stream job done');
    this.emit('done', summary);
    return summary;
  }

  /** Reads the input, groups units into chunks, starts their processing, queues everything for the writer. */
  private async readAndDispatch(): Promise<void> {
    const { options } = this;
    let chunk: PendingChunk | undefined;
    let fileIndex = -1;
    const rule = new ChunkRule(options.chunkUnits, options.chunkBytes);
    const dispatch = async (): Promise<void> => {
      if (!chunk) return;
      const pending = chunk;
      chunk = undefined;
      rule.cut();
      this.inFlight++;
      this.counters.chunksInFlight = this.inFlight;
      this.emitChunk(pending, 'pending');
      const record = this.replay && (await this.nextRecord());
      if (record) this.replayChunk(pending, record);
      else void this.processChunk(pending);
    };
    const batches = readEventBatches(this.input, {
      signal: this.signal,
      fileName: options.fileName,
      maxUnitBytes: options.maxUnitBytes,
      skeleton: true,
      bytes: options.output !== undefined,
      onInput: (counts) => (this.counters.input = counts),
    });
    for await (const batch of batches) {
      for (const event of batch) {
        if (this.failure) throw this.failure;
        if (this.signal.aborted) throw this.abortError();
        if (event.kind === 'encoding') {
          this.encoder = createEncoder(event.encoding);
          if (options.output !== undefined) this.sink = openOutput(options.output);
        } else if (event.kind === 'skeleton') {
          const text = options.targetLanguage ? setTargetLanguage(event.text, options.targetLanguage) : event.text;
          const skeleton = { text, bytes: text === event.text ? event.bytes : undefined };
          if (chunk) this.append(chunk, skeleton);
          else this.enqueue(skeleton, text.length);
        } else {
          const { unit } = event;
          const end = unit.location.offset + unit.location.length;
          this.counters.unitsRead++;
          this.counters.bytesRead = end;
          if (unit.file.index !== fileIndex) {
            fileIndex = unit.file.index;
            this.duplicateIds.reset();
          }
          if (unit.id !== undefined && this.duplicateIds.add(unit.id)) this.warnDuplicate(unit);
          const size = unit.location.length;
          if (chunk && rule.startsNewChunk(size)) await dispatch();
          if (!chunk) {
            const output = this.sink && this.encoder ? new OutputAssembler(this.encoder.encode) : undefined;
            chunk = { index: this.chunkCount++, items: [], output, results: [], journal: [], units: 0, end: 0, attempt: 0, finished: undefined, replayed: false };
            this.enqueue({ chunk }, 0);
          }
          this.append(chunk, this.processesOnArrival() ? this.processOnArrival(event, chunk) : event);
          chunk.end = end;
          chunk.units++;
          if (rule.add(size)) await dispatch();
        }
        const room = this.room();
        if (room) await room;
      }
    }
    await dispatch();
    // All of it: the file's size, or what gzip gave.
    const read = this.counters.input;
    if (read?.gzipped) this.counters.bytesRead = read.bytes;
    else if (this.counters.totalBytes !== undefined) this.counters.bytesRead = this.counters.totalBytes;
  }

  /** Opens (or resumes) the journal; removes temporary outputs that killed runs left behind. */
  private async openJournal(inputPath: string): Promise<void> {
    const { options } = this;
    const checkpoint = options.checkpoint || {};
    const path = checkpoint.path ?? `${options.output as string}.journal`;
    const identity = {
      input: await identifyInput(inputPath),
      options: fingerprint({
        chunkUnits: options.chunkUnits,
        chunkBytes: options.chunkBytes,
        // A filter of the user's changes which units are processed: its source stands for it.
        filter: options.filterGiven ? String(options.filter) : 'translatable',
        targetLanguage: options.targetLanguage ?? null,
        batch: Boolean(options.processBatch),
        key: checkpoint.key ?? null,
      }),
    };
    if (typeof options.output === 'string') await removeStaleTemporaries(options.output);
    this.journal = await Journal.open(resolvePath(path), inputPath, identity, { restart: checkpoint.restart ?? false, syncIntervalMs: checkpoint.syncIntervalMs });
    this.replay = this.journal.replay;
    options.logger?.info({ journal: this.journal.path, resuming: Boolean(this.replay) }, 'xliff-stream checkpoint journal opened');
  }

  /** The journal's next record, or `undefined` once it has none left (then chunks are processed). */
  private async nextRecord(): Promise<JournalRecord | undefined> {
    const next = await this.replay!.next();
    if (next.done) this.replay = undefined;
    return next.done ? undefined : next.value;
  }

  /** Writes a chunk as the interrupted run did, from its journal record, without calling the processor. */
  private replayChunk(chunk: PendingChunk, record: JournalRecord): void {
    if (record.c !== chunk.index || record.n !== chunk.units || record.u?.length !== record.n) {
      throw new XliffError('XLIFF_CHECKPOINT_MISMATCH', `the journal's chunk ${record.c} (${record.n} units) does not match chunk ${chunk.index} (${chunk.units} units) of the input`, {
        file: this.journal?.path,
      });
    }
    chunk.replayed = true;
    // Replay never waits: every unit is settled at once.
    void this.settleUnits(chunk, (entry, i) => this.replayUnit(entry, record.u[i]!));
    this.finishChunk(chunk);
    this.emitChunk(chunk, 'done');
    this.wakeWriter();
  }

  private replayUnit(entry: Entry, recorded: JournalEntry): Outcome {
    const { unit } = entry;
    if (recorded === 1) {
      this.counters.unitsSkipped++;
      return unchanged(unit, { skipped: true, replayed: true });
    }
    if (recorded !== 0 && 'e' in recorded) {
      const error = this.unitError(unit, `${recorded.e} (from the journal of an earlier run)`);
      this.counters.unitsFailed++;
      this.emit('unitError', { unit, error });
      return unchanged(unit, { error, replayed: true });
    }
    this.counters.unitsReplayed++;
    if (recorded === 0) return unchanged(unit, { replayed: true });
    const outcome = this.apply(entry, recorded.u, false);
    return { raw: outcome.raw, result: { ...outcome.result, replayed: true } };
  }

  private warnDuplicate(unit: Unit): void {
    this.warnings++;
    const { line, column } = unit.location;
    const message = `${this.fileName ?? '<input>'}:${line}:${column}: unit id "${unit.id}" is used twice in file #${unit.file.index + 1}${unit.file.original ? ` (${unit.file.original})` : ''}`;
    this.options.logger?.warn({ unitId: unit.id, line, column }, message);
    this.emit('warning', { code: 'XLIFF_DUPLICATE_ID', message, unit });
  }

  /**
   * Keeps what the writer, the iterator and the journal need of a processed chunk: its
   * output, encoded (off the V8 heap), and lets its units go. Units held until the writer
   * gets to them survive young-generation GCs and cost a copy each time (bench/process).
   */
  private finishChunk(chunk: PendingChunk): void {
    // Every unit is processed now.
    for (const item of chunk.items as Array<Skeleton | Done>) this.take(chunk, item);
    const { results, journal } = chunk;
    chunk.finished = {
      bytes: chunk.output?.finish(),
      end: chunk.end,
      // The iterator gets the results (all of them, or none: it started late); without one they went at once.
      results: this.iterating && !results.includes(undefined) ? (results as UnitResult[]) : [],
      journal: this.journal && !chunk.replayed ? (journal as JournalEntry[]) : undefined,
    };
    chunk.items = [];
    chunk.output = undefined;
    chunk.results = [];
    chunk.journal = [];
    this.counters.unitsDone += chunk.units;
  }

  /**
   * Adds what was read to the chunk. While every unit before it is processed, skeleton and
   * a unit processed on arrival go straight into the output, results and journal (the
   * unit is let go at once, the output encoded as the chunk grows); after a unit still to
   * process, they wait in `items` for it. So `items` is empty or starts with such a unit.
   */
  private append(chunk: PendingChunk, item: Skeleton | UnitItem): void {
    if (chunk.items.length === 0 && !('unit' in item) && !isThenable(item)) this.take(chunk, item);
    else chunk.items.push(item);
  }

  private take(chunk: PendingChunk, item: Skeleton | Done): void {
    if ('raw' in item) {
      chunk.output?.add(item.raw, item.bytes);
      chunk.results.push(item.result);
      chunk.journal.push(item.journal);
    } else chunk.output?.add(item.text, item.bytes);
  }

  /** What the writer, the iterator and the journal keep of a processed unit. */
  private settle(entry: Entry, { raw, result }: Outcome): Done {
    return {
      raw,
      bytes: raw === entry.unit.raw ? entry.bytes : undefined,
      result: this.iterating ? result : undefined,
      journal: this.journal ? journalEntry(result) : undefined,
    };
  }

  /**
   * Settles the units of the chunk not processed yet with `compute` (given each one's
   * index among them) and waits for those under way. Returns `undefined` when nothing
   * had to be waited for.
   */
  private settleUnits(chunk: PendingChunk, compute: (entry: Entry, i: number) => Outcome | Promise<Outcome>): Promise<unknown> | undefined {
    const items = chunk.items;
    const waits: Array<Promise<void>> = [];
    let i = 0;
    for (let k = 0; k < items.length; k++) {
      const item = items[k]!;
      if ('unit' in item) {
        const outcome = compute(item, i++);
        if (isThenable(outcome)) waits.push(outcome.then((o) => void (items[k] = this.settle(item, o))));
        else items[k] = this.settle(item, outcome);
      } else if (isThenable(item)) waits.push(item.then((done) => void (items[k] = done)));
    }
    return waits.length > 0 ? Promise.all(waits) : undefined;
  }

  /**
   * Whether a unit is processed as soon as it is read, before its chunk is complete: when
   * the processor answers at once (callDirect) and its chunk needs no batch or journal
   * record, so that the unit can be let go young.
   */
  private processesOnArrival(): boolean {
    return this.direct && !this.options.processBatch && !this.replay && !this.rateLimiter && this.limit.activeCount === 0 && this.limit.pendingCount === 0;
  }

  private processOnArrival(entry: Entry, chunk: PendingChunk): Done | Promise<Done> {
    let outcome: Outcome | Promise<Outcome>;
    try {
      outcome = this.processUnit(entry, chunk);
    } catch (error) {
      this.fail(error);
      // Processed on arrival, the chunk was not dispatched yet: its events start here.
      this.emitChunk(chunk, 'pending');
      this.emitChunk(chunk, 'processing');
      this.emitChunk(chunk, 'failed');
      throw this.failure;
    }
    if (!isThenable(outcome)) return this.settle(entry, outcome);
    const done = outcome.then((o) => this.settle(entry, o));
    // Awaited by processChunk; a failure before then is not unhandled.
    done.catch(() => undefined);
    return done;
  }

  private async processChunk(chunk: PendingChunk): Promise<void> {
    try {
      this.emitChunk(chunk, 'processing');
      if (this.options.processBatch) {
        const outcomes = await this.processBatch(chunk, chunk.items.filter((item): item is Entry => 'unit' in item));
        await this.settleUnits(chunk, (_entry, i) => outcomes[i]!);
      } else {
        // A chunk answered at once (cache hits, a synchronous processor) waits for nothing.
        const waiting = this.settleUnits(chunk, (entry) => this.processUnit(entry, chunk));
        if (waiting) await waiting;
      }
      this.finishChunk(chunk);
      this.emitChunk(chunk, 'done');
    } catch (error) {
      this.fail(error);
      this.emitChunk(chunk, 'failed');
    } finally {
      this.wakeWriter();
    }
  }

  private processUnit(entry: Entry, chunk: PendingChunk): Outcome | Promise<Outcome> {
    const { unit } = entry;
    const { options } = this;
    if (!options.filter(unit)) {
      this.counters.unitsSkipped++;
      return unchanged(unit, { skipped: true });
    }
    const process = options.process;
    if (!process) return unchanged(unit);
    const key = this.keyOf(unit);
    const hashed = hashKey(key);
    // A cache hit needs no promise, no pool slot, no retry machinery.
    const known = this.cache.get(key, hashed);
    if (known) {
      this.counters.unitsCached++;
      return this.apply(entry, known.update, true);
    }
    if (this.direct && !this.rateLimiter && this.limit.activeCount === 0 && this.limit.pendingCount === 0) return this.callDirect(entry, chunk, key, hashed);
    return this.callPooled(entry, chunk, key, hashed, undefined);
  }

  /**
   * Calls the processor at once, with nothing else in flight: a synchronous processor
   * (pseudo-translation, QA checks) then costs no promise, pool slot or retry machinery.
   * What it cannot finish at once goes on in the pool: a throw to be retried, or a
   * promise, which takes the pool's one free slot (and from then on every call goes
   * through the pool: the processor is asynchronous).
   */
  private callDirect(entry: Entry, chunk: PendingChunk, key: string, hashed: string): Outcome | Promise<Outcome> {
    const { unit } = entry;
    let update: unknown;
    try {
      update = this.options.process!(unit, (this.directContext ??= Object.freeze(callContext(this.signal, 1, this.options.logger))));
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
    return this.apply(entry, value.update, false, true);
  }

  /** The processor call through the pool: single flight, concurrency, retries, timeout, rate limit. */
  private async callPooled(entry: Entry, chunk: PendingChunk, key: string, hashed: string, first: FirstAttempt | undefined): Promise<Outcome> {
    const { unit } = entry;
    const process = this.options.process!;
    try {
      const { value, hit } = await this.cache.run(
        key,
        () =>
          this.limit(() =>
            this.call(chunk, unit, async (context) => {
              let update: UnitUpdate | undefined;
              // The first attempt may have been made already, by callDirect.
              if (context.attempt === 1 && first) {
                if ('error' in first) throw first.error;
                update = await first.running;
              } else update = await process(unit, context);
              this.validate(unit, update);
              return { update };
            }),
          ),
        hashed,
      );
      if (hit) this.counters.unitsCached++;
      return this.apply(entry, value.update, hit, !hit);
    } catch (error) {
      return this.unitFailed(unit, error);
    }
  }

  /**
   * Writes the update into the unit's XML; a unit the update cannot be written into fails
   * like a processor error. `checked`: the processor's answer was just validated (else it
   * comes from the cache or the journal, and is checked here).
   */
  private apply(entry: Entry, update: UnitUpdate | undefined, cached: boolean, checked = false): Outcome {
    const { unit, layout } = entry;
    if (!update) return unchanged(unit, { cached });
    try {
      const options = { canEncode: this.encoder?.canEncode, fileName: this.fileName };
      const raw = checked ? writeUpdate(unit, layout, update, options) : applyUpdate(unit, layout, update, options);
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

  /** One batch call for the chunk's units that pass the filter and are not in the cache. */
  private async processBatch(chunk: PendingChunk, entries: Entry[]): Promise<Outcome[]> {
    const { options } = this;
    const processBatch = options.processBatch!;
    const results: Array<Outcome | undefined> = [];
    const todo: Array<{ i: number; unit: Unit; key: string; hashed: string }> = [];
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
      if (cached) {
        this.counters.unitsCached++;
        results[i] = this.apply(entry, cached.update, true);
      } else todo.push({ i, unit, key, hashed });
    });
    if (todo.length > 0) {
      // Single flight, as for `process`: a key met earlier in this batch, or in flight in
      // another one, waits for that result; the call gets each key once. `cache.run` calls
      // `compute` at once (before its first await), so `leaders` is complete after the loop.
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
          answer.resolve(await this.limit(() => this.callBatch(chunk, leaders, processBatch)));
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
        results[i] = this.apply(entries[i]!, run.value.value.update, run.value.hit, !run.value.hit);
      });
    }
    return results as Outcome[];
  }

  /** One `processBatch` call (with retries, timeout, rate limit), its answer checked. */
  private callBatch(chunk: PendingChunk, units: Unit[], processBatch: BatchProcessor): Promise<ReadonlyArray<UnitUpdate | undefined>> {
    return this.call(chunk, units[0]!, async (context) => {
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
    });
  }

  /** A processor call with retries, timeout and rate limit. */
  private call<T>(chunk: PendingChunk, unit: Unit, fn: (context: ProcessContext) => Promise<T>): Promise<T> {
    const { options } = this;
    const logger = options.logger;
    return callWithRetry(({ signal, attempt }) => fn(callContext(signal, attempt, logger)), {
      retry: options.retry,
      timeoutMs: options.timeoutMs,
      signal: this.signal,
      rateLimiter: this.rateLimiter,
      onRetry: ({ attempt, error, delayMs }) => {
        this.counters.retries++;
        chunk.attempt = Math.max(chunk.attempt, attempt + 1);
        logger?.warn({ unitId: unit.id, attempt, delayMs, err: error }, 'retrying a processor call');
        this.emitChunk(chunk, 'retrying');
      },
    });
  }

  private unitFailed(unit: Unit, error: unknown): Outcome {
    if (this.signal.aborted) throw this.abortError();
    const failure =
      error instanceof XliffError && error.code === 'XLIFF_BAD_UPDATE'
        ? error
        : this.unitError(unit, `processing unit${unit.id === undefined ? ` #${unit.index}` : ` "${unit.id}"`} failed: ${(error as Error)?.message ?? String(error)}`, error);
    if (this.options.onError === 'abort') throw failure;
    this.counters.unitsFailed++;
    this.emit('unitError', { unit, error: failure });
    return unchanged(unit, { error: failure });
  }

  private unitError(unit: Unit, reason: string, cause?: unknown): XliffError {
    const { line, column, offset } = unit.location;
    return new XliffError('XLIFF_PROCESS', reason, { file: this.fileName, line, column, offset, unitId: unit.id, cause });
  }

  /** The input's name in messages. */
  private get fileName(): string | undefined {
    return this.options.fileName ?? (typeof this.input === 'string' ? this.input : undefined);
  }

  private keyOf(unit: Unit): string {
    if (this.options.cacheKey) return this.options.cacheKey(unit);
    return `${this.options.targetLanguage ?? unit.file.targetLanguage ?? ''}\u0000${unit.source.xml}`;
  }

  private enqueue(item: QueueItem, chars: number): void {
    this.queue.push(item);
    this.queuedChars += chars;
    this.wakeWriter();
  }

  /** Waits while too many chunks are in flight or too much text waits behind them. */
  private room(): Promise<void> | undefined {
    if (this.hasRoom()) return undefined;
    return new Promise((resolve) => this.roomWaiters.push(resolve));
  }

  private hasRoom(): boolean {
    return this.inFlight < this.options.highWaterMark && this.queuedChars < MAX_QUEUED_TEXT;
  }

  private wakeWriter(): void {
    if (this.writing) return;
    this.writing = this.write()
      .catch((error: unknown) => this.fail(error))
      .finally(() => {
        this.writing = undefined;
        // Something may have become ready while the last write was under way.
        if (this.ready()) this.wakeWriter();
        else this.checkDrained();
      });
  }

  private ready(): boolean {
    const head = this.queue[0];
    if (!head || this.failure) return false;
    if ('chunk' in head && !head.chunk.finished) return false;
    return !this.iterating || this.iterating.length < this.options.highWaterMark || !('chunk' in head);
  }

  /** Writes the queue's ready head, in document order. */
  private async write(): Promise<void> {
    while (this.ready()) {
      const head = this.queue.shift()!;
      let bytes: Uint8Array | undefined;
      if ('text' in head) {
        this.queuedChars -= head.text.length;
        if (this.sink && this.encoder && head.text.length > 0) bytes = head.bytes ?? this.encoder.encode(head.text);
      } else {
        const { chunk } = head;
        const finished = chunk.finished!;
        bytes = finished.bytes;
        if (this.journal && finished.journal) {
          this.journal.check();
          this.journal.append({ c: chunk.index, n: chunk.units, u: finished.journal });
        }
        this.inFlight--;
        this.counters.chunksInFlight = this.inFlight;
        this.counters.bytesDone = finished.end;
        if (this.iterating) {
          this.iterating.push({ index: chunk.index, results: finished.results });
          this.iteratorWake?.();
        }
      }
      this.releaseRoom();
      if (bytes && bytes.length > 0) await this.sink!.write(bytes);
    }
  }

  /** Resolves once everything queued is written (or the job failed). */
  private flushWriter(): Promise<void> {
    return new Promise((resolve) => {
      this.onDrained = resolve;
      this.checkDrained();
    });
  }

  private checkDrained(): void {
    if (this.onDrained && !this.writing && (this.failure || this.queue.length === 0)) {
      const resolve = this.onDrained;
      this.onDrained = undefined;
      resolve();
    }
  }

  /** Lets reading go on once there is room again (or the job failed: then reading stops). */
  private releaseRoom(): void {
    if (!this.failure && !this.hasRoom()) return;
    const waiters = this.roomWaiters;
    this.roomWaiters = [];
    for (const resolve of waiters) resolve();
  }

  private fail(error: unknown): void {
    if (this.failure) return;
    this.failure = this.toFailure(error);
    this.controller.abort(this.failure);
    this.releaseRoom();
    this.checkDrained();
  }

  private toFailure(error: unknown): XliffError {
    if (this.failure instanceof XliffError) return this.failure;
    if (this.options.signal?.aborted) return this.abortError();
    if (error instanceof XliffError) return error;
    return new XliffError('XLIFF_PROCESS', `the job failed: ${(error as Error)?.message ?? String(error)}`, { cause: error });
  }

  private abortError(): XliffError {
    return new XliffError('XLIFF_ABORTED', 'the job was aborted', { file: this.options.fileName, cause: this.options.signal?.reason });
  }

  private emitChunk(chunk: PendingChunk, state: ChunkState): void {
    this.emit('chunk', { index: chunk.index, state, units: chunk.units, attempt: Math.max(1, chunk.attempt) });
  }

  private finish(): void {
    this.finished = true;
    this.iteratorWake?.();
  }
}

/** What the cache keeps for every unit left as it is: one object for all. */
const NO_UPDATE: CachedUpdate = Object.freeze({ update: undefined });

/** A first attempt callDirect made: it threw, or it returned a promise still running. */
type FirstAttempt = { readonly error: unknown } | { readonly running: PromiseLike<UnitUpdate | undefined> };

/** A unit's result and the XML written for it. */
interface Outcome {
  readonly result: UnitResult;
  readonly raw: string;
}

function unchanged(unit: Unit, flags: { skipped?: boolean; cached?: boolean; replayed?: boolean; error?: XliffError } = {}): Outcome {
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

/** What the journal keeps of a unit's result. */
function journalEntry(result: UnitResult): JournalEntry {
  if (result.skipped) return 1;
  if (result.error) return { e: result.error.reason };
  return result.update ? { u: result.update } : 0;
}

/** The input's path, when it is a file (a path or a `file:` URL). */
function filePathOf(input: XliffInput): string | undefined {
  if (typeof input === 'string') return input;
  return input instanceof URL && input.protocol === 'file:' ? fileURLToPath(input) : undefined;
}

/** A checkpoint needs the input as a file (to recognise it) and a place for the journal. */
function checkpointInput(input: XliffInput, options: ResolvedProcessOptions): void {
  const { checkpoint, output } = options;
  if (!checkpoint) return;
  if (filePathOf(input) === undefined) {
    throw new TypeError(`Expected the input to be a file path with \`checkpoint\`, got ${input instanceof URL ? input.href : Object.prototype.toString.call(input)}`);
  }
  if (checkpoint.path === undefined && typeof output !== 'string') throw new TypeError('Expected `output` to be a file path with `checkpoint: true`, or give the journal a `checkpoint: { path }`');
}

/**
 * Runs `options.process` (or `processBatch`) over every unit of `input` and writes the
 * result to `options.output`. Returns a job: an EventEmitter (`progress`, `chunk`,
 * `unitError`, `done`), an async iterable of chunk results, and `done`.
 */
export function processXliff(input: XliffInput, options: ProcessOptions): XliffJob {
  return new XliffJob(input, options);
}
