/**
 * The result cache's disk level (issue goals): a second run of the pseudo pass with the disk
 * level makes 0 processor calls, in at most 1.2x the time of an identity pass; the first run
 * with the disk level on is at most 10% slower than with memory only. Every case in its own
 * process (bench/child), alternated run by run; medians of CPU and wall time.
 *
 * usage: npm run bench:cache -- [--size 100M] [--format 1.2] [--runs 3]
 */
import { execFileSync } from 'node:child_process';
import { rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { BENCH_DIR, CHILD, MiB, ensureFile, median, type Sample } from './lib.js';

const { values } = parseArgs({
  options: {
    size: { type: 'string', default: '100M' },
    format: { type: 'string', default: '1.2' },
    seed: { type: 'string', default: '42' },
    runs: { type: 'string', default: '3' },
  },
});
const file = ensureFile(values.format, values.size.toUpperCase(), values.seed);
const runs = Number(values.runs);
const disk = join(BENCH_DIR, `disk-cache-${process.pid}`);

const cases: Record<string, { kind: string; args: string[]; before?: () => void }> = {
  identity: { kind: 'identity', args: [] },
  'pseudo, memory only': { kind: 'pseudo', args: [] },
  'pseudo, disk level, first run': { kind: 'pseudo', args: ['--cache-disk', disk], before: () => rmSync(disk, { recursive: true, force: true }) },
  'pseudo, disk level, second run': { kind: 'pseudo', args: ['--cache-disk', disk] },
};
const samples: Record<string, Sample[]> = {};
try {
  for (let run = 1; run <= runs; run++) {
    // The second run reads what the first wrote: those two stay in order; the others go around them.
    const order = run % 2 === 1 ? Object.keys(cases) : ['pseudo, memory only', 'identity', 'pseudo, disk level, first run', 'pseudo, disk level, second run'];
    for (const name of order) {
      const { kind, args, before } = cases[name]!;
      before?.();
      const out = execFileSync(process.execPath, [CHILD, kind, file, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
      (samples[name] ??= []).push(JSON.parse(out) as Sample);
    }
    console.error(`run ${run}/${runs} done`);
  }
} finally {
  rmSync(disk, { recursive: true, force: true });
}

const wall = (name: string): number => median(samples[name]!.map((s) => s.seconds));
const cpu = (name: string): number => median(samples[name]!.map((s) => s.cpuSeconds));
console.log(`${file} (${(statSync(file).size / MiB).toFixed(1)} MiB), ${runs} alternated runs, medians\n`);
console.log('| case | wall s | CPU s | peak MB | processor calls | units cached |');
console.log('|---|---:|---:|---:|---:|---:|');
for (const name of Object.keys(cases)) {
  const last = samples[name]!.at(-1)!;
  console.log(`| ${name} | ${wall(name).toFixed(2)} | ${cpu(name).toFixed(2)} | ${Math.round((median(samples[name]!.map((s) => s.maxRssKiB)) * 1024) / 1e6)} | ${last.calls ?? '-'} | ${last.cacheHits ?? '-'} |`);
}
const ratio = (a: string, b: string): string => `${(wall(a) / wall(b)).toFixed(2)}x wall, ${(cpu(a) / cpu(b)).toFixed(2)}x CPU`;
console.log(`\nsecond run with the disk level / identity pass: ${ratio('pseudo, disk level, second run', 'identity')} (goal: at most 1.2x)`);
console.log(`first run with the disk level / memory only: ${ratio('pseudo, disk level, first run', 'pseudo, memory only')} (goal: at most 1.10x)`);
