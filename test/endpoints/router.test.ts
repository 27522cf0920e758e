/**
 * The router over several endpoints: each strategy's order, per-endpoint concurrency, failover
 * within an attempt, the breaker's states (closed, open, half-open, closed again) with their
 * doubling open times, the wait while every endpoint is down and its limit, timeouts and
 * aborts. Timers and `Date` are node:test's mock timers: no test waits on a clock.
 */
import { afterEach, beforeEach, mock, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Logger } from 'pino';
import { XliffError } from '../../src/index.js';
import { normalizeEndpoints, type CircuitBreakerOptions, type EndpointContext, type EndpointStrategy } from '../../src/endpoints/endpoint-options.js';
import { EndpointRouter } from '../../src/endpoints/router.js';

type Answer = (item: string, ctx: EndpointContext) => unknown;

function router(answers: Record<string, Answer | { answer: Answer; weight?: number; maxConcurrency?: number }>, options: { strategy?: EndpointStrategy; breaker?: CircuitBreakerOptions; timeoutMs?: number } = {}): EndpointRouter {
  const endpoints = Object.entries(answers).map(([name, given]) => {
    const { answer, ...rest } = typeof given === 'function' ? { answer: given } : given;
    return { name, process: answer, ...rest };
  });
  return new EndpointRouter(normalizeEndpoints(endpoints, options.strategy, options.breaker)!, { timeoutMs: options.timeoutMs, classify: undefined, logger: undefined });
}

const logger = {} as Logger;
const context = (signal = new AbortController().signal) => ({ signal, attempt: 1, logger });
const named: Answer = (item, ctx) => `${ctx.endpoint}:${item}`;
const httpError = (status: number) => Object.assign(new Error(`HTTP ${status}`), { status });

/** Lets every promise chain that can settle settle (mock timers do not run microtasks). */
async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
}

beforeEach(() => mock.timers.enable({ apis: ['setTimeout', 'Date'], now: 1_000_000 }));
afterEach(() => mock.timers.reset());

test('round-robin takes the endpoints in turn', async () => {
  const r = router({ a: named, b: named, c: named });
  const got = [];
  for (let i = 0; i < 7; i++) got.push(await r.process(String(i), context()));
  assert.deepEqual(got, ['a:0', 'b:1', 'c:2', 'a:3', 'b:4', 'c:5', 'a:6']);
  assert.deepEqual(r.stats().map((s) => [s.name, s.done, s.failed, s.inFlight, s.state]), [
    ['a', 3, 0, 0, 'closed'],
    ['b', 2, 0, 0, 'closed'],
    ['c', 2, 0, 0, 'closed'],
  ]);
});

test("weighted spreads calls by weight, interleaved (nginx's smooth weighted round-robin)", async () => {
  const r = router({ a: { answer: named, weight: 5 }, b: { answer: named, weight: 1 }, c: { answer: named, weight: 1 } }, { strategy: 'weighted' });
  const got: string[] = [];
  for (let i = 0; i < 14; i++) got.push(String(await r.process('x', context())).split(':')[0]!);
  assert.deepEqual(got.slice(0, 7), ['a', 'a', 'b', 'a', 'c', 'a', 'a']);
  assert.deepEqual(got.slice(7), got.slice(0, 7));
});

test('least-busy sends a call to the endpoint with the fewest calls in flight for its maxConcurrency', async () => {
  const held: Array<() => void> = [];
  const slow: Answer = (item, ctx) => new Promise((resolve) => held.push(() => resolve(`${ctx.endpoint}:${item}`)));
  const r = router({ a: { answer: slow, maxConcurrency: 4 }, b: { answer: slow, maxConcurrency: 2 } }, { strategy: 'least-busy' });
  const calls = [1, 2, 3].map((n) => r.process(String(n), context()));
  await settle();
  // a 0/4, b 0/2: a (in turn); then a 1/4 against b 0/2: b; then a 1/4 against b 1/2: a.
  assert.deepEqual(r.stats().map((s) => s.inFlight), [2, 1]);
  held.forEach((release) => release());
  assert.deepEqual(await Promise.all(calls), ['a:1', 'b:2', 'a:3']);
});

test('maxConcurrency: a call waits for a free slot, and never more are in flight', async () => {
  let inFlight = 0;
  let most = 0;
  const held: Array<() => void> = [];
  const slow: Answer = (item, ctx) => {
    most = Math.max(most, ++inFlight);
    return new Promise((resolve) => held.push(() => (inFlight--, resolve(`${ctx.endpoint}:${item}`))));
  };
  const r = router({ a: { answer: slow, maxConcurrency: 1 }, b: { answer: slow, maxConcurrency: 1 } });
  let third: unknown;
  const calls = [1, 2, 3].map((n) => r.process(String(n), context()));
  void calls[2]!.then((value) => (third = value));
  await settle();
  assert.equal(held.length, 2, 'two calls started, the third waits');
  held.shift()!();
  await settle();
  assert.equal(third, undefined);
  assert.equal(held.length, 1 + 1, 'the third took the freed slot');
  held.forEach((release) => release());
  assert.deepEqual(await Promise.all(calls), ['a:1', 'b:2', 'a:3']);
  assert.equal(most, 2);
});

test('failover: a call that fails as an endpoint fails (5xx, 429, network) goes to another in the same attempt', async () => {
  for (const error of [httpError(503), httpError(429), Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })]) {
    const r = router({ a: () => Promise.reject(error), b: named });
    assert.equal(await r.process('x', context()), 'b:x');
    assert.equal(r.failovers, 1);
    assert.deepEqual(r.stats().map((s) => [s.name, s.done, s.failed]), [
      ['a', 0, 1],
      ['b', 1, 0],
    ]);
  }
});

test('every endpoint failing: the attempt fails with the last error (the retry policy takes over)', async () => {
  const r = router({ a: () => Promise.reject(httpError(502)), b: () => Promise.reject(httpError(503)) });
  await assert.rejects(r.process('x', context()), (error: { status?: number }) => error.status === 503);
  assert.equal(r.failovers, 1);
});

test('a client error (4xx) is the request\'s fault: no failover, and the breaker does not count it', async () => {
  let bCalls = 0;
  const r = router({ a: () => Promise.reject(httpError(400)), b: () => (bCalls++, 'b') }, { breaker: { consecutiveFailures: 2 } });
  for (let i = 0; i < 6; i++) {
    // Round-robin: every other call goes to a, and fails there.
    const result = await r.process('x', context()).catch((error: { status: number }) => error.status);
    assert.equal(result, i % 2 === 0 ? 400 : 'b');
  }
  assert.equal(bCalls, 3);
  assert.equal(r.failovers, 0);
  assert.deepEqual(r.stats().map((s) => [s.state, s.opened, s.failed]), [
    ['closed', 0, 3],
    ['closed', 0, 0],
  ]);
});

test('the breaker: opens after consecutive failures, half-opens after its time, opens again for twice as long, closes on a good trial', async () => {
  let aDown = true;
  let aCalls = 0;
  const r = router({ a: (item, ctx) => (aCalls++, aDown ? Promise.reject(httpError(503)) : named(item, ctx)), b: named }, { breaker: { consecutiveFailures: 2, halfOpenAfterMs: 1000, maxHalfOpenAfterMs: 10_000 } });
  const a = () => r.stats()[0]!;
  // Two failures on a (each failed over to b) open its breaker.
  for (let i = 0; i < 4; i++) assert.equal(await r.process('x', context()), 'b:x');
  assert.equal(aCalls, 2);
  assert.deepEqual([a().state, a().opened], ['open', 1]);
  // Open: no call reaches a.
  for (let i = 0; i < 3; i++) assert.equal(await r.process('x', context()), 'b:x');
  assert.equal(aCalls, 2);
  // After 1 s its trial is due: the next call that comes to it is the trial; it fails: open again, for 2 s.
  mock.timers.tick(1000);
  for (let i = 0; i < 2; i++) await r.process('x', context());
  assert.equal(aCalls, 3);
  assert.deepEqual([a().state, a().opened], ['open', 2]);
  mock.timers.tick(1000);
  for (let i = 0; i < 2; i++) await r.process('x', context());
  assert.equal(aCalls, 3, 'still open after 1 s of its 2 s');
  // Recovered: the trial after 2 s succeeds and closes it; calls go to it again.
  aDown = false;
  mock.timers.tick(1000);
  const after = [];
  for (let i = 0; i < 4; i++) after.push(await r.process(String(i), context()));
  assert.equal(aCalls, 3 + 2);
  assert.deepEqual(after.map((s) => String(s)[0]).sort(), ['a', 'a', 'b', 'b']);
  assert.deepEqual([a().state, a().opened], ['closed', 2]);
});

test('a failure rate opens the breaker too (failureRate)', async () => {
  let n = 0;
  // a answers three calls, then fails every one: 1 of 4, 2 of 5 (40%: not above), 3 of 6 (above 40%: open).
  const r = router({ a: (item, ctx) => (++n > 3 ? Promise.reject(httpError(500)) : named(item, ctx)), b: named }, { breaker: { failureRate: { threshold: 0.4, windowMs: 10_000, minimumRps: 0 }, halfOpenAfterMs: 60_000 } });
  for (let i = 0; i < 20; i++) {
    assert.match(String(await r.process('x', context())), /^[ab]:x$/);
    mock.timers.tick(100);
  }
  const a = r.stats()[0]!;
  assert.deepEqual([a.state, a.opened, a.failed, a.done, n], ['open', 1, 3, 3, 6]);
});

test('every breaker open: a call waits for a trial, and past maxWaitMs fails with XLIFF_ENDPOINTS_DOWN until one closes', async () => {
  let down = true;
  let calls = 0;
  const r = router({ a: (item) => (calls++, down ? Promise.reject(httpError(503)) : `a:${item}`) }, { breaker: { consecutiveFailures: 1, halfOpenAfterMs: 1000, maxWaitMs: 5000 } });
  await assert.rejects(r.process('1', context()), (error: { status?: number }) => error.status === 503);
  assert.equal(r.stats()[0]!.state, 'open');
  // The next call waits for the trial at +1 s, which fails: the attempt fails with its error.
  let second: unknown;
  const waiting = r.process('2', context()).catch((error: unknown) => (second = error));
  await settle();
  assert.equal(calls, 1);
  mock.timers.tick(999);
  await settle();
  assert.equal(calls, 1, 'no call before the trial is due');
  mock.timers.tick(1);
  await settle();
  await waiting;
  assert.equal(calls, 2);
  assert.equal((second as { status: number }).status, 503);
  // Open for 2 s now (due at +3 s), then 4 s (due at +7 s): the wait that began at +0 s ends at +5 s.
  const third = r.process('3', context()).catch((error: unknown) => error);
  await settle();
  mock.timers.tick(2000);
  await settle();
  assert.equal(calls, 3);
  assert.equal(((await third) as { status: number }).status, 503);
  const fourth = r.process('4', context()).catch((error: unknown) => error);
  await settle();
  mock.timers.tick(2000);
  await settle();
  const failure = (await fourth) as XliffError;
  assert.ok(failure instanceof XliffError);
  assert.equal(failure.code, 'XLIFF_ENDPOINTS_DOWN');
  assert.match(failure.message, /5000 ms .*"a"/);
  assert.equal(calls, 3);
  // Past the limit calls fail at once...
  await assert.rejects(r.process('5', context()), { code: 'XLIFF_ENDPOINTS_DOWN' });
  // ...until the trial comes due (+7 s) and succeeds: closed, calls go through again.
  down = false;
  mock.timers.tick(2000);
  assert.equal(await r.process('6', context()), 'a:6');
  assert.equal(await r.process('7', context()), 'a:7');
  assert.deepEqual([r.stats()[0]!.state, r.stats()[0]!.opened], ['closed', 3]);
});

test('timeoutMs bounds each endpoint call: one that hangs fails over', async () => {
  let aborted = false;
  const hang: Answer = (_item, ctx) => new Promise((_resolve, reject) => ctx.signal.addEventListener('abort', () => ((aborted = true), reject(ctx.signal.reason))));
  const r = router({ a: hang, b: named }, { timeoutMs: 100 });
  const call = r.process('x', context());
  await settle();
  mock.timers.tick(100);
  assert.equal(await call, 'b:x');
  assert.equal(aborted, true, "the hung call's signal was aborted");
  assert.deepEqual(r.stats().map((s) => s.failed), [1, 0]);
});

test('an abort rejects a waiting call at once with its reason', async () => {
  const r = router({ a: () => Promise.reject(httpError(503)) }, { breaker: { consecutiveFailures: 1, halfOpenAfterMs: 60_000 } });
  await r.process('x', context()).catch(() => undefined);
  const controller = new AbortController();
  const waiting = r.process('y', context(controller.signal));
  await settle();
  const reason = new XliffError('XLIFF_ABORTED', 'stopped');
  controller.abort(reason);
  await assert.rejects(waiting, (error) => error === reason);
});
