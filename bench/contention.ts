/**
 * What this machine allows two threads, against what computeStats on 2 threads gets: the
 * whole file's stats as one range task on one worker of the library's pool, then as two such
 * tasks at once (twice the work: a perfect machine takes the same wall time), the same over
 * the file and a copy of it (two streams of different bytes, as the ranges are), the 4 MiB
 * ranges of computeStats run twice on the pool with no scan, then
 * `computeStats` with `threads: 2` and ranges of 4 MiB and of half the file, and one thread
 * (in a process of its own, bench/child: on this process' thread, after the other cases, it
 * took 10.5 s where a fresh process took 6.0, which flattered every ratio to it).
 * Alternated run by run, medians. The two-task ratio is the ceiling the machine gives
 * (memory, caches, GC helpers); the gap to it is the threaded design's own cost (the scan on
 * the calling thread, what each range adds).
 *
 * usage: npm run bench:contention -- [--size 100M] [--format 1.2] [--runs 3]
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { computeStats } from '../src/index.js';
import type { RangeResult, RangeTask } from '../src/threads/range-task.js';
import { createPool } from '../src/threads/thread-pool.js';
import { SeamScanner } from '../src/read/seam-scanner.js';
import type { ReadContext } from '../src/read/read-context.js';
import { DEFAULT_GEN, MiB, childArgs, ensureFile, median, type Sample } from './lib.js';

const { values } = parseArgs({
  options: {
    size: { type: 'string', default: '100M' },
    format: { type: 'string', default: '1.2' },
    runs: { type: 'string', default: '3' },
  },
});
const file = ensureFile(values.format, values.size.toUpperCase(), '42', DEFAULT_GEN);
const size = statSync(file).size;
const task: RangeTask = { kind: 'stats', xliff: true, path: file, fileName: file, start: 0, end: size, last: true, context: undefined, maxUnitBytes: 64 * MiB, maxDepth: 256 };

interface Timing {
  readonly wall: number;
  readonly cpu: number;
}

/** Wall and process CPU seconds of `run`. */
async function timed(run: () => Promise<unknown>): Promise<Timing> {
  const wall = performance.now();
  const cpu = process.cpuUsage();
  await run();
  const used = process.cpuUsage(cpu);
  return { wall: (performance.now() - wall) / 1000, cpu: (used.user + used.system) / 1e6 };
}

/** A copy of the file, so that two tasks at once read different bytes (the same bytes read at once share the CPU's caches). */
const copy = `${file}.copy`;
if (!existsSync(copy) || statSync(copy).size !== size) copyFileSync(file, copy);

/** `tasks` whole-file tasks at once on a pool of 2 (started before the clock); `copies`: the second one reads the copy. */
async function poolTasks(tasks: number, copies = false): Promise<Timing> {
  const pool = createPool(2, true);
  // Both workers up and compiled a little before timing.
  await Promise.all([pool.run({ ...task, end: Math.min(size, MiB), last: false }), pool.run({ ...task, end: Math.min(size, MiB), last: false })]);
  const timing = await timed(() => Promise.all(Array.from({ length: tasks }, (_, i) => pool.run(copies && i % 2 === 1 ? { ...task, path: copy } : task) as Promise<RangeResult>)));
  await pool.destroy();
  return timing;
}

/** The 4 MiB ranges computeStats reads, planned by the seam scanner before the clock. */
function plannedRanges(rangeBytes: number): RangeTask[] {
  const starts: { start: number; context: ReadContext | undefined }[] = [{ start: 0, context: undefined }];
  const scanner = new SeamScanner('utf-8', rangeBytes, (context) => starts.push({ start: context.offset, context }), 0, undefined);
  scanner.write(readFileSync(file));
  return starts.map(({ start, context }, i) => ({ ...task, start, context, end: starts[i + 1]?.start ?? size, last: i === starts.length - 1 }));
}

/** The planned ranges, `copies` times over, all submitted at once to a pool of 2 (started before the clock). */
async function poolRanges(rangeBytes: number, copies: number): Promise<Timing> {
  const ranges = plannedRanges(rangeBytes);
  const pool = createPool(2, true);
  await Promise.all([pool.run({ ...task, end: Math.min(size, MiB), last: false }), pool.run({ ...task, end: Math.min(size, MiB), last: false })]);
  const timing = await timed(() => Promise.all(Array.from({ length: copies }, () => ranges.map((range) => pool.run(range) as Promise<RangeResult>)).flat()));
  await pool.destroy();
  return timing;
}

/** computeStats on one thread in a fresh process (bench/child `stats`), timed there from its first byte read. */
async function oneThread(): Promise<Timing> {
  const sample = JSON.parse(execFileSync(process.execPath, childArgs('stats', file), { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] })) as Sample;
  return { wall: sample.seconds, cpu: sample.cpuSeconds };
}

const cases: Record<string, () => Promise<Timing>> = {
  'one thread (computeStats, a process of its own)': oneThread,
  'pool, 1 whole-file task': () => poolTasks(1),
  'pool, 2 whole-file tasks at once (2x the work)': () => poolTasks(2),
  'pool, 2 whole-file tasks at once, the file and its copy (2x the work)': () => poolTasks(2, true),
  'pool, the 4 MiB ranges twice, all at once (2x the work)': () => poolRanges(4 * MiB, 2),
  'computeStats, 2 threads, 4 MiB ranges': () => timed(() => computeStats(file, { threads: 2 })),
  'computeStats, 2 threads, ranges of half the file': () => timed(() => computeStats(file, { threads: 2, threadRangeBytes: Math.ceil(size / 2) })),
};
const names = Object.keys(cases);
const samples = new Map<string, Timing[]>(names.map((name) => [name, []]));
for (let r = 0; r < Number(values.runs); r++) {
  const order = r % 2 === 0 ? names : [...names].reverse();
  for (const name of order) samples.get(name)!.push(await cases[name]!());
  console.error(`run ${r + 1}/${values.runs} done`);
}

const wallOf = (name: string): number => median(samples.get(name)!.map((s) => s.wall));
const one = wallOf(names[0]!);
console.log(`${file} (${(size / MiB).toFixed(1)} MiB), ${values.runs} alternated runs, medians; throughput: MiB processed per second of wall time, against one thread\n`);
console.log('| case | wall s | CPU s (process) | throughput vs one thread |');
console.log('|---|---:|---:|---:|');
for (const name of names) {
  const work = name.includes('2x the work') ? 2 : 1;
  const wall = wallOf(name);
  console.log(`| ${name} | ${wall.toFixed(2)} | ${median(samples.get(name)!.map((s) => s.cpu)).toFixed(2)} | ${((work * one) / wall).toFixed(2)}x |`);
}
