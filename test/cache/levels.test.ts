/**
 * The result cache's levels behind memory: on disk (LMDB), on a real Redis server, and a
 * store of the user's. A rerun takes its results from there; a store that fails is skipped
 * with a warning (or fails the job with `cache.required`).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pseudoSegment, pseudoUpdate, processXliff, XliffError, type CacheLevel, type SegmentProcessOptions, type ProcessOptions, type Progress, type Summary, type WarningEvent } from '../../src/index.js';
import { CacheLevels } from '../../src/cache/cache-levels.js';
import { CORPUS_DIR } from '../helpers/corpus.js';
import { startRedis } from '../helpers/redis-server.js';

const SDLXLIFF = join(CORPUS_DIR, 'okapi-sdlxliff/TeacherXpress15981.sdlxliff');
const TYPO3 = join(CORPUS_DIR, 'typo3-core/locallang_core.xlf');
const GEN = fileURLToPath(new URL('../../scripts/gen-xliff.cjs', import.meta.url));
const MARKER = new URL('../fixtures/modules/marker.ts', import.meta.url);

const dir = mkdtempSync(join(tmpdir(), 'xliff-stream-levels-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));
let runs = 0;

interface Run {
  readonly summary: Summary;
  readonly bytes: Buffer;
  readonly calls: number;
  readonly warnings: WarningEvent[];
  readonly progress: Progress[];
}

/** A pseudo pass per segment, counting the processor's calls. */
async function pseudo(input: string, options: Partial<SegmentProcessOptions>): Promise<Run> {
  let calls = 0;
  const output = join(dir, `out-${++runs}.xlf`);
  const job = processXliff(input, {
    per: 'segment',
    output,
    process: async (segment) => {
      calls++;
      return pseudoSegment(segment);
    },
    ...options,
  } as SegmentProcessOptions);
  const warnings: WarningEvent[] = [];
  job.on('warning', (w) => warnings.push(w));
  const progress: Progress[] = [];
  job.on('progress', (p) => progress.push(p));
  const summary = await job.done;
  return { summary, bytes: readFileSync(output), calls, warnings, progress };
}

test('disk level: a rerun calls the processor 0 times and writes the same bytes; another key misses; per segment and per unit', async () => {
  const disk = join(dir, 'disk-a');
  const first = await pseudo(SDLXLIFF, { cache: { disk, key: 'pseudo v1' } });
  assert.ok(first.calls > 1000, `${first.calls} calls`);
  assert.equal(first.summary.cacheLevels['disk']!.hits, 0);
  assert.equal(first.summary.cacheLevels['disk']!.writes, first.calls, 'each computed result written to disk once');
  assert.ok(existsSync(join(disk, 'results.lmdb')));

  const second = await pseudo(SDLXLIFF, { cache: { disk, key: 'pseudo v1' } });
  assert.equal(second.calls, 0);
  assert.ok(second.bytes.equals(first.bytes), 'the same output from the disk level');
  assert.equal(second.summary.cacheLevels['disk']!.hits, first.calls);
  assert.equal(second.summary.cacheLevels['disk']!.misses, 0);
  assert.equal(second.summary.cacheLevels['disk']!.writes, 0);
  assert.equal(second.summary.unitsCached, first.summary.unitsCached + first.summary.unitsProcessed);
  assert.equal(second.summary.unitsProcessed, 0);
  // Progress events carry the levels' counts as they go: they only grow, and the last one is the summary's.
  const diskHits = second.progress.map((p) => p.cacheLevels['disk']?.hits ?? 0);
  assert.deepEqual(diskHits, [...diskHits].sort((a, b) => a - b));
  assert.deepEqual(second.progress.at(-1)!.cacheLevels, second.summary.cacheLevels);

  const otherKey = await pseudo(SDLXLIFF, { cache: { disk, key: 'pseudo v2' } });
  assert.equal(otherKey.calls, first.calls, 'a new key (a new prompt, model) reuses no old answer');

  // Per unit, with processBatch: the batch path asks the disk level in one lookup per batch.
  let batches = 0;
  const perUnit = async (): Promise<Buffer> => {
    const output = join(dir, `out-${++runs}.xlf`);
    await processXliff(TYPO3, {
      output,
      cache: { disk },
      chunkUnits: 50,
      processBatch: async (units) => {
        batches++;
        return units.map((u) => pseudoUpdate(u));
      },
    } satisfies ProcessOptions).done;
    return readFileSync(output);
  };
  const a = await perUnit();
  const calledFirst = batches;
  assert.ok(calledFirst > 5);
  const b = await perUnit();
  assert.equal(batches, calledFirst, 'no batch call on the rerun');
  assert.ok(a.equals(b));
});

test('disk level: an entry past its ttlMs is computed again', async () => {
  const disk = { path: join(dir, 'disk-ttl'), ttlMs: 1 };
  const first = await pseudo(TYPO3, { cache: { disk } });
  await new Promise((resolve) => setTimeout(resolve, 20));
  const second = await pseudo(TYPO3, { cache: { disk } });
  assert.equal(second.calls, first.calls);
  assert.equal(second.summary.cacheLevels['disk']!.hits, 0);
  const kept = await pseudo(TYPO3, { cache: { disk: { path: disk.path, ttlMs: 60_000 } } });
  const again = await pseudo(TYPO3, { cache: { disk: { path: disk.path, ttlMs: 60_000 } } });
  assert.ok(kept.calls > 0);
  assert.equal(again.calls, 0);
});

/** A store of the user's: a Map, or one that fails while `failing` is set. */
function mapStore(name: string, failing: { on: boolean } = { on: false }): CacheLevel & { map: Map<string, string> } {
  const map = new Map<string, string>();
  return {
    name,
    map,
    async getMany(keys) {
      if (failing.on) throw new Error(`${name} is down`);
      return keys.map((k) => map.get(k));
    },
    async setMany(entries) {
      if (failing.on) throw new Error(`${name} is full`);
      for (const [k, v] of entries) map.set(k, v);
    },
  };
}

test('a store that fails: the job goes on with a warning and the same output; with cache.required it fails typed, no output file', async () => {
  const failing = { on: true };
  const store = mapStore('flaky', failing);
  const plain = await pseudo(TYPO3, {});
  const degraded = await pseudo(TYPO3, { cache: { stores: [store] } });
  assert.ok(degraded.bytes.equals(plain.bytes));
  assert.equal(degraded.calls, plain.calls);
  assert.equal(degraded.warnings.length, 1, 'one warning while the store is down');
  const warning = degraded.warnings[0]!;
  assert.ok(warning.code === 'XLIFF_CACHE');
  assert.equal(warning.level, 'flaky');
  assert.match(degraded.warnings[0]!.message, /the cache's flaky level failed: flaky is down/);
  assert.equal(degraded.summary.warnings, 1);
  assert.ok(degraded.summary.cacheLevels['flaky']!.errors >= 1);

  const output = join(dir, 'required.xlf');
  const job = processXliff(TYPO3, { per: 'segment', output, process: (s) => pseudoSegment(s), cache: { stores: [store], required: true } });
  await assert.rejects(job.done, (error: unknown) => error instanceof XliffError && error.code === 'XLIFF_CACHE' && /flaky is down/.test(error.message));
  assert.equal(existsSync(output), false);

  failing.on = false;
  const up = await pseudo(TYPO3, { cache: { stores: [store] } });
  assert.equal(up.warnings.length, 0);
  assert.equal(store.map.size, up.calls);
});

test('levels in order: a hit in a lower level is written to the levels above it; writes go in batches', async () => {
  const upper = mapStore('upper');
  const lower = mapStore('lower');
  const sets: number[] = [];
  const counted: CacheLevel = { ...lower, setMany: async (entries) => void sets.push(entries.length) };
  lower.map.set('k1', 'v1');
  const errors: string[] = [];
  const levels = new CacheLevels([upper, lower], { onError: (name) => errors.push(name), writeBatch: 3 });
  assert.deepEqual(await Promise.all([levels.get('k1'), levels.get('k2')]), ['v1', undefined]);
  await levels.flush();
  assert.equal(upper.map.get('k1'), 'v1');
  assert.deepEqual(levels.stats(), { upper: { hits: 0, misses: 2, writes: 1, errors: 0 }, lower: { hits: 1, misses: 1, writes: 0, errors: 0 } });

  const batched = new CacheLevels([counted], { onError: (name) => errors.push(name), writeBatch: 3 });
  for (let i = 0; i < 7; i++) batched.set(`k${i}`, 'v');
  await batched.flush();
  assert.deepEqual(sets, [3, 3, 1]);
  assert.deepEqual(errors, []);
});

test('redis level (a real redis-server): a second job and a job of another process share results; ttl; a server that goes away is a warning, and it is used again once back', async () => {
  const redis = await startRedis();
  try {
    const first = await pseudo(TYPO3, { cache: { redis: redis.url, key: 'r' } });
    assert.ok(first.calls > 100);
    assert.equal(first.summary.cacheLevels['redis']!.writes, first.calls);
    const second = await pseudo(TYPO3, { cache: { redis: redis.url, key: 'r' } });
    assert.equal(second.calls, 0);
    assert.ok(second.bytes.equals(first.bytes));
    assert.equal(second.summary.cacheLevels['redis']!.hits, first.calls);

    // Disk in front of Redis: a Redis hit fills the disk level, so the next run needs no Redis.
    const disk = join(dir, 'disk-before-redis');
    const both = await pseudo(TYPO3, { cache: { disk, redis: redis.url, key: 'r' } });
    assert.equal(both.calls, 0);
    assert.equal(both.summary.cacheLevels['disk']!.misses, first.calls);
    assert.equal(both.summary.cacheLevels['disk']!.writes, first.calls);

    // Redis expires: PX.
    const short = await pseudo(TYPO3, { cache: { redis: { url: redis.url, ttlMs: 50 }, key: 'short' } });
    await new Promise((resolve) => setTimeout(resolve, 120));
    const expired = await pseudo(TYPO3, { cache: { redis: { url: redis.url, ttlMs: 50 }, key: 'short' } });
    assert.equal(expired.calls, short.calls);

    await redis.stop();
    const down = await pseudo(TYPO3, { cache: { redis: redis.url, key: 'r' } });
    assert.ok(down.bytes.equals(first.bytes), 'the same output without Redis');
    assert.equal(down.calls, first.calls);
    const warning = down.warnings[0];
    assert.ok(warning?.code === 'XLIFF_CACHE');
    assert.equal(warning.level, 'redis');
    assert.equal(down.warnings.length, 1, 'one warning per time it goes down');

    await redis.start();
    // Nothing was saved: Redis came back empty; this run fills it, the next one reads it.
    const refill = await pseudo(TYPO3, { cache: { redis: redis.url, key: 'r' } });
    assert.equal(refill.warnings.length, 0);
    const back = await pseudo(TYPO3, { cache: { redis: redis.url, key: 'r' } });
    assert.equal(back.calls, 0);
  } finally {
    await redis.stop();
  }
});

test('disk level with worker threads: the workers read and fill the same database; a rerun on threads calls the module 0 times', async () => {
  const path = join(dir, 'gen.xlf');
  execFileSync(process.execPath, [GEN, '--format', '1.2', '--size', '300K', '--seed', '7', '--out', path]);
  const disk = join(dir, 'disk-threads');
  const run = async (threads: number): Promise<{ summary: Summary; bytes: Buffer; calls: number }> => {
    const calls = new SharedArrayBuffer(4);
    const output = join(dir, `out-${++runs}.xlf`);
    const summary = await processXliff(path, { processModule: MARKER, processModuleData: { calls }, cache: { disk, key: 'marker' }, threads, threadRangeBytes: 16 * 1024, output }).done;
    return { summary, bytes: readFileSync(output), calls: new Int32Array(calls)[0]! };
  };
  const first = await run(2);
  assert.ok(first.calls > 100);
  assert.ok(first.summary.cacheLevels['disk']!.writes >= first.calls);
  const second = await run(2);
  assert.equal(second.calls, 0);
  assert.ok(second.bytes.equals(first.bytes));
  assert.ok(second.summary.cacheLevels['disk']!.hits > 0);
  const oneThread = await run(1);
  assert.equal(oneThread.calls, 0, 'one thread reads what the workers wrote');
  assert.ok(oneThread.bytes.equals(first.bytes));
});

test('cache option checks', () => {
  const bad: Array<[unknown, RegExp]> = [
    [{ disk: 5 }, /cache\.disk/],
    [{ disk: { path: '' } }, /cache\.disk/],
    [{ disk: { path: 'x', ttlMs: -1 } }, /cache\.disk\.ttlMs/],
    [{ redis: 'http://x' }, /cache\.redis/],
    [{ stores: [{}] }, /cache\.stores/],
    [{ key: 3 }, /cache\.key/],
    [{ required: 'yes' }, /cache\.required/],
  ];
  for (const [cache, message] of bad) {
    assert.throws(() => processXliff(TYPO3, { process: () => undefined, cache: cache as never }), (error: unknown) => error instanceof Error && message.test(error.message), String(message));
  }
  assert.throws(() => processXliff(TYPO3, { processModule: MARKER, threads: 2, cache: { stores: [mapStore('m')] } }), /cannot cross to a worker thread/);
});
