/**
 * One processor call with retries: a policy per class of failure (error-class.ts),
 * exponential backoff with full jitter, a timeout per attempt, an optional rate limit, and
 * an outer `signal` that stops everything at once.
 */
import { XliffError } from '../errors.js';
import type { ResolvedRetry, ResolvedRetryPolicy } from './retry-options.js';
import { classifyError, type ErrorClass, type RetriedClass } from './error-class.js';
import type { RateLimiter } from './rate-limit.js';

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
  /** What kind of failure it was: its class's policy decided the wait. */
  readonly errorClass: RetriedClass;
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
 * - Each failure is classified (`retry.classify`, then error-class.ts); its class's policy
 *   says how often it is retried (failures of each class are counted apart) and how long
 *   the waits are. Client errors and bad updates are not retried.
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
  /** Failures so far, by class (allocated at the first one: a first success costs nothing). */
  let failures: Record<RetriedClass, number> | undefined;
  for (let attempt = 1; ; attempt++) {
    signal?.throwIfAborted();
    if (rateLimiter) await rateLimiter.take(signal);
    try {
      return await attemptOnce(fn, attempt, timeoutMs, signal);
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      const errorClass = classifyError(error, retry.classify);
      const policy = policyOf(retry, errorClass);
      if (!policy || !isRetryable(error)) throw error;
      failures ??= { rateLimit: 0, network: 0, server: 0, other: 0 };
      const failed = ++failures[errorClass as RetriedClass];
      if (failed > policy.retries) throw error;
      const delayMs = backoff(policy, failed, error, random);
      onRetry?.({ attempt, error, errorClass: errorClass as RetriedClass, delayMs });
      await sleep(delayMs, signal);
    }
  }
}

/** The policy of a class; `undefined`: not retried. */
export function policyOf(retry: ResolvedRetry, errorClass: ErrorClass): ResolvedRetryPolicy | undefined {
  switch (errorClass) {
    case 'rateLimit':
    case 'network':
    case 'server':
      return retry[errorClass];
    case 'other':
      return retry;
    default:
      return undefined;
  }
}

/** The wait after the `attempt`-th failure of a class, by its policy. */
export function backoff(retry: ResolvedRetryPolicy, attempt: number, error: unknown, random: () => number = Math.random): number {
  const after = (error as { retryAfterMs?: unknown } | null)?.retryAfterMs;
  if (typeof after === 'number' && after >= 0 && Number.isFinite(after)) return Math.min(after, retry.maxDelayMs);
  return random() * Math.min(retry.maxDelayMs, retry.minDelayMs * retry.factor ** (attempt - 1));
}

function isRetryable(error: unknown): boolean {
  return (error as { retryable?: unknown } | null)?.retryable !== false;
}

/** One attempt: settles with `fn`'s result, or fails at its timeout (an `XLIFF_TIMEOUT` XliffError) or the outer abort. */
export function attemptOnce<T>(fn: (ctx: AttemptContext) => Promise<T> | T, attempt: number, timeoutMs: number | undefined, signal: AbortSignal | undefined): Promise<T> {
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
