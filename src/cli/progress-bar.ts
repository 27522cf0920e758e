/**
 * Progress on stderr: a bar (command and file, percent, units, units/s, ETA; the elapsed
 * time at the end) that fits the terminal's width when stderr is a terminal, a plain line
 * every `intervalMs` when it is not (a log, a CI job), nothing with `--quiet`, and nothing
 * for a file of one unit or none (done before anything could be shown).
 */
import { basename } from 'node:path';
import { loadCliProgress } from '../cjs.js';
import type { Unit } from '../model.js';
import type { InputCounts } from '../io/input.js';
import { ProgressCounters } from '../job/progress.js';

/** What the reporter shows. */
export interface ProgressFigures {
  /** 0 to 100, when the input's size is known (not for standard input). */
  readonly percent: number | undefined;
  readonly units: number;
  readonly unitsPerSecond: number;
  readonly etaMs: number | undefined;
  /** Input bytes read: shown instead of the percent when there is none. */
  readonly bytes: number;
}

/** The stream progress goes to: stderr, or a stand-in in tests. */
export interface ProgressStream {
  write(text: string): unknown;
  readonly isTTY?: boolean | undefined;
  readonly columns?: number | undefined;
}

export interface Reporter {
  update(figures: ProgressFigures): void;
  /** The job is done: the bar completes with the elapsed time, or a last line says it. */
  finish(figures: ProgressFigures, elapsedMs: number): void;
  /** The job failed or was interrupted: the bar stops where it stands, no last line. */
  stop(): void;
  /**
   * How often it wants figures, in ms: what a job's `progressIntervalMs` and a reading
   * loop's reports follow. The bar draws 10 times a second; lines come every `intervalMs`,
   * so they are asked for at least every 100 ms (a line is then 100 ms late at most).
   */
  readonly updateMs: number;
}

/** The bar's frames a second. */
const BAR_FPS = 10;

/** Progress of `command` over `file` (its name shows, without its folder). */
export function createReporter(command: string, file: string, stream: ProgressStream, options: { readonly quiet: boolean; readonly intervalMs: number }): Reporter {
  const updateMs = Math.min(1000 / BAR_FPS, options.intervalMs);
  if (options.quiet) return { update() {}, finish() {}, stop() {}, updateMs };
  const name = basename(file);
  return stream.isTTY === true ? barReporter(command, name, stream) : lineReporter(`${command} ${name}`, stream, options.intervalMs);
}

/**
 * The bar's line for a terminal `width` columns wide: the command, the file, the bar (10 to
 * 30 columns), the figures. Narrow, the rate goes first, then the file is shortened (from
 * its start), then the bar goes.
 */
export function barLine(command: string, file: string, f: ProgressFigures, width: number, elapsedMs?: number): string {
  const room = Math.max(30, width - 1); // writing the last column wraps on some terminals
  const rate = `${Math.round(f.unitsPerSecond)}/s`;
  const variants =
    elapsedMs !== undefined
      ? [`${f.percent === undefined ? '' : '100% '}${f.units} units in ${duration(elapsedMs)} (${rate})`, `${f.percent === undefined ? '' : '100% '}${f.units} units in ${duration(elapsedMs)}`]
      : f.percent === undefined
        ? [`${f.units} units ${rate} ${size(f.bytes)}`, `${f.units} units ${size(f.bytes)}`]
        : [`${percent(f.percent).padStart(5)} ${f.units} units ${rate} ETA ${duration(f.etaMs)}`, `${percent(f.percent).padStart(5)} ${f.units} units ETA ${duration(f.etaMs)}`];
  const BAR_MIN = 10;
  const BAR_MAX = 30;
  const withBar = f.percent !== undefined;
  const fixed = (figures: string): number => command.length + 2 + figures.length + (withBar ? BAR_MIN + 1 : 0);
  const figures = variants.find((v) => fixed(v) + file.length <= room) ?? variants.at(-1)!;
  const line = `${command} ${shorten(file, Math.max(8, room - fixed(figures)))} `;
  const barWidth = withBar ? Math.min(BAR_MAX, room - line.length - figures.length - 1) : 0;
  if (barWidth < BAR_MIN) return fit(`${line}${figures}`, room);
  const filled = Math.round(((elapsedMs !== undefined ? 100 : (f.percent ?? 0)) / 100) * barWidth);
  return `${line}${'\u2588'.repeat(filled)}${'\u2591'.repeat(barWidth - filled)} ${figures}`;
}

/** `text` in at most `width` characters, its start replaced by `…`. */
function shorten(text: string, width: number): string {
  return text.length <= width ? text : `\u2026${text.slice(text.length - width + 1)}`;
}

function fit(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, width - 1)}\u2026`;
}

function barReporter(command: string, file: string, stream: ProgressStream): Reporter {
  const cliProgress = loadCliProgress();
  const fallbackWidth = Number(process.env['COLUMNS']) || 80;
  const width = (): number => stream.columns || fallbackWidth;
  const bar = new cliProgress.SingleBar(
    {
      stream: stream as NodeJS.WritableStream,
      // The line is made here, to the terminal's width (cli-progress draws, throttles and clears it).
      format: (_options, _params, payload: { line: string }) => payload.line,
      hideCursor: true,
      fps: BAR_FPS,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  let units = 0;
  return {
    update(f) {
      units = f.units;
      // Nothing to show of a file of one unit: it is done when it is read.
      if (f.units <= 1 && !started) return;
      const line = barLine(command, file, f, width());
      const value = Math.round((f.percent ?? 0) * 10);
      if (!started) {
        bar.start(1000, value, { line });
        started = true;
      } else bar.update(value, { line });
    },
    finish(f, elapsedMs) {
      if (Math.max(units, f.units) <= 1 && !started) return;
      const line = barLine(command, file, f, width(), elapsedMs);
      if (!started) bar.start(1000, 1000, { line });
      bar.update(1000, { line });
      bar.stop();
    },
    stop() {
      if (started) bar.stop();
    },
    updateMs: 1000 / BAR_FPS,
  };
}

function lineReporter(label: string, stream: ProgressStream, intervalMs: number): Reporter {
  let last = performance.now();
  return {
    update(f) {
      const now = performance.now();
      if (now - last < intervalMs || f.units <= 1) return;
      last = now;
      const end = f.percent === undefined ? `${size(f.bytes)} read` : `ETA ${duration(f.etaMs)}`;
      stream.write(`${label}: ${f.percent === undefined ? '' : `${percent(f.percent)}  `}${f.units} units  ${Math.round(f.unitsPerSecond)} units/s  ${end}\n`);
    },
    finish(f, elapsedMs) {
      if (f.units <= 1) return;
      stream.write(`${label}: ${f.percent === undefined ? '' : '100%  '}${f.units} units in ${duration(elapsedMs)} (${Math.round(f.unitsPerSecond)} units/s)\n`);
    },
    stop() {},
    updateMs: Math.min(1000 / BAR_FPS, intervalMs),
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

  /** Counts a unit; asks the reporter to draw as often as it wants (`updateMs`). */
  add(unit: Unit): void {
    const counters = this.counters;
    counters.unitsDone++;
    counters.bytesDone = unit.location.offset + unit.location.length;
    if ((counters.unitsDone & 63) !== 0) return;
    const now = performance.now();
    if (now - this.lastReport < this.reporter.updateMs) return;
    this.lastReport = now;
    this.reporter.update(this.figures());
  }

  /** Counts `units` read elsewhere (a worker's range), their bytes told by `countInput`. */
  addUnits(units: number): void {
    this.counters.unitsDone += units;
    this.reporter.update(this.figures());
  }

  finish(): void {
    this.counters.complete();
    this.reporter.finish(this.figures(), this.counters.elapsedMs());
  }

  figures(): ProgressFigures {
    const { percent, unitsDone, unitsPerSecond, etaMs } = this.counters.snapshot();
    return { percent, units: unitsDone, unitsPerSecond, etaMs, bytes: this.counters.input?.bytes ?? this.counters.bytesDone };
  }
}

function percent(value: number | undefined): string {
  return value === undefined ? '?%' : `${value.toFixed(1)}%`;
}

function size(bytes: number): string {
  return bytes < 1024 * 1024 ? `${Math.round(bytes / 1024)} KiB` : `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

function duration(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '?';
  const seconds = Math.round(ms / 100) / 10;
  if (seconds < 60) return `${seconds < 10 ? seconds.toFixed(1) : Math.round(seconds)}s`;
  const minutes = Math.floor(seconds / 60);
  return minutes < 60 ? `${minutes}m${String(Math.round(seconds % 60)).padStart(2, '0')}s` : `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
}
