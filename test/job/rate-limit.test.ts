import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { RateLimiter } from '../../src/job/rate-limit.js';
import { normalizeRateLimit } from '../../src/option-checks.js';

/** Fake time: setTimeout and Date run on a clock the test moves. */
function fakeTime(t: TestContext): void {
  t.mock.timers.enable({ apis: ['setTimeout', 'Date'], now: 0 });
}

/** Lets every settled promise run its continuations. */
const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Moves the fake clock by `ms` in steps of `step`, letting promises run at each step. */
async function advance(t: TestContext, ms: number, step = 50): Promise<void> {
  await flush();
  for (let done = 0; done < ms; done += step) {
    t.mock.timers.tick(step);
    await flush();
  }
}

/** Starts `count` takes at once and records the (fake) time at which each one resolved. */
function takeTimes(limiter: RateLimiter, count: number): number[] {
  const times: number[] = [];
  for (let i = 0; i < count; i++) void limiter.take().then(() => times.push(Date.now()));
  return times;
}

test('limit 2 per 1000 ms: 5 calls at once start at 0, 0, 1000, 1000, 2000', async (t) => {
  fakeTime(t);
  const limiter = new RateLimiter({ limit: 2, intervalMs: 1000 }, Date.now);
  const times = takeTimes(limiter, 5);
  await advance(t, 3000);
  assert.deepEqual(times, [0, 0, 1000, 1000, 2000]);
  assert.ok(times.at(-1)! - times[0]! >= 2 * 1000);
  assert.equal(limiter.pending, 0);
});

test('a sliding window: never more than `limit` starts in any window of `intervalMs`', async (t) => {
  fakeTime(t);
  const limiter = new RateLimiter({ limit: 2, intervalMs: 1000 }, Date.now);
  const times: number[] = [];
  await limiter.take();
  times.push(Date.now());
  await advance(t, 900);
  for (let i = 0; i < 3; i++) void limiter.take().then(() => times.push(Date.now()));
  await advance(t, 2500);
  // A bucket refilled in full every 1000 ms would start the last two at 1000: 3 starts in 100 ms.
  assert.deepEqual(times, [0, 900, 1000, 1900]);
  for (let i = 2; i < times.length; i++) assert.ok(times[i]! - times[i - 2]! >= 1000);
});

test('tokens go first come first served', async (t) => {
  fakeTime(t);
  const limiter = new RateLimiter({ limit: 1, intervalMs: 100 }, Date.now);
  const order: number[] = [];
  for (const i of [0, 1, 2, 3]) void limiter.take().then(() => order.push(i));
  await advance(t, 400, 10);
  assert.deepEqual(order, [0, 1, 2, 3]);
});

test('an abort while waiting rejects with the reason and gives the turn to the next caller', async (t) => {
  fakeTime(t);
  const limiter = new RateLimiter({ limit: 1, intervalMs: 1000 }, Date.now);
  await limiter.take();
  const controller = new AbortController();
  const aborted = limiter.take(controller.signal);
  const next = limiter.take().then(() => Date.now());
  assert.equal(limiter.pending, 2);
  const reason = new Error('stop');
  controller.abort(reason);
  await assert.rejects(aborted, (error) => error === reason);
  assert.equal(limiter.pending, 1);
  await advance(t, 1000);
  assert.equal(await next, 1000);
});

test('an already aborted signal rejects without taking a token', async () => {
  const limiter = new RateLimiter({ limit: 1, intervalMs: 60_000 });
  const reason = new Error('already');
  await assert.rejects(limiter.take(AbortSignal.abort(reason)), (error) => error === reason);
  await limiter.take(); // the one token is still there
});

test('no timer is left behind when the last waiter aborts (real timers)', async () => {
  const timers = () => process.getActiveResourcesInfo().filter((name) => name === 'Timeout').length;
  const before = timers();
  const limiter = new RateLimiter({ limit: 1, intervalMs: 60_000 });
  await limiter.take();
  const controller = new AbortController();
  const waiting = limiter.take(controller.signal);
  assert.equal(timers(), before + 1);
  controller.abort();
  await assert.rejects(waiting, { name: 'AbortError' });
  assert.equal(timers(), before);
});

test('takes within the limit resolve without waiting', async () => {
  const limiter = new RateLimiter({ limit: 3, intervalMs: 60_000 });
  const start = performance.now();
  await Promise.all([limiter.take(), limiter.take(), limiter.take()]);
  assert.ok(performance.now() - start < 50);
  assert.equal(limiter.pending, 0);
});

test('bad options: TypeError / RangeError saying what was expected and given', () => {
  const cases: [unknown, ErrorConstructor, RegExp][] = [
    [undefined, TypeError, /Expected `rateLimit` to be an object \{ limit, intervalMs \}, got undefined/],
    [{ limit: '2', intervalMs: 1000 }, TypeError, /Expected `rateLimit.limit` to be a number from 1 and up, got "2"/],
    [{ limit: 0, intervalMs: 1000 }, RangeError, /Expected `rateLimit.limit` to be a whole number from 1 and up, got 0/],
    [{ limit: 1.5, intervalMs: 1000 }, RangeError, /got 1.5/],
    [{ limit: 2 }, TypeError, /Expected `rateLimit.intervalMs` to be a number above 0, got undefined/],
    [{ limit: 2, intervalMs: 0 }, RangeError, /Expected `rateLimit.intervalMs` to be a finite number above 0, got 0/],
    [{ limit: 2, intervalMs: Infinity }, RangeError, /got Infinity/],
  ];
  for (const [options, type, message] of cases) {
    assert.throws(() => normalizeRateLimit(options as never, 'rateLimit'), (error: unknown) => error instanceof type && message.test((error as Error).message));
  }
});
