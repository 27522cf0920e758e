import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { XliffError } from '../../src/errors.js';
import { RateLimiter } from '../../src/job/rate-limit.js';
import { backoff, callWithRetry, type AttemptContext, type RetryInfo } from '../../src/job/retry.js';
import { DEFAULT_RETRY, normalizeRetry, type ResolvedRetry } from '../../src/job/retry-options.js';

/** Fake time: setTimeout and Date run on a clock the test moves. */
function fakeTime(t: TestContext): void {
  t.mock.timers.enable({ apis: ['setTimeout', 'Date'], now: 0 });
}

/** Lets every settled promise run its continuations. */
const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Moves the fake clock until `promise` settles (at most `maxMs`), in steps of `step` ms; returns how it settled. */
async function settle<T>(t: TestContext, promise: Promise<T>, step = 10, maxMs = 600_000): Promise<{ value?: T; error?: unknown }> {
  let outcome: { value?: T; error?: unknown } | undefined;
  promise.then(
    (value) => (outcome = { value }),
    (error: unknown) => (outcome = { error }),
  );
  await flush();
  for (let elapsed = 0; outcome === undefined && elapsed < maxMs; elapsed += step) {
    t.mock.timers.tick(step);
    await flush();
  }
  assert.ok(outcome, `still pending after ${maxMs} ms`);
  return outcome;
}

const activeTimers = () => process.getActiveResourcesInfo().filter((name) => name === 'Timeout').length;

/** An error a processor could throw. */
function failure(message: string, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(message), extra);
}

const retry = (options: Parameters<typeof normalizeRetry>[0]) => normalizeRetry(options);

test('a first success: one call, attempt 1, no timer left', async () => {
  const before = activeTimers();
  const seen: AttemptContext[] = [];
  const value = await callWithRetry((ctx) => (seen.push(ctx), 'ok'), { retry: DEFAULT_RETRY, timeoutMs: 60_000 });
  assert.equal(value, 'ok');
  assert.equal(seen.length, 1);
  assert.equal(seen[0]!.attempt, 1);
  assert.equal(seen[0]!.signal.aborted, false);
  assert.equal(activeTimers(), before);
});

test('exponential backoff with full jitter: the waits with a fixed random', async (t) => {
  fakeTime(t);
  const starts: number[] = [];
  const retries: RetryInfo[] = [];
  const promise = callWithRetry(
    ({ attempt }) => {
      starts.push(Date.now());
      throw failure(`attempt ${attempt}`);
    },
    { retry: retry({ retries: 4, minDelayMs: 100, maxDelayMs: 300, factor: 2 }), random: () => 0.5, onRetry: (info) => retries.push(info) },
  );
  const { error } = await settle(t, promise);
  // 0.5 * min(300, 100 * 2 ** (n - 1)) for n = 1..4
  assert.deepEqual(retries.map((r) => r.delayMs), [50, 100, 150, 150]);
  assert.deepEqual(retries.map((r) => r.attempt), [1, 2, 3, 4]);
  assert.deepEqual(retries.map((r) => (r.error as Error).message), ['attempt 1', 'attempt 2', 'attempt 3', 'attempt 4']);
  assert.deepEqual(starts, [0, 50, 150, 300, 450]);
  assert.equal((error as Error).message, 'attempt 5', 'the final failure is the last error');
});

test('backoff(): full jitter range, the cap, and retryAfterMs', () => {
  const r = retry({ minDelayMs: 200, maxDelayMs: 1000, factor: 3 });
  assert.equal(backoff(r, 1, new Error(), () => 0), 0);
  assert.equal(backoff(r, 1, new Error(), () => 0.999), 0.999 * 200);
  assert.equal(backoff(r, 2, new Error(), () => 0.5), 300);
  assert.equal(backoff(r, 9, new Error(), () => 0.5), 500, 'capped by maxDelayMs');
  assert.equal(backoff(r, 1, failure('429', { retryAfterMs: 700 }), () => 0.1), 700, 'exactly, no jitter');
  assert.equal(backoff(r, 1, failure('429', { retryAfterMs: 5000 }), () => 0.1), 1000, 'capped by maxDelayMs');
  assert.equal(backoff(r, 1, failure('429', { retryAfterMs: 0 }), () => 0.1), 0);
  for (const bad of [-1, NaN, Infinity, '700', null]) assert.equal(backoff(r, 1, failure('x', { retryAfterMs: bad }), () => 0.5), 100, `ignored: ${String(bad)}`);
  assert.equal(backoff(r, 1, 'a string thrown', () => 0.5), 100);
  assert.equal(backoff(r, 1, null, () => 0.5), 100);
});

test('retryAfterMs: the next attempt waits exactly that long', async (t) => {
  fakeTime(t);
  const starts: number[] = [];
  const promise = callWithRetry(
    ({ attempt }) => {
      starts.push(Date.now());
      if (attempt === 1) return Promise.reject(failure('429 Too Many Requests', { retryAfterMs: 1234 }));
      return Promise.resolve(attempt);
    },
    { retry: DEFAULT_RETRY, random: () => 0.9 },
  );
  assert.deepEqual(await settle(t, promise, 1), { value: 2 });
  assert.deepEqual(starts, [0, 1234]);
});

test('retryable: false is not retried', async () => {
  const error = failure('bad request', { retryable: false });
  let calls = 0;
  const retries: RetryInfo[] = [];
  await assert.rejects(
    callWithRetry(
      async () => {
        calls++;
        throw error;
      },
      { retry: DEFAULT_RETRY, onRetry: (info) => retries.push(info) },
    ),
    (thrown) => thrown === error,
  );
  assert.equal(calls, 1);
  assert.equal(retries.length, 0);
});

test('retries: 0 / false: one attempt only', async () => {
  for (const option of [0, false, { retries: 0 }] as const) {
    let calls = 0;
    await assert.rejects(callWithRetry(() => Promise.reject(new Error(`no ${++calls}`)), { retry: retry(option) }), /no 1/);
    assert.equal(calls, 1);
  }
});

test('a synchronous throw counts like a rejection and is retried', async () => {
  const attempts: number[] = [];
  const value = await callWithRetry(
    ({ attempt }) => {
      attempts.push(attempt);
      if (attempt < 3) throw new Error('sync');
      return 'third time';
    },
    { retry: retry({ minDelayMs: 0 }) },
  );
  assert.equal(value, 'third time');
  assert.deepEqual(attempts, [1, 2, 3]);
});

test('a timeout aborts ctx.signal with XLIFF_TIMEOUT and counts as a failed attempt', async (t) => {
  fakeTime(t);
  const signals: AbortSignal[] = [];
  const retries: RetryInfo[] = [];
  const promise = callWithRetry(
    ({ signal, attempt }) => {
      signals.push(signal);
      // The first attempt hangs and ignores its signal; the second answers.
      return attempt === 1 ? new Promise<string>(() => {}) : 'late but fine';
    },
    { retry: retry({ minDelayMs: 100 }), timeoutMs: 1000, random: () => 1, onRetry: (info) => retries.push(info) },
  );
  assert.deepEqual(await settle(t, promise), { value: 'late but fine' });
  assert.equal(signals.length, 2);
  assert.equal(signals[0]!.aborted, true);
  const reason = signals[0]!.reason as XliffError;
  assert.ok(reason instanceof XliffError);
  assert.equal(reason.code, 'XLIFF_TIMEOUT');
  assert.match(reason.message, /1000 ms/);
  assert.equal(retries[0]!.error, reason);
  assert.equal(signals[1]!.aborted, false);
});

test('timeouts on every attempt: rejects with the XLIFF_TIMEOUT error after the retries', async (t) => {
  fakeTime(t);
  let calls = 0;
  const promise = callWithRetry(
    () => {
      calls++;
      return new Promise<never>(() => {});
    },
    { retry: retry({ retries: 2, minDelayMs: 10 }), timeoutMs: 500 },
  );
  const { error } = await settle(t, promise);
  assert.equal(calls, 3);
  assert.ok(error instanceof XliffError && error.code === 'XLIFF_TIMEOUT');
});

test('a result or rejection arriving after the timeout is ignored', async (t) => {
  fakeTime(t);
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  process.on('unhandledRejection', onUnhandled);
  t.after(() => process.off('unhandledRejection', onUnhandled));
  const promise = callWithRetry(
    ({ attempt }) => new Promise((_resolve, reject) => setTimeout(() => reject(new Error(`late ${attempt}`)), 2000)),
    { retry: retry({ retries: 0 }), timeoutMs: 1000 },
  );
  const { error } = await settle(t, promise);
  assert.equal((error as XliffError).code, 'XLIFF_TIMEOUT');
  t.mock.timers.tick(2000);
  await flush();
  assert.deepEqual(unhandled, []);
});

test('an abort during the backoff wait rejects at once with the reason; no timer left', async () => {
  const before = activeTimers();
  const controller = new AbortController();
  let calls = 0;
  const promise = callWithRetry(
    () => {
      calls++;
      throw new Error('fail');
    },
    { retry: retry({ minDelayMs: 60_000 }), random: () => 1, signal: controller.signal },
  );
  await flush();
  assert.equal(activeTimers(), before + 1, 'waiting 60 s');
  const reason = new Error('user stop');
  controller.abort(reason);
  await assert.rejects(promise, (error) => error === reason);
  assert.equal(calls, 1);
  assert.equal(activeTimers(), before);
});

test('an abort rejects at once and aborts the attempt in flight; no timer left', async () => {
  const before = activeTimers();
  const controller = new AbortController();
  let inner: AbortSignal | undefined;
  const promise = callWithRetry(
    ({ signal }) => {
      inner = signal;
      return new Promise<never>(() => {}); // ignores its signal
    },
    { retry: DEFAULT_RETRY, timeoutMs: 60_000, signal: controller.signal },
  );
  await flush();
  const reason = new Error('user stop');
  controller.abort(reason);
  await assert.rejects(promise, (error) => error === reason);
  assert.equal(inner?.aborted, true);
  assert.equal(inner?.reason, reason);
  assert.equal(activeTimers(), before);
});

test('an attempt that fails because of the abort is not retried', async () => {
  const controller = new AbortController();
  let calls = 0;
  const retries: RetryInfo[] = [];
  const promise = callWithRetry(
    ({ signal }) => {
      calls++;
      return new Promise<never>((_resolve, reject) => signal.addEventListener('abort', () => reject(new Error('fetch aborted'))));
    },
    { retry: retry({ minDelayMs: 60_000 }), random: () => 1, signal: controller.signal, onRetry: (info) => retries.push(info) },
  );
  const reason = new Error('stop');
  controller.abort(reason);
  await assert.rejects(promise, (error) => error === reason);
  assert.equal(calls, 1);
  assert.equal(retries.length, 0);
});

test('an already aborted signal: rejects with its reason, no call', async () => {
  const reason = new Error('before');
  let calls = 0;
  await assert.rejects(callWithRetry(() => ++calls, { retry: DEFAULT_RETRY, signal: AbortSignal.abort(reason) }), (error) => error === reason);
  assert.equal(calls, 0);
});

test('every attempt, retries too, takes a rate-limit token', async (t) => {
  fakeTime(t);
  const limiter = new RateLimiter({ limit: 1, intervalMs: 1000 }, Date.now);
  const starts: number[] = [];
  const promise = callWithRetry(
    ({ attempt }) => {
      starts.push(Date.now());
      if (attempt === 1) throw new Error('once');
      return 'ok';
    },
    { retry: DEFAULT_RETRY, random: () => 0, rateLimiter: limiter },
  );
  assert.deepEqual(await settle(t, promise), { value: 'ok' });
  assert.deepEqual(starts, [0, 1000]);
});

test('an abort while waiting for a rate-limit token rejects with the reason', async () => {
  const limiter = new RateLimiter({ limit: 1, intervalMs: 60_000 });
  await limiter.take();
  const controller = new AbortController();
  let calls = 0;
  const promise = callWithRetry(() => ++calls, { retry: DEFAULT_RETRY, rateLimiter: limiter, signal: controller.signal });
  const reason = new Error('stop');
  controller.abort(reason);
  await assert.rejects(promise, (error) => error === reason);
  assert.equal(calls, 0);
});

test('normalizeRetry: defaults per class, shorthands, and top-level fields that apply to every class', () => {
  const policies = (r: ResolvedRetry) => ({ other: { retries: r.retries, minDelayMs: r.minDelayMs, maxDelayMs: r.maxDelayMs, factor: r.factor }, rateLimit: r.rateLimit, network: r.network, server: r.server });
  const defaults = {
    other: { retries: 3, minDelayMs: 200, maxDelayMs: 30_000, factor: 2 },
    rateLimit: { retries: 8, minDelayMs: 1000, maxDelayMs: 60_000, factor: 2 },
    network: { retries: 4, minDelayMs: 200, maxDelayMs: 30_000, factor: 2 },
    server: { retries: 3, minDelayMs: 500, maxDelayMs: 30_000, factor: 2 },
  };
  assert.deepEqual(policies(normalizeRetry(undefined)), defaults);
  assert.deepEqual(normalizeRetry(true), DEFAULT_RETRY);
  assert.deepEqual(normalizeRetry({}), { ...DEFAULT_RETRY, classify: undefined });
  const retriesOf = (r: ResolvedRetry) => [r.retries, r.rateLimit.retries, r.network.retries, r.server.retries];
  assert.deepEqual(retriesOf(normalizeRetry(false)), [0, 0, 0, 0]);
  assert.deepEqual(retriesOf(normalizeRetry(5)), [5, 5, 5, 5], 'a number: the retries of every class');
  assert.deepEqual(retriesOf(normalizeRetry({ retries: 1, server: 6, network: false })), [1, 1, 0, 6], 'a class overrides the top');
  const same = normalizeRetry({ retries: 1, minDelayMs: 0, maxDelayMs: 10, factor: 1 });
  for (const p of Object.values(policies(same))) assert.deepEqual(p, { retries: 1, minDelayMs: 0, maxDelayMs: 10, factor: 1 });
  assert.equal(normalizeRetry({ minDelayMs: 60_000 }).maxDelayMs, 60_000, 'the default ceiling is raised to minDelayMs');
  assert.equal(normalizeRetry({ minDelayMs: 90_000 }).rateLimit.maxDelayMs, 90_000);
  // A ceiling given holds for every class: the rate limit's longer first delay comes down to it.
  assert.deepEqual(normalizeRetry({ maxDelayMs: 500 }).rateLimit, { retries: 8, minDelayMs: 500, maxDelayMs: 500, factor: 2 });
  assert.deepEqual(normalizeRetry({ rateLimit: { minDelayMs: 5 } }).rateLimit, { retries: 8, minDelayMs: 5, maxDelayMs: 60_000, factor: 2 });
  assert.deepEqual(normalizeRetry({ rateLimit: { minDelayMs: 5 } }).network, defaults.network, 'other classes keep their defaults');
  const classify = () => 'client' as const;
  assert.equal(normalizeRetry({ classify }).classify, classify);
});

test('normalizeRetry: bad options throw TypeError / RangeError saying what was expected and given', () => {
  const cases: [unknown, ErrorConstructor, RegExp][] = [
    ['3', TypeError, /^Expected `retry` to be an object, a number of retries or a boolean, got "3"$/],
    [null, TypeError, /got null/],
    [-1, RangeError, /^Expected `retry` to be a whole number from 0 and up, got -1$/],
    [{ retries: 1.5 }, RangeError, /^Expected `retry.retries` to be a whole number from 0 and up, got 1.5$/],
    [{ retries: '2' }, TypeError, /^Expected `retry.retries` to be a number from 0 and up, got "2"$/],
    [{ minDelayMs: -5 }, RangeError, /^Expected `retry.minDelayMs` to be a finite number from 0 and up, got -5$/],
    [{ minDelayMs: 500, maxDelayMs: 100 }, RangeError, /^Expected `retry.maxDelayMs` to be a finite number from 500 and up, got 100$/],
    [{ maxDelayMs: Infinity }, RangeError, /got Infinity/],
    [{ factor: 0.5 }, RangeError, /^Expected `retry.factor` to be a finite number from 1 and up, got 0.5$/],
    [{ factor: NaN }, RangeError, /got NaN/],
    [{ rateLimit: 'yes' }, TypeError, /^Expected `retry.rateLimit` to be an object, a number of retries or false, got "yes"$/],
    [{ network: -2 }, RangeError, /^Expected `retry.network` to be a whole number from 0 and up, got -2$/],
    [{ server: { factor: 0 } }, RangeError, /^Expected `retry.server.factor` to be a finite number from 1 and up, got 0$/],
    [{ minDelayMs: 500, server: { maxDelayMs: 100 } }, RangeError, /^Expected `retry.server.maxDelayMs` to be a finite number from 500 and up, got 100$/],
    [{ classify: 'client' }, TypeError, /^Expected `retry.classify` to be a function, got "client"$/],
  ];
  for (const [option, type, message] of cases) {
    assert.throws(() => normalizeRetry(option as never), (error: unknown) => error instanceof type && message.test((error as Error).message), String(message));
  }
});

test('a rate limit gets its own policy: more retries, a longer first delay', async (t) => {
  fakeTime(t);
  const starts: number[] = [];
  const retries: RetryInfo[] = [];
  const promise = callWithRetry(
    () => {
      starts.push(Date.now());
      throw failure('Too Many Requests', { status: 429 });
    },
    { retry: retry({ rateLimit: { retries: 5, minDelayMs: 1000, maxDelayMs: 4000 } }), random: () => 1 - Number.EPSILON, onRetry: (info) => retries.push(info) },
  );
  const { error } = await settle(t, promise, 50);
  assert.equal((error as { status: number }).status, 429);
  assert.equal(starts.length, 6, 'the first attempt and 5 retries');
  assert.deepEqual(retries.map((r) => r.errorClass), Array(5).fill('rateLimit'));
  assert.deepEqual(retries.map((r) => Math.round(r.delayMs)), [1000, 2000, 4000, 4000, 4000]);
});

test('client errors and bad updates are not retried; server and network errors are, each by its policy', async () => {
  for (const [error, calls] of [
    [failure('Bad Request', { status: 400 }), 1],
    [new XliffError('XLIFF_BAD_UPDATE', 'no such segment'), 1],
    [failure('Internal Server Error', { status: 500 }), 3],
    [failure('socket hang up', { code: 'ECONNRESET' }), 2],
  ] as const) {
    let made = 0;
    await assert.rejects(
      callWithRetry(
        () => {
          made++;
          throw error;
        },
        { retry: retry({ minDelayMs: 0, maxDelayMs: 0, server: 2, network: 1 }) },
      ),
      (thrown) => thrown === error,
    );
    assert.equal(made, calls, (error as Error).message);
  }
});

test('each class counts its own failures, and its backoff grows with its own count', async (t) => {
  fakeTime(t);
  const sequence = [failure('reset', { code: 'ECONNRESET' }), failure('500', { status: 500 }), failure('reset', { code: 'ECONNRESET' }), failure('503', { status: 503 }), failure('reset', { code: 'ECONNRESET' })];
  const retries: RetryInfo[] = [];
  const policy = { minDelayMs: 100, maxDelayMs: 10_000, factor: 2 };
  const promise = callWithRetry(
    ({ attempt }) => {
      throw sequence[attempt - 1] ?? failure('past the sequence');
    },
    { retry: retry({ network: { retries: 2, ...policy }, server: { retries: 5, ...policy } }), random: () => 0.5, onRetry: (info) => retries.push(info) },
  );
  const { error } = await settle(t, promise);
  // network 1, server 1, network 2, server 2, then network 3 > 2: the fifth attempt's error ends the call.
  assert.equal(error, sequence[4]);
  assert.deepEqual(retries.map((r) => [r.attempt, r.errorClass, r.delayMs]), [
    [1, 'network', 50],
    [2, 'server', 50],
    [3, 'network', 100],
    [4, 'server', 100],
  ]);
});

test('retry.classify decides first: a 403 quota error retried as a rate limit', async () => {
  let made = 0;
  const value = await callWithRetry(
    () => {
      if (++made < 3) throw failure('quota exceeded', { status: 403 });
      return 'ok';
    },
    { retry: retry({ minDelayMs: 0, maxDelayMs: 0, classify: (error) => ((error as Error).message.startsWith('quota') ? 'rateLimit' : undefined) }) },
  );
  assert.equal(value, 'ok');
  assert.equal(made, 3);
});
