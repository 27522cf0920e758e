/**
 * Several endpoints behind one processor: each call goes to one that can take it (by the
 * strategy), through that endpoint's circuit breaker; one that fails as endpoints fail
 * (rate limit, network, timeout, server error) hands the call to another it has not tried
 * (a failover, within the attempt). Only when every endpoint it could try failed does the
 * attempt fail, and the job's retry policy takes over. While every breaker is open, calls
 * wait for a trial call to come due, up to `circuitBreaker.maxWaitMs`.
 */
import type { Logger } from 'pino';
import { XliffError } from '../errors.js';
import type { ProcessContext } from '../options.js';
import { classifyError, type ErrorClass } from '../job/error-class.js';
import { attemptOnce } from '../job/retry.js';
import { Endpoint, type BreakerState, type EndpointStats } from './endpoint.js';
import type { EndpointContext, ResolvedEndpoints } from './endpoint-options.js';
import { EndpointPicker } from './strategy.js';

export interface RouterSettings {
  /** Time limit of each endpoint call (`timeoutMs`): a call that hangs fails over like one that fails. */
  readonly timeoutMs: number | undefined;
  readonly classify: ((error: unknown) => ErrorClass | undefined) | undefined;
  readonly logger: Logger | undefined;
}

/** Failures that say the endpoint is in trouble (not the request). */
const ENDPOINT_FAILURES: ReadonlySet<ErrorClass> = new Set(['rateLimit', 'network', 'server']);

export class EndpointRouter {
  private readonly endpoints: readonly Endpoint[];
  private readonly picker: EndpointPicker;
  /** Calls waiting for an endpoint: woken by any change (a slot freed, a breaker's state). */
  private waiters: Array<() => void> = [];
  /** Since when every endpoint has been down (a `Date.now()` time). */
  private downSince: number | undefined;
  /** Calls handed to another endpoint after one failed. */
  failovers = 0;

  constructor(
    private readonly config: ResolvedEndpoints,
    private readonly settings: RouterSettings,
  ) {
    this.endpoints = config.list.map((options, index) => new Endpoint(options, index, config.breaker, (error) => this.countsAgainst(error), (endpoint, state) => this.changed(endpoint, state)));
    this.picker = new EndpointPicker(config.strategy, this.endpoints.length);
  }

  /** The job's processor of one item. */
  readonly process = (item: unknown, context: ProcessContext): Promise<unknown> => this.route((endpoint, ctx) => endpoint.options.process!(item, ctx), context);

  /** The job's processor of a batch. */
  readonly processBatch = (items: readonly unknown[], context: ProcessContext): Promise<unknown> => this.route((endpoint, ctx) => endpoint.options.processBatch!(items, ctx), context);

  stats(): EndpointStats[] {
    return this.endpoints.map((endpoint) => endpoint.stats());
  }

  /** One attempt: to endpoints in turn until one answers, fails as a request fails, or every one it could try failed (the last error). */
  private async route(call: (endpoint: Endpoint, context: EndpointContext) => unknown, context: ProcessContext): Promise<unknown> {
    const tried = new Set<Endpoint>();
    let lastError: unknown;
    for (;;) {
      const endpoint = await this.next(tried, lastError !== undefined, context.signal);
      if (!endpoint) throw lastError;
      tried.add(endpoint);
      const ctx = (signal: AbortSignal): EndpointContext => ({ signal, attempt: context.attempt, logger: context.logger, endpoint: endpoint.name });
      try {
        return await endpoint.call(() => attemptOnce(({ signal }) => call(endpoint, ctx(signal)), context.attempt, this.settings.timeoutMs, context.signal), context.signal);
      } catch (error) {
        if (context.signal.aborted || !this.countsAgainst(error)) throw error;
        lastError = error;
        this.settings.logger?.warn({ endpoint: endpoint.name, attempt: context.attempt, err: error }, 'an endpoint call failed');
      } finally {
        // Its slot is free.
        this.wake();
      }
    }
  }

  /**
   * The endpoint the call goes to next, its slot taken; `undefined` when none is left to try
   * in this attempt (every one tried, or the rest down after a failure: the retry policy waits).
   * Waits while none can take it; past `maxWaitMs` with every endpoint down, fails with
   * `XLIFF_ENDPOINTS_DOWN`.
   */
  private async next(tried: ReadonlySet<Endpoint>, failedOver: boolean, signal: AbortSignal): Promise<Endpoint | undefined> {
    for (;;) {
      signal.throwIfAborted();
      const now = Date.now();
      const left = this.endpoints.filter((endpoint) => !tried.has(endpoint));
      if (left.length === 0) return undefined;
      const ready = left.filter((endpoint) => endpoint.canTake(now));
      if (ready.length > 0) {
        const endpoint = this.picker.pick(ready);
        endpoint.take();
        if (failedOver) this.failovers++;
        return endpoint;
      }
      if (failedOver && left.every((endpoint) => endpoint.isDown(now))) return undefined;
      const allDown = this.endpoints.every((endpoint) => endpoint.isDown(now));
      const trialDue = Math.min(...left.map((endpoint) => endpoint.trialDueAt));
      let until = trialDue;
      if (allDown) {
        this.downSince ??= now;
        const deadline = this.downSince + this.config.breaker.maxWaitMs;
        if (now >= deadline) throw this.downError();
        until = Math.min(deadline, trialDue);
      } else this.downSince = undefined;
      await this.changed$(until - now, signal);
    }
  }

  private countsAgainst(error: unknown): boolean {
    return ENDPOINT_FAILURES.has(classifyError(error, this.settings.classify));
  }

  private changed(endpoint: Endpoint, state: BreakerState): void {
    if (state === 'closed') this.downSince = undefined;
    const log = this.settings.logger;
    if (state === 'open') log?.warn({ endpoint: endpoint.name, opened: endpoint.opened }, `the circuit breaker of endpoint "${endpoint.name}" opened`);
    else log?.info({ endpoint: endpoint.name, state }, `the circuit breaker of endpoint "${endpoint.name}" is ${state}`);
    this.wake();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  /** Resolves at the next change, after `ms` at most; rejects with `signal.reason` when it aborts. */
  private changed$(ms: number, signal: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const done = (): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        resolve();
      };
      const onAbort = (): void => {
        clearTimeout(timer);
        reject(signal.reason as unknown);
      };
      if (Number.isFinite(ms)) timer = setTimeout(done, Math.max(0, ms));
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(done);
    });
  }

  private downError(): XliffError {
    const names = this.endpoints.map((endpoint) => `"${endpoint.name}"`).join(', ');
    const error = new XliffError('XLIFF_ENDPOINTS_DOWN', `every endpoint's circuit breaker has been open for ${this.config.breaker.maxWaitMs} ms or more (${names})`);
    return Object.assign(error, { retryable: false });
  }
}
