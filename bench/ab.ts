/**
 * Two builds of the library side by side: the same cases of bench/child over the same file,
 * run alternately (A, B, A, B...), so that a change of code can be judged against the noise
 * of a shared machine. Reports medians of CPU time (user + system) and wall time per case,
 * and each build's ratio to bare sax by CPU time, measured in the same run.
 *
 * usage: npm run bench:ab -- --a DIR [--b DIR] [--file F | --size 10M --format 1.2] [--runs 5]
 *        [--cases sax,readUnits,identity,pseudo] [--threads N]
 *   --threads: every case but sax on N worker threads; the main thread's CPU is shown beside.
 *   DIR: a compiled bench (`tsc -p tsconfig.bench.json` makes .bench-build/ in a checkout:
 *   build the other commit in a `git worktree` the same way). --b defaults to this checkout's.
 */
import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_GEN, MiB, ensureFile, median, type Sample } from './lib.js';

const { values } = parseArgs({
  options: {
    a: { type: 'string' },
    b: { type: 'string', default: resolve(import.meta.dirname, '..') },
    file: { type: 'string' },
    size: { type: 'string', default: '10M' },
    format: { type: 'string', default: '1.2' },
    seed: { type: 'string', default: '42' },
    runs: { type: 'string', default: '5' },
    cases: { type: 'string', default: 'sax,readUnits,identity,pseudo' },
    gen: { type: 'string', default: DEFAULT_GEN },
    threads: { type: 'string' },
  },
});
if (!values.a) throw new Error('--a DIR (a compiled .bench-build of the other build) is required');
const builds = { A: resolve(values.a), B: resolve(values.b) };
const file = values.file ?? ensureFile(values.format, values.size.toUpperCase(), values.seed, values.gen);
const cases = values.cases.split(',');
const runs = Number(values.runs);
const caseArgs: Record<string, string[]> = { pseudo: ['--concurrency', '16'] };

const samples: Record<string, Sample[]> = {};
for (let run = 1; run <= runs; run++) {
  for (const kind of cases) {
    // A and B take turns first, so that neither always runs on a machine the other warmed.
    const order = run % 2 === 1 ? (['A', 'B'] as const) : (['B', 'A'] as const);
    for (const build of order) {
      const out = execFileSync(process.execPath, [join(builds[build], 'bench', 'child.js'), kind, file, ...(caseArgs[kind] ?? []), ...(values.threads && kind !== 'sax' ? ['--threads', values.threads] : [])], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
      (samples[`${build} ${kind}`] ??= []).push(JSON.parse(out) as Sample);
    }
  }
  console.error(`run ${run}/${runs} done`);
}

const mib = statSync(file).size / MiB;
console.log(`${file} (${mib.toFixed(1)} MiB), ${runs} alternated runs${values.threads ? `, ${values.threads} threads` : ''}; A = ${builds.A}, B = ${builds.B}\n`);
console.log('| case | A CPU s (median) | B CPU s (median) | B/A CPU | A wall s | B wall s | A vs sax (CPU) | B vs sax (CPU) | A peak MB | B peak MB | A main CPU ms/MiB | B main CPU ms/MiB |');
console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
const cpu = (key: string): number => median((samples[key] ?? []).map((s) => s.cpuSeconds));
for (const kind of cases) {
  const [a, b] = [cpu(`A ${kind}`), cpu(`B ${kind}`)];
  const wall = (build: string): string => median(samples[`${build} ${kind}`]!.map((s) => s.seconds)).toFixed(2);
  const peak = (build: string): string => ((median(samples[`${build} ${kind}`]!.map((s) => s.maxRssKiB)) * 1024) / 1e6).toFixed(0);
  const vsSax = (build: string, own: number): string => (samples[`${build} sax`] ? (cpu(`${build} sax`) / own).toFixed(3) : '-');
  const main = (build: string): string => ((median(samples[`${build} ${kind}`]!.map((s) => s.mainCpuSeconds ?? s.cpuSeconds)) * 1000) / mib).toFixed(1);
  console.log(`| ${kind} | ${a.toFixed(2)} | ${b.toFixed(2)} | ${(b / a).toFixed(3)} | ${wall('A')} | ${wall('B')} | ${vsSax('A', a)} | ${vsSax('B', b)} | ${peak('A')} | ${peak('B')} | ${main('A')} | ${main('B')} |`);
}
console.log('\nEach run: every case, A and B back to back (first A, then B first, alternately). CPU: user + system of the child.');
