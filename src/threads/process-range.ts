/**
 * A job's byte range, on a worker thread (`processXliff` with `threads`): the job itself
 * (reader, chunker, processor path with its cache and pool, writer) over the range, from the
 * context it starts in, with the module's processor. Its output is kept in memory and moved
 * to the calling thread, which writes the ranges in document order; its events go out on the
 * task's port as they happen.
 */
import { Writable } from 'node:stream';
import { LRUCache } from 'lru-cache';
import { RangeJournal } from '../job/checkpoint.js';
import type { ChunkResult } from '../job/events.js';
import { XliffJob } from '../job/job.js';
import type { Progress } from '../job/progress.js';
import type { CachedUpdate } from '../options.js';
import { toErrorData, type ChunkResultData, type ProcessPart, type RangeCounts, type RangeEvent, type RangeResult, type RangeTask } from './range-task.js';

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

export async function processRange(task: RangeTask, cpuMicros: () => number): Promise<ProcessedRange> {
  const job = task.job!;
  const port = job.events;
  const post = (event: RangeEvent): void => port.postMessage(event);
  const pieces: Uint8Array[] = [];
  const output = new Writable({
    write(chunk: Uint8Array, _encoding, done) {
      pieces.push(chunk);
      done();
    },
  });
  const journal = job.journal && new RangeJournal(job.journal.records, job.journal.path);
  const rangeJob = new XliffJob(
    task.path,
    {
      ...job.options,
      cache: job.options.cache && (threadCache ??= new LRUCache<string, CachedUpdate>({ max: job.options.cache.max })),
      fileName: task.fileName,
      maxUnitBytes: task.maxUnitBytes,
      maxDepth: task.maxDepth,
      processModule: job.processModule,
      processModuleData: job.processModuleData,
      output,
    },
    { start: task.start, end: task.end, last: task.last, context: task.context, firstChunk: job.firstChunk, journal },
  );
  rangeJob.on('chunk', (event) => post({ type: 'chunk', ...event }));
  rangeJob.on('unitError', ({ unit, error }) => post({ type: 'unitError', unit, error: toErrorData(error) }));
  rangeJob.on('warning', ({ code, message, unit }) => post({ type: 'warning', code, message, unit }));
  rangeJob.on('progress', (progress) => post({ type: 'progress', counts: countsOf(progress, task.start) }));
  const results: ChunkResultData[] = [];
  try {
    if (job.results) for await (const chunk of rangeJob) results.push(chunkData(chunk));
    const summary = await rangeJob.done;
    const end = rangeJob.rangeEnd!;
    const bytes = joined(pieces);
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
      },
      chunks: end.chunks,
      unitsChanged: summary.unitsChanged,
      retries: summary.retries,
      warnings: summary.warnings,
      journal: journal?.appended,
      results: job.results ? results : undefined,
      firstIds: rangeJob.firstIds,
      range: { start: task.start, end: task.end, context: task.context },
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
    port.close();
  }
}

function countsOf(progress: Progress, start: number): RangeCounts {
  const { unitsRead, unitsDone, unitsCached, unitsSkipped, unitsFailed, unitsReplayed } = progress;
  return { unitsRead, unitsDone, unitsCached, unitsSkipped, unitsFailed, unitsReplayed, bytesRead: Math.max(0, progress.bytesRead - start) };
}

function chunkData(chunk: ChunkResult): ChunkResultData {
  return { index: chunk.index, results: chunk.results.map((result) => ({ ...result, error: result.error && toErrorData(result.error) })) };
}

/** The pieces in one buffer of its own (a pooled Buffer's memory must not be moved to another thread). */
function joined(pieces: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const piece of pieces) length += piece.length;
  const bytes = new Uint8Array(length);
  let at = 0;
  for (const piece of pieces) {
    bytes.set(piece, at);
    at += piece.length;
  }
  return bytes;
}
