/**
 * What kind of failure a processor call met: it decides how patiently the call is retried
 * (retry.ts), and whether an endpoint's circuit breaker counts it (endpoints.ts).
 */
import { XliffError } from '../errors.js';

/**
 * - `rateLimit`: HTTP 429, or an error with `retryAfterMs` and no other status;
 * - `network`: a timeout (`timeoutMs`, HTTP 408, an `AbortSignal.timeout`), a connection that
 *   failed (ECONNRESET, ETIMEDOUT, ECONNREFUSED..., undici's `UND_ERR_*`), a fetch `TypeError`;
 * - `server`: HTTP 5xx;
 * - `client`: another HTTP 4xx (the request is wrong: not retried);
 * - `badUpdate`: the processor answered something the unit cannot take (not retried);
 * - `other`: anything else (a plain `Error`).
 */
export type ErrorClass = 'rateLimit' | 'network' | 'server' | 'client' | 'badUpdate' | 'other';

/** The classes that are retried, each with its own policy. */
export const RETRIED_CLASSES = ['rateLimit', 'network', 'server', 'other'] as const;
export type RetriedClass = (typeof RETRIED_CLASSES)[number];

const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'ENETDOWN',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ESOCKETTIMEDOUT',
]);

/** The class of `error`: by the user's `classify` first (when it answers), then by its status, code and kind. */
export function classifyError(error: unknown, classify?: (error: unknown) => ErrorClass | undefined): ErrorClass {
  const own = classify?.(error);
  if (own !== undefined) return own;
  if (error instanceof XliffError) {
    if (error.code === 'XLIFF_BAD_UPDATE') return 'badUpdate';
    if (error.code === 'XLIFF_TIMEOUT') return 'network';
  }
  const status = httpStatus(error);
  if (status !== undefined) {
    if (status === 429) return 'rateLimit';
    if (status === 408) return 'network';
    if (status >= 500 && status <= 599) return 'server';
    if (status >= 400 && status <= 499) return 'client';
  }
  const retryAfterMs = (error as { retryAfterMs?: unknown } | null)?.retryAfterMs;
  if (typeof retryAfterMs === 'number') return 'rateLimit';
  if (isNetworkError(error)) return 'network';
  return 'other';
}

/** `status` (fetch's Response, got, ky), `statusCode` (Node's, superagent), `response.status` (axios), `$metadata.httpStatusCode` (AWS SDK). */
export function httpStatus(error: unknown): number | undefined {
  if (error === null || typeof error !== 'object') return undefined;
  const e = error as { status?: unknown; statusCode?: unknown; response?: { status?: unknown } | null; $metadata?: { httpStatusCode?: unknown } | null };
  for (const value of [e.status, e.statusCode, e.response?.status, e.$metadata?.httpStatusCode]) {
    if (typeof value === 'number' && Number.isInteger(value) && value >= 100 && value <= 599) return value;
  }
  return undefined;
}

/** A connection that failed or timed out: by its code, or its cause's (fetch wraps it: `TypeError: fetch failed`). */
function isNetworkError(error: unknown): boolean {
  for (let e = error, depth = 0; e !== null && typeof e === 'object' && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const { code, name } = e as { code?: unknown; name?: unknown };
    if (typeof code === 'string' && (NETWORK_CODES.has(code) || code.startsWith('UND_ERR_'))) return true;
    if (name === 'TimeoutError') return true;
  }
  return error instanceof TypeError && /fetch failed|network|socket/i.test(error.message);
}
