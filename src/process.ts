/**
 * `processXliff`: reads units in chunks, runs the user's processor over them with
 * bounded concurrency (retries, timeouts, rate limit, cache), and writes the document
 * back in order: skeleton and untouched units verbatim, changed units with only their
 * target and state edited. The stages live in `src/job/` (docs/ARCHITECTURE.md).
 */
import type { XliffInput } from './io/input.js';
import { XliffJob } from './job/job.js';
import type { ProcessOptions, SegmentProcessOptions } from './options.js';

export { XliffJob };
export type { ChunkEvent, ChunkResult, ChunkState, JobEvents, Summary, UnitErrorEvent, UnitResult, WarningEvent, DuplicateIdWarning, CacheStoreWarning, NoWorkerWarning, ThreadsSummary } from './job/events.js';
export type { SequentialReason } from './threads/thread-pool.js';

/**
 * Runs `options.process` (or `processBatch`) over every unit of `input` (with `per:
 * 'segment'`, over every segment) and writes the result to `options.output`. Returns a job:
 * an EventEmitter (`progress`, `chunk`, `unitError`, `warning`, `done`), an async iterable of
 * chunk results, and `done`.
 */
export function processXliff(input: XliffInput, options: ProcessOptions | SegmentProcessOptions): XliffJob {
  return new XliffJob(input, options);
}
