/**
 * The `retry` option of `processXliff`: its types, its defaults by class of failure
 * (job/error-class.ts) and how it is resolved and checked (job/retry.ts applies it).
 */
import { describe } from '../errors.js';
import { finiteNumber, optionalFunction, wholeNumber } from '../option-checks.js';
import type { ErrorClass, RetriedClass } from './error-class.js';

/** How one class of failure is retried. */
export interface RetryPolicyOptions {
  /**
   * Attempts after the first one that failed with this class of error (0: no retry).
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

/**
 * Retries by what failed (job/error-class.ts). Its own fields are the policy of errors of no
 * known class (`other`); `rateLimit`, `network` and `server` have their own, each a policy,
 * a number of retries or `false`. Client errors (HTTP 4xx but 408 and 429) and bad updates
 * are never retried, nor is an error with `retryable: false`. Each class counts its own
 * retries within a call.
 */
export interface RetryOptions extends RetryPolicyOptions {
  /**
   * HTTP 429, or an error with `retryAfterMs`: more patience.
   * @default { retries: 8, minDelayMs: 1000, maxDelayMs: 60000, factor: 2 }
   */
  readonly rateLimit?: RetryPolicyOptions | number | false | undefined;
  /**
   * Timeouts and connections that failed.
   * @default { retries: 4, minDelayMs: 200, maxDelayMs: 30000, factor: 2 }
   */
  readonly network?: RetryPolicyOptions | number | false | undefined;
  /**
   * HTTP 5xx.
   * @default { retries: 3, minDelayMs: 500, maxDelayMs: 30000, factor: 2 }
   */
  readonly server?: RetryPolicyOptions | number | false | undefined;
  /**
   * Your own classification, asked first: a class, or `undefined` to let the library decide
   * (not with `threads`: a function cannot cross to a worker thread).
   */
  readonly classify?: ((error: unknown) => ErrorClass | undefined) | undefined;
}

export const DEFAULT_RETRY_POLICIES: Readonly<Record<RetriedClass, ResolvedRetryPolicy>> = Object.freeze({
  rateLimit: Object.freeze({ retries: 8, minDelayMs: 1000, maxDelayMs: 60_000, factor: 2 }),
  network: Object.freeze({ retries: 4, minDelayMs: 200, maxDelayMs: 30_000, factor: 2 }),
  server: Object.freeze({ retries: 3, minDelayMs: 500, maxDelayMs: 30_000, factor: 2 }),
  other: Object.freeze({ retries: 3, minDelayMs: 200, maxDelayMs: 30_000, factor: 2 }),
});
export const DEFAULT_RETRY: ResolvedRetry = Object.freeze({ ...DEFAULT_RETRY_POLICIES.other, rateLimit: DEFAULT_RETRY_POLICIES.rateLimit, network: DEFAULT_RETRY_POLICIES.network, server: DEFAULT_RETRY_POLICIES.server, classify: undefined });

export interface ResolvedRetryPolicy {
  readonly retries: number;
  readonly minDelayMs: number;
  readonly maxDelayMs: number;
  readonly factor: number;
}

/** Its own fields: the policy of `other` errors. */
export interface ResolvedRetry extends ResolvedRetryPolicy {
  readonly rateLimit: ResolvedRetryPolicy;
  readonly network: ResolvedRetryPolicy;
  readonly server: ResolvedRetryPolicy;
  readonly classify: ((error: unknown) => ErrorClass | undefined) | undefined;
}

/** `retry`: an object, a number (the `retries` of every class), `true` or `undefined` (the defaults), `false` (no retry). */
export function normalizeRetry(option: RetryOptions | number | boolean | undefined): ResolvedRetry {
  if (option === undefined || option === true) return DEFAULT_RETRY;
  if (option === false) return everyClass((policy) => ({ ...policy, retries: 0 }));
  if (typeof option === 'number') {
    const retries = wholeNumber('retry', option, 0);
    return everyClass((policy) => ({ ...policy, retries }));
  }
  if (option === null || typeof option !== 'object') {
    throw new TypeError(`Expected \`retry\` to be an object, a number of retries or a boolean, got ${describe(option)}`);
  }
  // The fields given at the top apply to every class; a class's own override them.
  const given = retryPolicyFields('retry', option);
  const policy = (name: RetriedClass, own: RetryPolicyOptions | number | false | undefined): ResolvedRetryPolicy => {
    const defaults = DEFAULT_RETRY_POLICIES[name];
    const at = name === 'other' ? 'retry' : `retry.${name}`;
    if (own === undefined) return resolvePolicy(at, defaults, given);
    if (own === false) return resolvePolicy(at, defaults, { ...given, retries: 0 });
    if (typeof own === 'number') return resolvePolicy(at, defaults, { ...given, retries: wholeNumber(`retry.${name}`, own, 0) });
    if (own === null || typeof own !== 'object') throw new TypeError(`Expected \`retry.${name}\` to be an object, a number of retries or false, got ${describe(own)}`);
    return resolvePolicy(at, defaults, { ...given, ...retryPolicyFields(`retry.${name}`, own) });
  };
  return {
    ...policy('other', undefined),
    rateLimit: policy('rateLimit', option.rateLimit),
    network: policy('network', option.network),
    server: policy('server', option.server),
    classify: optionalFunction('retry.classify', option.classify),
  };
}

/** The defaults with `change` made to every class's policy. */
function everyClass(change: (policy: ResolvedRetryPolicy) => ResolvedRetryPolicy): ResolvedRetry {
  const { rateLimit, network, server, other } = DEFAULT_RETRY_POLICIES;
  return { ...change(other), rateLimit: change(rateLimit), network: change(network), server: change(server), classify: undefined };
}

/** The fields of a policy that are given, each checked; `maxDelayMs` is checked against `minDelayMs` in resolvePolicy. */
function retryPolicyFields(name: string, option: RetryPolicyOptions): Partial<ResolvedRetryPolicy> {
  const fields: { -readonly [K in keyof ResolvedRetryPolicy]?: number } = {};
  if (option.retries !== undefined) fields.retries = wholeNumber(`${name}.retries`, option.retries, 0);
  if (option.minDelayMs !== undefined) fields.minDelayMs = finiteNumber(`${name}.minDelayMs`, option.minDelayMs, 0, 0);
  if (option.maxDelayMs !== undefined) fields.maxDelayMs = finiteNumber(`${name}.maxDelayMs`, option.maxDelayMs, fields.minDelayMs ?? 0, 0);
  if (option.factor !== undefined) fields.factor = finiteNumber(`${name}.factor`, option.factor, 1, 1);
  return fields;
}

/**
 * The defaults with the fields given. A ceiling given is kept (no wait is longer): a default
 * first delay above it comes down to it; a first delay given above the default ceiling raises it.
 */
function resolvePolicy(name: string, defaults: ResolvedRetryPolicy, given: Partial<ResolvedRetryPolicy>): ResolvedRetryPolicy {
  const { retries = defaults.retries, factor = defaults.factor } = given;
  const maxDelayMs = given.maxDelayMs ?? Math.max(defaults.maxDelayMs, given.minDelayMs ?? 0);
  const minDelayMs = given.minDelayMs ?? Math.min(defaults.minDelayMs, maxDelayMs);
  if (minDelayMs > maxDelayMs) throw new RangeError(`Expected \`${name}.maxDelayMs\` to be a finite number from ${minDelayMs} and up, got ${maxDelayMs}`);
  return { retries, minDelayMs, maxDelayMs, factor };
}
