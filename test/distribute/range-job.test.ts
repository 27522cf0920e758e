// A range job's id names what the range gives: options that change that make another job;
// options that change only how it runs (its `running` ones) find the same job again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkVersion, decode, encode, jobData, rangeJobId } from '../../src/distribute/range-job.js';
import { libraryVersion } from '../../src/io/library-install.js';
import type { ProcessOptions } from '../../src/options.js';
import { normalizeProcessOptions } from '../../src/normalize-options.js';
import { jobChunking } from '../../src/job/chunking.js';
import { RangeParts } from '../../src/job/range-parts.js';
import type { RangeTask } from '../../src/threads/range-task.js';

const host = { emit: () => false, counters: {} as never };
const MODULE = new URL('../fixtures/modules/marker.ts', import.meta.url);
const DOCUMENT = '/data/in.xlf 1048576 1700000000000 ab12';

/** The task of a job's first range with these options, as a queue's coordinator makes it. */
async function firstTask(options: ProcessOptions): Promise<RangeTask> {
  const resolved = normalizeProcessOptions({ threads: 2, processModule: MODULE, ...options });
  const parts = new RangeParts(host, resolved, jobChunking(resolved, 1024 * 1024), undefined, undefined, 'in.xlf', false, 'remote');
  const { job } = await parts.task(0, 1, { start: 0, end: 1024 * 1024 });
  job.events?.close();
  return { kind: 'process', xliff: true, path: '/data/in.xlf', fileName: 'in.xlf', start: 0, end: 1024 * 1024, last: false, context: undefined, maxUnitBytes: 1 << 20, maxDepth: 256, job: { ...job, events: undefined } };
}

test('a range job is found again with another progress interval, concurrency or chunks in flight', async () => {
  const id = rangeJobId(DOCUMENT, await firstTask({}));
  assert.match(id, /^xr-[0-9a-f]{40}$/);
  assert.equal(rangeJobId(DOCUMENT, await firstTask({ progressIntervalMs: 17 })), id);
  assert.equal(rangeJobId(DOCUMENT, await firstTask({ concurrency: 3 })), id);
  assert.equal(rangeJobId(DOCUMENT, await firstTask({ highWaterMark: 2 })), id);
  assert.equal(rangeJobId(DOCUMENT, await firstTask({ progressIntervalMs: 5, concurrency: 9, highWaterMark: 30 })), id);
});

test('a range job is another job when what it gives may change: the document, chunks, errors, retries, language, cache, the library\'s version', async () => {
  const id = rangeJobId(DOCUMENT, await firstTask({}));
  const others = [
    rangeJobId(`${DOCUMENT}x`, await firstTask({})),
    rangeJobId(DOCUMENT, await firstTask({ chunkUnits: 7 })),
    rangeJobId(DOCUMENT, await firstTask({ onError: 'skip' })),
    rangeJobId(DOCUMENT, await firstTask({ retry: { retries: 0 } })),
    rangeJobId(DOCUMENT, await firstTask({ timeoutMs: 500 })),
    rangeJobId(DOCUMENT, await firstTask({ targetLanguage: 'de-DE' })),
    rangeJobId(DOCUMENT, await firstTask({ cache: false })),
    rangeJobId(DOCUMENT, await firstTask({ processModuleData: { suffix: '!' } })),
    rangeJobId(DOCUMENT, await firstTask({}), '0.0.0-other'),
  ];
  assert.equal(new Set([id, ...others]).size, others.length + 1);
});

test("the task crosses the queue as JSON, Infinity kept, the running options in it", async () => {
  const task = await firstTask({ chunkBytes: Infinity, progressIntervalMs: 17, concurrency: 3 });
  const back = decode(encode(task)) as RangeTask;
  assert.equal(back.job?.options.chunkBytes, Infinity);
  assert.deepEqual(back.job?.running, { ...task.job!.running });
  assert.equal(back.job?.running.progressIntervalMs, 17);
  assert.equal(back.job?.running.concurrency, 3);
});

test("a task carries the coordinator's version; a worker takes only its own version's, and none from a coordinator that does not say it", async () => {
  const data = jobData(await firstTask({}));
  assert.equal(data.version, libraryVersion());
  assert.match(libraryVersion(), /^\d+\.\d+\.\d+/);
  checkVersion(data, 'w1');
  assert.throws(() => checkVersion(data, 'w1', '9.9.9'), /^Error: worker w1 runs xliff-stream 9\.9\.9, the coordinator \d+\.\d+\.\d+.*: every worker of a queue must run the coordinator's version$/);
  assert.throws(() => checkVersion({ task: data.task }, 'w1'), /the coordinator an earlier version/);
});
