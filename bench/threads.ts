/**
 * Worker threads against one thread: computeStats, validate, the identity and pseudo passes
 * (processXliff, the pseudo processor as a module) and readUnits with `--threads`
 * (default 2) and without, and bare sax, over the same file, alternated run by run, in child
 * processes (bench/child). Reports medians of wall and CPU time (all threads, and the main
 * thread alone, from Linux /proc), peak RSS, the speedup by wall clock, and from the measured
 * CPU times the speedup projected at 4, 8 and 16 threads (a projection: the main thread's
 * time per MiB as it is, the workers' spread evenly over N threads, no memory or I/O limit).
 *
 * usage: npm run bench:threads -- [--file F | --size 100M --format 1.2 | --sdl --size 100M] [--threads 2] [--runs 3] [--cases stats,validate,identity,pseudo,readUnits]
 *   --sdl: the corpus' TeacherXpress15981.sdlxliff (markup-heavy, from Trados) with its body repeated to --size
 */
import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_GEN, MiB, ensureFile, ensureRepeatedFile, median, type Sample } from './lib.js';

const { values } = parseArgs({
  options: {
    file: { type: 'string' },
    size: { type: 'string', default: '100M' },
    format: { type: 'string', default: '1.2' },
    seed: { type: 'string', default: '42' },
    runs: { type: 'string', default: '3' },
    threads: { type: 'string', default: '2' },
    cases: { type: 'string', default: 'stats,validate,identity,pseudo' },
    gen: { type: 'string', default: DEFAULT_GEN },
    sdl: { type: 'boolean', default: false },
  },
});
// --sdl: the markup-heavy real file the issue names, its body repeated to --size.
const SDL = join(import.meta.dirname, '..', '..', 'test', 'corpus', 'okapi-sdlxliff', 'TeacherXpress15981.sdlxliff');
const file = values.file ?? (values.sdl ? ensureRepeatedFile(SDL, parseSize(values.size)) : ensureFile(values.format, values.size.toUpperCase(), values.seed, values.gen));
const mib = statSync(file).size / MiB;

function parseSize(size: string): number {
  const m = /^(\d+)([KMG])$/i.exec(size);
  if (!m) throw new Error(`--size: expected 100M, 1G..., got ${size}`);
  return Number(m[1]) * { K: 1024, M: MiB, G: 1024 * MiB }[m[2]!.toUpperCase() as 'K' | 'M' | 'G'];
}
const child = join(import.meta.dirname, 'child.js');
const cases = values.cases.split(',');
const threads = values.threads;

const run = (kind: string, withThreads: boolean): Sample =>
  JSON.parse(execFileSync(process.execPath, [child, kind, file, ...(withThreads ? ['--threads', threads] : [])], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] })) as Sample;

const samples: Record<string, Sample[]> = {};
for (let r = 1; r <= Number(values.runs); r++) {
  (samples['sax'] ??= []).push(run('sax', false));
  for (const kind of cases) {
    const order = r % 2 === 1 ? [false, true] : [true, false];
    for (const withThreads of order) (samples[`${kind} ${withThreads ? threads : 1}`] ??= []).push(run(kind, withThreads));
  }
  console.error(`run ${r}/${values.runs} done`);
}

const of = (key: string, pick: (s: Sample) => number): number => median(samples[key]!.map(pick));
const sax = of('sax', (s) => s.seconds);
console.log(`${file} (${mib.toFixed(1)} MiB), ${values.runs} alternated runs, ${threads} threads against 1; bare sax ${sax.toFixed(2)} s\n`);
console.log('| case | threads | wall s | CPU s (all) | CPU s (main) | main CPU ms/MiB | workers CPU ms/MiB | peak MB | speedup (wall) | vs sax (wall) | projected 4 / 8 / 16 threads |');
console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|');
for (const kind of cases) {
  const one = of(`${kind} 1`, (s) => s.seconds);
  for (const t of ['1', threads]) {
    const key = `${kind} ${t}`;
    const wall = of(key, (s) => s.seconds);
    const cpu = of(key, (s) => s.cpuSeconds);
    const main = of(key, (s) => s.mainCpuSeconds ?? s.cpuSeconds);
    const workers = Math.max(0, cpu - main);
    const peak = of(key, (s) => s.maxRssKiB) / 1024;
    // Main thread as measured; the workers' CPU (with their GC helpers) spread over N.
    const projected = t === '1' ? '-' : [4, 8, 16].map((n) => `${(one / Math.max(main, workers / n)).toFixed(1)}x`).join(' / ');
    console.log(`| ${kind} | ${t} | ${wall.toFixed(2)} | ${cpu.toFixed(2)} | ${main.toFixed(2)} | ${((main * 1000) / mib).toFixed(0)} | ${((workers * 1000) / mib).toFixed(0)} | ${peak.toFixed(0)} | ${(one / wall).toFixed(2)}x | ${(sax / wall).toFixed(2)} | ${projected} |`);
  }
}
console.log('\nProjection (not measured): the one-thread wall time over the larger of the main thread\'s CPU time and the workers\' CPU time divided by N.');
