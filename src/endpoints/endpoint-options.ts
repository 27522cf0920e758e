/**
 * The options of several endpoints (`endpoints`, `endpointStrategy`, `circuitBreaker`): their
 * types, defaults and checks.
 */
import { describe } from '../errors.js';
import { finiteNumber, normalizeRateLimit, object, optionalFunction, wholeNumber } from '../option-checks.js';
import type { RateLimitOptions } from '../options.js';

/** One service the processor's calls can go to: a machine-translation endpoint, an LLM deployment, a region. */
export interface EndpointOptions<Item, Result> {
  /** Names it in progress events, the summary, logs and `ctx.endpoint`. */
  readonly name: string;
  /** Its processor of one item; every endpoint has this, or every one has `processBatch`. */
  readonly process?: ((item: Item, context: EndpointContext) => Result | undefined | Promise<Result | undefined>) | undefined;
  /** Its processor of a batch: one result (or `undefined`) per item, in order. */
  readonly processBatch?: ((items: readonly Item[], context: EndpointContext) => ReadonlyArray<Result | undefined> | Promise<ReadonlyArray<Result | undefined>>) | undefined;
  /**
   * Its share of the calls with `endpointStrategy: 'weighted'` (one of weight 2 gets twice the
   * calls of one of weight 1).
   * @default 1
   */
  readonly weight?: number | undefined;
  /**
   * Its calls in flight at most. When every endpoint sets it, the job's `concurrency`
   * defaults to their sum.
   * @default no limit of its own (the job's `concurrency` holds)
   */
  readonly maxConcurrency?: number | undefined;
  /** Its own quota: calls per interval at most (the job's `rateLimit`, if any, holds too). */
  readonly rateLimit?: RateLimitOptions | undefined;
}

/** What an endpoint's processor gets: the call's signal (aborted at its `timeoutMs` too), its attempt, a logger, and which endpoint it is. */
export interface EndpointContext {
  readonly signal: AbortSignal;
  readonly attempt: number;
  readonly logger: import('pino').Logger;
  readonly endpoint: string;
}

/**
 * How the next call picks among the endpoints that can take it (breaker not open, a free slot):
 * `'round-robin'` takes them in turn, `'least-busy'` the one with the fewest calls in flight
 * (for its `maxConcurrency`), `'weighted'` takes them in turn by `weight` (smooth weighted
 * round-robin: nginx's).
 */
export type EndpointStrategy = 'round-robin' | 'least-busy' | 'weighted';

/**
 * Each endpoint's circuit breaker (cockatiel's). It counts the failures that say the endpoint
 * is in trouble: rate limits, network errors and timeouts, server errors (job/error-class.ts),
 * not client errors or bad updates. Open, it takes no call for `halfOpenAfterMs`, then lets one
 * trial call through (half-open): a success closes it, a failure opens it again for twice as
 * long (up to `maxHalfOpenAfterMs`).
 */
export interface CircuitBreakerOptions {
  /**
   * Opens after this many failed calls in a row.
   * @default 5
   */
  readonly consecutiveFailures?: number | undefined;
  /** Opens instead when more than `threshold` (0 to 1) of the calls over the last `windowMs` failed. */
  readonly failureRate?: FailureRateOptions | undefined;
  /** @default 5000 */
  readonly halfOpenAfterMs?: number | undefined;
  /** @default 60000 */
  readonly maxHalfOpenAfterMs?: number | undefined;
  /**
   * How long a call waits while every endpoint's breaker is open. Past it, calls fail with
   * `XLIFF_ENDPOINTS_DOWN` (which `onError` handles: the job fails, or the unit is skipped)
   * until a trial call closes a breaker again.
   * @default 60000
   */
  readonly maxWaitMs?: number | undefined;
}

export interface FailureRateOptions {
  readonly threshold: number;
  /** @default 30000 */
  readonly windowMs?: number | undefined;
  /**
   * Calls per second the window must see before the rate counts (a few failures at low load
   * do not open it).
   * @default 1
   */
  readonly minimumRps?: number | undefined;
}

export interface ResolvedEndpoint {
  readonly name: string;
  readonly process: ((item: unknown, context: EndpointContext) => unknown) | undefined;
  readonly processBatch: ((items: readonly unknown[], context: EndpointContext) => unknown) | undefined;
  readonly weight: number;
  readonly maxConcurrency: number;
  readonly rateLimit: RateLimitOptions | undefined;
}

export interface ResolvedBreaker {
  readonly consecutiveFailures: number;
  readonly failureRate: Required<FailureRateOptions> | undefined;
  readonly halfOpenAfterMs: number;
  readonly maxHalfOpenAfterMs: number;
  readonly maxWaitMs: number;
}

export interface ResolvedEndpoints {
  readonly list: readonly ResolvedEndpoint[];
  /** Whether the endpoints take batches (`processBatch`). */
  readonly batch: boolean;
  readonly strategy: EndpointStrategy;
  readonly breaker: ResolvedBreaker;
}

export const DEFAULT_BREAKER: ResolvedBreaker = Object.freeze({ consecutiveFailures: 5, failureRate: undefined, halfOpenAfterMs: 5000, maxHalfOpenAfterMs: 60_000, maxWaitMs: 60_000 });

const STRATEGIES: readonly EndpointStrategy[] = ['round-robin', 'least-busy', 'weighted'];

/** `endpoints`, `endpointStrategy` and `circuitBreaker`; `undefined` without endpoints. */
export function normalizeEndpoints(endpoints: unknown, strategy: unknown, breaker: unknown): ResolvedEndpoints | undefined {
  if (endpoints === undefined) {
    if (strategy !== undefined) throw new TypeError('Expected `endpoints` with `endpointStrategy`');
    if (breaker !== undefined) throw new TypeError('Expected `endpoints` with `circuitBreaker`');
    return undefined;
  }
  if (!Array.isArray(endpoints) || endpoints.length === 0) throw new TypeError(`Expected \`endpoints\` to be a non-empty array of { name, process | processBatch }, got ${describe(endpoints)}`);
  const list = endpoints.map((endpoint: unknown, i) => normalizeEndpoint(endpoint, i));
  const names = new Set<string>();
  for (const { name } of list) {
    if (names.has(name)) throw new TypeError(`Expected each endpoint's \`name\` to be its own, got "${name}" twice`);
    names.add(name);
  }
  const batch = list[0]!.processBatch !== undefined;
  const other = list.find((endpoint) => (endpoint.processBatch !== undefined) !== batch);
  if (other) throw new TypeError(`Expected every endpoint to have \`${batch ? 'processBatch' : 'process'}\` as "${list[0]!.name}" does, got "${other.name}" with \`${batch ? 'process' : 'processBatch'}\``);
  const chosen = strategy ?? 'round-robin';
  if (!STRATEGIES.includes(chosen as EndpointStrategy)) throw new TypeError(`Expected \`endpointStrategy\` to be one of ${STRATEGIES.map((s) => `'${s}'`).join(', ')}, got ${describe(strategy)}`);
  const weighted = endpoints.find((endpoint: { weight?: unknown }) => endpoint.weight !== undefined) as { name: string } | undefined;
  if (weighted && chosen !== 'weighted') throw new TypeError(`Expected \`endpointStrategy: 'weighted'\` with an endpoint's \`weight\` (of "${weighted.name}"): the '${String(chosen)}' strategy does not use it`);
  return { list, batch, strategy: chosen as EndpointStrategy, breaker: normalizeBreaker(breaker) };
}

function normalizeEndpoint(endpoint: unknown, i: number): ResolvedEndpoint {
  const at = `endpoints[${i}]`;
  object(at, endpoint);
  const { name, weight, maxConcurrency, rateLimit } = endpoint as EndpointOptions<unknown, unknown>;
  if (typeof name !== 'string' || name === '') throw new TypeError(`Expected \`${at}.name\` to be a non-empty string, got ${describe(name)}`);
  const process = optionalFunction(`${at}.process`, (endpoint as EndpointOptions<unknown, unknown>).process);
  const processBatch = optionalFunction(`${at}.processBatch`, (endpoint as EndpointOptions<unknown, unknown>).processBatch);
  if ((process === undefined) === (processBatch === undefined)) throw new TypeError(`Expected \`${at}\` ("${name}") to have one of \`process\` and \`processBatch\`, got ${process ? 'both' : 'neither'}`);
  return {
    name,
    process: process as ResolvedEndpoint['process'],
    processBatch: processBatch as ResolvedEndpoint['processBatch'],
    weight: wholeNumber(`${at}.weight`, weight, 1, 1),
    maxConcurrency: maxConcurrency === undefined ? Infinity : wholeNumber(`${at}.maxConcurrency`, maxConcurrency, 1),
    rateLimit: rateLimit === undefined ? undefined : normalizeRateLimit(rateLimit, `${at}.rateLimit`),
  };
}

function normalizeBreaker(breaker: unknown): ResolvedBreaker {
  if (breaker === undefined) return DEFAULT_BREAKER;
  object('circuitBreaker', breaker);
  const given = breaker as CircuitBreakerOptions;
  if (given.consecutiveFailures !== undefined && given.failureRate !== undefined) {
    throw new TypeError('Expected one of `circuitBreaker.consecutiveFailures` and `circuitBreaker.failureRate`, got both');
  }
  const halfOpenAfterMs = wholeNumber('circuitBreaker.halfOpenAfterMs', given.halfOpenAfterMs, 1, DEFAULT_BREAKER.halfOpenAfterMs);
  const maxHalfOpenAfterMs = wholeNumber('circuitBreaker.maxHalfOpenAfterMs', given.maxHalfOpenAfterMs, 1, Math.max(halfOpenAfterMs, DEFAULT_BREAKER.maxHalfOpenAfterMs));
  if (maxHalfOpenAfterMs < halfOpenAfterMs) throw new RangeError(`Expected \`circuitBreaker.maxHalfOpenAfterMs\` (${maxHalfOpenAfterMs}) to be at least \`halfOpenAfterMs\` (${halfOpenAfterMs})`);
  return {
    consecutiveFailures: wholeNumber('circuitBreaker.consecutiveFailures', given.consecutiveFailures, 1, DEFAULT_BREAKER.consecutiveFailures),
    failureRate: given.failureRate === undefined ? undefined : normalizeFailureRate(given.failureRate),
    halfOpenAfterMs,
    maxHalfOpenAfterMs,
    maxWaitMs: wholeNumber('circuitBreaker.maxWaitMs', given.maxWaitMs, 0, DEFAULT_BREAKER.maxWaitMs),
  };
}

function normalizeFailureRate(rate: unknown): Required<FailureRateOptions> {
  object('circuitBreaker.failureRate', rate);
  const { threshold, windowMs, minimumRps } = rate as FailureRateOptions;
  if (typeof threshold !== 'number' || !(threshold > 0 && threshold < 1)) throw new RangeError(`Expected \`circuitBreaker.failureRate.threshold\` to be a number between 0 and 1, got ${describe(threshold)}`);
  return {
    threshold,
    windowMs: wholeNumber('circuitBreaker.failureRate.windowMs', windowMs, 1, 30_000),
    minimumRps: finiteNumber('circuitBreaker.failureRate.minimumRps', minimumRps, 0, 1),
  };
}
