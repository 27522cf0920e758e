/**
 * Every option of the entry points: the types users write and their defaults (what they
 * resolve to, and how they are checked: normalize-options.ts).
 */
import type { Writable } from 'node:stream';
import type { Logger, LoggerOptions } from 'pino';
import type { CircuitBreakerOptions, EndpointOptions, EndpointStrategy } from './endpoints/endpoint-options.js';
import type { RetryOptions } from './job/retry-options.js';
import type { Segment, Unit } from './model.js';
import type { SegmentResult, UnitUpdate } from './write/update.js';
import type { CacheOption } from './cache-options.js';

export { DEFAULT_CACHE_MAX, normalizeCache, normalizeCacheLevels, type CacheOption, type CachedUpdate, type CacheOptions, type ResolvedCache, type ResolvedCacheLevels } from './cache-options.js';

// ---- readUnits, readChunks, computeStats

export interface ReadOptions {
  /** Stops reading: the iterator throws an `XliffError` with code `XLIFF_ABORTED`. */
  readonly signal?: AbortSignal | undefined;
  /** Name shown in error messages; defaults to the path, or `<stream>`. */
  readonly fileName?: string | undefined;
  /**
   * A unit larger than this (in input bytes) fails with `XLIFF_UNIT_TOO_LARGE`; the reader
   * never holds more than about this much of one unit. Outside units, also the longest
   * piece of markup (tag, comment, PI, CDATA section, DOCTYPE) and run of text, in characters.
   * @default 67108864 (64 MiB)
   */
  readonly maxUnitBytes?: number | undefined;
  /**
   * Elements nested deeper than this (the root is at depth 1) fail with `XLIFF_TOO_DEEP` at
   * the start tag that goes past it; `Infinity` for no limit. libxml2's default; real files
   * go to a few dozen levels (the deepest of test/corpus, 72). Each unit carries its groups,
   * so this also bounds what one unit costs.
   * @default 256
   */
  readonly maxDepth?: number | undefined;
}

/** Worker threads for what reads a whole file and keeps only figures of it (`computeStats`, `validate`). */
export interface ThreadOptions {
  /**
   * Worker threads that read the input at once, each its own byte ranges of it, cut at units
   * (a number, or `'auto'`: one per core and per 32 MiB of the file, none under 64 MiB). What comes out is what
   * one thread gives: the same figures, the same problems, the same error at the same place.
   * Files only (a path or a `file:` URL) in UTF-8 or a single-byte encoding: other inputs
   * (streams, buffers, gzip, UTF-16) are read on the calling thread.
   * @default 1
   */
  readonly threads?: number | 'auto' | undefined;
  /**
   * With `threads`: the least input bytes a worker reads in one range (a range ends at the
   * first unit after). Smaller ranges spread the work more evenly and hold less in memory,
   * larger ones cost fewer messages.
   * @default 4194304 (4 MiB)
   */
  readonly threadRangeBytes?: number | undefined;
  /**
   * With `threads`: a memory budget for the threads (bytes, or a size such as `'300MB'`,
   * `'1GiB'`): as many worker threads as fit in it, each counted at what one holds at most
   * (its heap, and its ranges read ahead and written: `WORKER_MEMORY_BYTES` + 3 ranges), beside
   * this thread's own (`MAIN_MEMORY_BYTES`). Fewer threads than asked when it is tight; one
   * (no worker) when not even one fits. `'auto'` also keeps to half the memory free.
   * @default no budget
   */
  readonly maxMemory?: number | string | undefined;
}

export interface ValidateOptions extends ReadOptions, ThreadOptions {
  /**
   * Check any XML document as XML only (well-formedness and namespaces), whatever its root;
   * `false` checks also that it is XLIFF (root element, namespace, version).
   * @default false
   */
  readonly xml?: boolean | undefined;
}

export interface ChunkOptions extends ReadOptions {
  /**
   * Units per chunk at most.
   * @default 200
   */
  readonly chunkUnits?: number | undefined;
  /**
   * Input bytes per chunk at most (a chunk always holds at least one unit).
   * @default Infinity
   */
  readonly chunkBytes?: number | undefined;
}

/** `computeStats` reads as `readUnits` does (its `signal` rejects the promise with `XLIFF_ABORTED`); with `threads`, each worker counts its ranges. */
export interface StatsOptions extends ReadOptions, ThreadOptions {}

// ---- processXliff

export interface ProcessContext {
  /** Aborted when the job is aborted or the attempt times out: pass it to your HTTP client. */
  readonly signal: AbortSignal;
  /** 1 for the first call, 2 for the first retry... */
  readonly attempt: number;
  readonly logger: Logger;
}

/** A processor of one item (a unit, or a segment with `per: 'segment'`): its result, or `undefined` to leave the item as it is. */
export type ItemProcessor<Item, Result> = (item: Item, context: ProcessContext) => Result | undefined | Promise<Result | undefined>;
/** A processor of a chunk's items at once: one result (or `undefined`) per item, in order. */
export type ItemBatchProcessor<Item, Result> = (
  items: readonly Item[],
  context: ProcessContext,
) => ReadonlyArray<Result | undefined> | Promise<ReadonlyArray<Result | undefined>>;

export type UnitProcessor = ItemProcessor<Unit, UnitUpdate>;
export type BatchProcessor = ItemBatchProcessor<Unit, UnitUpdate>;

/** A segment as a processor gets it with `per: 'segment'`: the segment, its place in its unit, and the unit. */
export interface UnitSegment extends Segment {
  /** Index in `unit.segments`. */
  readonly index: number;
  readonly unit: Unit;
}

export type SegmentProcessor = ItemProcessor<UnitSegment, SegmentResult>;
export type SegmentBatchProcessor = ItemBatchProcessor<UnitSegment, SegmentResult>;

/** `processXliff`'s options with a processor of units (the default, `per: 'unit'`). */
export interface ProcessOptions extends JobOptions {
  /** What the processor is given: units (`'unit'`), or segments (`'segment'`: see `SegmentProcessOptions`). @default 'unit' */
  readonly per?: 'unit' | undefined;
  /** Called once per unit that passes `filter`; returns an update, or `undefined` to leave the unit as it is. */
  readonly process?: UnitProcessor | undefined;
  /** Called once per chunk with its units that pass `filter` (and are not cached); returns one update per unit, in order. */
  readonly processBatch?: BatchProcessor | undefined;
  /** Instead of `process` / `processBatch`: several services, each with its own (see `JobOptions.endpointStrategy`). */
  readonly endpoints?: ReadonlyArray<EndpointOptions<Unit, UnitUpdate>> | undefined;
  /**
   * Which units go to the processor.
   * @default (unit) => unit.translate
   */
  readonly filter?: ((unit: Unit) => boolean) | undefined;
  /**
   * The cache key of a unit.
   * @default the source's inner XML and the target language
   */
  readonly cacheKey?: ((unit: Unit) => string) | undefined;
}

/**
 * `processXliff`'s options with a processor of segments: each `segment` of a unit (2.x
 * `segment`, 1.2 `mrk mtype="seg"`, or a 1.2 unit without them, whole) goes to the processor
 * on its own, with its unit beside it; ignorables do not. The job writes the unit with the
 * segments' results (`UnitUpdate.segments`). The cache keys on the segment's source, so a
 * sentence met in many units is processed once. Counts stay per unit: a unit is cached when
 * each of its segments was, skipped when `filter` let none of them through, failed when one
 * of them failed; retries, `concurrency` and `rateLimit` count processor calls.
 */
export interface SegmentProcessOptions extends JobOptions {
  readonly per: 'segment';
  /** Called once per segment that passes `filter`; returns its target and state, or `undefined` to leave it as it is. */
  readonly process?: SegmentProcessor | undefined;
  /** Called once per chunk with the segments of its units that pass `filter` (and are not cached); returns one result per segment, in order. */
  readonly processBatch?: SegmentBatchProcessor | undefined;
  /** Instead of `process` / `processBatch`: several services, each with its own. */
  readonly endpoints?: ReadonlyArray<EndpointOptions<UnitSegment, SegmentResult>> | undefined;
  /**
   * Which segments go to the processor.
   * @default (segment) => segment.unit.translate
   */
  readonly filter?: ((segment: UnitSegment) => boolean) | undefined;
  /**
   * The cache key of a segment.
   * @default the segment source's inner XML and the target language
   */
  readonly cacheKey?: ((segment: UnitSegment) => string) | undefined;
}

/** The names of the library's own processor modules (`processModule`). */
export type BuiltInProcessModule = 'xliff-stream:pseudo';

/** What `processXliff` takes whatever its processor is given. */
export interface JobOptions extends ChunkOptions, ThreadOptions {
  /**
   * The processor as a module (a path or a `file:` URL) instead of `process` / `processBatch`: it
   * exports `process` or `processBatch`, and may export `filter`, `cacheKey` and `setup`
   * (awaited once per thread with `processModuleData`, before any call). With `threads`, each
   * worker thread imports it and calls it on the units it reads; without, this thread does.
   * With `per: 'segment'`, its functions take segments. Or a built-in module by name:
   * `'xliff-stream:pseudo'` (segments; its data is `pseudoSegment`'s options), which each thread
   * and each queue worker imports from its own install.
   */
  readonly processModule?: BuiltInProcessModule | (string & {}) | URL | undefined;
  /** Given to the module's `setup`: plain data (it is copied to each worker thread). */
  readonly processModuleData?: unknown;
  /**
   * Processor calls in flight at most.
   * @default 8
   */
  readonly concurrency?: number | undefined;
  /**
   * Chunks read ahead of the writer at most: reading waits while this many are in flight.
   * With `threads`, each range's job on a worker keeps 8 unless this is given (a chunk may
   * wait there for another worker's cached answer, and reading goes on meanwhile).
   * @default 2
   */
  readonly highWaterMark?: number | undefined;
  /**
   * Cache of updates by source: options of an lru-cache (`max`), an `LRUCache` to share
   * across jobs, `true` for the default one, or `false` for none (and no single flight).
   * @default { max: 10_000 }
   */
  readonly cache?: CacheOption;
  /**
   * Retries of a failed processor call, by what failed (`RetryOptions`); a number: how many
   * for every class; `false`: none.
   * @default { retries: 3, minDelayMs: 200, maxDelayMs: 30_000, factor: 2, rateLimit: {...}, network: {...}, server: {...} }
   */
  readonly retry?: RetryOptions | number | boolean | undefined;
  /** Time one processor call may take; past it its `signal` aborts and the attempt fails. */
  readonly timeoutMs?: number | undefined;
  /** Processor calls per interval at most. */
  readonly rateLimit?: RateLimitOptions | undefined;
  /**
   * With `endpoints`: how each call picks one (`EndpointStrategy`).
   * @default 'round-robin'
   */
  readonly endpointStrategy?: EndpointStrategy | undefined;
  /**
   * With `endpoints`: each endpoint's circuit breaker (`CircuitBreakerOptions`).
   * @default { consecutiveFailures: 5, halfOpenAfterMs: 5000, maxHalfOpenAfterMs: 60000, maxWaitMs: 60000 }
   */
  readonly circuitBreaker?: CircuitBreakerOptions | undefined;
  /**
   * What a unit whose processing failed (after its retries) does: `'abort'` fails the job,
   * `'skip'` writes the unit unchanged and reports it in `unitError` and the summary.
   * @default 'abort'
   */
  readonly onError?: 'abort' | 'skip' | undefined;
  /** A pino logger, or options for one. @default silent */
  readonly logger?: Logger | LoggerOptions | undefined;
  /** Where the result goes: a path (written to a temporary file, renamed on success) or a Writable. */
  readonly output?: string | Writable | undefined;
  /** Sets 1.2 `file/@target-language` / 2.x `xliff/@trgLang` where missing. */
  readonly targetLanguage?: string | undefined;
  /**
   * Time between `progress` events.
   * @default 250
   */
  readonly progressIntervalMs?: number | undefined;
  /**
   * Resume after a crash: a journal of the finished chunks, beside the output
   * (`<output>.journal`) with `true`, or at `path`. `restart: true` starts over when the
   * journal does not match the input or options (instead of `XLIFF_CHECKPOINT_MISMATCH`).
   * Needs the input as a file path.
   * @default false
   */
  readonly checkpoint?: boolean | CheckpointOptions | undefined;
}

export interface CheckpointOptions {
  /** Where the journal goes. @default `<output>.journal` */
  readonly path?: string | undefined;
  /** Start over when the journal does not match. @default false */
  readonly restart?: boolean | undefined;
  /**
   * What else changes the output, e.g. the MT engine and its version: a journal written
   * with another key is not replayed.
   */
  readonly key?: string | undefined;
  /**
   * Time between two syncs of the journal to disk at most: what a crash can lose.
   * @default 1000
   */
  readonly syncIntervalMs?: number | undefined;
}

export interface RateLimitOptions {
  /** Calls that may start in any window of `intervalMs`: a whole number from 1 up. */
  readonly limit: number;
  /** The window, in milliseconds (more than 0). */
  readonly intervalMs: number;
}

// ---- Defaults

export const DEFAULT_MAX_UNIT_BYTES = 64 * 1024 * 1024;
export const DEFAULT_MAX_DEPTH = 256;
export const DEFAULT_CHUNK_UNITS = 200;
export const DEFAULT_THREAD_RANGE_BYTES = 4 * 1024 * 1024;
