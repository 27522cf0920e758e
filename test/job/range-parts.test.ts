// What a range's task carries of the job's options to its worker: the read-ahead window
// (`highWaterMark`) a range's job keeps, chosen by the library unless the user gave one; and
// the buffer of an output written before, for the range's output.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { jobChunking } from '../../src/job/chunking.js';
import { RANGE_HIGH_WATER_MARK, RangeParts } from '../../src/job/range-parts.js';
import { type ProcessOptions } from '../../src/options.js';
import { normalizeProcessOptions } from '../../src/normalize-options.js';

const host = { emit: () => false, counters: {} as never };
const MODULE = new URL('../fixtures/modules/marker.ts', import.meta.url);

/** How the task of a job's first range runs (its `running` options), for the job's `options`, on `threads` threads. */
async function rangeOptions(options: ProcessOptions, chunkingWindow?: number, threads = 2) {
  const resolved = normalizeProcessOptions({ threads, processModule: MODULE, ...options });
  const chunking = jobChunking(resolved, 1024 * 1024);
  const parts = new RangeParts(host, resolved, chunkingWindow === undefined ? chunking : { ...chunking, highWaterMark: chunkingWindow }, undefined, undefined, 'in.xlf', false, threads);
  const { job } = await parts.task(0, 1);
  job.events?.close();
  return job.running;
}

test('a range job keeps RANGE_HIGH_WATER_MARK chunks in flight when the user left highWaterMark to the library', async () => {
  assert.equal(RANGE_HIGH_WATER_MARK, 8);
  assert.equal((await rangeOptions({})).highWaterMark, RANGE_HIGH_WATER_MARK);
  // Without a cache (no other worker's answer to wait for) too: a wider window costs a few chunks.
  assert.equal((await rangeOptions({ cache: false })).highWaterMark, RANGE_HIGH_WATER_MARK);
});

test("a range job keeps the user's highWaterMark, smaller or larger", async () => {
  assert.equal((await rangeOptions({ highWaterMark: 1 })).highWaterMark, 1);
  assert.equal((await rangeOptions({ highWaterMark: 3 })).highWaterMark, 3);
  assert.equal((await rangeOptions({ highWaterMark: 20 })).highWaterMark, 20);
});

test("a range job keeps the job's own window where it is wider (as a batch job's concurrency + 1)", async () => {
  assert.equal((await rangeOptions({ concurrency: 12 }, 13)).highWaterMark, 13);
  assert.equal((await rangeOptions({}, 3)).highWaterMark, RANGE_HIGH_WATER_MARK);
});

test('a written output\'s buffer goes with the next range\'s task, moved (in its transfer list); as many are kept as ranges run and wait', async () => {
  const resolved = normalizeProcessOptions({ threads: 2, processModule: MODULE });
  const parts = new RangeParts(host, resolved, jobChunking(resolved, 1024 * 1024), undefined, undefined, 'in.xlf', false, 2);
  const buffers = Array.from({ length: 6 }, () => new ArrayBuffer(1024));
  for (const buffer of buffers) parts.reuseOutput(buffer);
  const given: unknown[] = [];
  for (let i = 0; i < 6; i++) {
    const { job, transferList } = await parts.task(i, i + 1);
    job.events?.close();
    given.push(job.outputBuffer);
    if (job.outputBuffer) assert.ok(transferList.includes(job.outputBuffer), 'moved, not copied');
    else assert.equal(transferList.length, 1, 'the port alone');
  }
  // 2 threads: 4 kept (2 running, 2 queued), the last given first.
  assert.deepEqual(given, [buffers[3], buffers[2], buffers[1], buffers[0], undefined, undefined]);
  assert.equal(parts.outputsReused, 4);
});

test('ranges run on other machines keep no buffer to give back', async () => {
  const resolved = normalizeProcessOptions({ threads: 2, processModule: MODULE });
  const parts = new RangeParts(host, resolved, jobChunking(resolved, 1024 * 1024), undefined, undefined, 'in.xlf', false, 'remote');
  parts.reuseOutput(new ArrayBuffer(1024));
  const { job, transferList } = await parts.task(0, 1);
  assert.equal(job.outputBuffer, undefined);
  assert.deepEqual(transferList, []);
});
