/**
 * The unit of work of a worker thread: a byte range of a file that starts at a seam (a
 * `ReadContext`), in; what it holds, and the context where it ends, out. Plain data both
 * ways, so that it crosses threads (and, later, machines).
 */
import type { MessagePort } from 'node:worker_threads';
import { XliffError } from '../errors.js';
import type { JournalRecord } from '../io/journal.js';
import type { Unit } from '../model.js';
import type { ReadContext } from '../read/read-context.js';
import type { CacheLevelStats } from '../cache/cache-levels.js';
import type { ChunkEvent, UnitResult, WarningEvent } from '../job/events.js';
import type { Progress } from '../job/progress.js';
import type { RetriedClass } from '../job/error-class.js';
import type { CacheOptions } from '../options.js';
import type { ResolvedRetry } from '../job/retry-options.js';
import type { SharedResultsLink } from './shared-results.js';

/**
 * What a worker gives of its range: its units; its statistics (one `StatsPart`); or, to
 * validate, the count of its units and the problems it found (`ValidateItem`s).
 */
export type RangeKind = 'units' | 'stats' | 'validate' | 'process';

/** What a range gives to validate. */
export type ValidateItem = { readonly encoding: string } | { readonly units: number } | { readonly problem: ErrorData };

export interface RangeTask {
  readonly kind: RangeKind;
  /** `false`: XML only, no units (`validate` with `xml: true`). */
  readonly xliff: boolean;
  readonly path: string;
  /** Name shown in error messages. */
  readonly fileName: string;
  readonly start: number;
  /** Excluded. */
  readonly end: number;
  /** Whether the range ends the document (its reader then checks the document is whole). */
  readonly last: boolean;
  /** Where the range starts; `undefined` at the start of the document. */
  readonly context: ReadContext | undefined;
  readonly maxUnitBytes: number;
  readonly maxDepth: number;
  /** For `process`: the job's part of it. */
  readonly job?: RangeJobTask | undefined;
}

/** What a worker runs a job's range with (`processXliff` on threads). */
export interface RangeJobTask {
  /** Names the task: its part comes back with it. */
  readonly id: number;
  /** The processor module (`href`) and its `setup`'s data. */
  readonly processModule: string | undefined;
  readonly processModuleData: unknown;
  /** The job's options that cross threads and may change what the range gives (no functions: those come from the module). */
  readonly options: RangeJobOptions;
  /** The options that change only how the range runs, not what it gives (a range job's id leaves them out). */
  readonly running: RangeRunOptions;
  /** The index of the range's first chunk (a range starts at a chunk). */
  readonly firstChunk: number;
  /** Whether to record the range's chunks (a checkpoint), and the records of them an earlier run wrote. */
  readonly journal: { readonly path: string; readonly records: readonly JournalRecord[] } | undefined;
  /** Whether to give the units' results (the caller iterates the job). */
  readonly results: boolean;
  /**
   * Where the range's events go as they happen (arrays of `RangeEvent`s, in order). Without one (a range run
   * on another machine), its events come back with its part, its progress through the queue.
   */
  readonly events: MessagePort | undefined;
  /** The job's cache shared across its workers (with a cache). */
  readonly shared: SharedResultsLink | undefined;
  /** A buffer an earlier range's output was written from, for this range's (moved, not copied: `OutputBuffer`). */
  readonly outputBuffer?: ArrayBuffer | undefined;
}

export interface RangeJobOptions {
  readonly per: 'unit' | 'segment';
  readonly chunkUnits: number;
  readonly chunkBytes: number;
  /** The memory level's size, and the levels behind it (each range's job opens them). */
  readonly cache: false | (Omit<CacheOptions, 'stores'> & { readonly max: number });
  readonly retry: ResolvedRetry;
  readonly timeoutMs: number | undefined;
  readonly onError: 'abort' | 'skip';
  readonly targetLanguage: string | undefined;
}

export interface RangeRunOptions {
  readonly highWaterMark: number;
  readonly concurrency: number;
  readonly progressIntervalMs: number;
}

/** The counts of a range's job, as its progress goes (`Progress`'s) and at its end; `bytesRead`, `bytesDone`: of the range. */
export type RangeCounts = Pick<Progress, 'unitsRead' | 'unitsDone' | 'unitsCached' | 'unitsSkipped' | 'unitsFailed' | 'unitsReplayed' | 'bytesRead' | 'bytesDone'>;

/** What a range's job tells as it goes. */
export type RangeEvent =
  | ({ readonly type: 'chunk' } & ChunkEvent)
  | { readonly type: 'unitError'; readonly unit: Unit; readonly error: ErrorData }
  | ({ readonly type: 'warning' } & WarningEvent)
  | { readonly type: 'progress'; readonly counts: RangeCounts }
  /** The range's last message. */
  | { readonly type: 'end' };

/** A unit's result as it crosses threads: its error as data. */
export type UnitResultData = Omit<UnitResult, 'error'> & { readonly error: ErrorData | undefined };

/** What a range's job gives: its output, its counts, its journal records and its results. */
export interface ProcessPart {
  /** The task's `id`. */
  readonly id: number;
  /** The range's output: its bytes as written. */
  readonly output: Uint8Array;
  readonly counts: RangeCounts;
  /** Chunks begun. */
  readonly chunks: number;
  readonly unitsChanged: number;
  readonly retries: number;
  readonly retriesByClass: Readonly<Record<RetriedClass, number>>;
  readonly warnings: number;
  /** What the levels of the cache behind memory did in the range. */
  readonly cacheLevels: Readonly<Record<string, CacheLevelStats>>;
  /** The records of the chunks it processed, for the journal (with a checkpoint). */
  readonly journal: readonly JournalRecord[] | undefined;
  /** The chunks' results, when asked for. */
  readonly results: readonly ChunkResultData[] | undefined;
  /**
   * The unit ids the range holds, each the first time in its file there: file index, the
   * id's `hash64` (two halves) and the unit's input offset, four numbers each; so that the
   * calling thread finds an id used in two ranges.
   */
  readonly firstIds: readonly number[];
  /** The range read (to read a unit of it again, for a warning). */
  readonly range: { readonly start: number; readonly end: number; readonly context: ReadContext | undefined };
  /** Without a port: the range's events but its progress, in order. */
  readonly events?: readonly RangeEvent[] | undefined;
  /** On a queue: the name of the worker that ran it. */
  readonly worker?: string | undefined;
}

export interface ChunkResultData {
  readonly index: number;
  readonly results: UnitResultData[];
}

/** Where a range's chunks end, for the seam checks (`process`). */
export interface RangeChunks {
  /** Chunks begun. */
  readonly chunks: number;
  /** The last chunk's units and bytes of units, unless it was full by its count (then 0). */
  readonly openUnits: number;
  readonly openBytes: number;
  /** The input bytes of the range's first unit (`undefined`: none). */
  readonly firstUnitBytes: number | undefined;
}

export interface RangeResult {
  /** Units, one `StatsPart`, or `ValidateItem`s, by the task's kind. */
  readonly items: unknown[];
  /** Where the range ends, if reading can go on from there (not for the last range, nor after an error). */
  readonly context: ReadContext | undefined;
  readonly error: ErrorData | undefined;
  /** For `process`: where its chunks end. */
  readonly chunks?: RangeChunks | undefined;
  /** CPU time the worker spent on the range (user + system), in microseconds. */
  readonly cpuMicros: number;
}

/** An error as it crosses a thread: an `XliffError`'s fields, or another error's message. */
export type ErrorData =
  | (Pick<XliffError, 'code' | 'reason' | 'file' | 'line' | 'column' | 'offset' | 'unitId'> & {
      /** The message and stack of its cause, if it has one (a processor's error). */
      readonly cause: { readonly message: string; readonly stack: string | undefined } | undefined;
    })
  | { readonly code: undefined; readonly message: string; readonly stack: string | undefined };

export function toErrorData(error: unknown): ErrorData {
  if (error instanceof XliffError) {
    const { code, reason, file, line, column, offset, unitId } = error;
    const cause = error.cause === undefined ? undefined : { message: String((error.cause as Error)?.message ?? error.cause), stack: (error.cause as Error)?.stack };
    return { code, reason, file, line, column, offset, unitId, cause };
  }
  return { code: undefined, message: String((error as Error)?.message ?? error), stack: (error as Error)?.stack };
}

/** The error again, on this side: the same `XliffError` (message, position), or an `XLIFF_WORKER` one. */
export function fromErrorData(data: ErrorData, fileName: string): XliffError {
  if (data.code === undefined) return new XliffError('XLIFF_WORKER', `a worker thread failed: ${data.message}`, { file: fileName, cause: Object.assign(new Error(data.message), { stack: data.stack }) });
  const { code, reason, cause, ...details } = data;
  return new XliffError(code, reason, { ...details, cause: cause && Object.assign(new Error(cause.message), { stack: cause.stack }) });
}
