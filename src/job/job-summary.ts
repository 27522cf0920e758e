/**
 * A job's summary, from its progress counters and what its stages report at the end.
 */
import type { CacheLevelStats } from '../cache/cache-levels.js';
import type { EndpointRouter } from '../endpoints/router.js';
import type { ThreadedReadReport } from '../threads/threaded-read.js';
import type { Summary } from './events.js';
import type { ProgressCounters } from './progress.js';

export interface SummaryParts {
  /** Chunks made, on this thread and in the ranges of the workers. */
  readonly chunks: number;
  readonly cacheLevels: Record<string, CacheLevelStats>;
  readonly router: EndpointRouter | undefined;
  readonly bytesWritten: number;
  readonly output: string | undefined;
  readonly warnings: number;
  readonly threads: ThreadedReadReport;
}

export function jobSummary(c: ProgressCounters, parts: SummaryParts): Summary {
  const processed = c.unitsDone - c.unitsCached - c.unitsSkipped - c.unitsFailed - c.unitsReplayed;
  const { threads } = parts;
  return {
    units: c.unitsRead,
    unitsProcessed: processed,
    unitsCached: c.unitsCached,
    unitsReplayed: c.unitsReplayed,
    unitsChanged: c.unitsChanged,
    unitsSkipped: c.unitsSkipped,
    unitsFailed: c.unitsFailed,
    chunks: parts.chunks,
    cacheHits: c.unitsCached,
    cacheMisses: processed,
    cacheLevels: parts.cacheLevels,
    retries: c.retries,
    retriesByClass: { ...c.retriesByClass },
    failovers: parts.router?.failovers ?? 0,
    endpoints: parts.router?.stats() ?? [],
    bytesRead: c.bytesRead,
    bytesWritten: parts.bytesWritten,
    elapsedMs: c.elapsedMs(),
    output: parts.output,
    warnings: parts.warnings,
    threads: { workers: threads.threads, ranges: threads.ranges, rangesReadAgain: threads.reread, sequential: threads.sequential },
  };
}
