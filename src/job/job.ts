/**
 * The job `processXliff` returns: it wires the stages together (reader -> chunker ->
 * processor path and pool -> reorderer -> output), counts progress, and ends in a summary
 * or a typed error, with no partial output.
 */
import type { LRUCache } from 'lru-cache';
import { EventEmitter, setMaxListeners } from 'node:events';
import { XliffError } from '../errors.js';
import { inputPath, inputSize, type XliffInput } from '../io/input.js';
import { checkOutputPath, openOutput, type OutputSink } from '../io/output.js';
import { type CachedUpdate, type ProcessOptions, type SegmentProcessOptions } from '../options.js';
import { normalizeProcessOptions, type ResolvedProcessOptions } from '../normalize-options.js';
import { readBatches, readEventBatches, type ReadRange } from '../read.js';
import type { ReadContext } from '../read/read-context.js';
import { createEncoder, type Encoder } from '../write/encoder.js';
import { setTargetLanguage } from '../write/target-language.js';
import { decodeCached, encodeCached, keptUpdate } from './cached-update.js';
import { ChunkResults } from './chunk-results.js';
import { addLevelStats, type CacheLevelStats } from '../cache/cache-levels.js';
import { openCacheLevels } from '../cache/open-levels.js';
import type { EndpointRouter } from '../endpoints/router.js';
import { createResultCache, type ResultCache } from '../cache/result-cache.js';
import { Checkpoint, checkCheckpointInput, journalEntry, type ChunkJournal, type RangeJournal } from './checkpoint.js';
import { Chunker } from './chunker.js';
import { jobChunking, type Chunking } from './chunking.js';
import { DuplicateIds } from './duplicate-ids.js';
import { hash64 } from './hash-set.js';
import type { ChunkResult, ChunkState, JobEvents, Summary } from './events.js';
import { JobChunk, type ReadUnit, type SettledUnit } from './job-chunk.js';
import { Pool } from './pool.js';
import { ProcessContexts } from './process-context.js';
import { RangeParts } from './range-parts.js';
import { QueueRunner, queueError } from '../distribute/queue-runner.js';
import type { ResolvedQueue } from '../distribute/queue-options.js';
import { identifyInput } from '../io/journal.js';
import { threadedBatches, threadedReadReport } from '../threads/threaded-read.js';
import { threadCount } from '../threads/thread-pool.js';
import type { ProcessPart } from '../threads/range-task.js';
import type { SharedResults } from '../threads/shared-results.js';
import { withEndpoints, withModule } from './job-processor.js';
import { jobSummary } from './job-summary.js';
import { JobWarnings } from './job-warnings.js';
import { setUpProcessModule, type ProcessModule } from './process-module.js';
import { ProcessorPath, type Outcome } from './processor-path.js';
import { ProgressCounters } from './progress.js';
import { Reorderer } from './reorderer.js';
import { isThenable } from './retry.js';

/**
 * A job over one byte range of its input, on a worker thread (threads/range-worker.ts): it
 * starts at a seam, at the start of chunk `firstChunk`, and replays and records its chunks
 * in `journal`.
 */
export interface JobRange {
  readonly start: number;
  readonly end: number;
  readonly last: boolean;
  readonly context: ReadContext | undefined;
  readonly firstChunk: number;
  readonly journal: RangeJournal | undefined;
  /** The results the job's other workers hold. */
  readonly shared: SharedResults | undefined;
  /** The memory level of the cache, kept by the thread across its ranges (instead of the options' own). */
  readonly memory?: LRUCache<string, CachedUpdate> | false | undefined;
}

/** How a range's job ended, for the seam checks: where its reader stopped, and its chunks there. */
export interface RangeEnd {
  /** Where the range ends (`undefined`: the last range, or reading cannot stop there). */
  context: ReadContext | undefined;
  /** Chunks begun. */
  chunks: number;
  /** The last chunk's units and bytes of units, unless it was full by its count (then 0). */
  openUnits: number;
  openBytes: number;
  /** The input bytes of the range's first unit (`undefined`: none). */
  firstUnitBytes: number | undefined;
}

export class XliffJob extends EventEmitter<JobEvents> implements AsyncIterable<ChunkResult> {
  /** The summary when the job succeeds; rejects with an `XliffError` when it fails. */
  readonly done: Promise<Summary>;
  /** Set once a range's job has read its range. */
  rangeEnd: RangeEnd | undefined;
  /** A range's job: its unit ids first met in their file there (`ProcessPart.firstIds`). */
  readonly firstIds: number[] = [];
  private options: ResolvedProcessOptions;
  private readonly controller = new AbortController();
  private readonly signal: AbortSignal;
  private readonly pool: Pool;
  /** With `endpoints`: the job's processor. */
  private readonly router: EndpointRouter | undefined;
  private readonly contexts: ProcessContexts;
  private cache: ResultCache<CachedUpdate>;
  /** Made in run(), once the input's size is known (it may choose the chunking). */
  private reorderer!: Reorderer;
  private chunker!: Chunker;
  private readonly duplicateIds = new DuplicateIds();
  private counters = new ProgressCounters(undefined);
  /** Made in run(), with the counters it counts into. */
  private path!: ProcessorPath;
  private checkpoint: ChunkJournal | undefined;
  private encoder: Encoder | undefined;
  private sink: OutputSink | undefined;
  private failure: XliffError | undefined;
  /** What the iterator is given, once iterating begins. */
  private iterating: ChunkResults | undefined;
  private module: ProcessModule | undefined;
  /** With threads: the ranges' counts and events. */
  private rangeParts: RangeParts | undefined;
  /** Set once the job succeeded or failed: the iterator ends. */
  private ended = false;
  private readonly warnings: JobWarnings;
  /** How the input was read (`Summary.threads`). */
  private readonly threadsReport = threadedReadReport();

  constructor(
    private readonly input: XliffInput,
    options: ProcessOptions | SegmentProcessOptions,
    /** Only this byte range of the input file (internal: a worker thread's part of a job). */
    private readonly range?: JobRange,
    /** The ranges run by the workers of a queue (internal: `distributeXliff`). */
    private readonly queue?: ResolvedQueue,
  ) {
    super();
    this.options = normalizeProcessOptions(options);
    checkCheckpointInput(input, inputPath(input), this.options);
    const { signal } = this.options;
    this.signal = signal ? AbortSignal.any([signal, this.controller.signal]) : this.controller.signal;
    // Every call in flight (and every wait for the rate limit) listens to it.
    setMaxListeners(0, this.signal);
    this.contexts = new ProcessContexts(this.options.logger);
    const routed = withEndpoints(this.options);
    this.options = routed.options;
    this.router = routed.router;
    this.warnings = new JobWarnings((event) => this.emit('warning', event), this.options.logger, () => this.fileName);
    // With endpoints, `timeoutMs` bounds each endpoint's call (the router's): a call that hangs fails over.
    this.pool = new Pool({ ...this.options, timeoutMs: this.router ? undefined : this.options.timeoutMs }, this.signal, this.contexts);
    // Memory at once: on a worker thread, other workers ask it for results as soon as this range's job exists.
    this.cache = createResultCache<CachedUpdate>(this.range?.memory ?? this.options.cache, keptUpdate);
    // Start on the next tick, once the caller has attached listeners.
    this.done = new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.run());
    // `done` rejects with the failure; a caller that only iterates must not get an unhandled rejection.
    this.done.catch(() => undefined);
  }

  /**
   * The processed chunks, in document order. Start iterating before awaiting anything
   * else. Breaking out (or a throw in the loop) stops the job, as `signal` does: no output
   * is written, and `done` rejects with `XLIFF_ABORTED`; the loop is left once the job has
   * cleaned up.
   */
  async *[Symbol.asyncIterator](): AsyncGenerator<ChunkResult, void, undefined> {
    const results = (this.iterating ??= new ChunkResults());
    let completed = false;
    try {
      yield* results.take(
        () => this.ended,
        () => this.reorderer.wake(),
      );
      completed = true;
      await this.done;
    } finally {
      if (!completed && !this.ended) {
        this.fail(new XliffError('XLIFF_ABORTED', 'the job was stopped: its iterator was left before the end', { file: this.options.fileName }));
        await this.done.catch(() => undefined);
      }
    }
  }

  /** The reorderer and the chunker, for the chunking chosen. */
  private makeStages(chunking: Chunking): { reorderer: Reorderer; chunker: Chunker } {
    const reorderer = new Reorderer(chunking.highWaterMark, {
      encode: (skeleton) => (this.sink && this.encoder ? (skeleton.bytes ?? this.encoder.encode(skeleton.text)) : undefined),
      write: (bytes) => this.sink!.write(bytes),
      handOn: (chunk) => this.handOn(chunk),
      consumerFull: () => this.iterating !== undefined && this.iterating.length >= chunking.highWaterMark,
      failed: () => this.failure !== undefined,
      fail: (error) => this.fail(error),
    });
    const chunker = new Chunker(chunking.chunkUnits, chunking.chunkBytes, {
      open: (index) => {
        const chunk = new JobChunk(index, this.sink && this.encoder?.encode);
        reorderer.chunk(chunk);
        return chunk;
      },
      item: (unit, chunk) => (this.processesOnArrival() ? this.processOnArrival(unit, chunk) : unit),
      dispatch: (chunk) => this.dispatch(chunk),
      outside: (skeleton) => reorderer.skeleton(skeleton),
    }, this.range?.firstChunk);
    return { reorderer, chunker };
  }

  private async run(): Promise<Summary> {
    const log = this.options.logger;
    try {
      if (typeof this.options.output === 'string') await checkOutputPath(this.options.output, this.input);
      const path = inputPath(this.input);
      const totalBytes = await inputSize(path);
      const threaded = this.range === undefined && (this.options.threads !== 1 || this.queue !== undefined) && path !== undefined;
      // On worker threads, this thread only needs to know what the module exports (its chunks and journal depend on it).
      ({ options: this.options, module: this.module } = await withModule(this.options));
      if (!threaded) await this.setUpModule();
      const { options } = this;
      const chunking = jobChunking(options, totalBytes);
      ({ reorderer: this.reorderer, chunker: this.chunker } = this.makeStages(chunking));
      if (this.range) this.checkpoint = this.range.journal;
      else if (options.checkpoint) this.checkpoint = await Checkpoint.open(options, chunking, path!);
      this.counters = new ProgressCounters(totalBytes, { cacheLevels: () => this.cacheLevelStats(), endpoints: () => this.router?.stats() ?? [] });
      await this.openCache();
      this.path = new ProcessorPath(options, this.cache, this.pool, this.contexts, this.counters, this.signal, this.fileName, {
        retrying: (chunk) => this.emitChunk(chunk, 'retrying'),
        unitError: (event) => this.emit('unitError', event),
        abortError: () => this.abortError(),
      }, this.range?.shared);
      const ticker = setInterval(() => this.emit('progress', this.counters.snapshot()), options.progressIntervalMs);
      ticker.unref();
      try {
        if (threaded) await this.readOnThreads(path, chunking);
        else {
          // A stream or buffer: the workers read their ranges from a file.
          if (this.range === undefined && options.threads !== 1) this.threadsReport.sequential = 'not-a-file';
          await this.readInput(this.input);
        }
        await this.reorderer.flush();
        await this.cache.levels?.flush();
        if (this.failure) throw this.failure;
        this.counters.bytesDone = this.counters.bytesRead;
        this.counters.complete();
        await this.sink?.commit();
        await this.checkpoint?.finish();
      } finally {
        clearInterval(ticker);
        await this.cache.levels?.close();
      }
    } catch (error) {
      const failure = this.toFailure(error);
      this.failure ??= failure;
      this.controller.abort(failure);
      await this.sink?.abort().catch(() => undefined);
      // Kept: a rerun resumes from it.
      await this.checkpoint?.keep().catch(() => undefined);
      this.end();
      log?.error({ err: failure }, 'xliff-stream job failed');
      throw failure;
    }
    this.emit('progress', this.counters.snapshot());
    const summary = this.summary();
    this.end();
    log?.info({ summary }, 'xliff-stream job done');
    this.emit('done', summary);
    return summary;
  }

  /**
   * Reads the input on worker threads (`threads`): each byte range, cut at a chunk, is a job of
   * its own on a worker, whose output this thread writes in document order. An input the
   * workers cannot cut is read on this thread, as without threads.
   */
  private async readOnThreads(path: string, chunking: Chunking): Promise<void> {
    const { options } = this;
    const fileName = this.fileName ?? path;
    const journalPath = this.checkpoint instanceof Checkpoint ? this.checkpoint.journal.path : undefined;
    const counters = (): ProgressCounters => this.counters;
    const host = { emit: this.emit.bind(this), get counters() { return counters(); } };
    const { queue } = this;
    const parts = new RangeParts(host, options, chunking, this.checkpoint, journalPath, fileName, this.iterating !== undefined, queue ? 'remote' : threadCount(options.threads, this.counters.totalBytes ?? 0, options.threadRangeBytes, options.maxMemory));
    this.rangeParts = parts;
    let runner: QueueRunner | undefined;
    const openRunner = async (): Promise<QueueRunner> => {
      const document = JSON.stringify({ path, ...(await identifyInput(path)) });
      runner = await QueueRunner.open(queue!, document, fileName, (task, counts) => parts.event(task, { type: 'progress', counts }), (message) => this.warnings.noWorker(queue!.name, message));
      return runner;
    };
    const batches = threadedBatches<ProcessPart>(
      path,
      {
        kind: 'process',
        xliff: true,
        signal: this.signal,
        fileName: options.fileName,
        maxUnitBytes: options.maxUnitBytes,
        maxDepth: options.maxDepth,
        threads: options.threads,
        rangeBytes: options.threadRangeBytes,
        maxMemory: options.maxMemory,
        chunks: { units: chunking.chunkUnits, bytes: chunking.chunkBytes },
        job: (firstChunk, nextChunk, bytes) => parts.task(firstChunk, nextChunk, bytes),
        runner: queue && { open: openRunner, cannotCut: (name, why) => queueError(name, `${why}: the workers read the file in byte ranges (decompress it, or convert it to UTF-8, first)`) },
      },
      (pieces, name) => this.readSequentially(pieces, name),
      (counts) => (this.counters.input = counts),
      this.threadsReport,
    );
    // On a queue: the workers that ran its ranges, by name.
    const machines = new Set<string>();
    for await (const batch of batches) {
      for (const part of batch) {
        if (this.failure) throw this.failure;
        if (part.worker !== undefined) machines.add(part.worker);
        if (options.output !== undefined) {
          this.sink ??= openOutput(options.output);
          const { buffer } = part.output;
          if (part.output.length > 0) await this.sink.write(part.output, () => parts.reuseOutput(buffer as ArrayBuffer));
        }
        const results = await parts.take(part);
        // Written: its job leaves the queue.
        await runner?.taken(part.id);
        await this.duplicatesAcrossRanges(path, part);
        if (this.iterating) {
          this.iterating.push(...results);
          await this.iterating.below(chunking.highWaterMark, () => this.failure !== undefined);
        }
      }
    }
    if (this.counters.totalBytes !== undefined) this.counters.bytesRead = this.counters.totalBytes;
    if (queue) this.threadsReport.threads = machines.size;
  }

  /** Warns of the units of a range whose id an earlier range used in the same file (each range warned of its own), read again here for the warning. */
  private async duplicatesAcrossRanges(path: string, part: ProcessPart): Promise<void> {
    const again = this.duplicateIds.addRange(part.firstIds);
    if (again.size === 0) return;
    const { start, end, context } = part.range;
    const range: ReadRange = { path, start, end, last: false, context };
    const { options } = this;
    for await (const batch of readBatches(path, { signal: this.signal, fileName: this.fileName, maxUnitBytes: options.maxUnitBytes, maxDepth: options.maxDepth, range }, { unit: (unit) => unit })) {
      for (const unit of batch) if (again.has(unit.location.offset)) this.warnings.duplicateId(unit);
    }
  }

  /** Where the threads cannot read the input: this thread reads it, as without threads (the module's setup runs here first). */
  private async readSequentially(pieces: AsyncIterable<Uint8Array | string>, fileName: string): Promise<void> {
    await this.setUpModule();
    await this.readInput(pieces, fileName, false);
  }

  /** What the job's cache holds of a hashed key (a result, or its run in flight): for the other workers of a job on threads. */
  lookupResult(hashed: string): CachedUpdate | Promise<CachedUpdate> | undefined {
    return this.cache.lookup(hashed);
  }

  /** Runs the module's `setup` on this thread: its calls will be made here. */
  private async setUpModule(): Promise<void> {
    if (this.module) await setUpProcessModule(this.module, this.options.processModule!, this.options.processModuleData, this.range !== undefined);
  }

  /** Reads the input (its byte range, for a range's job) and hands what it holds to the chunker, waiting while the reorderer has no room. */
  private async readInput(input: XliffInput, fileName = this.options.fileName, countInput = true): Promise<void> {
    const { options, range } = this;
    let end: RangeEnd['context'];
    let firstUnitBytes: number | undefined;
    const readRange: ReadRange | undefined = range && { path: input as string, start: range.start, end: range.end, last: range.last, context: range.context, onEnd: (context) => (end = context) };
    const batches = readEventBatches(input, {
      signal: this.signal,
      fileName,
      maxUnitBytes: options.maxUnitBytes,
      maxDepth: options.maxDepth,
      skeleton: true,
      bytes: options.output !== undefined,
      onInput: countInput ? (counts) => (this.counters.input = counts) : undefined,
      range: readRange,
    });
    for await (const batch of batches) {
      for (const event of batch) {
        if (this.failure) throw this.failure;
        if (this.signal.aborted) throw this.abortError();
        if (event.kind === 'encoding') {
          this.encoder = createEncoder(event.encoding);
          this.path.useEncoding(this.encoder.canEncode);
          if (options.output !== undefined) this.sink = openOutput(options.output);
        } else if (event.kind === 'skeleton') {
          const text = options.targetLanguage ? setTargetLanguage(event.text, options.targetLanguage) : event.text;
          this.chunker.skeleton({ text, bytes: text === event.text ? event.bytes : undefined });
        } else {
          const { unit } = event;
          firstUnitBytes ??= unit.location.length;
          this.counters.unitsRead++;
          this.counters.bytesRead = unit.location.offset + unit.location.length;
          if (unit.id !== undefined) {
            const [high, low] = hash64(unit.id);
            if (this.duplicateIds.addInFile(unit.file.index, high, low)) this.warnings.duplicateId(unit);
            else if (range) this.firstIds.push(unit.file.index, high, low, unit.location.offset);
          }
          const placed = this.chunker.unit(event);
          if (placed) await placed;
        }
        const room = this.reorderer.room();
        if (room) await room;
      }
    }
    const open = this.chunker.open;
    await this.chunker.end();
    if (range) {
      this.rangeEnd = { context: end, chunks: this.chunker.chunks, openUnits: open.units, openBytes: open.bytes, firstUnitBytes };
      this.counters.bytesRead = range.end;
      return;
    }
    // All of it: the file's size, or what gzip gave.
    const read = this.counters.input;
    if (read?.gzipped) this.counters.bytesRead = read.bytes;
    else if (this.counters.totalBytes !== undefined) this.counters.bytesRead = this.counters.totalBytes;
  }

  /** A full chunk: replayed from the journal while it has records, else processed. */
  private async dispatch(chunk: JobChunk): Promise<void> {
    this.reorderer.dispatched();
    this.counters.chunksInFlight = this.reorderer.chunksInFlight;
    this.emitChunk(chunk, 'pending');
    const record = this.checkpoint?.replaying ? await this.checkpoint.nextRecord() : undefined;
    if (record) {
      this.checkpoint!.check(record, chunk);
      chunk.replayed = true;
      // Replay never waits: every unit is settled at once.
      void chunk.settleUnits((unit, i) => this.path.replay(unit, record.u[i]!), this.settle);
      this.chunkDone(chunk);
    } else void this.processChunk(chunk);
  }

  private async processChunk(chunk: JobChunk): Promise<void> {
    const { path } = this;
    try {
      this.emitChunk(chunk, 'processing');
      if (this.options.processBatch) {
        const outcomes = await path.processBatch(chunk, chunk.unprocessed());
        await chunk.settleUnits((_unit, i) => outcomes[i]!, this.settle);
      } else {
        // A chunk answered at once (cache hits, a synchronous processor) waits for nothing.
        const waiting = chunk.settleUnits((unit) => path.process(unit, chunk), this.settle);
        if (waiting) await waiting;
      }
      this.chunkDone(chunk);
    } catch (error) {
      this.fail(error);
      this.emitChunk(chunk, 'failed');
      this.reorderer.wake();
    }
  }

  /**
   * Whether a unit is processed as soon as it is read, before its chunk is complete: when
   * the processor answers at once and its chunk needs no batch or journal record, so that
   * the unit can be let go young.
   */
  private processesOnArrival(): boolean {
    return !this.options.processBatch && !this.checkpoint?.replaying && this.path.answersAtOnce;
  }

  private processOnArrival(unit: ReadUnit, chunk: JobChunk): SettledUnit | Promise<SettledUnit> {
    let outcome: Outcome | Promise<Outcome>;
    try {
      outcome = this.path.process(unit, chunk);
    } catch (error) {
      this.fail(error);
      // Processed on arrival, the chunk was not dispatched yet: its events start here.
      this.emitChunk(chunk, 'pending');
      this.emitChunk(chunk, 'processing');
      this.emitChunk(chunk, 'failed');
      throw this.failure;
    }
    if (!isThenable(outcome)) return this.settle(unit, outcome);
    const settled = outcome.then((o) => this.settle(unit, o));
    // Awaited by processChunk; a failure before then is not unhandled.
    settled.catch(() => undefined);
    return settled;
  }

  /** What the writer, the iterator and the journal keep of a processed unit. */
  private readonly settle = (read: ReadUnit, { raw, result }: Outcome): SettledUnit => ({
    raw,
    bytes: raw === read.unit.raw ? read.bytes : undefined,
    result: this.iterating ? result : undefined,
    journal: this.checkpoint ? journalEntry(result) : undefined,
  });

  /** Every unit of the chunk is settled: it waits for its turn in document order. */
  private chunkDone(chunk: JobChunk): void {
    chunk.finish({ results: this.iterating !== undefined, journal: this.checkpoint !== undefined });
    this.counters.unitsDone += chunk.units;
    this.emitChunk(chunk, 'done');
    this.reorderer.wake();
  }

  /** A chunk's turn in document order: into the journal and the iterator, counted as done. */
  private handOn(chunk: JobChunk): void {
    const finished = chunk.finished!;
    if (this.checkpoint && finished.journal) this.checkpoint.append(chunk, finished.journal);
    this.counters.chunksInFlight = this.reorderer.chunksInFlight;
    this.counters.bytesDone = finished.end;
    if (this.iterating) {
      this.iterating.push({ index: chunk.index, results: finished.results });
    }
  }

  /** The levels of the cache behind memory the options name, opened now (before any unit is read: memory holds nothing yet, but on a worker thread, whose memory is the thread's). */
  private async openCache(): Promise<void> {
    const { cache, cacheLevels } = this.options;
    if (cache === false || !cacheLevels) return;
    const levels = await openCacheLevels(cacheLevels, (level, error) => this.cacheFailed(level, error));
    this.cache = createResultCache<CachedUpdate>(this.range?.memory ?? cache, keptUpdate, { levels, encode: encodeCached, decode: decodeCached });
  }

  /** A level of the cache failed: a warning (it is skipped a while), or with `cache.required` the job's failure. */
  private cacheFailed(level: string, error: unknown): void {
    const reason = `the cache's ${level} level failed: ${(error as Error)?.message ?? String(error)}`;
    if (this.options.cacheLevels?.required) {
      this.fail(new XliffError('XLIFF_CACHE', reason, { file: this.options.fileName, cause: error }));
      return;
    }
    this.warnings.cacheLevel(level, reason, error);
  }

  /** What the cache's levels behind memory did: this thread's and the worker threads'. */
  private cacheLevelStats(): Record<string, CacheLevelStats> {
    return addLevelStats(this.cache.levels?.stats() ?? {}, this.rangeParts?.cacheLevels ?? {});
  }

  private summary(): Summary {
    return jobSummary(this.counters, {
      chunks: this.chunker.chunks + (this.rangeParts?.chunks ?? 0),
      cacheLevels: this.cacheLevelStats(),
      router: this.router,
      bytesWritten: this.sink?.bytesWritten ?? 0,
      output: typeof this.options.output === 'string' ? this.options.output : undefined,
      warnings: this.warnings.count + (this.rangeParts?.warnings ?? 0),
      threads: this.threadsReport,
    });
  }

  /** The input's name in messages. */
  private get fileName(): string | undefined {
    return this.options.fileName ?? (typeof this.input === 'string' ? this.input : undefined);
  }

  private fail(error: unknown): void {
    if (this.failure) return;
    this.failure = this.toFailure(error);
    this.controller.abort(this.failure);
    // Not made yet when the iterator is left before the job started.
    (this.reorderer as Reorderer | undefined)?.stop();
  }

  private toFailure(error: unknown): XliffError {
    if (this.failure) return this.failure;
    if (this.options.signal?.aborted) return this.abortError();
    if (error instanceof XliffError) return error;
    return new XliffError('XLIFF_PROCESS', `the job failed: ${(error as Error)?.message ?? String(error)}`, { cause: error });
  }

  private abortError(): XliffError {
    return new XliffError('XLIFF_ABORTED', 'the job was aborted', { file: this.options.fileName, cause: this.options.signal?.reason });
  }

  private emitChunk(chunk: JobChunk, state: ChunkState): void {
    this.emit('chunk', { index: chunk.index, state, units: chunk.units, attempt: Math.max(1, chunk.attempt) });
  }

  private end(): void {
    this.ended = true;
    this.iterating?.notify();
  }
}
