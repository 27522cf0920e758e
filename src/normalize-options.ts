/**
 * The options of the entry points resolved: every default applied, every value checked,
 * one `normalize` per entry point. Errors say what was expected and what was given:
 * "Expected `x` to be ..., got ...", a TypeError for the wrong type, a RangeError for a
 * value out of range.
 */
import { resolve as resolvePath } from 'node:path';
import type { Writable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { LRUCache } from 'lru-cache';
import type { Logger, LoggerOptions } from 'pino';
import { loadPino } from './cjs.js';
import { describe } from './errors.js';
import { normalizeRateLimit, object, optionalFunction, optionalString, wholeNumber } from './option-checks.js';
import { normalizeEndpoints, type ResolvedEndpoints } from './endpoints/endpoint-options.js';
import { normalizeRetry, type ResolvedRetry } from './job/retry-options.js';
import { BUILT_IN_MODULES, builtInPer, isBuiltInName } from './job/process-module.js';
import type { Unit } from './model.js';
import { cacheNamespace, normalizeCache, normalizeCacheLevels, type ResolvedCache, type ResolvedCacheLevels } from './cache-options.js';
import {
  DEFAULT_CHUNK_UNITS,
  DEFAULT_MAX_DEPTH,
  DEFAULT_MAX_UNIT_BYTES,
  DEFAULT_THREAD_RANGE_BYTES,
  type BatchProcessor,
  type CheckpointOptions,
  type ChunkOptions,
  type ProcessOptions,
  type RateLimitOptions,
  type ReadOptions,
  type SegmentBatchProcessor,
  type SegmentProcessOptions,
  type SegmentProcessor,
  type ThreadOptions,
  type UnitProcessor,
  type UnitSegment,
  type ValidateOptions,
} from './options.js';

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
  const builtIn = processModule && builtInPer(processModule);
  if (builtIn && builtIn !== per) throw new TypeError(`Expected \`per: '${builtIn}'\` with \`processModule: '${processModule}'\`: its functions take ${builtIn}s`);
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

/** `processModule`: a path (made absolute) or a `file:` URL, as a URL's `href`; or a built-in module's name, as it is. */
function moduleUrl(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  const expected = `Expected \`processModule\` to be a path, a file: URL or a built-in module (${BUILT_IN_MODULES.join(', ')})`;
  if (value instanceof URL) {
    if (value.protocol !== 'file:') throw new TypeError(`${expected}, got ${value.href}`);
    return value.href;
  }
  if (typeof value !== 'string' || value === '') throw new TypeError(`${expected}, got ${describe(value)}`);
  if (isBuiltInName(value)) {
    if (!BUILT_IN_MODULES.includes(value)) throw new TypeError(`${expected}, got ${describe(value)}`);
    return value;
  }
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
