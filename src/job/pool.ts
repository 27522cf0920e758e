/**
 * The pool: every processor call the job cannot make at once goes through `run`, which
 * holds one of `concurrency` p-limit slots for it and makes its attempts (retries with
 * backoff, a timeout each, the rate limit).
 */
import pLimit, { type LimitFunction } from 'p-limit';
import type { ProcessContext, RateLimitOptions } from '../options.js';
import type { ResolvedRetry } from './retry-options.js';
import type { ProcessContexts } from './process-context.js';
import { RateLimiter } from './rate-limit.js';
import { callWithRetry, type RetryInfo } from './retry.js';

export interface PoolOptions {
  readonly concurrency: number;
  readonly retry: ResolvedRetry;
  readonly timeoutMs: number | undefined;
  readonly rateLimit: RateLimitOptions | undefined;
}

export class Pool {
  private readonly limit: LimitFunction;
  private readonly rateLimiter: RateLimiter | undefined;

  constructor(
    private readonly options: PoolOptions,
    /** Aborts every call in flight and every wait. */
    private readonly signal: AbortSignal,
    private readonly contexts: ProcessContexts,
  ) {
    this.limit = pLimit(options.concurrency);
    this.rateLimiter = options.rateLimit && new RateLimiter(options.rateLimit);
  }

  /** Nothing runs or waits in the pool and no rate limit applies: a call may be made at once, outside it. */
  get idle(): boolean {
    return !this.rateLimiter && this.limit.activeCount === 0 && this.limit.pendingCount === 0;
  }

  /** Runs `fn` in a slot, retried as the options say; `onRetry` hears of each failed attempt that is retried. */
  run<T>(fn: (context: ProcessContext) => Promise<T>, onRetry: (info: RetryInfo) => void): Promise<T> {
    const { retry, timeoutMs } = this.options;
    return this.limit(() =>
      callWithRetry(({ signal, attempt }) => fn(this.contexts.of(signal, attempt)), {
        retry,
        timeoutMs,
        signal: this.signal,
        rateLimiter: this.rateLimiter,
        onRetry,
      }),
    );
  }
}
