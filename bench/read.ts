/**
 * Read throughput and memory: bare sax vs `readUnits` over the same generated file,
 * each run in its own child process (bench/child), interleaved, best of `--runs`.
 * The figure of merit is the ratio readUnits / sax from the same run (README, Benchmarks).
 *
 * usage: npm run bench:read -- [--size 100M[,1G]] [--format 1.2|2.0|both] [--runs 3]
 *        [--seed 42] [--json FILE] [--gen PATH-TO-gen-xliff.cjs]
 * The npm script compiles src/ and bench/ (tsconfig.bench.json) and runs `node .bench-build/bench/read.js`:
 * the children run the compiled library with plain node (`node --import tsx bench/read.ts`: all through tsx).
 * Files are generated once and cached in os.tmpdir()/xliff-stream-bench/.
 * With several sizes, a last table compares readUnits' peak RSS to the first size's.
 */
import { statSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DEFAULT_GEN, MiB, RUNTIME, ensureFile as ensure, leastCpu, runChild, type Sample } from './lib.js';

const { values } = parseArgs({
  options: {
    size: { type: 'string', default: '100M' },
    format: { type: 'string', default: 'both' },
    runs: { type: 'string', default: '3' },
    seed: { type: 'string', default: '42' },
    json: { type: 'string' },
    gen: { type: 'string', default: DEFAULT_GEN },
  },
});
const sizes = values.size.toUpperCase().split(',');
const formats = values.format === 'both' ? ['1.2', '2.0'] : [values.format];
const runs = Number(values.runs);
const CASES = ['sax', 'readUnits'] as const;
type Case = (typeof CASES)[number];

interface Row {
  format: string;
  size: string;
  bytes: number;
  case: Case;
  runs: Sample[];
  best: Sample;
  mibPerSecond: number;
  peakRssMB: number;
}

const ensureFile = (format: string, size: string): string => ensure(format, size, values.seed, values.gen);
const runCase = (kind: Case | 'startup', file: string): Sample => runChild(kind, file);

const rows: Row[] = [];
const startupRssMB = (runCase('startup', '-').maxRssKiB * 1024) / 1e6;
for (const size of sizes) {
  for (const format of formats) {
    const file = ensureFile(format, size);
    const bytes = statSync(file).size;
    const samples: Record<Case, Sample[]> = { sax: [], readUnits: [] };
    for (let run = 1; run <= runs; run++) {
      for (const kind of CASES) {
        const sample = runCase(kind, file);
        samples[kind].push(sample);
        console.error(`${format} ${size} ${kind} run ${run}/${runs}: ${(bytes / MiB / sample.seconds).toFixed(1)} MiB/s, ${(sample.maxRssKiB / 1000).toFixed(0)} MB`);
      }
    }
    for (const kind of CASES) {
      const best = samples[kind].reduce((a, b) => (b.seconds < a.seconds ? b : a));
      const peak = Math.max(...samples[kind].map((s) => s.maxRssKiB));
      rows.push({ format, size, bytes, case: kind, runs: samples[kind], best, mibPerSecond: bytes / MiB / best.seconds, peakRssMB: (peak * 1024) / 1e6 });
    }
  }
}

const find = (format: string, size: string, kind: Case): Row => rows.find((r) => r.format === format && r.size === size && r.case === kind)!;
const ratioOf = (row: Row): number => row.mibPerSecond / find(row.format, row.size, 'sax').mibPerSecond;
/** The same ratio by CPU time (least of the runs): the wall clock of a shared machine swings more. */
const cpuRatioOf = (row: Row): number => leastCpu(find(row.format, row.size, 'sax').runs) / leastCpu(row.runs);

console.log(`\nBest of ${runs} (interleaved runs, one child process each); peak RSS is the highest of the runs,`);
console.log(`and includes the child's ${startupRssMB.toFixed(0)} MB floor (${RUNTIME}, modules loaded, no input read).\n`);
console.log('| format | size | case | MiB/s | seconds | units | peak RSS MB | vs sax | CPU s | vs sax by CPU time |');
console.log('|---|---|---|---:|---:|---:|---:|---:|---:|---:|');
for (const row of rows) {
  const units = row.case === 'sax' ? '-' : String(row.best.units);
  console.log(`| ${row.format} | ${row.size} | ${row.case} | ${row.mibPerSecond.toFixed(1)} | ${row.best.seconds.toFixed(2)} | ${units} | ${row.peakRssMB.toFixed(0)} | ${ratioOf(row).toFixed(2)} | ${leastCpu(row.runs).toFixed(2)} | ${cpuRatioOf(row).toFixed(2)} |`);
}

if (sizes.length > 1) {
  const base = sizes[0]!;
  console.log(`\nreadUnits peak RSS by input size (goal: at most 1.3x the ${base} peak)\n`);
  console.log(`| format | size | peak RSS MB | vs ${base} |`);
  console.log('|---|---|---:|---:|');
  for (const format of formats) {
    for (const size of sizes) {
      const row = find(format, size, 'readUnits');
      console.log(`| ${format} | ${size} | ${row.peakRssMB.toFixed(0)} | ${(row.peakRssMB / find(format, base, 'readUnits').peakRssMB).toFixed(2)} |`);
    }
  }
}

if (values.json) {
  const report = { node: process.version, runs, startupRssMB, rows: rows.map((row) => ({ ...row, ratioToSax: ratioOf(row), cpuRatioToSax: cpuRatioOf(row) })) };
  writeFileSync(values.json, `${JSON.stringify(report, null, 2)}\n`);
}
