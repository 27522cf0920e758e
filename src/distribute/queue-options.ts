/**
 * The options of a job on a queue (`distributeXliff`) and of its workers
 * (`startXliffWorker`): the Redis server, the queue's name, and how long to wait for what.
 */
import type { RedisOptions } from 'ioredis';
import { describe } from '../errors.js';
import { object, wholeNumber } from '../option-checks.js';

/** Where the queue lives: the same for the coordinator and its workers. */
export interface QueueConnectionOptions {
  /** The Redis server: a URL (`redis://host:port/db`) or ioredis options. */
  readonly connection: string | RedisOptions;
  /** The queue's name. */
  readonly name: string;
  /** BullMQ's key prefix (default `'bull'`). */
  readonly prefix?: string | undefined;
}

export interface QueueOptions extends QueueConnectionOptions {
  /** Range jobs on the queue at once (default 16): how far ahead of the output the input is cut. */
  readonly rangesInFlight?: number | undefined;
  /**
   * Tries of a range job that fails in a worker (its worker crashed, the file cannot be read or
   * the module loaded there), default 3; a job failed for good in an earlier run is tried again.
   */
  readonly attempts?: number | undefined;
  /** How long the job waits for Redis while it is away before it fails with `XLIFF_QUEUE` (default 60000). */
  readonly maxWaitMs?: number | undefined;
  /** How often a range job's state is read from the queue besides its events, which an outage may lose (default 1000). */
  readonly pollMs?: number | undefined;
  /**
   * Range jobs waiting this long with no worker connected to the queue: a `warning` event
   * (code `XLIFF_QUEUE`), once until a worker connects; the job goes on waiting (default
   * 30000; 0: no warning).
   */
  readonly noWorkerWarningMs?: number | undefined;
  /**
   * How long a range job done or failed for good stays on the queue for a coordinator that
   * comes back to it (default 86400000, 24 h: a worker's `outputTtlMs`, past which a done
   * job's output is gone anyway). Older ones are removed as later range jobs on the queue
   * finish; a job taken by its coordinator leaves at once. Whole seconds (BullMQ's ages).
   */
  readonly keepFinishedMs?: number | undefined;
}

export interface ResolvedQueue {
  readonly connection: RedisOptions;
  readonly name: string;
  readonly prefix: string | undefined;
  readonly rangesInFlight: number;
  readonly attempts: number;
  readonly maxWaitMs: number;
  readonly pollMs: number;
  readonly noWorkerWarningMs: number;
  readonly keepFinishedMs: number;
}

export function normalizeQueue(queue: QueueOptions | undefined): ResolvedQueue {
  object('queue', queue);
  const { name, prefix } = queueNames(queue!, 'queue.');
  return {
    connection: redisOptions(queue!.connection, 'queue.connection'),
    name,
    prefix,
    rangesInFlight: wholeNumber('queue.rangesInFlight', queue!.rangesInFlight, 1, 16),
    attempts: wholeNumber('queue.attempts', queue!.attempts, 1, 3),
    maxWaitMs: wholeNumber('queue.maxWaitMs', queue!.maxWaitMs, 0, 60_000),
    pollMs: wholeNumber('queue.pollMs', queue!.pollMs, 1, 1000),
    noWorkerWarningMs: wholeNumber('queue.noWorkerWarningMs', queue!.noWorkerWarningMs, 0, 30_000),
    keepFinishedMs: wholeNumber('queue.keepFinishedMs', queue!.keepFinishedMs, 1000, 24 * 3600 * 1000),
  };
}

export function queueNames(options: { readonly name?: unknown; readonly prefix?: unknown }, path: string): { name: string; prefix: string | undefined } {
  const { name, prefix } = options;
  if (typeof name !== 'string' || name === '' || name.includes(':')) throw new TypeError(`Expected \`${path}name\` to be a queue name (no colon), got ${describe(name)}`);
  if (prefix !== undefined && (typeof prefix !== 'string' || prefix === '')) throw new TypeError(`Expected \`${path}prefix\` to be a string, got ${describe(prefix)}`);
  return { name, prefix: prefix as string | undefined };
}

/** ioredis options from a URL or options (a URL's host, port, user, password, database and `rediss:` TLS). */
export function redisOptions(connection: unknown, name: string): RedisOptions {
  if (typeof connection === 'string') {
    let url: URL;
    try {
      url = new URL(connection);
    } catch {
      url = new URL('invalid:');
    }
    if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') throw new TypeError(`Expected \`${name}\` to be a URL redis://host:port or ioredis options, got ${describe(connection)}`);
    const db = url.pathname.replace(/^\//, '');
    return {
      host: url.hostname || '127.0.0.1',
      port: url.port ? Number(url.port) : 6379,
      ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
      ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
      ...(db ? { db: Number(db) } : {}),
      ...(url.protocol === 'rediss:' ? { tls: {} } : {}),
    };
  }
  if (connection === null || typeof connection !== 'object') throw new TypeError(`Expected \`${name}\` to be a URL redis://host:port or ioredis options, got ${describe(connection)}`);
  return connection as RedisOptions;
}
