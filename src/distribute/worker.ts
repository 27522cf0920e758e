/**
 * `startXliffWorker`: a process's share of jobs on a queue (`distributeXliff`). It takes
 * range jobs from the BullMQ queue, runs each as a worker thread runs a range (the job over
 * the range, from the file at the task's path, with the task's processor module), keeps the
 * range's output under a key of its own and returns the rest. A worker that dies holding a
 * job loses its lock: BullMQ's stalled-job check gives the job to another.
 */
import { EventEmitter } from 'node:events';
import { hostname } from 'node:os';
import type { ConnectionOptions, Job, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';
import { loadBullmq, loadIoredis } from '../cjs.js';
import { XliffError } from '../errors.js';
import { threadCpuMicros } from '../io/thread-cpu.js';
import { object, optionalString, wholeNumber } from '../option-checks.js';
import type { CachedUpdate } from '../options.js';
import { loadProcessModule } from '../job/process-module.js';
import { processRange } from '../threads/process-range.js';
import type { ProcessPart, RangeResult } from '../threads/range-task.js';
import { DEFAULT_PREFIX } from './queue-runner.js';
import { queueNames, redisOptions, type QueueConnectionOptions } from './queue-options.js';
import { checkVersion, outputKey, taskOf, toJobReturn, type RangeJobData, type RangeJobReturn } from './range-job.js';

export interface XliffWorkerOptions extends QueueConnectionOptions {
  /** Names the worker in the coordinator's events and errors (default `<host>:<pid>`). */
  readonly workerName?: string | undefined;
  /** Range jobs it runs at once (default 1: a range's job is CPU-bound; run one worker per core). */
  readonly concurrency?: number | undefined;
  /** How long a job's lock lasts without being renewed: a worker gone that long loses its job to another (default 30000). */
  readonly lockDurationMs?: number | undefined;
  /** How often it checks for jobs whose worker is gone (default `lockDurationMs`: a lost job goes to another worker within about two locks). */
  readonly stalledIntervalMs?: number | undefined;
  /** Times a job may lose its worker before it fails (default 5). */
  readonly maxStalledCount?: number | undefined;
  /** How long a range's output is kept for the coordinator (default 24 h). */
  readonly outputTtlMs?: number | undefined;
}

/** A range job the worker finished: the file, its byte range, the units it holds, and how long it took. */
export interface WorkerRangeEvent {
  readonly jobId: string;
  readonly path: string;
  readonly start: number;
  readonly end: number;
  readonly units: number;
  readonly elapsedMs: number;
}

export interface XliffWorkerEvents {
  /** A range job was taken. */
  start: [{ readonly jobId: string; readonly path: string; readonly start: number; readonly end: number }];
  range: [WorkerRangeEvent];
  /** A range job failed here (it is tried again, here or elsewhere, up to the coordinator's `attempts`). */
  failed: [{ readonly jobId: string | undefined; readonly error: Error }];
}

export interface XliffWorker extends EventEmitter<XliffWorkerEvents> {
  readonly name: string;
  /** Ranges done, and their units. */
  readonly counts: { ranges: number; units: number };
  /**
   * Stops taking jobs, lets those under way finish, and disconnects. With Redis away, it
   * resolves after `lockDurationMs`, and BullMQ's timers may go on until Redis is back:
   * end the process then (the CLI's worker does).
   */
  close(): Promise<void>;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms).unref());

/** The memory levels of the cache, one per processor and options (a worker may serve several jobs). */
const MEMORY_LEVELS = 8;

export async function startXliffWorker(options: XliffWorkerOptions): Promise<XliffWorker> {
  object('options', options);
  const { name: queueName, prefix } = queueNames(options, '');
  const connection = redisOptions(options.connection, 'connection');
  const name = optionalString('workerName', options.workerName) ?? `${hostname()}:${process.pid}`;
  const concurrency = wholeNumber('concurrency', options.concurrency, 1, 1);
  const lockDuration = wholeNumber('lockDurationMs', options.lockDurationMs, 100, 30_000);
  const stalledInterval = wholeNumber('stalledIntervalMs', options.stalledIntervalMs, 100, lockDuration);
  const maxStalledCount = wholeNumber('maxStalledCount', options.maxStalledCount, 0, 5);
  const outputTtlMs = wholeNumber('outputTtlMs', options.outputTtlMs, 1000, 24 * 3600 * 1000);
  const keyPrefix = prefix ?? DEFAULT_PREFIX;
  const { Worker } = loadBullmq();
  const { Redis } = loadIoredis();
  const redis: Redis = new Redis({ ...connection, maxRetriesPerRequest: null });
  redis.on('error', () => undefined);
  const memories = new LRUCache<string, LRUCache<string, CachedUpdate>>({ max: MEMORY_LEVELS });
  const counts = { ranges: 0, units: 0 };
  const emitter = new EventEmitter<XliffWorkerEvents>();
  /** The ranges under way: stopped when the worker closes without Redis to record them. */
  const underWay = new Set<AbortController>();

  const run = async (job: Job<RangeJobData, RangeJobReturn>): Promise<RangeJobReturn> => {
    checkVersion(job.data, name);
    const task = taskOf(job.data);
    const started = performance.now();
    emitter.emit('start', { jobId: job.id!, path: task.path, start: task.start, end: task.end });
    const cpu = threadCpuMicros();
    await loadHere(task.job!.processModule!, name);
    const cache = task.job!.options.cache;
    let memory: LRUCache<string, CachedUpdate> | undefined;
    if (cache) {
      // One memory level per processor and what keys its results: jobs of other coordinators may come here too.
      const memoryKey = JSON.stringify([task.job!.processModule, task.job!.processModuleData, cache.key, task.job!.options.targetLanguage, task.job!.options.per]);
      memory = memories.get(memoryKey) ?? new LRUCache<string, CachedUpdate>({ max: cache.max });
      memories.set(memoryKey, memory);
    }
    const stop = new AbortController();
    underWay.add(stop);
    const { result } = await processRange({ ...task, job: { ...task.job!, events: undefined, shared: undefined } }, () => threadCpuMicros() - cpu, {
      progress: (progress) => void job.updateProgress(progress).catch(() => undefined),
      memory,
      signal: stop.signal,
    }).finally(() => underWay.delete(stop));
    failIfNotTheRange(result, name);
    const key = outputKey(keyPrefix, queueName, job.id!);
    const { value, output } = toJobReturn(result, name, key);
    if (output) await redis.set(key, output, 'PX', outputTtlMs);
    const units = (result.items[0] as ProcessPart | undefined)?.counts.unitsRead ?? 0;
    counts.ranges++;
    counts.units += units;
    emitter.emit('range', { jobId: job.id!, path: task.path, start: task.start, end: task.end, units, elapsedMs: performance.now() - started });
    return value;
  };

  const worker: Worker = new Worker(queueName, run, {
    connection: { ...connection, maxRetriesPerRequest: null } as ConnectionOptions,
    prefix: keyPrefix,
    concurrency,
    lockDuration,
    stalledInterval,
    maxStalledCount,
    name,
  });
  // Connection errors: BullMQ reconnects; a job's own failure is a `failed` event.
  worker.on('error', () => undefined);
  worker.on('failed', (job, error) => void emitter.emit('failed', { jobId: job?.id, error }));
  await worker.waitUntilReady();
  return Object.assign(emitter, {
    name,
    counts,
    async close() {
      // The jobs under way finish first. With Redis away, BullMQ waits for it to record them (and keeps
      // renewing their locks): after `lockDurationMs` this gives up waiting (their jobs go to other workers),
      // stops their ranges and cuts BullMQ's connections, whose commands then fail, so that its close ends (its job fetch's retry
      // delay, some seconds, is the last timer it leaves).
      const closed = worker.close();
      if (!(await Promise.race([closed.then(() => true), sleep(lockDuration).then(() => false)]))) {
        // Their ranges stop too: no processor call is made for a result no one can take.
        for (const stop of underWay) stop.abort(new XliffError('XLIFF_ABORTED', `worker ${name} closed without Redis to record its range`));
        await Promise.race([worker.disconnect().catch(() => undefined), sleep(1000)]);
        await Promise.race([closed, sleep(1000)]);
      }
      redis.disconnect();
    },
  });
}

/**
 * The job's module, loaded (and kept: Node holds it) before its range is read: a module that
 * does not load here (not installed on this machine, not at that path) is this worker's
 * failure, thrown so that the job goes to another worker, not the range's result (which the
 * coordinator would take as the document's). The coordinator loaded it before any work.
 */
async function loadHere(href: string, name: string): Promise<void> {
  try {
    await loadProcessModule(href);
  } catch (error) {
    throw new Error(`worker ${name}: ${(error as Error).message}`, { cause: error });
  }
}

/**
 * A range that failed for a reason of this worker (the file cannot be read here): thrown, so
 * that the job is tried again (by another worker, maybe). What the document or a unit says
 * (a parse error, a unit's failure) is the range's result.
 */
function failIfNotTheRange(result: RangeResult, name: string): void {
  const error = result.error;
  if (!error) return;
  if (error.code === undefined || error.code === 'XLIFF_IO' || error.code === 'XLIFF_WORKER' || error.code === 'XLIFF_ABORTED') {
    const message = error.code === undefined ? error.message : error.reason;
    throw new Error(`worker ${name}: ${message}`);
  }
}
