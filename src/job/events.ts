/**
 * What a job tells its caller: the typed events, the results the iterator hands on, and the
 * summary `done` resolves with.
 */
import type { CacheLevelStats } from '../cache/cache-levels.js';
import type { EndpointStats } from '../endpoints/endpoint.js';
import type { XliffError } from '../errors.js';
import type { RetriedClass } from './error-class.js';
import type { Unit } from '../model.js';
import type { UnitUpdate } from '../write/update.js';
import type { Progress } from './progress.js';
import type { SequentialReason } from '../threads/thread-pool.js';

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
  /** With `distributeXliff`: the worker whose processor failed on it. */
  readonly worker?: string | undefined;
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
  /** What each level behind memory did (`cache.disk`: `disk`, `cache.redis`: `redis`, the stores by name): lookups that found (`hits`) or missed, values written, failures. */
  readonly cacheLevels: Readonly<Record<string, CacheLevelStats>>;
  /** Failed processor calls that were tried again... */
  readonly retries: number;
  /** ...by what failed (job/error-class.ts). */
  readonly retriesByClass: Readonly<Record<RetriedClass, number>>;
  /** With `endpoints`: calls handed to another endpoint after one failed (within an attempt: not retries). */
  readonly failovers: number;
  /** With `endpoints`: each one's calls and breaker; empty without. */
  readonly endpoints: readonly EndpointStats[];
  readonly bytesRead: number;
  readonly bytesWritten: number;
  readonly elapsedMs: number;
  /** The output path, when the output is a file. */
  readonly output: string | undefined;
  /** Duplicate unit ids and other `warning`s. */
  readonly warnings: number;
  /** How the input was read: on worker threads, or on this thread and why. */
  readonly threads: ThreadsSummary;
}

/** How a job's input was read (`threads`). */
export interface ThreadsSummary {
  /** Worker threads that read it (`distributeXliff`: the queue's workers that ran its ranges); 0: this thread read it. */
  readonly workers: number;
  /** Byte ranges the workers read, each a job of its own... */
  readonly ranges: number;
  /** ...and of them, those read again: a seam guessed wrong, or two ranges read as one. */
  readonly rangesReadAgain: number;
  /**
   * Why this thread read it although `threads` asked for more (`'auto'` or a number over 1):
   * `'small'`, `'memory'`, `'cores'`, `'gzip'`, `'encoding'`, `'not-a-file'` or
   * `'unreadable'` (`SequentialReason`); `undefined` when it did not, or `threads` was 1.
   */
  readonly sequential: SequentialReason | undefined;
}

/** Something odd that does not stop the job: in the input, or a cache store that failed. */
export type WarningEvent = DuplicateIdWarning | CacheStoreWarning | NoWorkerWarning;

/** A unit id met twice in a `file`. */
export interface DuplicateIdWarning {
  readonly code: 'XLIFF_DUPLICATE_ID';
  /** `file:line:column: what`. */
  readonly message: string;
  readonly unit: Unit;
}

/** A level of the result cache failed (Redis away, a disk full): it is skipped for a few seconds, the job goes on. */
export interface CacheStoreWarning {
  readonly code: 'XLIFF_CACHE';
  readonly message: string;
  /** `'disk'`, `'redis'`, or the name of a store of `cache.stores`. */
  readonly level: string;
  readonly unit?: undefined;
}

/** `distributeXliff`: range jobs have waited `queue.noWorkerWarningMs` with no worker connected to the queue (the job goes on waiting). */
export interface NoWorkerWarning {
  readonly code: 'XLIFF_QUEUE';
  readonly message: string;
  readonly unit?: undefined;
}

export interface JobEvents {
  progress: [Progress];
  chunk: [ChunkEvent];
  unitError: [UnitErrorEvent];
  warning: [WarningEvent];
  done: [Summary];
}
