/**
 * The calling thread's side of a job on worker threads: what each range's task carries (its
 * options, its journal records, a port for its events), its events turned back into the
 * job's, and its counts summed into the job's progress.
 */
import { randomUUID } from 'node:crypto';
import { MessageChannel, type MessagePort, type TransferListItem } from 'node:worker_threads';
import { addLevelStats, type CacheLevelStats } from '../cache/cache-levels.js';
import type { JournalRecord } from '../io/journal.js';
import type { ResolvedProcessOptions } from '../normalize-options.js';
import { fromErrorData, type ProcessPart, type RangeCounts, type RangeEvent, type RangeJobTask } from '../threads/range-task.js';
import { sharedResultsLink, type SharedResultsLink } from '../threads/shared-results.js';
import type { ChunkJournal } from './checkpoint.js';
import { RETRIED_CLASSES } from './error-class.js';
import type { Chunking } from './chunking.js';
import type { ChunkResult, JobEvents } from './events.js';
import type { ProgressCounters } from './progress.js';
import { RangeEvents, type ListenedEvent } from './range-events.js';

/**
 * Chunks a range's job keeps in flight on a worker when the user left `highWaterMark` to
 * the library: a chunk whose sources another worker claimed waits for that worker's answer,
 * which comes when its event loop turns (a few ms), and reading must go on meanwhile. With
 * the default 2, the workers of the pseudo pass on 100 MiB sat idle 0.8-1.3 s each (their
 * CPU profiles); with 8, 0.1-0.2 s, and the pass took 7.05 s instead of 7.55 (medians of 5
 * alternated runs). A chunk holds 200 units by default: 8 of them are a few hundred KiB.
 */
export const RANGE_HIGH_WATER_MARK = 8;

const ZERO: RangeCounts = { unitsRead: 0, unitsDone: 0, unitsCached: 0, unitsSkipped: 0, unitsFailed: 0, unitsReplayed: 0, bytesRead: 0, bytesDone: 0 };
const COUNTS = Object.keys(ZERO) as Array<keyof RangeCounts>;
/** The counts that are the job's as they are summed; the ranges' `bytesDone` are the bytes done ahead of the output (`bytesDoneAhead`). */
const JOB_COUNTS = COUNTS.filter((key) => key !== 'bytesDone');

export interface RangePartsHost {
  emit<K extends keyof JobEvents>(event: K, ...args: JobEvents[K]): boolean;
  readonly counters: ProgressCounters;
}

export class RangeParts {
  /** The counts of the ranges taken, and of those under way by task (their latest progress). */
  private done: RangeCounts = ZERO;
  private readonly live = new Map<number, RangeCounts>();
  /** The tasks whose range was taken or dropped (a late event of theirs is not heard), and each task's port closing. */
  private readonly finished = new Set<number>();
  private readonly ports = new Map<number, { readonly port: MessagePort; readonly heard: Promise<void> }>();
  /** Where the range of each task under way starts in the input, and its chunks in flight. */
  private readonly starts = new Map<number, number>();
  private readonly inFlight = new Map<number, number>();
  /** Which of the ranges' chunk and unit events reach the job's listeners, and when. */
  private readonly events = new RangeEvents((event, worker) => this.emitEvent(event, worker));
  private tasks = 0;
  /** Journal records read and not yet given to a range that was taken, from chunk `recordsFrom`. */
  private records: JournalRecord[] = [];
  private recordsFrom = 0;
  private recordsEnded = false;
  /** The cache the workers share (with a cache). */
  private readonly shared: SharedResultsLink | undefined;
  /** Buffers of ranges' outputs written, for the next ranges' tasks (`reuseOutput`). */
  private readonly freeOutputs: ArrayBuffer[] = [];
  /** Outputs given back to the workers, for the tests. */
  outputsReused = 0;
  /** Chunks the ranges taken began, and their warnings. */
  chunks = 0;
  warnings = 0;
  /** What the levels of the cache behind memory did in the ranges taken. */
  cacheLevels: Record<string, CacheLevelStats> = {};

  constructor(
    private readonly host: RangePartsHost,
    private readonly options: ResolvedProcessOptions,
    private readonly chunking: Chunking,
    private readonly checkpoint: ChunkJournal | undefined,
    private readonly journalPath: string | undefined,
    private readonly fileName: string,
    /** Whether the units' results are asked for (the caller iterates the job). */
    private readonly results: boolean,
    /** The worker threads; `'remote'`: the ranges run on other machines (no ports, no shared memory). */
    private readonly threads: number | 'remote',
  ) {
    const { cache } = options;
    this.shared = cache === false || threads === 'remote' ? undefined : sharedResultsLink((cache as { max: number }).max, threads, `xliff-stream:${process.pid}:${randomUUID()}`);
  }

  /** What the task of the range of `bytes`, from chunk `firstChunk` to `nextChunk` (excluded; `undefined`: the end), carries. */
  async task(firstChunk: number, nextChunk: number | undefined, bytes: { readonly start: number; readonly end: number }): Promise<{ job: RangeJobTask; transferList: TransferListItem[] }> {
    const id = this.tasks++;
    this.dropOverlapped(bytes);
    this.starts.set(id, bytes.start);
    const journal = this.checkpoint && { path: this.journalPath ?? '', records: await this.recordsOf(firstChunk, nextChunk) };
    if (this.threads === 'remote') return { job: this.jobTask(id, firstChunk, journal, undefined), transferList: [] };
    const { port1, port2 } = new MessageChannel();
    // The range's last message is its `end`: once it is heard, so are all its events (messages of one port keep their order).
    let ended!: () => void;
    const heard = new Promise<void>((resolve) => (ended = resolve));
    port1.on('message', (events: RangeEvent[]) => {
      for (const event of events) {
        if (event.type === 'end') ended();
        else this.event(id, event);
      }
    });
    // Held here until then: an unreferenced port may be collected.
    this.ports.set(id, { port: port1, heard });
    port1.unref();
    const outputBuffer = this.freeOutputs.pop();
    if (outputBuffer) this.outputsReused++;
    return { job: { ...this.jobTask(id, firstChunk, journal, port2), outputBuffer }, transferList: outputBuffer ? [port2, outputBuffer] : [port2] };
  }

  /**
   * A range's output is written and its buffer free (the sink holds nothing of it): a later
   * range's worker writes its output there (no page faults of new memory, and the buffer does
   * not wait here for the GC). As many are kept as ranges run at once and are queued.
   */
  reuseOutput(buffer: ArrayBuffer): void {
    if (this.threads !== 'remote' && buffer.byteLength > 0 && this.freeOutputs.length < 2 * this.threads) this.freeOutputs.push(buffer);
  }

  private jobTask(id: number, firstChunk: number, journal: RangeJobTask['journal'], events: MessagePort | undefined): RangeJobTask {
    const { options, chunking } = this;
    return {
      id,
      processModule: options.processModule,
      processModuleData: options.processModuleData,
      options: {
        per: options.per,
        chunkUnits: chunking.chunkUnits,
        chunkBytes: chunking.chunkBytes,
        cache:
          options.cache === false
            ? false
            : {
                max: (options.cache as { max: number }).max,
                disk: options.cacheLevels?.disk,
                redis: options.cacheLevels?.redis,
                required: options.cacheLevels?.required,
                key: options.cacheNamespace,
              },
        retry: options.retry,
        timeoutMs: options.timeoutMs,
        onError: options.onError,
        targetLanguage: options.targetLanguage,
      },
      running: {
        highWaterMark: options.highWaterMarkGiven ? chunking.highWaterMark : Math.max(chunking.highWaterMark, RANGE_HIGH_WATER_MARK),
        concurrency: options.concurrency,
        progressIntervalMs: options.progressIntervalMs,
      },
      firstChunk,
      journal,
      results: this.results,
      events,
      shared: this.shared,
    };
  }

  /** A range is done, in document order (its events all heard): its counts join the job's; its results, as the iterator takes them. */
  async take(part: ProcessPart): Promise<ChunkResult[]> {
    const port = this.ports.get(part.id);
    await port?.heard;
    port?.port.close();
    this.ports.delete(part.id);
    for (const event of part.events ?? []) this.event(part.id, event, part.worker);
    // Its seams checked: all its events are one thread's.
    this.events.release(part.id, true);
    this.forget(part.id);
    this.done = add(this.done, part.counts);
    this.chunks += part.chunks;
    this.events.nextRange();
    // The range after it begins at a seam now checked.
    for (const [id, start] of this.starts) if (start === this.done.bytesRead) this.events.release(id, false);
    this.warnings += part.warnings;
    this.cacheLevels = addLevelStats(this.cacheLevels, part.cacheLevels);
    const counters = this.host.counters;
    counters.unitsChanged += part.unitsChanged;
    counters.retries += part.retries;
    for (const name of RETRIED_CLASSES) counters.retriesByClass[name] += part.retriesByClass[name];
    this.count();
    counters.bytesDone = this.done.bytesRead;
    if (this.checkpoint) for (const record of part.journal ?? []) this.checkpoint.append({ index: record.c, units: record.n }, [...record.u]);
    return (part.results ?? []).map(({ index, results }) => ({ index, results: results.map((result) => ({ ...result, error: result.error && fromErrorData(result.error, this.fileName) })) }));
  }

  /**
   * A range read again (its seam joined to the next) is a new task over bytes where tasks
   * under way begin: theirs are dropped, and so are their counts, chunks in flight and
   * held events; the new task gives them again.
   */
  private dropOverlapped({ start, end }: { readonly start: number; readonly end: number }): void {
    for (const [id, other] of this.starts) {
      if (other < start || other >= end) continue;
      // Closed once its range has ended: its task may not have reached its worker yet.
      const port = this.ports.get(id);
      void port?.heard.then(() => port.port.close());
      this.ports.delete(id);
      this.forget(id);
    }
    this.count();
  }

  /** The task's range was taken or dropped: its counts and events are no longer live. */
  private forget(id: number): void {
    this.finished.add(id);
    this.live.delete(id);
    this.starts.delete(id);
    this.inFlight.delete(id);
    this.events.forget(id);
  }

  /** The records of the journal for chunks `from` to `to` (excluded; `undefined`: to the end), read in order. */
  private async recordsOf(from: number, to: number | undefined): Promise<JournalRecord[]> {
    // Ranges ask in document order; a range read again asks again for what it asked before.
    const firstKept = this.records.findIndex((record) => record.c >= from);
    if (firstKept > 0) this.records.splice(0, firstKept);
    this.recordsFrom = Math.max(this.recordsFrom, from);
    while (!this.recordsEnded && (to === undefined || (this.records.at(-1)?.c ?? this.recordsFrom - 1) < to - 1)) {
      const record = await this.checkpoint!.nextRecord();
      if (!record) this.recordsEnded = true;
      else this.records.push(record);
    }
    return this.records.filter((record) => record.c >= from && (to === undefined || record.c < to));
  }

  /** An event of the range of task `id` (from its port, its part, or the queue's progress). */
  event(id: number, event: RangeEvent, worker?: string): void {
    const { host } = this;
    if (this.finished.has(id)) return;
    if (event.type === 'chunk') {
      this.inFlight.set(id, (this.inFlight.get(id) ?? 0) + (event.state === 'pending' ? 1 : event.state === 'done' || event.state === 'failed' ? -1 : 0));
      host.counters.chunksInFlight = this.chunksInFlight();
    }
    if (event.type === 'progress') {
      this.live.set(id, event.counts);
      this.count();
      return;
    }
    if (event.type === 'end') return;
    // The range that starts where the output written ends began at a seam that holds.
    this.events.hear(id, event, worker, this.starts.get(id) === this.done.bytesRead);
  }

  /** An event for the job's listeners. */
  private emitEvent(event: ListenedEvent, worker: string | undefined): void {
    const { host } = this;
    switch (event.type) {
      case 'chunk': {
        const { index, state, units, attempt } = event;
        host.emit('chunk', { index, state, units, attempt });
        break;
      }
      case 'unitError':
        host.emit('unitError', { unit: event.unit, error: fromErrorData(event.error, this.fileName), ...(worker === undefined ? {} : { worker }) });
        break;
      case 'warning': {
        const { type: _type, ...warning } = event;
        if (warning.code === 'XLIFF_DUPLICATE_ID') this.options.logger?.warn({ unitId: warning.unit.id, line: warning.unit.location.line, column: warning.unit.location.column }, warning.message);
        else if (warning.code === 'XLIFF_CACHE') this.options.logger?.warn({ level: warning.level }, warning.message);
        else this.options.logger?.warn(warning.message);
        host.emit('warning', warning);
        break;
      }
    }
  }

  private chunksInFlight(): number {
    let sum = 0;
    for (const chunks of this.inFlight.values()) sum += chunks;
    return Math.max(0, sum);
  }

  /** The job's counts: the ranges taken, and the latest of those under way. */
  private count(): void {
    let total = this.done;
    let ahead = 0;
    for (const counts of this.live.values()) {
      total = add(total, counts);
      // A worker of an older version on a queue gives none.
      ahead += Number.isFinite(counts.bytesDone) ? counts.bytesDone : 0;
    }
    const counters = this.host.counters;
    for (const key of JOB_COUNTS) counters[key] = total[key];
    counters.bytesDoneAhead = ahead;
  }
}

function add(a: RangeCounts, b: RangeCounts): RangeCounts {
  const sum = { ...a };
  for (const key of COUNTS) sum[key] += b[key];
  return sum;
}
