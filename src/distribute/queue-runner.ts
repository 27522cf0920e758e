/**
 * The coordinator's side of the queue: each range's task becomes a BullMQ job (added, or
 * found from a run before), and its result comes back when a worker has done it. The
 * queue's events say so at once; a poll of the jobs' states besides them finds what an
 * outage lost (a job gone with a Redis restarted empty is added again). Redis away longer
 * than `maxWaitMs` fails the job with `XLIFF_QUEUE`.
 */
import type { ConnectionOptions, Job, Queue, QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import { loadBullmq, loadIoredis } from '../cjs.js';
import { XliffError } from '../errors.js';
import type { RangeRunner } from '../threads/threaded-read.js';
import type { RangeCounts, RangeResult, RangeTask } from '../threads/range-task.js';
import type { ResolvedQueue } from './queue-options.js';
import { RANGE_JOB, fromJobReturn, jobData, outputKey, rangeJobId, type RangeJobData, type RangeJobReturn } from './range-job.js';

/** BullMQ's key prefix when none is given. */
export const DEFAULT_PREFIX = 'bull';

interface Waiter {
  readonly id: string;
  readonly taskId: number | undefined;
  readonly data: RangeJobData;
  readonly resolve: (result: RangeResult) => void;
  readonly reject: (error: unknown) => void;
  /** Being settled (its output read): the poll and the events leave it alone. */
  settling: boolean;
  /** Whether this run has looked at its job yet: a job failed for good at the first look failed in an earlier run. */
  looked: boolean;
}

export class QueueRunner implements RangeRunner {
  readonly slots: number;
  private readonly waiting = new Map<string, Waiter>();
  /** The job of each task handed out, until the job writes its part (then it is removed from the queue). */
  private readonly jobOfTask = new Map<number, string>();
  private readonly poller: NodeJS.Timeout;
  /** When Redis last answered (or nothing was waiting for it). */
  private lastContact = Date.now();
  private lastError: unknown;
  private polling = false;
  /**
   * Since when range jobs have waited with no sign of a worker (a range event, or workers
   * counted on the queue), and whether that was warned of.
   */
  private quietSince: number | undefined;
  private warnedNoWorker = false;
  /** A finished range job is kept this long for a coordinator that comes back (BullMQ removes older ones as later jobs finish). */
  private readonly keep: { readonly age: number };

  private constructor(
    private readonly options: ResolvedQueue,
    private readonly document: string,
    private readonly queue: Queue,
    private readonly events: QueueEvents,
    private readonly redis: Redis,
    private readonly blocking: Redis,
    private readonly onProgress: (taskId: number, counts: RangeCounts) => void,
    private readonly fileName: string,
    private readonly onNoWorker: (message: string) => void,
  ) {
    this.slots = options.rangesInFlight;
    this.keep = { age: Math.ceil(options.keepFinishedMs / 1000) };
    events.on('completed', ({ jobId }) => {
      this.workerSeen();
      void this.check(jobId);
    });
    events.on('failed', ({ jobId }) => {
      this.workerSeen();
      void this.check(jobId);
    });
    events.on('active', () => this.workerSeen());
    events.on('progress', ({ jobId, data }) => {
      this.workerSeen();
      const waiter = this.waiting.get(jobId);
      if (waiter?.taskId !== undefined && typeof data === 'object') this.onProgress(waiter.taskId, data as RangeCounts);
    });
    // Held (not unref'd) until close: while ranges wait, it is what gives up on a Redis gone.
    this.poller = setInterval(() => void this.poll(), options.pollMs);
  }

  /** Connects to the queue (waiting up to `maxWaitMs` for Redis). */
  static async open(
    options: ResolvedQueue,
    document: string,
    fileName: string,
    onProgress: (taskId: number, counts: RangeCounts) => void,
    /** Range jobs have waited `noWorkerWarningMs` with no worker on the queue. */
    onNoWorker: (message: string) => void,
  ): Promise<QueueRunner> {
    const { Queue, QueueEvents } = loadBullmq();
    const { Redis } = loadIoredis();
    const prefix = options.prefix ?? DEFAULT_PREFIX;
    // Commands fail at once while Redis is away (the poll counts how long); the events' blocking reads wait for it.
    const quick = { ...options.connection, maxRetriesPerRequest: 1, enableOfflineQueue: false, retryStrategy: (times: number) => Math.min(times * 100, 1000) };
    const redis = new Redis({ ...quick, lazyConnect: true });
    // Errors reach the commands that fail; without listeners they would be printed.
    redis.on('error', () => undefined);
    // Redis answers first: BullMQ's objects, once made, wait for their connection for ever (their close too).
    try {
      // Its first attempt may fail: it tries again (retryStrategy) until `maxWaitMs`.
      const ready = new Promise<void>((resolve) => redis.once('ready', () => resolve()));
      redis.connect().catch(() => undefined);
      await withTimeout(ready, options.maxWaitMs, () => queueError(fileName, `cannot reach Redis at ${where(options)} (waited ${options.maxWaitMs} ms)`));
    } catch (error) {
      redis.disconnect();
      throw error;
    }
    // BullMQ is given connections of this runner's, which it does not close: cut here at the end, whether Redis is there or not.
    const blocking = new Redis({ ...options.connection, maxRetriesPerRequest: null });
    blocking.on('error', () => undefined);
    const queue = new Queue(options.name, { connection: redis as unknown as ConnectionOptions, prefix, streams: { events: { maxLen: 1000 } } });
    const events = new QueueEvents(options.name, { connection: blocking as unknown as ConnectionOptions, prefix });
    queue.on('error', () => undefined);
    events.on('error', () => undefined);
    await Promise.all([queue.waitUntilReady(), events.waitUntilReady()]);
    return new QueueRunner(options, document, queue, events, redis, blocking, onProgress, fileName, onNoWorker);
  }

  run(task: RangeTask, { signal }: { readonly signal: AbortSignal }): Promise<RangeResult> {
    const data = jobData(task);
    const id = rangeJobId(this.document, task);
    const taskId = task.job?.id;
    return new Promise<RangeResult>((resolve, reject) => {
      const onAbort = (): void => {
        this.waiting.delete(id);
        // Not under way yet: nobody needs it any more.
        void this.queue.getJob(id).then((job) => job?.isWaiting().then((waiting) => (waiting ? job.remove() : undefined)), () => undefined).catch(() => undefined);
        reject(signal.reason);
      };
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      const done = (settle: () => void): void => {
        signal.removeEventListener('abort', onAbort);
        settle();
      };
      this.quietSince ??= Date.now();
      this.waiting.set(id, { id, taskId, data, settling: false, looked: false, resolve: (result) => done(() => resolve(result)), reject: (error) => done(() => reject(error)) });
      if (taskId !== undefined) this.jobOfTask.set(taskId, id);
      void this.check(id);
    });
  }

  /** The task's part is written: its job and its output leave the queue. */
  async taken(taskId: number): Promise<void> {
    const id = this.jobOfTask.get(taskId);
    if (id === undefined) return;
    this.jobOfTask.delete(taskId);
    await Promise.allSettled([this.queue.remove(id), this.redis.del(outputKey(this.options.prefix ?? DEFAULT_PREFIX, this.options.name, id))]);
  }

  async close(): Promise<void> {
    clearInterval(this.poller);
    // A close stops BullMQ's loops (the events' reader tries again every 5 s); with Redis away it would wait for
    // Redis: the connections are cut after a second at most.
    await Promise.race([Promise.allSettled([this.queue.close(), this.events.close()]), sleep(1000)]);
    this.redis.disconnect();
    this.blocking.disconnect();
  }

  /** Looks at one job: adds it if the queue has none, settles it when it is done or failed for good. */
  private async check(id: string): Promise<void> {
    const waiter = this.waiting.get(id);
    if (!waiter || waiter.settling) return;
    try {
      // The state first: a job read before it is done would have no result yet, though its state read after says done.
      const state = await this.queue.getJobState(id);
      const job: Job | undefined = state === 'unknown' ? undefined : await this.queue.getJob(id);
      this.lastContact = Date.now();
      // Settled meanwhile (by an event, or a poll before): its job may be removed already, and must not be added again.
      if (!this.stillWaiting(waiter)) return;
      if (!job) {
        // Never added, or gone with the data of a Redis restarted empty.
        await this.queue.add(RANGE_JOB, waiter.data, { jobId: id, attempts: this.options.attempts, backoff: { type: 'exponential', delay: 500 }, removeOnComplete: this.keep, removeOnFail: this.keep });
        waiter.looked = true;
        return;
      }
      if (state === 'failed' && !waiter.looked) {
        // Failed in an earlier run (its cause may be mended since): this run tries it again, `attempts` times.
        await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
        waiter.looked = true;
        return;
      }
      waiter.looked = true;
      if (state === 'completed') await this.settle(waiter, job);
      else if (state === 'failed' && job.attemptsMade >= this.options.attempts) {
        this.waiting.delete(id);
        waiter.reject(queueError(this.fileName, `a range job failed ${job.attemptsMade} times, last: ${job.failedReason}`));
      }
    } catch (error) {
      // Redis away (or the command failed): the poll tries again, and counts how long.
      this.lastError = error;
    }
  }

  private stillWaiting(waiter: Waiter): boolean {
    return this.waiting.get(waiter.id) === waiter && !waiter.settling;
  }

  private async settle(waiter: Waiter, job: Job): Promise<void> {
    waiter.settling = true;
    const value = job.returnvalue as RangeJobReturn | null;
    try {
      const output = value?.outputKey === undefined ? undefined : await this.redis.getBuffer(value.outputKey);
      if (!value || (value.outputKey !== undefined && output === null)) {
        // Its output expired (a coordinator that came back late): the range is run again.
        await job.remove();
        waiter.settling = false;
        return;
      }
      this.waiting.delete(waiter.id);
      waiter.resolve(fromJobReturn(value, output ?? undefined, waiter.taskId));
    } catch (error) {
      // Redis away: the next check settles it.
      waiter.settling = false;
      throw error;
    }
  }

  private async poll(): Promise<void> {
    const now = Date.now();
    if (this.waiting.size === 0) this.lastContact = now;
    else if (now - this.lastContact > this.options.maxWaitMs) return this.giveUp(now - this.lastContact);
    // A poll still under way (its commands waiting for Redis) is not doubled.
    if (this.polling) return;
    this.polling = true;
    try {
      for (const id of [...this.waiting.keys()]) await this.check(id);
      await this.checkWorkers(now);
    } finally {
      this.polling = false;
    }
  }

  /** A range event: some worker is at work on the queue. */
  private workerSeen(): void {
    this.quietSince = Date.now();
    this.warnedNoWorker = false;
  }

  /**
   * Warns once when range jobs have waited `noWorkerWarningMs` with no worker connected
   * (again after workers come and go). Workers are counted (a CLIENT LIST, which costs Redis
   * a walk over its clients) only after that long with no range event, not on every poll.
   */
  private async checkWorkers(now: number): Promise<void> {
    const after = this.options.noWorkerWarningMs;
    if (this.waiting.size === 0) {
      this.quietSince = undefined;
      return;
    }
    this.quietSince ??= now;
    if (after === 0 || this.warnedNoWorker || now - this.quietSince < after) return;
    let workers: number;
    try {
      workers = await this.queue.getWorkersCount();
    } catch {
      // Redis away: the poll counts that.
      return;
    }
    // Connected but quiet (a long range): asked again after another `noWorkerWarningMs`.
    if (workers > 0) return this.workerSeen();
    this.warnedNoWorker = true;
    this.onNoWorker(`no worker has been connected to the queue "${this.options.name}" at ${where(this.options)} for ${now - this.quietSince} ms while ${this.waiting.size} range jobs wait; start workers (xliff-stream worker --redis <url> --queue ${this.options.name}): the job goes on waiting`);
  }

  /** Redis has not answered for `maxWaitMs`: every waiting range fails. */
  private giveUp(silentMs: number): void {
    const cause = this.lastError;
    const why = cause === undefined ? '' : `: ${(cause as Error)?.message ?? String(cause)}`;
    const failure = queueError(this.fileName, `Redis at ${where(this.options)} has not answered for ${silentMs} ms${why}`, cause);
    for (const waiter of [...this.waiting.values()]) {
      this.waiting.delete(waiter.id);
      waiter.reject(failure);
    }
  }
}

function where(options: ResolvedQueue): string {
  return `${options.connection.host ?? '127.0.0.1'}:${options.connection.port ?? 6379}`;
}

export function queueError(fileName: string, reason: string, cause?: unknown): XliffError {
  return Object.assign(new XliffError('XLIFF_QUEUE', reason, { file: fileName, cause }), { retryable: false });
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms).unref());

async function withTimeout<T>(promise: Promise<T>, ms: number, error: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([promise, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(error()), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}
