/**
 * Helpers shared by the benches: generated input files (cached) and one child process per case.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const MiB = 1024 * 1024;
export const BENCH_DIR = join(tmpdir(), 'xliff-stream-bench');
export const DEFAULT_GEN = process.env['XLIFF_GEN'] ?? '/work/shared/tools/gen-xliff.cjs';

/** What bench/child.ts prints: timings and peak RSS, plus case-specific counts. */
export interface Sample {
  seconds: number;
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

/** Runs one case of bench/child.ts in its own process (so that its peak RSS is its own). */
export function runChild(kind: string, file: string, ...args: string[]): Sample {
  const out = execFileSync(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'child.ts'), kind, file, ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return JSON.parse(out) as Sample;
}

/** The fastest sample. */
export const best = (samples: readonly Sample[]): Sample => samples.reduce((a, b) => (b.seconds < a.seconds ? b : a));
/** MB (10^6 bytes) from maxRSS KiB. */
export const mb = (kib: number): number => (kib * 1024) / 1e6;
