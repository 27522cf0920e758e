/**
 * What a job tells its caller: the typed events, the results the iterator hands on, and the
 * summary `done` resolves with.
 */
import type { XliffError } from '../errors.js';
import type { Unit } from '../model.js';
import type { UnitUpdate } from '../write/update.js';
import type { Progress } from './progress.js';

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
