import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LRUCache } from 'lru-cache';
import { createResultCache, hashKey } from '../../src/cache/result-cache.js';
import { DEFAULT_CACHE_MAX, normalizeCache } from '../../src/options.js';

/** The store a job makes of its `cache` option. */
const store = (option: Parameters<typeof normalizeCache>[0]) => normalizeCache(option) as { max: number } | false;

interface Update {
  readonly target: string;
}

/** A compute function that counts its calls and resolves when the test says so. */
function deferredCompute(value: Update) {
  let calls = 0;
  let release!: () => void;
  let fail!: (error: unknown) => void;
  const gate = new Promise<void>((resolve, reject) => {
    release = resolve;
    fail = reject;
  });
  const compute = async (): Promise<Update> => {
    calls++;
    await gate;
    return value;
  };
  return { compute, release, fail, calls: () => calls };
}

test('a miss computes and stores; the next run of the key is a hit', async () => {
  const cache = createResultCache<Update>(store(undefined));
  let calls = 0;
  const compute = async () => ({ target: `Hallo ${++calls}` });
  assert.deepEqual(await cache.run('<source>Hello</source>\0de', compute), { value: { target: 'Hallo 1' }, hit: false, shared: false });
  assert.deepEqual(await cache.run('<source>Hello</source>\0de', compute), { value: { target: 'Hallo 1' }, hit: true, shared: false });
  assert.deepEqual(await cache.run('<source>Hello</source>\0fr', compute), { value: { target: 'Hallo 2' }, hit: false, shared: false });
  assert.equal(calls, 2);
  assert.equal(cache.hits, 1);
  assert.equal(cache.misses, 2);
  assert.equal(cache.enabled, true);
});

test('single flight: two concurrent runs of one key make one compute call', async () => {
  const cache = createResultCache<Update>({ max: 10 });
  const work = deferredCompute({ target: 'Welt' });
  const first = cache.run('world', work.compute);
  const second = cache.run('world', work.compute);
  work.release();
  assert.deepEqual(await first, { value: { target: 'Welt' }, hit: false, shared: false });
  assert.deepEqual(await second, { value: { target: 'Welt' }, hit: true, shared: true });
  assert.equal(work.calls(), 1);
  assert.deepEqual([cache.hits, cache.misses], [1, 1]);
});

test('a failure is shared by the runs in flight, not cached, and does not poison later runs', async () => {
  const cache = createResultCache<Update>({ max: 10 });
  const work = deferredCompute({ target: 'never' });
  const first = cache.run('k', work.compute);
  const second = cache.run('k', work.compute);
  const error = new Error('MT down');
  work.fail(error);
  await assert.rejects(first, (e) => e === error);
  await assert.rejects(second, (e) => e === error);
  assert.equal(work.calls(), 1);
  assert.equal(cache.get('k'), undefined);
  assert.deepEqual(await cache.run('k', async () => ({ target: 'back' })), { value: { target: 'back' }, hit: false, shared: false });
  assert.deepEqual(cache.get('k'), { target: 'back' });
  assert.deepEqual([cache.hits, cache.misses], [1, 2]);
});

test('a compute that throws synchronously does not poison the key', async () => {
  const cache = createResultCache<Update>(store(true));
  const boom = (): Promise<Update> => {
    throw new Error('sync boom');
  };
  await assert.rejects(cache.run('k', boom), /sync boom/);
  assert.deepEqual((await cache.run('k', async () => ({ target: 'ok' }))).value, { target: 'ok' });
});

test('cache: false: every run computes, concurrent identical runs too; nothing is kept', async () => {
  const cache = createResultCache<Update>(store(false));
  assert.equal(cache.enabled, false);
  const work = deferredCompute({ target: 'x' });
  const runs = [cache.run('k', work.compute), cache.run('k', work.compute)];
  work.release();
  for (const result of await Promise.all(runs)) assert.deepEqual(result, { value: { target: 'x' }, hit: false, shared: false });
  await cache.run('k', work.compute);
  assert.equal(work.calls(), 3);
  cache.set('k', { target: 'y' });
  assert.equal(cache.get('k'), undefined);
  assert.deepEqual([cache.hits, cache.misses], [0, 3]);
});

test('an LRUCache instance is shared across caches (jobs); each counts its own hits', async () => {
  const shared = new LRUCache<string, Update>({ max: 100 });
  const jobA = createResultCache(shared);
  const jobB = createResultCache(shared);
  await jobA.run('Hello\0de', async () => ({ target: 'Hallo' }));
  let called = false;
  const result = await jobB.run('Hello\0de', async () => {
    called = true;
    return { target: 'other' };
  });
  assert.deepEqual(result, { value: { target: 'Hallo' }, hit: true, shared: false });
  assert.equal(called, false);
  assert.deepEqual([jobA.hits, jobA.misses, jobB.hits, jobB.misses], [0, 1, 1, 0]);
  assert.equal(shared.size, 1);
});

test('keys are stored hashed: no substring of the input is kept', async () => {
  const shared = new LRUCache<string, Update>({ max: 10 });
  const cache = createResultCache(shared);
  const input = `<xliff>${'x'.repeat(100_000)}<source>Hello</source>${'y'.repeat(100_000)}</xliff>`;
  const key = input.slice(100_007, 100_007 + '<source>Hello</source>'.length) + '\0de';
  await cache.run(key, async () => ({ target: 'Hallo' }));
  const stored = [...shared.keys()];
  assert.deepEqual(stored, [hashKey(key)]);
  assert.match(stored[0]!, /^[A-Za-z0-9+/]{27}=$/, 'a 28-character SHA-1 in base64');
  assert.equal(hashKey(key), hashKey('<source>Hello</source>\0de'), 'the same text gives the same key');
  assert.notEqual(hashKey('a'), hashKey('b'));
});

test('get / set by key', () => {
  const cache = createResultCache<Update>(store(undefined));
  assert.equal(cache.get('k'), undefined);
  cache.set('k', { target: 't' });
  assert.deepEqual(cache.get('k'), { target: 't' });
});

test('max bounds the cache: the least recently used result goes first', async () => {
  const cache = createResultCache<Update>({ max: 2 });
  let calls = 0;
  const compute = async () => ({ target: String(++calls) });
  await cache.run('a', compute);
  await cache.run('b', compute);
  await cache.run('a', compute); // a is now the most recent
  await cache.run('c', compute); // evicts b
  assert.equal((await cache.run('a', compute)).hit, true);
  assert.equal((await cache.run('b', compute)).hit, false);
  assert.equal(calls, 4);
});

test('the default cache holds 10 000 results', () => {
  assert.equal(DEFAULT_CACHE_MAX, 10_000);
  const cache = createResultCache<Update>(store({}));
  for (let i = 0; i <= DEFAULT_CACHE_MAX; i++) cache.set(String(i), { target: '' });
  assert.equal(cache.get('0'), undefined);
  assert.deepEqual(cache.get('1'), { target: '' });
});

test('bad options: TypeError / RangeError saying what was expected and given', () => {
  const cases: [unknown, ErrorConstructor, RegExp][] = [
    ['yes', TypeError, /^Expected `cache` to be a boolean, an object \{ max \} or an LRUCache, got "yes"$/],
    [null, TypeError, /got null/],
    [[], TypeError, /got an array/],
    [{ max: '10' }, TypeError, /^Expected `cache.max` to be a number from 1 and up, got "10"$/],
    [{ max: 0 }, RangeError, /^Expected `cache.max` to be a whole number from 1 and up, got 0$/],
    [{ max: Infinity }, RangeError, /got Infinity/],
    [{ max: 2.5 }, RangeError, /got 2.5/],
  ];
  for (const [option, type, message] of cases) {
    assert.throws(() => normalizeCache(option as never), (error: unknown) => error instanceof type && message.test((error as Error).message), String(message));
  }
});
