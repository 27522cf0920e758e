/**
 * One processor call with retries: exponential backoff with full jitter, a timeout per
 * attempt, an optional rate limit, and an outer `signal` that stops everything at once.
 */
import { XliffError } from '../errors.js';
import { describe } from '../options.js';
import type { RateLimiter } from './rate-limit.js';

export interface RetryOptions {
  /**
   * Attempts after the first one that failed (0: no retry).
   * @default 3
   */
  readonly retries?: number | undefined;
  /**
   * The backoff ceiling of the first retry, in milliseconds.
   * @default 200
   */
  readonly minDelayMs?: number | undefined;
  /**
   * No wait between attempts is longer than this, `retryAfterMs` included.
   * @default 30000
   */
  readonly maxDelayMs?: number | undefined;
  /**
   * The backoff ceiling grows by this factor with every attempt.
   * @default 2
   */
  readonly factor?: number | undefined;
}

export interface ResolvedRetry {
  readonly retries: number;
  readonly minDelayMs: number;
  readonly maxDelayMs: number;
  readonly factor: number;
}

export const DEFAULT_RETRY: ResolvedRetry = Object.freeze({ retries: 3, minDelayMs: 200, maxDelayMs: 30_000, factor: 2 });

/**
 * Resolves the `retry` option: an object, a number (`retries`), `true` (the defaults),
 * `false` (no retry) or `undefined` (the defaults).
 */
export function normalizeRetry(option: RetryOptions | number | boolean | undefined): ResolvedRetry {
  if (option === undefined || option === true) return DEFAULT_RETRY;
  if (option === false) return { ...DEFAULT_RETRY, retries: 0 };
  if (typeof option === 'number') return { ...DEFAULT_RETRY, retries: whole('retry', option) };
  if (option === null || typeof option !== 'object') {
    throw new TypeError(`Expected \`retry\` to be an object, a number of retries or a boolean, got ${describe(option)}`);
  }
  const retries = option.retries === undefined ? DEFAULT_RETRY.retries : whole('retry.retries', option.retries);
  const minDelayMs = atLeast('retry.minDelayMs', option.minDelayMs, DEFAULT_RETRY.minDelayMs, 0);
  const maxDelayMs = atLeast('retry.maxDelayMs', option.maxDelayMs, Math.max(DEFAULT_RETRY.maxDelayMs, minDelayMs), minDelayMs);
  const factor = atLeast('retry.factor', option.factor, DEFAULT_RETRY.factor, 1);
  return { retries, minDelayMs, maxDelayMs, factor };
}

function whole(name: string, value: unknown): number {
  if (typeof value !== 'number') throw new TypeError(`Expected \`${name}\` to be a number from 0 and up, got ${describe(value)}`);
  if (!Number.isInteger(value) || value < 0) throw new RangeError(`Expected \`${name}\` to be a whole number from 0 and up, got ${value}`);
  return value;
}

function atLeast(name: string, value: unknown, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number') throw new TypeError(`Expected \`${name}\` to be a number from ${min} and up, got ${describe(value)}`);
  if (!(value >= min) || !Number.isFinite(value)) throw new RangeError(`Expected \`${name}\` to be a finite number from ${min} and up, got ${value}`);
  return value;
}

/** What the function called with retries receives. */
export interface AttemptContext {
  /** Aborted when the attempt times out (reason: an `XLIFF_TIMEOUT` XliffError) or the outer `signal` aborts (its reason). */
  readonly signal: AbortSignal;
  /** 1 for the first attempt. */
  readonly attempt: number;
}

export interface RetryInfo {
  /** The attempt that failed (from 1). */
  readonly attempt: number;
  readonly error: unknown;
  /** How long the next attempt waits. */
  readonly delayMs: number;
}

export interface CallOptions {
  readonly retry: ResolvedRetry;
  /** Time limit of each attempt, in milliseconds; `undefined` or `Infinity`: none. */
  readonly timeoutMs?: number | undefined;
  /** Aborting rejects at once with `signal.reason`, also during a wait, and aborts the attempt in flight. */
  readonly signal?: AbortSignal | undefined;
  /** Random numbers in [0, 1) for the jitter. @default Math.random */
  readonly random?: (() => number) | undefined;
  /** Called after a failed attempt that will be retried, before the wait. */
  readonly onRetry?: ((info: RetryInfo) => void) | undefined;
  /** Every attempt, retries too, takes a token before it starts (the timeout starts after). */
  readonly rateLimiter?: RateLimiter | undefined;
}

/**
 * Calls `fn` until it succeeds or the retries are spent, and rejects with the last error.
 *
 * - A synchronous throw counts like a rejection.
 * - An error with `retryable: false` is not retried.
 * - An error with a numeric `retryAfterMs` (an HTTP 429's Retry-After) waits exactly that
 *   long, without jitter, but at most `maxDelayMs`: the bound of every wait holds, so a
 *   job's worst stall is known; raise `maxDelayMs` to honour longer Retry-After values.
 * - Otherwise the wait before attempt `n + 1` is
 *   `random() * min(maxDelayMs, minDelayMs * factor ** (n - 1))` (full jitter).
 * - An attempt still running after `timeoutMs` fails with an `XLIFF_TIMEOUT` XliffError,
 *   which also aborts its `ctx.signal`; whatever it settles with later is ignored.
 */
export async function callWithRetry<T>(fn: (ctx: AttemptContext) => Promise<T> | T, options: CallOptions): Promise<T> {
  const { retry, timeoutMs, signal, random = Math.random, onRetry, rateLimiter } = options;
  for (let attempt = 1; ; attempt++) {
    signal?.throwIfAborted();
    if (rateLimiter) await rateLimiter.take(signal);
    try {
      return await attemptOnce(fn, attempt, timeoutMs, signal);
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      if (attempt > retry.retries || !isRetryable(error)) throw error;
      const delayMs = backoff(retry, attempt, error, random);
      onRetry?.({ attempt, error, delayMs });
      await sleep(delayMs, signal);
    }
  }
}

/** The wait after failed attempt `attempt`. */
export function backoff(retry: ResolvedRetry, attempt: number, error: unknown, random: () => number = Math.random): number {
  const after = (error as { retryAfterMs?: unknown } | null)?.retryAfterMs;
  if (typeof after === 'number' && after >= 0 && Number.isFinite(after)) return Math.min(after, retry.maxDelayMs);
  return random() * Math.min(retry.maxDelayMs, retry.minDelayMs * retry.factor ** (attempt - 1));
}

function isRetryable(error: unknown): boolean {
  return (error as { retryable?: unknown } | null)?.retryable !== false;
}

/** One attempt: settles with `fn`'s result, or fails at its timeout or the outer abort. */
function attemptOnce<T>(fn: (ctx: AttemptContext) => Promise<T> | T, attempt: number, timeoutMs: number | undefined, signal: AbortSignal | undefined): Promise<T> {
  // Without a timeout the attempt's signal is the caller's: no controller per call (a hot path).
  if (timeoutMs === undefined || timeoutMs === Infinity) return attemptUntimed(fn, attempt, signal ?? NEVER_ABORTED);
  const controller = new AbortController();
  return new Promise<T>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason as unknown);
      return;
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    const onAbort = (): void => {
      controller.abort(signal?.reason);
      settle(reject, signal?.reason);
    };
    const settle = <A>(how: (arg: A) => void, arg: A): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      how(arg);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    if (timeoutMs !== undefined && timeoutMs !== Infinity) {
      timer = setTimeout(() => {
        const error = new XliffError('XLIFF_TIMEOUT', `the processor did not finish within ${timeoutMs} ms (attempt ${attempt})`);
        controller.abort(error);
        settle(reject, error);
      }, timeoutMs);
    }
    let result: Promise<T> | T;
    try {
      result = fn({ signal: controller.signal, attempt });
    } catch (error) {
      settle(reject, error);
      return;
    }
    Promise.resolve(result).then(
      (value) => settle(resolve, value),
      (error: unknown) => settle(reject, error),
    );
  });
}

const NEVER_ABORTED = new AbortController().signal;

export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return value !== null && (typeof value === 'object' || typeof value === 'function') && typeof (value as { then?: unknown }).then === 'function';
}

/** An attempt with no timeout: a synchronous result needs no listener at all. */
async function attemptUntimed<T>(fn: (ctx: AttemptContext) => Promise<T> | T, attempt: number, signal: AbortSignal): Promise<T> {
  const result = fn({ signal, attempt });
  if (!isThenable(result)) return result as T;
  if (signal === NEVER_ABORTED) return await result;
  // The outer abort rejects at once, even if the processor never settles.
  return await new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason as unknown);
    signal.addEventListener('abort', onAbort, { once: true });
    Promise.resolve(result).then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/** Waits `ms`; rejects at once with `signal.reason` when `signal` aborts. */
function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason as unknown);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
