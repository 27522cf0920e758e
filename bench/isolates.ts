/**
 * Where the threaded path's extra CPU comes from: the machine (two busy cores slow each
 * other), or the threads themselves. One case of bench/child over the same file,
 * each in processes of its own, alternated run by run:
 *   - one thread;
 *   - `--threads N` (default 2);
 *   - N processes at once, each the whole one-thread case over its own copy of the file
 *     (N times the work: the machine's own ceiling, with no threads in one process);
 *   - where `taskset` exists, one thread and `--threads N` pinned to one core (no two
 *     threads run at once there: what the threads cost beyond one thread is the threaded
 *     path's own work, not contention).
 * Reports medians of wall and CPU time, throughput against one thread, and CPU per unit
 * of work against one thread.
 *
 * usage: npm run bench:isolates -- [--file F | --size 100M --format 1.2] [--case pseudo] [--threads 2] [--runs 3] [--args="--cache off"]
 */
import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, existsSync, statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DEFAULT_GEN, MiB, childArgs, ensureFile, findExecutable, median, type Sample } from './lib.js';

const { values } = parseArgs({
  options: {
    file: { type: 'string' },
    size: { type: 'string', default: '100M' },
    format: { type: 'string', default: '1.2' },
    case: { type: 'string', default: 'pseudo' },
    threads: { type: 'string', default: '2' },
    runs: { type: 'string', default: '3' },
    args: { type: 'string', default: '' },
  },
});
const file = values.file ?? ensureFile(values.format, values.size.toUpperCase(), '42', DEFAULT_GEN);
const mib = statSync(file).size / MiB;
const n = Number(values.threads);
const extra = values.args.split(' ').filter(Boolean);
// Each process of the N at once reads a file of its own (the same bytes read at once share the CPU's caches).
const copies = Array.from({ length: n }, (_, i) => {
  if (i === 0) return file;
  const copy = `${file}.copy${i}`;
  if (!existsSync(copy) || statSync(copy).size !== statSync(file).size) copyFileSync(file, copy);
  return copy;
});
const taskset = findExecutable('taskset');

const one = (args: readonly string[], pin: boolean): Sample => {
  const argv = childArgs(values.case, file, [...extra, ...args]);
  const [command, rest] = pin ? [taskset!, ['-c', '0', process.execPath, ...argv]] : [process.execPath, argv];
  return JSON.parse(execFileSync(command, rest, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] })) as Sample;
};

/** N one-thread processes at once, one per copy: the slowest's wall time, their CPU summed. */
async function processes(): Promise<Sample> {
  const start = performance.now();
  const samples = await Promise.all(
    copies.map(
      (path) =>
        new Promise<Sample>((resolve, reject) => {
          const child = spawn(process.execPath, childArgs(values.case, path, extra), { stdio: ['ignore', 'pipe', 'inherit'] });
          let out = '';
          child.stdout.on('data', (data: Buffer) => (out += data.toString()));
          child.on('error', reject);
          child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out) as Sample) : reject(new Error(`child exited with ${code}`))));
        }),
    ),
  );
  const seconds = Math.max((performance.now() - start) / 1000, ...samples.map((s) => s.seconds));
  return { ...samples[0]!, seconds, cpuSeconds: samples.reduce((sum, s) => sum + s.cpuSeconds, 0) };
}

interface Case {
  readonly name: string;
  /** Times the one-thread case's work it does. */
  readonly work: number;
  readonly run: () => Sample | Promise<Sample>;
}
const cases: Case[] = [
  { name: 'one thread', work: 1, run: () => one([], false) },
  { name: `${n} threads`, work: 1, run: () => one(['--threads', String(n)], false) },
  { name: `${n} processes at once, one thread each (${n}x the work)`, work: n, run: processes },
  ...(taskset
    ? [
        { name: 'one thread, on one core', work: 1, run: () => one([], true) },
        { name: `${n} threads, on one core`, work: 1, run: () => one(['--threads', String(n)], true) },
      ]
    : []),
];

const samples = new Map<string, Sample[]>(cases.map((c) => [c.name, []]));
for (let r = 0; r < Number(values.runs); r++) {
  const order = r % 2 === 0 ? cases : [...cases].reverse();
  for (const c of order) samples.get(c.name)!.push(await c.run());
  console.error(`run ${r + 1}/${values.runs} done`);
}

const of = (name: string, pick: (s: Sample) => number): number => median(samples.get(name)!.map(pick));
const oneWall = of('one thread', (s) => s.seconds);
const oneCpu = of('one thread', (s) => s.cpuSeconds);
console.log(`${file} (${mib.toFixed(1)} MiB), case ${values.case}${extra.length ? ` ${extra.join(' ')}` : ''}, ${values.runs} alternated runs, medians${taskset ? '' : ' (no taskset here: no one-core cases)'}\n`);
console.log('| case | wall s | CPU s | throughput vs one thread | CPU per unit of work vs one thread |');
console.log('|---|---:|---:|---:|---:|');
for (const c of cases) {
  const wall = of(c.name, (s) => s.seconds);
  const cpu = of(c.name, (s) => s.cpuSeconds);
  console.log(`| ${c.name} | ${wall.toFixed(2)} | ${cpu.toFixed(2)} | ${((c.work * oneWall) / wall).toFixed(2)}x | ${(cpu / c.work / oneCpu).toFixed(2)}x |`);
}
