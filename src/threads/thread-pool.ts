/**
 * The worker threads a read runs on: a piscina pool of the range worker, and how many
 * threads `'auto'` gives.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';

/** A worker costs tens of milliseconds to start: a file smaller than this is read on one thread. */
export const AUTO_MIN_BYTES = 16 * 1024 * 1024;

/** How many worker threads read a file of `size` bytes in ranges of `rangeBytes`: `threads`, or for `'auto'`, one for each core but one, as many as there are ranges. */
export function threadCount(threads: number | 'auto', size: number, rangeBytes: number): number {
  const ranges = Math.max(1, Math.ceil(size / rangeBytes));
  if (threads !== 'auto') return Math.min(threads, ranges);
  if (size < AUTO_MIN_BYTES) return 1;
  return Math.max(1, Math.min(availableParallelism(), ranges));
}

/** The range worker's module: the compiled one, or its source when the library runs from its sources (tests). */
function workerFile(): string {
  const compiled = new URL('./range-worker.js', import.meta.url);
  return existsSync(fileURLToPath(compiled)) ? compiled.href : new URL('./range-worker.ts', import.meta.url).href;
}

export function createPool(threads: number): Piscina {
  // Workers start with this process's flags (a loader, --max-old-space-size...) but one only a main script takes.
  const execArgv = process.execArgv.filter((flag) => !flag.startsWith('--input-type'));
  // A young generation of 8 MiB (V8's default grows to 16+): computeStats on 100 MiB, 2 workers,
  // peaked at ~178 MB instead of ~216 MB, for the same CPU time (3 MiB: 1.6x the CPU time).
  return new Piscina({ filename: workerFile(), minThreads: threads, maxThreads: threads, idleTimeout: 1000, concurrentTasksPerWorker: 1, execArgv, resourceLimits: { maxYoungGenerationSizeMb: 8 } });
}
