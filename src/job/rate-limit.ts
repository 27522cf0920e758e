/**
 * A rate limit for processor calls: at most `limit` calls start in any window of
 * `intervalMs`.
 *
 * It is a token bucket of `limit` tokens in which each token comes back `intervalMs`
 * after it was taken (a sliding window). Unlike a bucket refilled all at once per
 * interval, it never lets `2 * limit` calls through around a window's edge, so it keeps
 * to an API's "N requests per minute" however that API counts its minute.
 */
import type { RateLimitOptions } from '../options.js';

interface Waiter {
  readonly resolve: () => void;
  readonly reject: (reason: unknown) => void;
  readonly signal: AbortSignal | undefined;
  readonly onAbort: () => void;
}

export class RateLimiter {
  readonly limit: number;
  readonly intervalMs: number;
  readonly #now: () => number;
  /** When each token was last taken (ring buffer, `-Infinity`: never); `#next` is the oldest. */
  readonly #takenAt: Float64Array;
  #next = 0;
  /** Callers waiting for a token, first come first served. */
  readonly #waiters: Waiter[] = [];
  #timer: ReturnType<typeof setTimeout> | undefined;

  /** @param now the clock, in milliseconds; injectable for tests. @default performance.now */
  constructor(options: RateLimitOptions, now: () => number = () => performance.now()) {
    // Checked by normalizeRateLimit.
    const { limit, intervalMs } = options;
    this.limit = limit;
    this.intervalMs = intervalMs;
    this.#now = now;
    this.#takenAt = new Float64Array(limit).fill(-Infinity);
  }

  /** Callers waiting for a token. */
  get pending(): number {
    return this.#waiters.length;
  }

  /**
   * Resolves when the caller may start a call (tokens go first come first served).
   * Rejects with `signal.reason` if `signal` aborts first; the token is then not used.
   */
  take(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason as unknown);
    if (this.#waiters.length === 0 && this.#tryTake()) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        reject,
        signal,
        onAbort: () => {
          const at = this.#waiters.indexOf(waiter);
          if (at !== -1) this.#waiters.splice(at, 1);
          if (this.#waiters.length === 0) this.#clearTimer();
          reject(signal?.reason);
        },
      };
      signal?.addEventListener('abort', waiter.onAbort, { once: true });
      this.#waiters.push(waiter);
      this.#schedule();
    });
  }

  /** Takes a token if one is free now. */
  #tryTake(): boolean {
    const now = this.#now();
    if (now - (this.#takenAt[this.#next] ?? -Infinity) < this.intervalMs) return false;
    this.#takenAt[this.#next] = now;
    this.#next = (this.#next + 1) % this.limit;
    return true;
  }

  /** Serves the waiters the free tokens allow, then sleeps until the oldest token comes back. */
  #drain = (): void => {
    this.#timer = undefined;
    while (this.#waiters.length > 0 && this.#tryTake()) {
      const waiter = this.#waiters.shift()!;
      waiter.signal?.removeEventListener('abort', waiter.onAbort);
      waiter.resolve();
    }
    this.#schedule();
  };

  #schedule(): void {
    if (this.#waiters.length === 0 || this.#timer !== undefined) return;
    const wait = (this.#takenAt[this.#next] ?? -Infinity) + this.intervalMs - this.#now();
    // At least 1 ms: a timer may fire a hair early by the clock; never spin.
    this.#timer = setTimeout(this.#drain, Math.max(1, Math.ceil(wait)));
  }

  #clearTimer(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
