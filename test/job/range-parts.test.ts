// What a range's task carries of the job's options to its worker: the read-ahead window
// (`highWaterMark`) a range's job keeps, chosen by the library unless the user gave one; and
// the buffer of an output written before, for the range's output. And which of a range's
// events the job gives, and when.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { jobChunking } from '../../src/job/chunking.js';
import { RANGE_HIGH_WATER_MARK, RangeParts } from '../../src/job/range-parts.js';
import { type ProcessOptions } from '../../src/options.js';
import type { ChunkEvent } from '../../src/job/events.js';
import { ProgressCounters } from '../../src/job/progress.js';
import type { ProcessPart, RangeEvent } from '../../src/threads/range-task.js';
import { normalizeProcessOptions } from '../../src/normalize-options.js';

const host = { emit: () => false, counters: {} as never };
const MODULE = new URL('../fixtures/modules/marker.ts', import.meta.url);

/** How the task of a job's first range runs (its `running` options), for the job's `options`, on `threads` threads. */
async function rangeOptions(options: ProcessOptions, chunkingWindow?: number, threads = 2) {
  const resolved = normalizeProcessOptions({ threads, processModule: MODULE, ...options });
  const chunking = jobChunking(resolved, 1024 * 1024);
  const parts = new RangeParts(host, resolved, chunkingWindow === undefined ? chunking : { ...chunking, highWaterMark: chunkingWindow }, undefined, undefined, 'in.xlf', false, threads);
  const { job } = await parts.task(0, 1, { start: 0, end: 1024 * 1024 });
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
    const { job, transferList } = await parts.task(i, i + 1, { start: i * 1000, end: (i + 1) * 1000 });
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
  const { job, transferList } = await parts.task(0, 1, { start: 0, end: 1000 });
  assert.equal(job.outputBuffer, undefined);
  assert.deepEqual(transferList, []);
});

test("a range's events are given once its start's seam holds, and those of a range read again (joined to the next) once: its last chunk only when the range is taken", async () => {
  const resolved = normalizeProcessOptions({ threads: 2, processModule: MODULE });
  const given: string[] = [];
  const counters = new ProgressCounters(300);
  const emitting = { emit: (name: string, event: { index?: number; state?: string }) => given.push(`${name} ${event.index} ${event.state}`) !== 0, counters };
  const parts = new RangeParts(emitting as never, resolved, jobChunking(resolved, 300), undefined, undefined, 'in.xlf', false, 'remote');
  const chunk = (index: number, state: ChunkEvent['state'], units = 3): RangeEvent => ({ type: 'chunk', index, state, units, attempt: 1 });
  const progress = (unitsDone: number): RangeEvent => ({ type: 'progress', counts: { unitsRead: unitsDone, unitsDone, unitsCached: 0, unitsSkipped: 0, unitsFailed: 0, unitsReplayed: 0, bytesRead: 100, bytesDone: 10 * unitsDone } });
  // The file's head (no unit: no chunk), then two ranges from chunk 0.
  const head = (await parts.task(0, 0, { start: 0, end: 50 })).job.id;
  const first = (await parts.task(0, 1, { start: 50, end: 150 })).job.id;
  const second = (await parts.task(1, 2, { start: 150, end: 300 })).job.id;
  parts.event(first, chunk(0, 'pending'));
  parts.event(second, chunk(1, 'pending'));
  parts.event(first, progress(3));
  parts.event(second, progress(3));
  assert.deepEqual(given, [], 'no range starts where the output ends yet (the head is not taken)');
  assert.equal(counters.unitsDone, 6, 'counts are live');
  assert.deepEqual([counters.snapshot().bytesDone, counters.snapshot().percent], [0, 20], 'nothing written, a fifth of the bytes done in the ranges');
  await parts.take(part(head, 0, 50));
  assert.deepEqual(given, [], "the first range's only chunk may be cut short by its end");
  parts.event(first, chunk(0, 'done'));
  // Its seam with the next does not hold: read again as one range, both tasks dropped.
  const again = (await parts.task(0, 2, { start: 50, end: 300 })).job.id;
  assert.equal(counters.unitsDone, 0, 'the dropped ranges count no more');
  assert.ok(Math.abs(counters.snapshot().percent! - 100 / 6) < 1e-9, 'the head written; the dropped ranges\' bytes no more');
  parts.event(first, chunk(0, 'processing'));
  parts.event(second, progress(9));
  parts.event(again, chunk(0, 'pending'));
  parts.event(again, chunk(1, 'pending', 2));
  assert.deepEqual(given, ['chunk 0 pending']);
  parts.event(again, chunk(0, 'done'));
  parts.event(again, chunk(1, 'done', 2));
  assert.deepEqual(given, ['chunk 0 pending', 'chunk 0 done'], 'chunk 0 full (chunk 1 began): given; chunk 1 is the last so far');
  await parts.take(part(again, 2, 250));
  assert.deepEqual(given, ['chunk 0 pending', 'chunk 0 done', 'chunk 1 pending', 'chunk 1 done'], 'the dropped ranges gave nothing: each event once');
  assert.equal(counters.unitsDone, 0, 'the parts taken count their own (none here)');
});

/** A part of task `id` that began `chunks` chunks over `bytes` bytes, with no unit. */
function part(id: number, chunks: number, bytes: number): ProcessPart {
  return {
    id,
    output: new Uint8Array(0),
    counts: { unitsRead: 0, unitsDone: 0, unitsCached: 0, unitsSkipped: 0, unitsFailed: 0, unitsReplayed: 0, bytesRead: bytes, bytesDone: bytes },
    chunks,
    unitsChanged: 0,
    retries: 0,
    retriesByClass: { rateLimit: 0, network: 0, server: 0, other: 0 },
    warnings: 0,
    cacheLevels: {},
    journal: undefined,
    results: undefined,
    firstIds: [],
    range: { start: 0, end: bytes, context: undefined },
  };
}
