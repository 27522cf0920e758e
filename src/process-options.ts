/**
 * Options of `processXliff`, resolved and checked in one place.
 */
import type { Writable } from 'node:stream';
import type { Logger, LoggerOptions } from 'pino';
import { loadPino } from './cjs.js';
import type { LRUCache } from 'lru-cache';
import type { Unit } from './model.js';
import { describe, normalizeChunkOptions, type ChunkOptions, type ResolvedChunkOptions } from './options.js';
import { normalizeRetry, type ResolvedRetry, type RetryOptions } from './job/retry.js';
import type { UnitUpdate } from './write/update.js';

export interface ProcessContext {
  /** Aborted when the job is aborted or the attempt times out: pass it to your HTTP client. */
  readonly signal: AbortSignal;
  /** 1 for the first call, 2 for the first retry... */
  readonly attempt: number;
  readonly logger: Logger;
}

export type UnitProcessor = (unit: Unit, context: ProcessContext) => UnitUpdate | undefined | Promise<UnitUpdate | undefined>;
export type BatchProcessor = (
  units: readonly Unit[],
  context: ProcessContext,
) => ReadonlyArray<UnitUpdate | undefined> | Promise<ReadonlyArray<UnitUpdate | undefined>>;

export interface ProcessOptions extends ChunkOptions {
  /** Called once per unit that passes `filter`; returns an update, or `undefined` to leave the unit as it is. */
  readonly process?: UnitProcessor | undefined;
  /** Called once per chunk with its units that pass `filter` (and are not cached); returns one update per unit, in order. */
  readonly processBatch?: BatchProcessor | undefined;
  /**
   * Which units go to the processor.
   * @default (unit) => unit.translate
   */
  readonly filter?: ((unit: Unit) => boolean) | undefined;
  /**
   * Processor calls in flight at most.
   * @default 8
   */
  readonly concurrency?: number | undefined;
  /**
   * Chunks read ahead of the writer at most: reading waits while this many are in flight.
   * @default 2
   */
  readonly highWaterMark?: number | undefined;
  /**
   * Cache of updates by source: options of an lru-cache (`max`), an `LRUCache` to share
   * across jobs, or `false` for none.
   * @default { max: 10_000 }
   */
  readonly cache?: false | { readonly max?: number } | LRUCache<string, CachedUpdate> | undefined;
  /**
   * The cache key of a unit.
   * @default the source's inner XML and the target language
   */
  readonly cacheKey?: ((unit: Unit) => string) | undefined;
  /**
   * Retries of a failed processor call (a number: how many), or `false` for none.
   * @default { retries: 3, minDelayMs: 200, maxDelayMs: 30_000, factor: 2 }
   */
  readonly retry?: RetryOptions | number | false | undefined;
  /** Time one processor call may take; past it its `signal` aborts and the attempt fails. */
  readonly timeoutMs?: number | undefined;
  /** Processor calls per interval at most. */
  readonly rateLimit?: { readonly limit: number; readonly intervalMs: number } | undefined;
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

/** What the cache holds: the update (or `undefined`: leave the unit as it is). */
export interface CachedUpdate {
  readonly update: UnitUpdate | undefined;
}

export interface ResolvedProcessOptions extends ResolvedChunkOptions {
  readonly process: UnitProcessor | undefined;
  readonly processBatch: BatchProcessor | undefined;
  readonly filter: (unit: Unit) => boolean;
  readonly concurrency: number;
  readonly highWaterMark: number;
  readonly cache: ProcessOptions['cache'];
  readonly cacheKey: ((unit: Unit) => string) | undefined;
  readonly retry: ResolvedRetry;
  readonly timeoutMs: number | undefined;
  readonly rateLimit: { readonly limit: number; readonly intervalMs: number } | undefined;
  readonly onError: 'abort' | 'skip';
  /** `undefined`: none given, the job logs nothing (processors get `silentLogger()`). */
  readonly logger: Logger | undefined;
  readonly output: string | Writable | undefined;
  readonly targetLanguage: string | undefined;
  readonly progressIntervalMs: number;
  readonly checkpoint: false | CheckpointOptions;
  /** Whether `filter` is the user's (and not the default). */
  readonly filterGiven: boolean;
}

export function normalizeProcessOptions(options: ProcessOptions): ResolvedProcessOptions {
  if (options === null || typeof options !== 'object') throw new TypeError(`Expected \`options\` to be an object, got ${describe(options)}`);
  const { process, processBatch, filter, cacheKey, output, targetLanguage } = options;
  if (process !== undefined && typeof process !== 'function') throw new TypeError(`Expected \`process\` to be a function, got ${describe(process)}`);
  if (processBatch !== undefined && typeof processBatch !== 'function') throw new TypeError(`Expected \`processBatch\` to be a function, got ${describe(processBatch)}`);
  if (process && processBatch) throw new TypeError('Expected one of `process` and `processBatch`, got both');
  if (filter !== undefined && typeof filter !== 'function') throw new TypeError(`Expected \`filter\` to be a function, got ${describe(filter)}`);
  if (cacheKey !== undefined && typeof cacheKey !== 'function') throw new TypeError(`Expected \`cacheKey\` to be a function, got ${describe(cacheKey)}`);
  if (output !== undefined && typeof output !== 'string' && !isWritable(output)) throw new TypeError(`Expected \`output\` to be a path or a Writable, got ${describe(output)}`);
  if (targetLanguage !== undefined && (typeof targetLanguage !== 'string' || !/^[A-Za-z0-9-]+$/.test(targetLanguage))) {
    throw new TypeError(`Expected \`targetLanguage\` to be a language tag such as "de-DE", got ${describe(targetLanguage)}`);
  }
  const onError = options.onError ?? 'abort';
  if (onError !== 'abort' && onError !== 'skip') throw new TypeError(`Expected \`onError\` to be 'abort' or 'skip', got ${describe(onError)}`);
  const { rateLimit } = options;
  if (rateLimit !== undefined) {
    if (rateLimit === null || typeof rateLimit !== 'object') throw new TypeError(`Expected \`rateLimit\` to be { limit, intervalMs }, got ${describe(rateLimit)}`);
    positive('rateLimit.limit', rateLimit.limit, undefined);
    positive('rateLimit.intervalMs', rateLimit.intervalMs, undefined);
  }
  const cache = options.cache;
  if (cache !== undefined && cache !== false && (cache === null || typeof cache !== 'object')) {
    throw new TypeError(`Expected \`cache\` to be false, { max } or an LRUCache, got ${describe(cache)}`);
  }
  return {
    ...normalizeChunkOptions(options),
    process,
    processBatch,
    filter: filter ?? ((unit) => unit.translate),
    concurrency: positive('concurrency', options.concurrency, 8),
    highWaterMark: positive('highWaterMark', options.highWaterMark, 2),
    cache,
    cacheKey,
    retry: normalizeRetry(options.retry),
    timeoutMs: options.timeoutMs === undefined ? undefined : positive('timeoutMs', options.timeoutMs, undefined),
    rateLimit,
    onError,
    logger: resolveLogger(options.logger),
    output,
    targetLanguage,
    progressIntervalMs: positive('progressIntervalMs', options.progressIntervalMs, 250),
    checkpoint: normalizeCheckpoint(options.checkpoint),
    filterGiven: filter !== undefined,
  };
}

function normalizeCheckpoint(checkpoint: ProcessOptions['checkpoint']): false | CheckpointOptions {
  if (checkpoint === undefined || checkpoint === false) return false;
  if (checkpoint === true) return {};
  if (checkpoint === null || typeof checkpoint !== 'object') throw new TypeError(`Expected \`checkpoint\` to be a boolean or { path, restart, key }, got ${describe(checkpoint)}`);
  const { path, restart, key, syncIntervalMs } = checkpoint;
  if (path !== undefined && (typeof path !== 'string' || path === '')) throw new TypeError(`Expected \`checkpoint.path\` to be a file path, got ${describe(path)}`);
  if (restart !== undefined && typeof restart !== 'boolean') throw new TypeError(`Expected \`checkpoint.restart\` to be a boolean, got ${describe(restart)}`);
  if (key !== undefined && typeof key !== 'string') throw new TypeError(`Expected \`checkpoint.key\` to be a string, got ${describe(key)}`);
  return { path, restart, key, syncIntervalMs: syncIntervalMs === undefined ? undefined : positive('checkpoint.syncIntervalMs', syncIntervalMs, undefined) };
}

function positive(name: string, value: unknown, fallback: number | undefined): number {
  if (value === undefined && fallback !== undefined) return fallback;
  if (typeof value !== 'number') throw new TypeError(`Expected \`${name}\` to be a number from 1 and up, got ${describe(value)}`);
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`Expected \`${name}\` to be a whole number from 1 and up, got ${value}`);
  return value;
}

/** The user's logger, one made from their options, or `undefined`: silent (and pino not loaded). */
function resolveLogger(logger: Logger | LoggerOptions | undefined): Logger | undefined {
  if (logger === undefined) return undefined;
  if (typeof (logger as Logger).child === 'function' && typeof (logger as Logger).info === 'function') return logger as Logger;
  return loadPino().pino(logger as LoggerOptions);
}

/**
 * A processor call's context. Without a logger of the job's, `logger` is a getter: pino is
 * loaded only if a processor reads it.
 */
export function callContext(signal: AbortSignal, attempt: number, logger: Logger | undefined): ProcessContext {
  if (logger) return { signal, attempt, logger };
  return {
    signal,
    attempt,
    get logger() {
      return silentLogger();
    },
  };
}

let silent: Logger | undefined;

/**
 * The logger processors get when the job has none: silent, made on first use (pino is
 * loaded then). Its own no-op destination: it must not open (and fsync at exit) stdout.
 */
function silentLogger(): Logger {
  return (silent ??= loadPino().pino({ level: 'silent' }, { write: () => undefined }));
}

function isWritable(value: unknown): value is Writable {
  return value !== null && typeof value === 'object' && typeof (value as Writable).write === 'function' && typeof (value as Writable).end === 'function';
}
