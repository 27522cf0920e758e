/**
 * A job's byte range, on a worker thread (`processXliff` with `threads`): the job itself
 * (reader, chunker, processor path with its cache and pool, writer) over the range, from the
 * context it starts in, with the module's processor. Its output is kept in memory and moved
 * to the calling thread, which writes the ranges in document order; its events go out on the
 * task's port as they happen, in batches (`RangeEvent[]`).
 */
import { Writable } from 'node:stream';
import { LRUCache } from 'lru-cache';
import { RangeJournal } from '../job/checkpoint.js';
import type { ChunkResult } from '../job/events.js';
import { XliffJob } from '../job/job.js';
import type { Progress } from '../job/progress.js';
import type { CachedUpdate } from '../options.js';
import { OutputBuffer } from './output-buffer.js';
import { sharedResults } from './shared-results.js';
import { toErrorData, type ChunkResultData, type ProcessPart, type RangeCounts, type RangeEvent, type RangeResult, type RangeTask } from './range-task.js';

/** The most events a message carries, and the longest an event waits for its message. */
const EVENT_BATCH = 256;
const EVENT_FLUSH_MS = 20;

export interface ProcessedRange {
  readonly result: RangeResult;
  /** What moves to the calling thread instead of being copied: the output's buffer. */
  readonly transfer: ArrayBuffer[];
}

/**
 * The cache of this worker thread: one for all the ranges it reads (a worker serves one
 * job), so that a source met again in a later range of this thread is not processed again.
 */
let threadCache: LRUCache<string, CachedUpdate> | undefined;
/** The range's job under way on this thread (or the last one): what it holds answers the other workers. */
let current: XliffJob | undefined;

/** A range run on another machine (distribute/): its progress, and the memory level of the cache it uses. */
export interface RemoteRange {
  readonly progress: (counts: RangeCounts) => void;
  readonly memory: LRUCache<string, CachedUpdate> | undefined;
  /** Stops the range (its worker closing without Redis): it ends with `XLIFF_ABORTED`. */
  readonly signal?: AbortSignal | undefined;
}

export async function processRange(task: RangeTask, cpuMicros: () => number, remote?: RemoteRange): Promise<ProcessedRange> {
  const job = task.job!;
  const port = job.events;
  // Without a port, the events are kept for the part, and progress goes to `remote`.
  const kept: RangeEvent[] = [];
  // Posted in batches, in order, every EVENT_FLUSH_MS: a message costs ~50 µs of CPU here, and a
  // job's chunks give three events each, each in a turn of its own of this thread's loop.
  let batch: RangeEvent[] = [];
  let flushing = false;
  const flush = (): void => {
    flushing = false;
    if (batch.length === 0) return;
    port!.postMessage(batch);
    batch = [];
  };
  const post = (event: RangeEvent): void => {
    if (port) {
      batch.push(event);
      if (event.type === 'end' || batch.length >= EVENT_BATCH) flush();
      else if (!flushing) {
        flushing = true;
        setTimeout(flush, EVENT_FLUSH_MS);
      }
    } else if (event.type === 'progress') remote?.progress(event.counts);
    else if (event.type !== 'end') kept.push(event);
  };
  const collected = new OutputBuffer(task.end - task.start, job.outputBuffer);
  const output = new Writable({
    write(chunk: Uint8Array, _encoding, done) {
      collected.add(chunk);
      done();
    },
  });
  const journal = job.journal && new RangeJournal(job.journal.records, job.journal.path);
  const shared = job.shared && sharedResults(job.shared, (hashed) => current?.lookupResult(hashed));
  const rangeJob = new XliffJob(
    task.path,
    {
      ...job.options,
      ...job.running,
      fileName: task.fileName,
      maxUnitBytes: task.maxUnitBytes,
      maxDepth: task.maxDepth,
      processModule: job.processModule,
      processModuleData: job.processModuleData,
      output,
      signal: remote?.signal,
    },
    {
      start: task.start,
      end: task.end,
      last: task.last,
      context: task.context,
      firstChunk: job.firstChunk,
      journal,
      shared,
      // One memory level for every range this thread reads (on another machine, the one the worker keeps for this job's processor).
      memory: job.options.cache && (remote ? remote.memory : (threadCache ??= new LRUCache<string, CachedUpdate>({ max: job.options.cache.max }))),
    },
  );
  current = rangeJob;
  rangeJob.on('chunk', (event) => post({ type: 'chunk', ...event }));
  rangeJob.on('unitError', ({ unit, error }) => post({ type: 'unitError', unit, error: toErrorData(error) }));
  rangeJob.on('warning', (warning) => post({ type: 'warning', ...warning }));
  rangeJob.on('progress', (progress) => post({ type: 'progress', counts: countsOf(progress, task.start) }));
  const results: ChunkResultData[] = [];
  try {
    if (job.results) for await (const chunk of rangeJob) results.push(chunkData(chunk));
    const summary = await rangeJob.done;
    const end = rangeJob.rangeEnd!;
    const bytes = collected.bytes();
    const part: ProcessPart = {
      id: job.id,
      output: bytes,
      counts: {
        unitsRead: summary.units,
        unitsDone: summary.units,
        unitsCached: summary.unitsCached,
        unitsSkipped: summary.unitsSkipped,
        unitsFailed: summary.unitsFailed,
        unitsReplayed: summary.unitsReplayed,
        bytesRead: task.end - task.start,
        bytesDone: task.end - task.start,
      },
      chunks: end.chunks,
      unitsChanged: summary.unitsChanged,
      retries: summary.retries,
      retriesByClass: summary.retriesByClass,
      warnings: summary.warnings,
      cacheLevels: summary.cacheLevels,
      journal: journal?.appended,
      results: job.results ? results : undefined,
      firstIds: rangeJob.firstIds,
      range: { start: task.start, end: task.end, context: task.context },
      events: port ? undefined : kept,
    };
    const result: RangeResult = {
      items: [part],
      context: end.context,
      error: undefined,
      chunks: { chunks: end.chunks, openUnits: end.openUnits, openBytes: end.openBytes, firstUnitBytes: end.firstUnitBytes },
      cpuMicros: cpuMicros(),
    };
    return { result, transfer: bytes.byteLength > 0 ? [bytes.buffer as ArrayBuffer] : [] };
  } catch (error) {
    return { result: { items: [], context: undefined, error: toErrorData(error), cpuMicros: cpuMicros() }, transfer: [] };
  } finally {
    post({ type: 'end' });
    port?.close();
  }
}

function countsOf(progress: Progress, start: number): RangeCounts {
  const { unitsRead, unitsDone, unitsCached, unitsSkipped, unitsFailed, unitsReplayed } = progress;
  return { unitsRead, unitsDone, unitsCached, unitsSkipped, unitsFailed, unitsReplayed, bytesRead: Math.max(0, progress.bytesRead - start), bytesDone: Math.max(0, progress.bytesDone - start) };
}

function chunkData(chunk: ChunkResult): ChunkResultData {
  return { index: chunk.index, results: chunk.results.map((result) => ({ ...result, error: result.error && toErrorData(result.error) })) };
}
