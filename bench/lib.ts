/**
 * Helpers shared by the benches: generated input files (cached) and one child process per case.
 */
import { execFileSync, spawn } from 'node:child_process';
import { accessSync, closeSync, constants, existsSync, mkdirSync, openSync, readFileSync, renameSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, delimiter, join, relative } from 'node:path';

/**
 * Whether this is the compiled bench (`.bench-build/bench/*.js`, built by `tsc -p tsconfig.bench.json`,
 * as the npm scripts run it) rather than the sources run through tsx (`node --import tsx bench/all.ts`).
 */
export const COMPILED = import.meta.url.endsWith('.js');
/** The repository's root: `.bench-build/bench/..` is `.bench-build`, so one level further up when compiled. */
export const ROOT = COMPILED ? join(import.meta.dirname, '..', '..') : join(import.meta.dirname, '..');
/** bench/child beside this module: child.js compiled, child.ts from the sources. */
export const CHILD = join(import.meta.dirname, COMPILED ? 'child.js' : 'child.ts');
/** What runs a child, for the texts: the floor of its RSS includes it. */
export const RUNTIME = COMPILED ? 'plain node running the compiled JavaScript' : "node with tsx's loader";

/**
 * The arguments of `node` (`process.execPath`) that run one case of bench/child in its own process:
 * compiled, plain `node child.js` (the library as users run it: no loader, no transform, no extra RSS);
 * from the sources, `node --import tsx child.ts`. `nodeFlags` (e.g. a heap cap) go first.
 */
export function childArgs(kind: string, file: string, args: readonly string[] = [], nodeFlags: readonly string[] = []): string[] {
  return [...nodeFlags, ...(COMPILED ? [] : ['--import', 'tsx']), CHILD, kind, file, ...args];
}

/** How the running bench script was started, for the printed command line: `node .bench-build/bench/all.js` or `node --import tsx bench/all.ts`. */
export function scriptCommand(): string {
  const script = relative(ROOT, process.argv[1] ?? '');
  return `node ${COMPILED ? '' : '--import tsx '}${script}`;
}

export const MiB = 1024 * 1024;
export const BENCH_DIR = join(tmpdir(), 'xliff-stream-bench');
export const DEFAULT_GEN = process.env['XLIFF_GEN'] ?? join(ROOT, 'scripts/gen-xliff.cjs');

/** What bench/child prints: timings and peak RSS, plus case-specific counts. */
export interface Sample {
  /** Wall clock, from reading the first byte to the end. */
  seconds: number;
  /**
   * CPU time (user + system, all threads) over the same span: less sensitive than the
   * wall clock to other jobs on a shared machine, though not to their cache and memory traffic.
   */
  cpuSeconds: number;
  /** CPU time of the main thread alone (Linux /proc; otherwise the process's). */
  mainCpuSeconds?: number;
  units: number;
  chars: number;
  maxRssKiB: number;
  /** processXliff cases: processor calls, the summary's counts, distinct cache keys. */
  calls?: number;
  /** `wait`: from the start of the first processor call to the end of the last. */
  callSeconds?: number;
  unitsProcessed?: number;
  cacheHits?: number;
  cacheMisses?: number;
  distinctSources?: number;
  translatable?: number;
  /** `stats`: source words counted. */
  words?: number;
  /** The case could not run here (e.g. a module not there yet). */
  skipped?: string;
  /** The case failed in a way worth a table cell (e.g. ERR_STRING_TOO_LONG). */
  error?: string;
}

/** The generated file of this format, size and seed, generated once into BENCH_DIR. */
export function ensureFile(format: string, size: string, seed: string, gen = DEFAULT_GEN): string {
  const file = join(BENCH_DIR, `xliff-${format}-${size}-s${seed}.xlf`);
  if (existsSync(file)) return file;
  mkdirSync(BENCH_DIR, { recursive: true });
  console.error(`generating ${file} ...`);
  execFileSync(process.execPath, [gen, '--format', format, '--size', size, '--seed', seed, '--out', `${file}.part`], { stdio: ['ignore', 'ignore', 'inherit'] });
  renameSync(`${file}.part`, file);
  return file;
}

/**
 * A markup-heavy real file at about `size` bytes: the body of `source` (a corpus file, UTF-8)
 * repeated, its unit ids made unique (`r<copy>-` before each), in the bench folder.
 */
export function ensureRepeatedFile(source: string, size: number): string {
  const file = join(BENCH_DIR, `${basename(source)}-${Math.round(size / MiB)}M.xlf`);
  if (existsSync(file)) return file;
  mkdirSync(BENCH_DIR, { recursive: true });
  const text = readFileSync(source, 'utf8');
  const open = text.indexOf('>', text.indexOf('<body')) + 1;
  const close = text.lastIndexOf('</body>');
  const [head, body, tail] = [text.slice(0, open), text.slice(open, close), text.slice(close)];
  const copies = Math.max(1, Math.round((size - head.length - tail.length) / Buffer.byteLength(body)));
  const out = openSync(`${file}.part`, 'w');
  writeSync(out, head);
  for (let copy = 0; copy < copies; copy++) writeSync(out, body.replaceAll('<trans-unit id="', `<trans-unit id="r${copy}-`));
  writeSync(out, tail);
  closeSync(out);
  renameSync(`${file}.part`, file);
  return file;
}

/** Runs one case of bench/child in its own process (so that its peak RSS is its own), as `childArgs` says. */
export function runChild(kind: string, file: string, ...args: string[]): Sample {
  const out = execFileSync(process.execPath, childArgs(kind, file, args), {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return JSON.parse(out) as Sample;
}

/** The fastest sample. */
export const best = (samples: readonly Sample[]): Sample => samples.reduce((a, b) => (b.seconds < a.seconds ? b : a));
/** The least CPU time of the samples. */
/** The middle value (the mean of the two middle ones for an even count). */
export const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

export const leastCpu = (samples: readonly Sample[]): number => Math.min(...samples.map((s) => s.cpuSeconds));
/** MB (10^6 bytes) from maxRSS KiB. */
export const mb = (kib: number): number => (kib * 1024) / 1e6;

/** How a process run by `spawnWithTimeout` ended. */
export interface Exit {
  pid: number | undefined;
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  /** The last 64 KiB of its stderr. */
  stderr: string;
  timedOut: boolean;
  /** Wall time from spawn to exit, start-up included. */
  wallSeconds: number;
}

/** Process groups of the children running now, killed if the bench itself is interrupted. */
const running = new Set<number>();
const killGroup = (pid: number): void => {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
};
let handlersInstalled = false;
const installHandlers = (): void => {
  if (handlersInstalled) return;
  handlersInstalled = true;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      for (const pid of running) killGroup(pid);
      process.exit(130);
    });
  }
};

/**
 * Runs a command in its own process group, stdout and stderr captured; after `timeoutMs`
 * the whole group (the command and anything it started) is killed.
 */
export function spawnWithTimeout(command: string, args: readonly string[], timeoutMs: number): Promise<Exit> {
  installHandlers();
  const start = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const pid = child.pid;
    if (pid !== undefined) running.add(pid);
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr = (stderr + text).slice(-65536)));
    const timer = setTimeout(() => {
      timedOut = true;
      if (pid !== undefined) killGroup(pid);
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      if (pid !== undefined) running.delete(pid);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (pid !== undefined) running.delete(pid);
      resolve({ pid, code, signal, stdout, stderr, timedOut, wallSeconds: Number(process.hrtime.bigint() - start) / 1e9 });
    });
  });
}

/** The path of an executable found on PATH (or this path, if it is one), else undefined. */
export function findExecutable(name: string): string | undefined {
  const candidates = name.includes('/') ? [name] : (process.env['PATH'] ?? '').split(delimiter).filter(Boolean).map((dir) => join(dir, name));
  return candidates.find((path) => {
    try {
      accessSync(path, constants.X_OK);
      return statSync(path).isFile();
    } catch {
      return false;
    }
  });
}
