/**
 * The job `processXliff` returns: it wires the stages together (reader -> chunker ->
 * processor path and pool -> reorderer -> output), counts progress, and ends in a summary
 * or a typed error, with no partial output.
 */
import { EventEmitter, setMaxListeners } from 'node:events';
import { XliffError, formatMessage } from '../errors.js';
import { inputPath, inputSize, type XliffInput } from '../io/input.js';
import { checkOutputPath, openOutput, type OutputSink } from '../io/output.js';
import type { Unit } from '../model.js';
import { normalizeProcessOptions, type CachedUpdate, type ProcessOptions, type ResolvedProcessOptions } from '../options.js';
import { readEventBatches } from '../read.js';
import { createEncoder, type Encoder } from '../write/encoder.js';
import { setTargetLanguage } from '../write/target-language.js';
import { detachedUpdate } from '../write/update.js';
import { createResultCache, type ResultCache } from './cache.js';
import { Checkpoint, checkCheckpointInput, journalEntry } from './checkpoint.js';
import { Chunker } from './chunker.js';
import { jobChunking, type Chunking } from './chunking.js';
import { DuplicateIds } from './duplicate-ids.js';
import type { ChunkResult, ChunkState, JobEvents, Summary } from './events.js';
import { JobChunk, type ReadUnit, type SettledUnit } from './job-chunk.js';
import { Pool } from './pool.js';
import { ProcessContexts } from './process-context.js';
import { ProcessorPath, type Outcome } from './processor-path.js';
import { ProgressCounters } from './progress.js';
import { Reorderer } from './reorderer.js';
import { isThenable } from './retry.js';

export class XliffJob extends EventEmitter<JobEvents> implements AsyncIterable<ChunkResult> {
  /** The summary when the job succeeds; rejects with an `XliffError` when it fails. */
  readonly done: Promise<Summary>;
  private readonly options: ResolvedProcessOptions;
  private readonly controller = new AbortController();
  private readonly signal: AbortSignal;
  private readonly pool: Pool;
  private readonly contexts: ProcessContexts;
  private readonly cache: ResultCache<CachedUpdate>;
  /** Made in run(), once the input's size is known (it may choose the chunking). */
  private reorderer!: Reorderer;
  private chunker!: Chunker;
  private readonly duplicateIds = new DuplicateIds();
  private counters = new ProgressCounters(undefined);
  /** Made in run(), with the counters it counts into. */
  private path!: ProcessorPath;
  private checkpoint: Checkpoint | undefined;
  private encoder: Encoder | undefined;
  private sink: OutputSink | undefined;
  private failure: XliffError | undefined;
  private iterating: ChunkResult[] | undefined;
  private iteratorWake: (() => void) | undefined;
  /** Set once the job succeeded or failed: the iterator ends. */
  private ended = false;
  private warnings = 0;

  constructor(
    private readonly input: XliffInput,
    options: ProcessOptions,
  ) {
    super();
    this.options = normalizeProcessOptions(options);
    checkCheckpointInput(input, inputPath(input), this.options);
    const { signal } = this.options;
    this.signal = signal ? AbortSignal.any([signal, this.controller.signal]) : this.controller.signal;
    // Every call in flight (and every wait for the rate limit) listens to it.
    setMaxListeners(0, this.signal);
    this.contexts = new ProcessContexts(this.options.logger);
    this.pool = new Pool(this.options, this.signal, this.contexts);
    // The cache keeps its updates for long: none may keep a piece of the input alive.
    this.cache = createResultCache<CachedUpdate>(this.options.cache, (value) => (value.update ? { update: detachedUpdate(value.update) } : NO_UPDATE));
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
    const results = (this.iterating ??= []);
    let completed = false;
    try {
      for (;;) {
        while (results.length > 0) {
          yield results.shift()!;
          this.reorderer.wake();
        }
        if (this.ended) break;
        await new Promise<void>((resolve) => (this.iteratorWake = resolve));
      }
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
    });
    return { reorderer, chunker };
  }

  private async run(): Promise<Summary> {
    const { options } = this;
    const log = options.logger;
    try {
      if (typeof options.output === 'string') await checkOutputPath(options.output, this.input);
      const path = inputPath(this.input);
      const totalBytes = await inputSize(path);
      const chunking = jobChunking(options, totalBytes);
      ({ reorderer: this.reorderer, chunker: this.chunker } = this.makeStages(chunking));
      if (options.checkpoint) this.checkpoint = await Checkpoint.open(options, chunking, path!);
      this.counters = new ProgressCounters(totalBytes);
      this.path = new ProcessorPath(options, this.cache, this.pool, this.contexts, this.counters, this.signal, this.fileName, {
        retrying: (chunk) => this.emitChunk(chunk, 'retrying'),
        unitError: (event) => this.emit('unitError', event),
        abortError: () => this.abortError(),
      });
      const ticker = setInterval(() => this.emit('progress', this.counters.snapshot()), options.progressIntervalMs);
      ticker.unref();
      try {
        await this.readInput();
        await this.reorderer.flush();
        if (this.failure) throw this.failure;
        this.counters.bytesDone = this.counters.bytesRead;
        this.counters.complete();
        await this.sink?.commit();
        await this.checkpoint?.journal.remove();
      } finally {
        clearInterval(ticker);
      }
    } catch (error) {
      const failure = this.toFailure(error);
      this.failure ??= failure;
      this.controller.abort(failure);
      await this.sink?.abort().catch(() => undefined);
      // Kept: a rerun resumes from it.
      await this.checkpoint?.journal.close().catch(() => undefined);
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

  /** Reads the input and hands what it holds to the chunker, waiting while the reorderer has no room. */
  private async readInput(): Promise<void> {
    const { options } = this;
    let fileIndex = -1;
    const batches = readEventBatches(this.input, {
      signal: this.signal,
      fileName: options.fileName,
      maxUnitBytes: options.maxUnitBytes,
      maxDepth: options.maxDepth,
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
          this.path.useEncoding(this.encoder.canEncode);
          if (options.output !== undefined) this.sink = openOutput(options.output);
        } else if (event.kind === 'skeleton') {
          const text = options.targetLanguage ? setTargetLanguage(event.text, options.targetLanguage) : event.text;
          this.chunker.skeleton({ text, bytes: text === event.text ? event.bytes : undefined });
        } else {
          const { unit } = event;
          this.counters.unitsRead++;
          this.counters.bytesRead = unit.location.offset + unit.location.length;
          if (unit.file.index !== fileIndex) {
            fileIndex = unit.file.index;
            this.duplicateIds.reset();
          }
          if (unit.id !== undefined && this.duplicateIds.add(unit.id)) this.warnDuplicate(unit);
          const placed = this.chunker.unit(event);
          if (placed) await placed;
        }
        const room = this.reorderer.room();
        if (room) await room;
      }
    }
    await this.chunker.end();
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
      this.iteratorWake?.();
    }
  }

  private warnDuplicate(unit: Unit): void {
    this.warnings++;
    const { line, column } = unit.location;
    const reason = `unit id "${unit.id}" is used twice in file #${unit.file.index + 1}${unit.file.original ? ` (${unit.file.original})` : ''}`;
    const message = formatMessage(reason, { file: this.fileName ?? '<input>', line, column });
    this.options.logger?.warn({ unitId: unit.id, line, column }, message);
    this.emit('warning', { code: 'XLIFF_DUPLICATE_ID', message, unit });
  }

  private summary(): Summary {
    const c = this.counters;
    const processed = c.unitsDone - c.unitsCached - c.unitsSkipped - c.unitsFailed - c.unitsReplayed;
    return {
      units: c.unitsRead,
      unitsProcessed: processed,
      unitsCached: c.unitsCached,
      unitsReplayed: c.unitsReplayed,
      unitsChanged: c.unitsChanged,
      unitsSkipped: c.unitsSkipped,
      unitsFailed: c.unitsFailed,
      chunks: this.chunker.chunks,
      cacheHits: c.unitsCached,
      cacheMisses: processed,
      retries: c.retries,
      bytesRead: c.bytesRead,
      bytesWritten: this.sink?.bytesWritten ?? 0,
      elapsedMs: c.elapsedMs(),
      output: typeof this.options.output === 'string' ? this.options.output : undefined,
      warnings: this.warnings,
    };
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
    this.iteratorWake?.();
  }
}

/** What the cache keeps for every unit left as it is: one object for all. */
const NO_UPDATE: CachedUpdate = Object.freeze({ update: undefined });
