/**
 * Progress figures of a job, computed on demand from its counters.
 */
import type { CacheLevelStats } from '../cache/cache-levels.js';
import type { EndpointStats } from '../endpoints/endpoint.js';
import type { InputCounts } from '../io/input.js';
import type { RetriedClass } from './error-class.js';

export interface Progress {
  /** Input bytes read so far (to the end of the last unit read, or the whole input at the end). */
  readonly bytesRead: number;
  /**
   * Input bytes done: up to the end of the last unit written. Reading runs ahead of it by
   * up to `highWaterMark` chunks; `percent`, `etaMs` and `bytesPerSecond` count these (with
   * threads, also the bytes done in the ranges under way, whose units `unitsDone` counts).
   */
  readonly bytesDone: number;
  /** The input's size, when it is a file; `undefined` for streams. */
  readonly totalBytes: number | undefined;
  /** 0 to 100, when `totalBytes` is known. */
  readonly percent: number | undefined;
  readonly unitsRead: number;
  /** Units written out (processed, cached, skipped, failed or replayed). */
  readonly unitsDone: number;
  /** Units whose update came from the cache (or from an identical unit in flight). */
  readonly unitsCached: number;
  /** Units the filter left out (not translatable). */
  readonly unitsSkipped: number;
  /** Units whose processing failed (`onError: 'skip'`). */
  readonly unitsFailed: number;
  /** Units whose result came from the checkpoint journal of an interrupted run. */
  readonly unitsReplayed: number;
  readonly chunksInFlight: number;
  readonly elapsedMs: number;
  /** Time left at the current rate, when `totalBytes` is known. */
  readonly etaMs: number | undefined;
  readonly unitsPerSecond: number;
  readonly bytesPerSecond: number;
  readonly rssBytes: number;
  /** What each level of the cache behind memory did so far (as in the summary); empty without. */
  readonly cacheLevels: Readonly<Record<string, CacheLevelStats>>;
  /** With `endpoints`: each one's calls and breaker (as in the summary); empty without. */
  readonly endpoints: readonly EndpointStats[];
}

/** What the job knows beyond the counters, read at each snapshot. */
export interface ProgressSources {
  readonly cacheLevels: () => Readonly<Record<string, CacheLevelStats>>;
  readonly endpoints: () => readonly EndpointStats[];
}

const NO_SOURCES: ProgressSources = { cacheLevels: () => ({}), endpoints: () => [] };

export class ProgressCounters {
  bytesRead = 0;
  bytesDone = 0;
  /** With threads: the input bytes done in the ranges under way, ahead of `bytesDone` (the output written). */
  bytesDoneAhead = 0;
  unitsRead = 0;
  unitsDone = 0;
  unitsCached = 0;
  unitsSkipped = 0;
  unitsFailed = 0;
  unitsReplayed = 0;
  unitsChanged = 0;
  chunksInFlight = 0;
  retries = 0;
  readonly retriesByClass: Record<RetriedClass, number> = { rateLimit: 0, network: 0, server: 0, other: 0 };
  private readonly started = performance.now();
  /** What the reader read of the input, when known: of a gzip file, `totalBytes` is the compressed size. */
  input: InputCounts | undefined;
  private completed = false;

  constructor(
    readonly totalBytes: number | undefined,
    private readonly sources: ProgressSources = NO_SOURCES,
  ) {}

  /** Everything is done: `percent` is 100. */
  complete(): void {
    this.completed = true;
  }

  elapsedMs(): number {
    return performance.now() - this.started;
  }

  snapshot(): Progress {
    const elapsedMs = this.elapsedMs();
    const seconds = Math.max(elapsedMs, 1) / 1000;
    const bytesDone = this.bytesDone + this.bytesDoneAhead;
    const bytesPerSecond = bytesDone / seconds;
    const total = this.totalBytes;
    // Of a gzip file, the bytes done (the document's) are scaled by the compression seen so far.
    const scale = this.input?.scale ?? 1;
    const done = this.completed && total !== undefined ? total : Math.min(total ?? Infinity, bytesDone * scale);
    const percent = total === undefined ? undefined : total === 0 ? 100 : (done / total) * 100;
    const etaMs = total === undefined || done === 0 ? undefined : ((total - done) / (done / seconds)) * 1000;
    return {
      bytesRead: this.bytesRead,
      bytesDone: this.bytesDone,
      totalBytes: total,
      percent,
      unitsRead: this.unitsRead,
      unitsDone: this.unitsDone,
      unitsCached: this.unitsCached,
      unitsSkipped: this.unitsSkipped,
      unitsFailed: this.unitsFailed,
      unitsReplayed: this.unitsReplayed,
      chunksInFlight: this.chunksInFlight,
      elapsedMs,
      etaMs,
      unitsPerSecond: this.unitsDone / seconds,
      bytesPerSecond,
      rssBytes: process.memoryUsage.rss(),
      cacheLevels: this.sources.cacheLevels(),
      endpoints: this.sources.endpoints(),
    };
  }
}
