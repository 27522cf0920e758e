/**
 * Every option of the entry points: the types users write, their defaults, and one
 * `normalize` per entry point that resolves and checks them. Errors say what was expected
 * and what was given: "Expected `x` to be ..., got ...", a TypeError for the wrong type,
 * a RangeError for a value out of range.
 */
import { resolve as resolvePath } from 'node:path';
import type { Writable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { LRUCache } from 'lru-cache';
import type { Logger, LoggerOptions } from 'pino';
import { loadPino } from './cjs.js';
import { describe } from './errors.js';
import { normalizeRateLimit, object, optionalFunction, optionalString, wholeNumber } from './option-checks.js';
import { normalizeEndpoints, type CircuitBreakerOptions, type EndpointOptions, type EndpointStrategy, type ResolvedEndpoints } from './endpoints/endpoint-options.js';
import { normalizeRetry, type ResolvedRetry, type RetryOptions } from './job/retry-options.js';
import type { Segment, Unit } from './model.js';
import type { SegmentResult, UnitUpdate } from './write/update.js';
import { cacheNamespace, normalizeCache, normalizeCacheLevels, type CacheOption, type ResolvedCache, type ResolvedCacheLevels } from './cache-options.js';

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

/** What `processXliff` takes whatever its processor is given. */
export interface JobOptions extends ChunkOptions, ThreadOptions {
  /**
   * The processor as a module (a path or a `file:` URL) instead of `process` / `processBatch`: it
   * exports `process` or `processBatch`, and may export `filter`, `cacheKey` and `setup`
   * (awaited once per thread with `processModuleData`, before any call). With `threads`, each
   * worker thread imports it and calls it on the units it reads; without, this thread does.
   * With `per: 'segment'`, its functions take segments.
   */
  readonly processModule?: string | URL | undefined;
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

// ---- Resolved options: every default applied, every value checked

export interface ResolvedReadOptions {
  readonly signal: AbortSignal | undefined;
  readonly fileName: string | undefined;
  readonly maxUnitBytes: number;
  readonly maxDepth: number;
}

/** What `computeStats` and `validate` take beyond the reader's options: their threads. */
export interface ResolvedThreadedReadOptions extends ResolvedReadOptions {
  readonly threads: number | 'auto';
  readonly threadRangeBytes: number;
  /** Bytes; `undefined`: no budget. */
  readonly maxMemory: number | undefined;
}

export interface ResolvedChunkOptions extends ResolvedReadOptions {
  readonly chunkUnits: number;
  readonly chunkBytes: number;
}


export interface ResolvedProcessOptions extends ResolvedChunkOptions {
  readonly per: 'unit' | 'segment';
  /** `per: 'unit'`: of units; `per: 'segment'`: of segments (so are `processBatch`, `filter` and `cacheKey`). */
  readonly process: UnitProcessor | SegmentProcessor | undefined;
  /** The module's URL (`href`). */
  readonly processModule: string | undefined;
  readonly processModuleData: unknown;
  readonly threads: number | 'auto';
  readonly threadRangeBytes: number;
  readonly maxMemory: number | undefined;
  readonly processBatch: BatchProcessor | SegmentBatchProcessor | undefined;
  /** `undefined`: none (the job's `process` or `processBatch` is called). */
  readonly endpoints: ResolvedEndpoints | undefined;
  readonly filter: ((unit: Unit) => boolean) | ((segment: UnitSegment) => boolean);
  /** Whether `filter` is the user's (and not the default). */
  readonly filterGiven: boolean;
  /** Whether the user set `chunkUnits` or `chunkBytes`, and `highWaterMark` (else the job may choose: job/chunking.ts). */
  readonly chunkSizeGiven: boolean;
  readonly highWaterMarkGiven: boolean;
  readonly concurrency: number;
  readonly highWaterMark: number;
  readonly cache: ResolvedCache;
  /** The levels behind memory: none when `undefined`. */
  readonly cacheLevels: ResolvedCacheLevels | undefined;
  /** `cache.key`: put before every cache key. */
  readonly cacheNamespace: string;
  readonly cacheKey: ((unit: Unit) => string) | ((segment: UnitSegment) => string) | undefined;
  readonly retry: ResolvedRetry;
  readonly timeoutMs: number | undefined;
  readonly rateLimit: RateLimitOptions | undefined;
  readonly onError: 'abort' | 'skip';
  /** `undefined`: none given, the job logs nothing (and pino is not loaded unless a processor reads `ctx.logger`). */
  readonly logger: Logger | undefined;
  readonly output: string | Writable | undefined;
  readonly targetLanguage: string | undefined;
  readonly progressIntervalMs: number;
  readonly checkpoint: false | CheckpointOptions;
}

// ---- One normalize per entry point

export function normalizeReadOptions(options: ReadOptions = {}): ResolvedReadOptions {
  object('options', options);
  const { signal, fileName } = options;
  if (signal !== undefined && !(signal instanceof AbortSignal)) throw new TypeError(`Expected \`signal\` to be an AbortSignal, got ${describe(signal)}`);
  return {
    signal,
    fileName: optionalString('fileName', fileName),
    maxUnitBytes: wholeNumber('maxUnitBytes', options.maxUnitBytes, 1, DEFAULT_MAX_UNIT_BYTES),
    maxDepth: options.maxDepth === Infinity ? Infinity : wholeNumber('maxDepth', options.maxDepth, 1, DEFAULT_MAX_DEPTH, ' (or Infinity)'),
  };
}

export function normalizeThreadedReadOptions(options: ReadOptions & ThreadOptions = {}): ResolvedThreadedReadOptions {
  return {
    ...normalizeReadOptions(options),
    threads: options.threads === 'auto' ? 'auto' : wholeNumber('threads', options.threads, 1, 1, " (or 'auto')"),
    threadRangeBytes: wholeNumber('threadRangeBytes', options.threadRangeBytes, 1, DEFAULT_THREAD_RANGE_BYTES),
    maxMemory: options.maxMemory === undefined ? undefined : byteSize('maxMemory', options.maxMemory),
  };
}

const SIZE_UNITS: Record<string, number> = { '': 1, B: 1, KB: 1e3, MB: 1e6, GB: 1e9, TB: 1e12, KIB: 2 ** 10, MIB: 2 ** 20, GIB: 2 ** 30, TIB: 2 ** 40, K: 2 ** 10, M: 2 ** 20, G: 2 ** 30 };

/** A size in bytes: a whole number, or a string such as `'300MB'`, `'1.5GiB'`, `'512M'` (K, M, G: powers of 1024). */
export function byteSize(name: string, value: unknown): number {
  if (typeof value === 'number') return wholeNumber(name, value, 1);
  const match = typeof value === 'string' ? /^\s*(\d+(?:\.\d+)?)\s*([KMGT]?i?B?)\s*$/i.exec(value) : null;
  const unit = match ? SIZE_UNITS[match[2]!.toUpperCase()] : undefined;
  if (!match || unit === undefined) throw new TypeError(`Expected \`${name}\` to be a number of bytes or a size such as '300MB' or '1GiB', got ${describe(value)}`);
  const bytes = Math.floor(Number(match[1]) * unit);
  if (bytes < 1) throw new RangeError(`Expected \`${name}\` to be at least 1 byte, got ${describe(value)}`);
  return bytes;
}

export function normalizeValidateOptions(options: ValidateOptions = {}): ResolvedThreadedReadOptions & { readonly xliff: boolean } {
  const read = normalizeThreadedReadOptions(options);
  if (options.xml !== undefined && typeof options.xml !== 'boolean') throw new TypeError(`Expected \`xml\` to be a boolean, got ${describe(options.xml)}`);
  return { ...read, xliff: options.xml !== true };
}

export function normalizeChunkOptions(options: ChunkOptions = {}): ResolvedChunkOptions {
  return {
    ...normalizeReadOptions(options),
    chunkUnits: wholeNumber('chunkUnits', options.chunkUnits, 1, DEFAULT_CHUNK_UNITS),
    chunkBytes: options.chunkBytes === Infinity ? Infinity : wholeNumber('chunkBytes', options.chunkBytes, 1, Infinity, ' (or Infinity)'),
  };
}

export function normalizeProcessOptions(options: ProcessOptions | SegmentProcessOptions): ResolvedProcessOptions {
  object('options', options);
  const { filter, output, targetLanguage } = options;
  const per = options.per ?? 'unit';
  if (per !== 'unit' && per !== 'segment') throw new TypeError(`Expected \`per\` to be 'unit' or 'segment', got ${describe(per)}`);
  const process = optionalFunction('process', options.process);
  const processBatch = optionalFunction('processBatch', options.processBatch);
  if (process && processBatch) throw new TypeError('Expected one of `process` and `processBatch`, got both');
  const processModule = moduleUrl(options.processModule);
  if (processModule && (process || processBatch)) throw new TypeError('Expected one of `processModule` and `process` / `processBatch`, got both');
  const endpoints = normalizeEndpoints(options.endpoints, options.endpointStrategy, options.circuitBreaker);
  if (endpoints && (process || processBatch || processModule)) throw new TypeError('Expected one of `endpoints` and `process` / `processBatch` / `processModule`, got both');
  const { threads, threadRangeBytes, maxMemory } = normalizeThreadedReadOptions(options);
  if (threads !== 1) threadChecks(options);
  if (output !== undefined && typeof output !== 'string' && !isWritable(output)) throw new TypeError(`Expected \`output\` to be a path or a Writable, got ${describe(output)}`);
  if (targetLanguage !== undefined && (typeof targetLanguage !== 'string' || !/^[A-Za-z0-9-]+$/.test(targetLanguage))) {
    throw new TypeError(`Expected \`targetLanguage\` to be a language tag such as "de-DE", got ${describe(targetLanguage)}`);
  }
  const onError = options.onError ?? 'abort';
  if (onError !== 'abort' && onError !== 'skip') throw new TypeError(`Expected \`onError\` to be 'abort' or 'skip', got ${describe(onError)}`);
  return {
    ...normalizeChunkOptions(options),
    per,
    process,
    processBatch,
    endpoints,
    processModule,
    processModuleData: options.processModuleData,
    threads,
    threadRangeBytes,
    maxMemory,
    filter: optionalFunction('filter', filter) ?? (per === 'unit' ? (unit: Unit) => unit.translate : (segment: UnitSegment) => segment.unit.translate),
    filterGiven: filter !== undefined,
    chunkSizeGiven: options.chunkUnits !== undefined || options.chunkBytes !== undefined,
    highWaterMarkGiven: options.highWaterMark !== undefined,
    concurrency: wholeNumber('concurrency', options.concurrency, 1, defaultConcurrency(endpoints)),
    highWaterMark: wholeNumber('highWaterMark', options.highWaterMark, 1, 2),
    cache: normalizeCache(options.cache),
    cacheLevels: normalizeCacheLevels(options.cache),
    cacheNamespace: cacheNamespace(options.cache),
    cacheKey: optionalFunction('cacheKey', options.cacheKey),
    retry: normalizeRetry(options.retry),
    timeoutMs: options.timeoutMs === undefined ? undefined : wholeNumber('timeoutMs', options.timeoutMs, 1),
    rateLimit: options.rateLimit === undefined ? undefined : normalizeRateLimit(options.rateLimit, 'rateLimit'),
    onError,
    logger: normalizeLogger(options.logger),
    output,
    targetLanguage,
    progressIntervalMs: wholeNumber('progressIntervalMs', options.progressIntervalMs, 1, 250),
    checkpoint: normalizeCheckpoint(options.checkpoint),
  };
}

/** 8; with endpoints that all set `maxConcurrency`, their sum. */
function defaultConcurrency(endpoints: ResolvedEndpoints | undefined): number {
  const sum = endpoints?.list.reduce((total, endpoint) => total + endpoint.maxConcurrency, 0) ?? Infinity;
  return Number.isFinite(sum) ? sum : 8;
}

/** `processModule`: a path (made absolute) or a `file:` URL, as a URL's `href`. */
function moduleUrl(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (value instanceof URL) {
    if (value.protocol !== 'file:') throw new TypeError(`Expected \`processModule\` to be a path or a file: URL, got ${value.href}`);
    return value.href;
  }
  if (typeof value !== 'string' || value === '') throw new TypeError(`Expected \`processModule\` to be a path or a file: URL, got ${describe(value)}`);
  return value.startsWith('file:') ? new URL(value).href : pathToFileURL(resolvePath(value)).href;
}

/**
 * What worker threads cannot take: functions and objects of this thread (they do not cross
 * threads); nor can the workers of a queue (`distributeXliff`, `across: 'queue'`).
 */
export function threadChecks(options: ProcessOptions | SegmentProcessOptions, across: 'threads' | 'queue' = 'threads'): void {
  const withIt = across === 'threads' ? '`threads`' : '`distributeXliff`';
  const leave = across === 'threads' ? 'leave `threads` out' : 'use `processXliff`';
  const cross = across === 'threads' ? 'a worker thread' : "another machine's worker";
  if (options.endpoints !== undefined) throw new TypeError(`Expected no \`endpoints\` with ${withIt}: calls to services run on this thread (${leave})`);
  if (options.process || options.processBatch) throw new TypeError(`Expected \`processModule\` with ${withIt}: a function cannot cross to ${cross} (give the processor as a module, or ${leave})`);
  for (const name of ['filter', 'cacheKey'] as const) {
    if (options[name] !== undefined) throw new TypeError(`Expected \`${name}\` to be exported by \`processModule\` with ${withIt}: a function cannot cross to ${cross}`);
  }
  if (options.cache instanceof LRUCache) throw new TypeError(`Expected \`cache\` to be a boolean or { max } with ${withIt}: each worker keeps its own cache`);
  const { cache } = options;
  if (cache !== undefined && typeof cache === 'object' && 'stores' in cache && cache.stores !== undefined && cache.stores.length > 0) {
    throw new TypeError(`Expected no \`cache.stores\` with ${withIt}: a store object cannot cross to ${cross} (use \`cache.disk\` or \`cache.redis\`)`);
  }
  const { retry } = options;
  if (retry !== null && typeof retry === 'object' && retry.classify !== undefined) throw new TypeError(`Expected no \`retry.classify\` with ${withIt}: a function cannot cross to ${cross}`);
  if (options.rateLimit !== undefined) throw new TypeError(`Expected no \`rateLimit\` with ${withIt}: a rate limit is for calls to a service, which run on this thread (${leave})`);
}

function normalizeCheckpoint(checkpoint: ProcessOptions['checkpoint']): false | CheckpointOptions {
  if (checkpoint === undefined || checkpoint === false) return false;
  if (checkpoint === true) return {};
  if (checkpoint === null || typeof checkpoint !== 'object') throw new TypeError(`Expected \`checkpoint\` to be a boolean or { path, restart, key }, got ${describe(checkpoint)}`);
  const { path, restart, key, syncIntervalMs } = checkpoint;
  if (path !== undefined && (typeof path !== 'string' || path === '')) throw new TypeError(`Expected \`checkpoint.path\` to be a file path, got ${describe(path)}`);
  if (restart !== undefined && typeof restart !== 'boolean') throw new TypeError(`Expected \`checkpoint.restart\` to be a boolean, got ${describe(restart)}`);
  return { path, restart, key: optionalString('checkpoint.key', key), syncIntervalMs: syncIntervalMs === undefined ? undefined : wholeNumber('checkpoint.syncIntervalMs', syncIntervalMs, 1) };
}

/** The user's logger, one made from their options, or `undefined`: silent (and pino not loaded). */
function normalizeLogger(logger: Logger | LoggerOptions | undefined): Logger | undefined {
  if (logger === undefined) return undefined;
  if (typeof (logger as Logger).child === 'function' && typeof (logger as Logger).info === 'function') return logger as Logger;
  return loadPino().pino(logger as LoggerOptions);
}

function isWritable(value: unknown): value is Writable {
  return value !== null && typeof value === 'object' && typeof (value as Writable).write === 'function' && typeof (value as Writable).end === 'function';
}
