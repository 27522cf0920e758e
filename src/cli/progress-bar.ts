/**
 * Progress on stderr: a bar (percent, units/s, ETA) when stderr is a terminal, a plain
 * line every `intervalMs` when it is not (a log, a CI job), nothing with `--quiet`.
 */
import { loadCliProgress } from '../cjs.js';
import type { Unit } from '../model.js';
import type { InputCounts } from '../io/input.js';
import { ProgressCounters } from '../job/progress.js';

/** What the reporter shows. */
export interface ProgressFigures {
  /** 0 to 100, when the input's size is known. */
  readonly percent: number | undefined;
  readonly units: number;
  readonly unitsPerSecond: number;
  readonly etaMs: number | undefined;
}

/** The stream progress goes to: stderr, or a stand-in in tests. */
export interface ProgressStream {
  write(text: string): unknown;
  readonly isTTY?: boolean | undefined;
  readonly columns?: number | undefined;
}

export interface Reporter {
  update(figures: ProgressFigures): void;
  /** The job is done: the bar completes, or a last line says how long it took. */
  finish(figures: ProgressFigures, elapsedMs: number): void;
  /** The job failed or was interrupted: the bar stops where it stands, no last line. */
  stop(): void;
}

export function createReporter(label: string, stream: ProgressStream, options: { readonly quiet: boolean; readonly intervalMs: number }): Reporter {
  if (options.quiet) return { update() {}, finish() {}, stop() {} };
  return stream.isTTY === true ? barReporter(stream) : lineReporter(label, stream, options.intervalMs);
}

function barReporter(stream: ProgressStream): Reporter {
  const cliProgress = loadCliProgress();
  const bar = new cliProgress.SingleBar(
    {
      stream: stream as NodeJS.WritableStream,
      format: '{bar} {pct} | {units} units | {rate} units/s | ETA {remaining}',
      hideCursor: true,
      barsize: 30,
      fps: 10,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  const payload = (f: ProgressFigures) => ({ pct: percent(f.percent).padStart(6), units: f.units, rate: Math.round(f.unitsPerSecond), remaining: duration(f.etaMs) });
  return {
    update(f) {
      const value = Math.round((f.percent ?? 0) * 10);
      if (!started) {
        bar.start(1000, value, payload(f));
        started = true;
      } else bar.update(value, payload(f));
    },
    finish(f) {
      if (!started) bar.start(1000, 0, payload(f));
      bar.update(1000, { ...payload(f), pct: '100.0%', remaining: '0s' });
      bar.stop();
    },
    stop() {
      if (started) bar.stop();
    },
  };
}

function lineReporter(label: string, stream: ProgressStream, intervalMs: number): Reporter {
  let last = performance.now();
  return {
    update(f) {
      const now = performance.now();
      if (now - last < intervalMs) return;
      last = now;
      stream.write(`${label}: ${percent(f.percent)}  ${f.units} units  ${Math.round(f.unitsPerSecond)} units/s  ETA ${duration(f.etaMs)}\n`);
    },
    finish(f, elapsedMs) {
      stream.write(`${label}: 100%  ${f.units} units in ${duration(elapsedMs)} (${Math.round(f.unitsPerSecond)} units/s)\n`);
    },
    stop() {},
  };
}

/**
 * Progress of a reading loop (`readUnits`), where no job counts for us: bytes by the
 * position of the last unit read against the input's size.
 */
export class ReadProgress {
  /** The figures, computed as a job's `progress` events are (units read count as done). */
  private readonly counters: ProgressCounters;
  private lastReport = 0;

  constructor(
    private readonly reporter: Reporter,
    totalBytes: number | undefined,
  ) {
    this.counters = new ProgressCounters(totalBytes);
  }

  get units(): number {
    return this.counters.unitsDone;
  }

  /** Takes what the reader reads of the input (of a gzip file, the compression scales the bytes done). */
  readonly countInput = (counts: InputCounts): void => {
    this.counters.input = counts;
  };

  /** Counts a unit; asks the reporter to draw at most every 50 ms. */
  add(unit: Unit): void {
    const counters = this.counters;
    counters.unitsDone++;
    counters.bytesDone = unit.location.offset + unit.location.length;
    if ((counters.unitsDone & 63) !== 0) return;
    const now = performance.now();
    if (now - this.lastReport < 50) return;
    this.lastReport = now;
    this.reporter.update(this.figures());
  }

  finish(): void {
    this.counters.complete();
    this.reporter.finish(this.figures(), this.counters.elapsedMs());
  }

  figures(): ProgressFigures {
    const { percent, unitsDone, unitsPerSecond, etaMs } = this.counters.snapshot();
    return { percent, units: unitsDone, unitsPerSecond, etaMs };
  }
}

function percent(value: number | undefined): string {
  return value === undefined ? '?%' : `${value.toFixed(1)}%`;
}

function duration(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '?';
  const seconds = Math.round(ms / 100) / 10;
  if (seconds < 60) return `${seconds < 10 ? seconds.toFixed(1) : Math.round(seconds)}s`;
  const minutes = Math.floor(seconds / 60);
  return minutes < 60 ? `${minutes}m${String(Math.round(seconds % 60)).padStart(2, '0')}s` : `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
}
