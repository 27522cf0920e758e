/**
 * One endpoint: its processor, its calls in flight, its counts, and its circuit breaker
 * (cockatiel's), whose open time doubles each time a trial call fails.
 */
import type { CircuitBreakerPolicy, IBackoff, IBackoffFactory } from 'cockatiel';
import { loadCockatiel } from '../cjs.js';
import { RateLimiter } from '../job/rate-limit.js';
import type { ResolvedBreaker, ResolvedEndpoint } from './endpoint-options.js';

export type BreakerState = 'closed' | 'open' | 'half-open';

/** cockatiel, loaded with the first endpoint: a job without endpoints does not load it. */
let cockatiel: typeof import('cockatiel') | undefined;
const breakers = (): typeof import('cockatiel') => (cockatiel ??= loadCockatiel());

/** An endpoint as progress events and the summary show it. */
export interface EndpointStats {
  readonly name: string;
  readonly state: BreakerState;
  readonly inFlight: number;
  /** Calls that succeeded... */
  readonly done: number;
  /** ...and that failed (whatever the error). */
  readonly failed: number;
  /** Times its breaker opened. */
  readonly opened: number;
}

export class Endpoint {
  inFlight = 0;
  done = 0;
  failed = 0;
  opened = 0;
  /** The smooth weighted round-robin's running weight. */
  currentWeight = 0;
  private readonly breaker: CircuitBreakerPolicy;
  /** Its own `rateLimit`. */
  private readonly limiter: RateLimiter | undefined;
  /** When the open breaker lets its trial call through (a `Date.now()` time), and whether a call took that turn. */
  private trialAt = 0;
  private trialTaken = false;
  /** The open time the breaker's backoff gave last. */
  private openMs = 0;

  constructor(
    readonly options: ResolvedEndpoint,
    /** Its place among the job's endpoints. */
    readonly index: number,
    breaker: ResolvedBreaker,
    /** Whether a failure counts against the endpoint (its breaker's). */
    counts: (error: unknown) => boolean,
    changed: (endpoint: Endpoint, state: BreakerState) => void,
  ) {
    this.limiter = options.rateLimit && new RateLimiter(options.rateLimit);
    const { consecutiveFailures, failureRate } = breaker;
    const { circuitBreaker, handleWhen, SamplingBreaker, ConsecutiveBreaker } = breakers();
    this.breaker = circuitBreaker(handleWhen(counts), {
      halfOpenAfter: this.openTimes(breaker),
      breaker: failureRate
        ? new SamplingBreaker({ threshold: failureRate.threshold, duration: failureRate.windowMs, minimumRps: failureRate.minimumRps || Number.MIN_VALUE })  // cockatiel reads 0 as its default
        : new ConsecutiveBreaker(consecutiveFailures),
    });
    this.breaker.onStateChange(() => {
      const state = this.state;
      if (state === 'open') {
        this.opened++;
        this.trialAt = Date.now() + this.openMs;
      }
      this.trialTaken = false;
      changed(this, state);
    });
  }

  get name(): string {
    return this.options.name;
  }

  get state(): BreakerState {
    const { CircuitState } = breakers();
    switch (this.breaker.state) {
      case CircuitState.Closed:
        return 'closed';
      case CircuitState.HalfOpen:
        return 'half-open';
      default:
        return 'open';
    }
  }

  /** Whether a call may go to it now: its breaker closed, or open with its trial due; and a free slot. */
  canTake(now: number): boolean {
    if (this.inFlight >= this.options.maxConcurrency) return false;
    const state = this.state;
    return state === 'closed' || (state === 'open' && !this.trialTaken && now >= this.trialAt);
  }

  /** Whether it takes no call, free slots or not: open before its trial, or its trial in flight. */
  isDown(now: number): boolean {
    const state = this.state;
    return state === 'half-open' || (state === 'open' && (this.trialTaken || now < this.trialAt));
  }

  /** When its trial is due (`Infinity` when it is not open). */
  get trialDueAt(): number {
    return this.state === 'open' && !this.trialTaken ? this.trialAt : Infinity;
  }

  /**
   * Makes the call through the breaker, in one of its slots (taken by the caller: see `take`),
   * once its rate limit lets it.
   * A `BrokenCircuitError` (it opened since it was picked) is not counted as the call's failure.
   */
  async call<T>(fn: () => Promise<T>, signal: AbortSignal): Promise<T> {
    try {
      if (this.limiter) await this.limiter.take(signal);
      const value = await this.breaker.execute(fn, signal);
      this.done++;
      return value;
    } catch (error) {
      if (!(error instanceof breakers().BrokenCircuitError)) this.failed++;
      throw error;
    } finally {
      this.inFlight--;
    }
  }

  /** Takes a slot for a call about to be made (its trial's turn when the breaker is open). */
  take(): void {
    this.inFlight++;
    if (this.state === 'open') this.trialTaken = true;
  }

  stats(): EndpointStats {
    return { name: this.name, state: this.state, inFlight: this.inFlight, done: this.done, failed: this.failed, opened: this.opened };
  }

  /** The breaker's open times: `halfOpenAfterMs`, doubled after each failed trial, up to `maxHalfOpenAfterMs` (each one noted, so `canTake` knows when the trial is due). */
  private openTimes({ halfOpenAfterMs, maxHalfOpenAfterMs }: ResolvedBreaker): IBackoffFactory<unknown> {
    const after = (opened: number): IBackoff<unknown> => {
      const duration = Math.min(maxHalfOpenAfterMs, halfOpenAfterMs * 2 ** Math.min(opened, 30));
      return {
        duration,
        next: () => {
          const next = after(opened + 1);
          this.openMs = next.duration;
          return next;
        },
      };
    };
    return {
      next: () => {
        const first = after(0);
        this.openMs = first.duration;
        return first;
      },
    };
  }
}
