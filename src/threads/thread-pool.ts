/**
 * The worker threads a read runs on: a piscina pool of the range worker, and how many
 * threads `'auto'` gives.
 */
import { availableParallelism, freemem } from 'node:os';
import { getHeapStatistics } from 'node:v8';
import { Piscina } from 'piscina';
import { libraryModule } from '../io/library-install.js';

/**
 * What `'auto'` gives each worker at least of the file. A worker costs ~0.2 s to start and
 * ~0.5 s of CPU to compile the reader (measured: computeStats on 2 threads against one,
 * medians of 5, 16 MiB 0.83x, 32 MiB 1.07x, 64 MiB 1.20x): a file under twice this is read
 * on one thread, and a bigger one gets a worker per 32 MiB, up to the cores.
 */
export const AUTO_BYTES_PER_THREAD = 32 * 1024 * 1024;

/**
 * What one worker thread holds at most beside its ranges: its isolate, heap and buffers
 * (measured: a job's worker peaks at 50-70 MB over 4 MiB ranges, a stats worker at 35-45).
 */
export const WORKER_MEMORY_BYTES = 48 * 1024 * 1024;
/** What the calling thread holds with threads (its heap, the scan, the ranges' outputs it writes). */
export const MAIN_MEMORY_BYTES = 96 * 1024 * 1024;

/** What kept a read on the calling thread although `threads` asked for more (`ThreadsSummary.sequential`). */
export type SequentialReason =
  /** The file is too small: under two ranges, or for `'auto'` under two `AUTO_BYTES_PER_THREAD`. */
  | 'small'
  /** `maxMemory` (or, for `'auto'`, half the memory free) leaves room for fewer than two workers. */
  | 'memory'
  /** `'auto'` on a machine of one core. */
  | 'cores'
  /** The input is gzip-compressed (a worker cannot start in the middle of it). */
  | 'gzip'
  /** Its encoding is not one the seam scan reads (UTF-16, UTF-32). */
  | 'encoding'
  /** Not a file of known size (a stream, a buffer). */
  | 'not-a-file'
  /** Empty, or its first bytes do not decode (it fails as on one thread). */
  | 'unreadable';

/**
 * How many worker threads read a file of `size` bytes in ranges of `rangeBytes`: `threads`,
 * or for `'auto'`, one for each core and each `AUTO_BYTES_PER_THREAD` of the file; as many as there are ranges;
 * as many as fit in `maxMemory` (each counted at `WORKER_MEMORY_BYTES` and three ranges:
 * one read, one written, one waiting), and for `'auto'` in half the memory free. Fewer than
 * two: one (the calling thread), and what kept it there.
 */
export function threadPlan(threads: number | 'auto', size: number, rangeBytes: number, maxMemory?: number, free = freemem(), cores = availableParallelism()): { readonly threads: number; readonly limit: SequentialReason | undefined } {
  if (threads === 1) return { threads: 1, limit: undefined };
  const ranges = Math.max(1, Math.ceil(size / rangeBytes));
  const perThread = WORKER_MEMORY_BYTES + 3 * rangeBytes;
  const fit = (budget: number): number => Math.max(0, Math.floor((budget - MAIN_MEMORY_BYTES) / perThread));
  const bySize = Math.min(ranges, threads === 'auto' ? Math.floor(size / AUTO_BYTES_PER_THREAD) : threads);
  const byMemory = Math.min(threads === 'auto' ? fit(free / 2) : Infinity, maxMemory === undefined ? Infinity : fit(maxMemory));
  const byCores = threads === 'auto' ? cores : Infinity;
  const count = Math.min(bySize, byMemory, byCores);
  // Fewer than two workers: one thread reads it (a single worker only adds a copy).
  if (count >= 2) return { threads: count, limit: undefined };
  return { threads: 1, limit: bySize < 2 ? 'small' : byMemory < 2 ? 'memory' : 'cores' };
}

/** `threadPlan`'s threads. */
export function threadCount(threads: number | 'auto', size: number, rangeBytes: number, maxMemory?: number, free = freemem()): number {
  return threadPlan(threads, size, rangeBytes, maxMemory, free).threads;
}

/** The range worker's module. */
function workerFile(): string {
  return libraryModule(new URL('./range-worker.js', import.meta.url)).href;
}

/**
 * `smallYoungGeneration`: for what keeps only figures (stats, validate). A young generation of
 * 8 MiB (V8's default grows to 16+): computeStats on 100 MiB, 2 workers, peaked at ~178 MB
 * instead of ~216 MB, for the same CPU time (3 MiB: 1.6x the CPU time). Not for a job: its
 * units, writer and output live longer, and the pseudo pass of 100 MiB in one worker took
 * 16.0 s of CPU with 8 MiB, 9.2 s with 32, 6.6 s with V8's default.
 */
export function createPool(threads: number, smallYoungGeneration: boolean): Piscina {
  // The old generation as this process's (its --max-old-space-size, which a worker cannot be given as a flag).
  const maxOldGenerationSizeMb = Math.round(getHeapStatistics().heap_size_limit / (1024 * 1024));
  return new Piscina({
    filename: workerFile(),
    // Workers start on demand (at once: the first ranges are queued together) and stay until the pool is destroyed.
    // Not `minThreads`: piscina replaces a worker that died to keep that many, and the exit of
    // one that crashed may come after `destroy()` has finished, starting workers nobody ends.
    minThreads: 0,
    maxThreads: threads,
    idleTimeout: Infinity,
    concurrentTasksPerWorker: 1,
    // An idle worker of a job answers the others' asks for its results (threads/shared-results.ts):
    // piscina's default blocks an idle worker's event loop in Atomics.wait.
    atomics: smallYoungGeneration ? 'sync' : 'disabled',
    execArgv: workerFlags(process.execArgv),
    resourceLimits: smallYoungGeneration ? { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb } : { maxOldGenerationSizeMb },
  });
}

/**
 * Listens to the pool's `error` events, which piscina emits for what no task carries, and
 * which would otherwise be thrown where it emits them: an uncaught exception in the
 * user's process. A task's answer that comes after the task was aborted (its worker
 * being terminated: another range failed first) is one, and nothing is lost with it; a
 * worker that died with no task, or a close that timed out, go to `failed`.
 */
export function watchPool(pool: Piscina, failed: (error: Error) => void): void {
  pool.on('error', (error: Error) => {
    if (!String(error?.message).startsWith('Unexpected message from Worker')) failed(error);
  });
}

/** Flags of this process a worker takes too: loaders, conditions, warnings (not V8's, nor `--input-type`, which a worker refuses). */
const WORKER_FLAGS = /^(?:--import|--require|-r|--loader|--experimental-loader|--conditions|-C|--enable-source-maps|--no-warnings|--no-deprecation|--experimental-[\w-]+|--no-experimental-[\w-]+)(?:=|$)/;
/** Of those, the ones whose value is the next argument when not given with `=`. */
const TAKES_VALUE = new Set(['--import', '--require', '-r', '--loader', '--experimental-loader', '--conditions', '-C']);

export function workerFlags(execArgv: readonly string[]): string[] {
  const kept: string[] = [];
  for (let i = 0; i < execArgv.length; i++) {
    const flag = execArgv[i]!;
    const takesNext = TAKES_VALUE.has(flag);
    if (WORKER_FLAGS.test(flag)) {
      kept.push(flag);
      if (takesNext && i + 1 < execArgv.length) kept.push(execArgv[++i]!);
    } else if (takesNext) i++;
  }
  return kept;
}
