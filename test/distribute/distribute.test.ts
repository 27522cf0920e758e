/**
 * Jobs on a queue: a real redis-server (Debian's) on a free port, a coordinator (this
 * process, or a child that is killed), and worker processes of the CLI (`xliff-stream
 * worker`), killed with SIGKILL in one test. Every output is compared with the bytes a
 * one-machine run of the same module writes.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { distributeXliff, processXliff, startXliffWorker, type ProcessOptions, type UnitErrorEvent, type WarningEvent } from '../../src/index.js';
import { generated, MAIN, root, run } from '../cli/helpers.js';
import { startRedis, type RedisServer } from '../helpers/redis-server.js';
import { libraryVersion } from '../../src/io/library-install.js';

const FLEET = new URL('../fixtures/modules/fleet.ts', import.meta.url);
const MARKER = new URL('../fixtures/modules/marker.ts', import.meta.url);
const CHILD = new URL('../helpers/distribute-child.ts', import.meta.url);
const dir = mkdtempSync(join(tmpdir(), 'xliff-stream-distribute-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let redis: RedisServer;
before(async () => (redis = await startRedis()));
after(() => redis.stop());

/** Ranges of 32 KiB: a 2 MiB file is some sixty range jobs. */
const RANGE_BYTES = 32 * 1024;

interface WorkerProcess {
  readonly name: string;
  readonly child: ChildProcess;
  stderr: string;
  readonly exited: Promise<unknown>;
}

/** `count` CLI workers on `queue` (named `<queue>-w<first>`, ...; the CLI at `main`), once each says it is waiting. */
async function startWorkers(count: number, queue: string, lockMs = 1000, first = 1, main = MAIN): Promise<WorkerProcess[]> {
  return Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const name = `${queue}-w${i + first}`;
      const child = spawn(process.execPath, ['--import', 'tsx', main, 'worker', '--redis', redis.url, '--queue', queue, '--name', name, '--lock-duration', String(lockMs)], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
      const worker: WorkerProcess = { name, child, stderr: '', exited: once(child, 'exit') };
      await new Promise<void>((resolve, reject) => {
        child.stderr!.setEncoding('utf8').on('data', (text: string) => {
          worker.stderr += text;
          if (worker.stderr.includes('waiting for range jobs')) resolve();
        });
        child.on('exit', (code) => reject(new Error(`worker ${name} exited with ${code}: ${worker.stderr}`)));
      });
      return worker;
    }),
  );
}

async function stopWorkers(workers: readonly WorkerProcess[]): Promise<void> {
  for (const worker of workers) if (worker.child.exitCode === null && worker.child.signalCode === null) worker.child.kill('SIGTERM');
  await Promise.all(workers.map((worker) => worker.exited));
}

/** What one machine writes with the same module and data. */
async function oneMachine(input: string, data: Record<string, unknown>, extra: Partial<ProcessOptions> = {}): Promise<Buffer> {
  const output = join(dir, `one-${Math.random().toString(36).slice(2)}.xlf`);
  await processXliff(input, { output, processModule: FLEET, processModuleData: data, ...extra }).done;
  return readFileSync(output);
}

/** The coordinator in a process of its own (test/helpers/distribute-child.ts), to be killed. */
function coordinator(input: string, options: object): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', CHILD.pathname, input, JSON.stringify(options)], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Waits until `queue` holds `count` jobs in `state` (20 s at most, else fails with `what`). */
async function untilJobs(queue: Queue, state: 'waiting' | 'completed', count: number, what: string): Promise<void> {
  for (let waited = 0; ((await queue.getJobCounts(state))[state] ?? 0) < count; waited += 50) {
    assert.ok(waited < 20_000, what);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A coordinator (in a process of its own) that adds its first `count` range jobs to `queue`, then is killed (SIGKILL). */
async function abandoned(input: string, options: object, queue: Queue, count: number): Promise<void> {
  const first = coordinator(input, options);
  const exited = once(first, 'exit');
  await untilJobs(queue, 'waiting', count, 'the first coordinator adds its range jobs');
  first.kill('SIGKILL');
  await exited;
}

function lines(file: string): string[] {
  return existsSync(file) ? readFileSync(file, 'utf8').trimEnd().split('\n').filter(Boolean) : [];
}

test('three worker processes: the output is the bytes of a one-machine run; progress counts their units; a second run takes every result from the Redis cache', async () => {
  const input = generated('1.2', '2M');
  const workers = await startWorkers(3, 'basic');
  try {
    const calls = join(dir, 'basic-calls.txt');
    const output = join(dir, 'basic.xlf');
    const options = { processModule: FLEET, processModuleData: { callsFile: calls }, threadRangeBytes: RANGE_BYTES, cache: { redis: redis.url, key: 'fleet v1' }, queue: { connection: redis.url, name: 'basic' } };
    const job = distributeXliff(input, { ...options, output, progressIntervalMs: 20 });
    const seen: number[] = [];
    job.on('progress', (progress) => seen.push(progress.unitsDone));
    const summary = await job.done;
    const expected = await oneMachine(input, {});
    assert.ok(readFileSync(output).equals(expected));
    assert.equal(summary.unitsChanged, summary.units - summary.unitsSkipped);
    assert.equal(seen.at(-1), summary.units);
    assert.ok(seen.some((done) => done > 0 && done < summary.units), 'progress while the workers ran');
    // No unit processed twice across the fleet (a repeated source is processed once per worker at most), by more than one worker.
    const called = lines(calls);
    const ids = called.map((line) => line.split(' ')[1]);
    assert.equal(new Set(ids).size, ids.length);
    assert.ok(called.length > 0 && called.length <= summary.unitsChanged);
    assert.ok(new Set(called.map((line) => line.split(' ')[0])).size >= 2, 'ranges ran in more than one worker');
    // Every range makes calls on a first run: the workers that made calls are those that ran ranges.
    assert.equal(summary.threads.workers, new Set(called.map((line) => line.split(' ')[0])).size, 'the workers that ran its ranges');
    assert.ok(summary.chunks > 1);
    // Again: the fleet shares the Redis level of the cache, so no call is made.
    const again = await distributeXliff(input, { ...options, output: join(dir, 'basic-again.xlf') }).done;
    assert.ok(readFileSync(join(dir, 'basic-again.xlf')).equals(expected));
    assert.equal(lines(calls).length, called.length, 'no processor call on the second run');
    assert.equal(again.unitsCached, again.unitsChanged);
    // From Redis, or from a worker's memory once a range of it had them from Redis.
    assert.ok((again.cacheLevels['redis']?.hits ?? 0) > 0);
    assert.equal(again.cacheLevels['redis']?.misses, 0);
  } finally {
    await stopWorkers(workers);
  }
  for (const worker of workers) assert.match(worker.stderr, new RegExp(`worker ${worker.name}: stopped after \\d+ ranges`));
});

test('the CLI alone: `pseudo --redis --queue` coordinates two `xliff-stream worker`s, which run its ranges: the bytes of pseudo on one thread; a gzip input is refused (exit 1, no output)', async () => {
  // 9 MiB: three ranges of the default 4 MiB.
  const input = generated('1.2', '9M');
  const workers = await startWorkers(2, 'cli-pseudo');
  const output = join(dir, 'cli-pseudo.xlf');
  const gz = join(dir, 'cli-pseudo-in.xlf.gz');
  writeFileSync(gz, gzipSync(readFileSync(generated('1.2', '400K'))));
  const [queued, refused] = await (async () => {
    try {
      return [
        await run(['pseudo', input, output, '--mode', 'accents,expand', '--redis', redis.url, '--queue', 'cli-pseudo']),
        await run(['pseudo', gz, join(dir, 'cli-pseudo-gz.xlf'), '-q', '--redis', redis.url, '--queue', 'cli-pseudo']),
      ];
    } finally {
      await stopWorkers(workers);
    }
  })();
  assert.equal(queued.code, 0, queued.stderr);
  const alone = join(dir, 'cli-pseudo-alone.xlf');
  assert.equal((await run(['pseudo', input, alone, '--mode', 'accents,expand', '-q'])).code, 0);
  assert.ok(readFileSync(output).equals(readFileSync(alone)), 'the bytes of pseudo on one thread');
  // Every range ran on a worker: their units add up to the file's.
  const ranges = workers.flatMap((worker) => [...worker.stderr.matchAll(/: (\d+) units in /g)].map((m) => Number(m[1])));
  assert.equal(ranges.length, 3);
  const units = Number(/pseudo: \d+ of (\d+) units changed/.exec(queued.stderr)?.[1]);
  assert.ok(units > 0);
  assert.equal(ranges.reduce((a, b) => a + b, 0), units);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /gzip-compressed: the workers read the file in byte ranges/);
  assert.equal(existsSync(join(dir, 'cli-pseudo-gz.xlf')), false);
});

test('queue.rangesInFlight bounds the range jobs on the queue at once; a worker keeps each output for outputTtlMs', async () => {
  const input = generated('1.2', '2M');
  const queueName = 'window';
  const outputTtlMs = 60_000;
  // In this process: its events tell when a range starts and when its output is in Redis.
  const worker = await startXliffWorker({ connection: redis.url, name: queueName, outputTtlMs, lockDurationMs: 1000 });
  const queue = new Queue(queueName, { connection: { host: '127.0.0.1', port: Number(new URL(redis.url).port) } });
  const client = new Redis(redis.url);
  try {
    let most = 0;
    const ttls: number[] = [];
    worker.on('start', () => {
      void queue.getJobCounts('waiting', 'active', 'completed', 'delayed', 'prioritized', 'failed').then((counts) => (most = Math.max(most, Object.values(counts).reduce((a, b) => a + b, 0))));
    });
    // Read at once: the coordinator takes an output (and deletes it) once it has written the ranges before.
    worker.on('range', ({ jobId }) => void client.pttl(`bull:${queueName}:xliff-output:${jobId}`).then((ttl) => ttls.push(ttl)));
    const output = join(dir, 'window.xlf');
    await client.config('RESETSTAT');
    // A poll every 20 ms: while range events flow, none of them counts the workers (a CLIENT LIST each).
    const summary = await distributeXliff(input, { processModule: FLEET, processModuleData: {}, threadRangeBytes: RANGE_BYTES, output, queue: { connection: redis.url, name: queueName, rangesInFlight: 2, pollMs: 20, noWorkerWarningMs: 2000 } }).done;
    const stats = await client.info('commandstats');
    const clientList = Number(/^cmdstat_client\|list:calls=(\d+)/m.exec(stats)?.[1] ?? 0);
    assert.ok(/^cmdstat_get:calls=\d+/m.test(stats) || /^cmdstat_hgetall:calls=\d+/m.test(stats), `Redis counts commands: ${stats}`);
    assert.ok(clientList <= 1, `${clientList} CLIENT LIST while range events flowed`);
    assert.ok(readFileSync(output).equals(await oneMachine(input, {})));
    assert.ok(summary.chunks > 10 && worker.counts.ranges > 10, `${worker.counts.ranges} ranges`);
    assert.deepEqual(summary.threads, { workers: 1, ranges: worker.counts.ranges, rangesReadAgain: 0, sequential: undefined }, 'the one worker that ran them, and the ranges run');
    assert.ok(most >= 1 && most <= 2, `${most} range jobs on the queue at once`);
    const kept = ttls.filter((ttl) => ttl > 0);
    assert.ok(kept.length > 0, `outputs read in Redis as they were kept: ${ttls.join(' ')}`);
    for (const ttl of kept) assert.ok(ttl <= outputTtlMs && ttl > outputTtlMs - 30_000, `an output kept for ${ttl} ms`);
  } finally {
    await worker.close();
    await queue.close();
    client.disconnect();
  }
});

test('a coordinator that comes back after its outputs expired (outputTtlMs): the ranges are run again, and the output is the bytes of an uninterrupted run', async () => {
  const input = generated('1.2', '2M');
  const queueName = 'expired';
  const client = new Redis(redis.url);
  const queue = new Queue(queueName, { connection: { host: '127.0.0.1', port: Number(new URL(redis.url).port) } });
  const outputKeys = () => client.keys(`bull:${queueName}:xliff-output:*`);
  try {
    // A coordinator with no worker yet adds its first range jobs, then dies.
    const output = join(dir, 'expired.xlf');
    const options = { output, processModule: FLEET.href, processModuleData: {}, threadRangeBytes: RANGE_BYTES, queue: { connection: redis.url, name: queueName, rangesInFlight: 4 } };
    await abandoned(input, options, queue, 4);
    // A worker runs them with no coordinator to take their outputs, which expire a second later.
    const early = await startXliffWorker({ connection: redis.url, name: queueName, outputTtlMs: 1000, lockDurationMs: 1000 });
    try {
      await untilJobs(queue, 'completed', 4, 'the worker completes the range jobs');
      assert.equal(early.counts.ranges, 4);
      assert.equal((await outputKeys()).length, 4, 'their outputs are kept a while');
    } finally {
      await early.close();
    }
    for (let waited = 0; (await outputKeys()).length > 0; waited += 100) {
      assert.ok(waited < 5000, 'the outputs expire');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.equal((await queue.getJobCounts('completed')).completed, 4, 'the completed jobs stay, their outputs gone');
    const worker = await startXliffWorker({ connection: redis.url, name: queueName, lockDurationMs: 1000 });
    try {
      // The coordinator again, in this process, with other options of how it runs (the child's progress interval is 50 ms): the same range jobs.
      const summary = await distributeXliff(input, { ...options, processModule: FLEET, concurrency: 3, progressIntervalMs: 1000 }).done;
      assert.ok(readFileSync(output).equals(await oneMachine(input, {})));
      // Every range ran here, the four whose outputs expired among them.
      assert.equal(worker.counts.ranges, summary.threads.ranges);
      assert.ok(summary.threads.ranges > 10, `${summary.threads.ranges} ranges`);
      assert.deepEqual(await outputKeys(), [], 'every output taken');
      const left = await queue.getJobCounts('waiting', 'active', 'completed', 'delayed', 'failed');
      assert.deepEqual(left, { waiting: 0, active: 0, completed: 0, delayed: 0, failed: 0 }, 'the completed jobs whose outputs expired were removed, not taken as done');
    } finally {
      await worker.close();
    }
  } finally {
    await queue.close();
    client.disconnect();
  }
});

test('a coordinator that never comes back: its finished range jobs leave the queue after queue.keepFinishedMs, as later range jobs finish', async () => {
  const queueName = 'abandoned';
  const queue = new Queue(queueName, { connection: { host: '127.0.0.1', port: Number(new URL(redis.url).port) } });
  const keep = { connection: redis.url, name: queueName, rangesInFlight: 4, keepFinishedMs: 1000 };
  try {
    // A coordinator adds its first range jobs and dies; a worker completes them, with no one to take them.
    const options = { output: join(dir, 'abandoned.xlf'), processModule: FLEET.href, processModuleData: {}, threadRangeBytes: RANGE_BYTES, queue: keep };
    await abandoned(generated('1.2', '2M'), options, queue, 4);
    const added = await queue.getJobs(['waiting']);
    assert.deepEqual(
      added.map((job) => [job.opts.removeOnComplete, job.opts.removeOnFail]),
      added.map(() => [{ age: 1 }, { age: 1 }]),
      'kept a second once done or failed',
    );
    const worker = await startXliffWorker({ connection: redis.url, name: queueName, lockDurationMs: 1000 });
    try {
      await untilJobs(queue, 'completed', 4, 'the worker completes the range jobs');
      // Within keepFinishedMs they stay: a coordinator coming back now would take them.
      assert.equal((await queue.getJobCounts('completed')).completed, 4);
      await new Promise((resolve) => setTimeout(resolve, 2100));
      assert.equal((await queue.getJobCounts('completed')).completed, 4, 'removed as later jobs finish, not by a timer');
      // Another document's job on the same queue: as its range jobs finish, the old ones are removed.
      const input = generated('2.0', '400K');
      const output = join(dir, 'abandoned-next.xlf');
      const summary = await distributeXliff(input, { output, processModule: FLEET, processModuleData: {}, threadRangeBytes: RANGE_BYTES, queue: keep }).done;
      assert.ok(summary.threads.ranges >= 2, `${summary.threads.ranges} ranges`);
      assert.ok(readFileSync(output).equals(await oneMachine(input, {})));
      const left = await queue.getJobCounts('waiting', 'active', 'completed', 'delayed', 'failed');
      assert.deepEqual(left, { waiting: 0, active: 0, completed: 0, delayed: 0, failed: 0 }, 'the abandoned jobs are gone');
    } finally {
      await worker.close();
    }
  } finally {
    await queue.close();
  }
});

test('a worker keeps a memory level per processor, and sets a module up again for a job with other data: each job gets its own results; the same module and data again, its cached ones', async () => {
  const input = generated('1.2', '2M');
  const queueName = 'levels';
  const worker = await startXliffWorker({ connection: redis.url, name: queueName, lockDurationMs: 1000 });
  try {
    const run = async (module: URL, data: Record<string, unknown>, name: string) => {
      const output = join(dir, `levels-${name}.xlf`);
      const summary = await distributeXliff(input, { processModule: module, processModuleData: data, threadRangeBytes: RANGE_BYTES, output, queue: { connection: redis.url, name: queueName } }).done;
      return { bytes: readFileSync(output), summary };
    };
    const calls = join(dir, 'levels-calls.txt');
    // First with other data: the module's setup must run again for the next job's (it was run once per module).
    await run(FLEET, {}, 'fleet-first');
    const fleet = await run(FLEET, { callsFile: calls }, 'fleet');
    const marker = await run(MARKER, {}, 'marker');
    assert.ok(fleet.bytes.equals(await oneMachine(input, {})), 'the fleet module\'s targets');
    assert.ok(marker.bytes.equals(await oneMachine(input, {}, { processModule: MARKER })), 'the marker module\'s, not the fleet\'s from the cache');
    assert.ok(lines(calls).length > 0, 'the second job\'s setup data reached the module');
    const called = lines(calls).length;
    // The same module and data again (the calls file is part of the data): every result from the worker's memory.
    const again = await run(FLEET, { callsFile: calls }, 'fleet-again');
    assert.ok(again.bytes.equals(fleet.bytes));
    assert.equal(lines(calls).length, called, 'no call the second time');
    assert.equal(again.summary.unitsCached, again.summary.unitsChanged);
  } finally {
    await worker.close();
  }
});

test('a worker killed with SIGKILL mid-range: its job goes to another worker, and no unit is lost or written twice', async () => {
  const input = generated('1.2', '2M');
  const workers = await startWorkers(3, 'kill');
  try {
    const output = join(dir, 'kill.xlf');
    const data = { delayMs: 10 };
    const job = distributeXliff(input, { output, processModule: FLEET, processModuleData: data, threadRangeBytes: RANGE_BYTES, queue: { connection: redis.url, name: 'kill' } });
    // Killed as soon as it has begun a range.
    const victim = workers[0]!;
    const killed = new Promise<void>((resolve) => {
      victim.child.stderr!.on('data', () => {
        if (/range \d+-\d+ of .* started/.test(victim.stderr) && victim.child.signalCode === null) {
          victim.child.kill('SIGKILL');
          resolve();
        }
      });
    });
    await killed;
    const summary = await job.done;
    assert.equal(victim.child.signalCode, 'SIGKILL');
    assert.doesNotMatch(victim.stderr, /stopped after/);
    assert.ok(readFileSync(output).equals(await oneMachine(input, {})));
    assert.equal(summary.unitsChanged, summary.units - summary.unitsSkipped);
  } finally {
    await stopWorkers(workers);
  }
});

test('the coordinator killed with SIGKILL and run again (with a checkpoint): the output of an uninterrupted run', async () => {
  const input = generated('1.2', '2M');
  const workers = await startWorkers(3, 'restart');
  try {
    const output = join(dir, 'restart.xlf');
    const options = { output, processModule: FLEET.href, processModuleData: { delayMs: 5 }, threadRangeBytes: RANGE_BYTES, checkpoint: { syncIntervalMs: 20 }, queue: { connection: redis.url, name: 'restart' } };
    const first = coordinator(input, options);
    let out = '';
    const exited = once(first, 'exit');
    first.stdout!.setEncoding('utf8').on('data', (text: string) => {
      out += text;
      const done = [...out.matchAll(/progress (\d+)/g)].map((match) => Number(match[1]));
      if ((done.at(-1) ?? 0) > 3000 && first.signalCode === null) first.kill('SIGKILL');
    });
    await exited;
    assert.equal(first.signalCode, 'SIGKILL', out);
    assert.equal(existsSync(output), false);
    assert.ok(existsSync(`${output}.journal`), 'the journal is kept');
    const second = coordinator(input, options);
    let secondOut = '';
    second.stdout!.setEncoding('utf8').on('data', (text: string) => (secondOut += text));
    const [code] = await once(second, 'exit');
    assert.equal(code, 0, secondOut);
    const summary = JSON.parse(/done (.*)/.exec(secondOut)![1]!) as { unitsReplayed: number; units: number };
    assert.ok(summary.unitsReplayed > 0, 'units replayed from the journal');
    assert.ok(readFileSync(output).equals(await oneMachine(input, {})));
  } finally {
    await stopWorkers(workers);
  }
});

test('Redis restarted (empty) mid-run: the job waits, adds again the range jobs it lost, and writes the same bytes', async () => {
  const input = generated('1.2', '2M');
  const workers = await startWorkers(2, 'outage');
  try {
    const output = join(dir, 'outage.xlf');
    const job = distributeXliff(input, { output, processModule: FLEET, processModuleData: { delayMs: 5 }, threadRangeBytes: RANGE_BYTES, queue: { connection: redis.url, name: 'outage', pollMs: 200 } });
    let restarted: Promise<void> | undefined;
    job.on('progress', (progress) => {
      if (restarted || progress.unitsDone < 1000) return;
      restarted = (async () => {
        await redis.stop();
        await new Promise((resolve) => setTimeout(resolve, 500));
        await redis.start();
      })();
    });
    const summary = await job.done;
    await restarted;
    assert.ok(restarted, 'Redis was restarted during the run');
    assert.ok(readFileSync(output).equals(await oneMachine(input, {})));
    assert.equal(summary.unitsChanged, summary.units - summary.unitsSkipped);
  } finally {
    await stopWorkers(workers);
  }
});

test('a failing unit follows onError and names its worker; a processor failure with abort does too', async () => {
  const input = generated('1.2', '400K');
  const workers = await startWorkers(2, 'fail');
  try {
    const units = readFileSync(input, 'utf8').match(/<trans-unit id="([^"]+)"/g)!;
    const failOn = /id="([^"]+)"/.exec(units[Math.floor(units.length / 2)]!)![1]!;
    const output = join(dir, 'fail.xlf');
    const errors: UnitErrorEvent[] = [];
    const job = distributeXliff(input, { output, processModule: FLEET, processModuleData: { failOn }, onError: 'skip', retry: false, threadRangeBytes: RANGE_BYTES, queue: { connection: redis.url, name: 'fail' } });
    job.on('unitError', (event) => errors.push(event));
    const summary = await job.done;
    assert.equal(summary.unitsFailed, 1);
    assert.deepEqual(errors.map((event) => event.unit.id), [failOn]);
    assert.match(errors[0]!.worker ?? '', /^fail-w[12]$/);
    assert.match(errors[0]!.error.message, /refused unit/);
    assert.ok(readFileSync(output).equals(await oneMachine(input, { failOn }, { onError: 'skip', retry: false })));
    const aborted = join(dir, 'fail-abort.xlf');
    await assert.rejects(
      distributeXliff(input, { output: aborted, processModule: FLEET, processModuleData: { failOn }, retry: false, threadRangeBytes: RANGE_BYTES, queue: { connection: redis.url, name: 'fail' } }).done,
      (error: { code?: string; unitId?: string; message: string }) => error.code === 'XLIFF_PROCESS' && error.unitId === failOn && /\(on worker fail-w[12]\)/.test(error.message),
    );
    assert.equal(existsSync(aborted), false);
  } finally {
    await stopWorkers(workers);
  }
});

test('a worker that cannot load the module fails its range jobs (not the document): after queue.attempts, XLIFF_QUEUE; the next run tries them again, on a worker that can', async () => {
  const input = generated('1.2', '400K');
  const options = { processModule: new URL('../fixtures/modules/fleet-not-on-w1.ts', import.meta.url), threadRangeBytes: RANGE_BYTES, queue: { connection: redis.url, name: 'unloadable', attempts: 2 } };
  const output = join(dir, 'unloadable.xlf');
  const broken = await startWorkers(1, 'unloadable');
  try {
    await assert.rejects(distributeXliff(input, { output, ...options }).done, (error: { code?: string; message: string }) => {
      assert.equal(error.code, 'XLIFF_QUEUE');
      assert.match(error.message, /a range job failed 2 times, last: worker unloadable-w1: the processModule .* cannot be loaded: this module is not installed on this worker/);
      return true;
    });
    assert.equal(existsSync(output), false);
  } finally {
    await stopWorkers(broken);
  }
  // The same input and options: the jobs failed for good above are tried again, now by a worker that loads the module.
  const working = await startWorkers(1, 'unloadable', 1000, 2);
  try {
    const summary = await distributeXliff(input, { output, ...options }).done;
    assert.ok(summary.unitsProcessed > 0);
    assert.ok(readFileSync(output).equals(await oneMachine(input, {})));
  } finally {
    await stopWorkers(working);
  }
});

test('a worker of another version of xliff-stream refuses the range jobs: after queue.attempts, XLIFF_QUEUE naming both versions, no output', async () => {
  // The library's sources under a package.json of another version: a worker as another release runs it.
  const other = join(dir, 'other-version');
  cpSync(join(root, 'src'), join(other, 'src'), { recursive: true });
  writeFileSync(join(other, 'package.json'), JSON.stringify({ name: 'xliff-stream', version: '0.0.0-other', type: 'module' }));
  symlinkSync(join(root, 'node_modules'), join(other, 'node_modules'));
  const input = generated('1.2', '400K');
  const output = join(dir, 'other-version.xlf');
  const workers = await startWorkers(1, 'other-version', 1000, 1, join(other, 'src/cli/main.ts'));
  try {
    await assert.rejects(distributeXliff(input, { output, processModule: FLEET, threadRangeBytes: RANGE_BYTES, queue: { connection: redis.url, name: 'other-version', attempts: 2 } }).done, (error: { code?: string; message: string }) => {
      assert.equal(error.code, 'XLIFF_QUEUE');
      assert.match(error.message, new RegExp(`a range job failed 2 times, last: worker other-version-w1 runs xliff-stream 0\\.0\\.0-other, the coordinator ${libraryVersion().replaceAll('.', '\\.')}: every worker of a queue must run the coordinator's version`));
      return true;
    });
    assert.equal(existsSync(output), false);
  } finally {
    await stopWorkers(workers);
  }
});

// Its timeout: without the warning it would wait for ever.
test('no worker on the queue: a warning (XLIFF_QUEUE) after queue.noWorkerWarningMs, once; the job waits, and ends when a worker comes', { timeout: 60_000 }, async () => {
  const input = generated('1.2', '400K');
  const output = join(dir, 'no-worker.xlf');
  const job = distributeXliff(input, { output, processModule: FLEET, threadRangeBytes: RANGE_BYTES, queue: { connection: redis.url, name: 'no-worker', pollMs: 100, noWorkerWarningMs: 500 } });
  const warnings: WarningEvent[] = [];
  const warned = new Promise<void>((resolve) =>
    job.on('warning', (warning) => {
      warnings.push(warning);
      resolve();
    }),
  );
  const started = Date.now();
  await warned;
  assert.ok(Date.now() - started >= 500, 'not before noWorkerWarningMs');
  assert.equal(warnings[0]!.code, 'XLIFF_QUEUE');
  assert.match(warnings[0]!.message, /no worker has been connected to the queue "no-worker" .* for \d+ ms while \d+ range jobs wait/);
  // Still waiting, and warned once.
  await new Promise((resolve) => setTimeout(resolve, 500));
  assert.equal(warnings.length, 1);
  const workers = await startWorkers(1, 'no-worker');
  try {
    const summary = await job.done;
    assert.equal(summary.warnings, 1);
    assert.ok(readFileSync(output).equals(await oneMachine(input, {})));
  } finally {
    await stopWorkers(workers);
  }
});

test('refused before any work: a processor function, threads, no module, a gzip or UTF-16 input (XLIFF_QUEUE), a bad queue', async () => {
  const input = generated('1.2', '400K');
  const queue = { connection: redis.url, name: 'refused' };
  const output = join(dir, 'refused.xlf');
  assert.throws(() => distributeXliff(input, { output, process: () => undefined, queue } as never), /`processModule` with `distributeXliff`: a function cannot cross to another machine's worker/);
  assert.throws(() => distributeXliff(input, { output, processModule: FLEET, threads: 2, queue }), /no `threads` with `distributeXliff`/);
  assert.throws(() => distributeXliff(input, { output, queue } as never), /Expected `processModule` with `distributeXliff`/);
  assert.throws(() => distributeXliff(input, { output, processModule: FLEET, queue: { connection: 'http://x', name: 'q' } }), /queue\.connection.*redis:\/\/host:port/);
  assert.throws(() => distributeXliff(input, { output, processModule: FLEET, queue: { connection: redis.url, name: 'a:b' } }), /queue name \(no colon\)/);
  assert.throws(() => distributeXliff(input, { output, processModule: FLEET, queue: { ...queue, keepFinishedMs: 999 } }), /queue\.keepFinishedMs/);
  const gz = join(dir, 'in.xlf.gz');
  writeFileSync(gz, gzipSync(readFileSync(input)));
  await assert.rejects(distributeXliff(gz, { output, processModule: FLEET, queue }).done, (error: { code?: string; message: string }) => error.code === 'XLIFF_QUEUE' && /gzip-compressed: the workers read the file in byte ranges/.test(error.message));
  assert.equal(existsSync(output), false);
  // UTF-16 (little-endian, with a BOM): its seams cannot be found in its bytes.
  const utf16 = join(dir, 'in-utf16.xlf');
  writeFileSync(utf16, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(readFileSync(input, 'utf8').replace('encoding="UTF-8"', 'encoding="UTF-16"'), 'utf16le')]));
  await assert.rejects(distributeXliff(utf16, { output, processModule: FLEET, queue }).done, (error: { code?: string; message: string }) => error.code === 'XLIFF_QUEUE' && /it is in utf-16le: the workers read the file in byte ranges \(decompress it, or convert it to UTF-8, first\)/.test(error.message));
  assert.equal(existsSync(output), false);
});

test('a worker closed while Redis is away mid-range: its close ends after lockDurationMs, its range stops (no call after), and its process ends of itself (no BullMQ timer left)', { timeout: 60_000 }, async () => {
  const own = await startRedis();
  const child = spawn(process.execPath, ['--import', 'tsx', new URL('../helpers/worker-child.ts', import.meta.url).pathname, own.url, 'closed-away', '500'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = once(child, 'exit') as Promise<[number | null, string | null]>;
  let out = '';
  const looks: (() => void)[] = [];
  child.stdout!.setEncoding('utf8').on('data', (text: string) => {
    out += text;
    for (const look of looks) look();
  });
  const said = (line: string) =>
    new Promise<void>((resolve, reject) => {
      const look = () => (out.includes(line) ? resolve() : undefined);
      looks.push(look);
      look();
      void exited.then(() => reject(new Error(`the worker exited before "${line}": ${out}`)));
    });
  const output = join(dir, 'closed-mid-range.xlf');
  try {
    await said('ready');
    const calls = join(dir, 'closed-mid-range-calls.txt');
    const input = generated('1.2', '400K');
    const job = distributeXliff(input, { output, processModule: FLEET, processModuleData: { delayMs: 50, callsFile: calls }, queue: { connection: own.url, name: 'closed-away', maxWaitMs: 500 } });
    job.done.catch(() => undefined);
    await said('started');
    await own.stop();
    child.kill('SIGTERM');
    await said('closed');
    const closedMs = Number(/closed (\d+)/.exec(out)![1]);
    assert.ok(closedMs >= 500, `closed after ${closedMs} ms: it waited lockDurationMs for Redis`);
    const callsAtClose = lines(calls).length;
    // Before, BullMQ's lock renewal went on for good: the process never ended.
    const [code, signal] = await Promise.race([exited, new Promise<[string, string]>((resolve) => setTimeout(() => resolve(['alive', 'after 30 s']), 30_000).unref())]);
    assert.deepEqual([code, signal], [0, null]);
    await assert.rejects(job.done, (error: { code?: string }) => error.code === 'XLIFF_QUEUE');
    // Stopped when the close gave up on Redis: no call after, and the range was far from its end.
    assert.equal(lines(calls).length, callsAtClose, 'no processor call after the close');
    const units = (readFileSync(input, 'utf8').match(/<trans-unit /g) ?? []).length;
    assert.ok(callsAtClose > 0 && callsAtClose < units / 2, `${callsAtClose} calls of ${units} units`);
    assert.equal(existsSync(output), false);
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await own.stop().catch(() => undefined);
  }
});

test('Redis away for longer than queue.maxWaitMs, at the start or mid-run: XLIFF_QUEUE, no output file', async () => {
  const input = generated('1.2', '2M');
  const workers = await startWorkers(1, 'gone');
  const gone = join(dir, 'gone.xlf');
  try {
    const job = distributeXliff(input, { output: gone, processModule: FLEET, processModuleData: { delayMs: 5 }, threadRangeBytes: RANGE_BYTES, queue: { connection: redis.url, name: 'gone', maxWaitMs: 1000, pollMs: 100 } });
    let stopped: Promise<void> | undefined;
    job.on('progress', (progress) => void (progress.unitsDone > 200 && (stopped ??= redis.stop())));
    await assert.rejects(job.done, (error: { code?: string; message: string }) => error.code === 'XLIFF_QUEUE' && /Redis at 127\.0\.0\.1:\d+ has not answered for \d+ ms/.test(error.message));
    assert.ok(stopped);
    assert.equal(existsSync(gone), false);
  } finally {
    await redis.start();
    await stopWorkers(workers);
  }
  const output = join(dir, 'away.xlf');
  await redis.stop();
  try {
    await assert.rejects(
      distributeXliff(input, { output, processModule: FLEET, threadRangeBytes: RANGE_BYTES, queue: { connection: redis.url, name: 'away', maxWaitMs: 500 } }).done,
      (error: { code?: string; message: string }) => error.code === 'XLIFF_QUEUE' && /cannot reach Redis at 127\.0\.0\.1:\d+/.test(error.message),
    );
  } finally {
    await redis.start();
  }
  assert.deepEqual(readdirSync(dir).filter((name) => name.includes('away')), []);
});
