/**
 * `processXliff` benches (README, Benchmarks), each case in its own child process
 * (bench/child), interleaved, best of `--runs`; ratios from the same run are what matter.
 *   1. throughput: bare sax vs an identity pass vs a pseudo-translation pass (concurrency 16);
 *   2. (`--big` only) peak RSS of the pseudo pass at concurrency 16, 100 MiB vs 1 GiB (both formats, or `--format`);
 *   3. a processor that waits 20 ms per call, concurrency 1 vs 32, cache off (units/s);
 *   4. processor calls with and without the cache vs the distinct sources (~30% repeats).
 *
 * usage: npm run bench:process -- [--size 100M] [--format 1.2|2.0|both] [--runs 3]
 *        [--wait-size 384K] [--cache-size 10M] [--seed 42] [--json FILE] [--gen PATH]
 *        npm run bench:process -- --big [--size 100M,1G] [--runs 1]   (bench:process:big)
 * The npm script compiles src/ and bench/ (tsconfig.bench.json) and runs `node .bench-build/bench/process.js`:
 * the children run the compiled library with plain node (`node --import tsx bench/process.ts`: all through tsx).
 * Files are generated once and cached in os.tmpdir()/xliff-stream-bench/.
 */
import { statSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DEFAULT_GEN, MiB, RUNTIME, best, ensureFile, leastCpu, mb, runChild, type Sample } from './lib.js';

const { values } = parseArgs({
  options: {
    size: { type: 'string' },
    format: { type: 'string', default: 'both' },
    runs: { type: 'string' },
    // ~1000 units: long enough that the start-up (JIT warm-up, the first 64 KiB parsed) does not dominate at concurrency 32.
    'wait-size': { type: 'string', default: '384K' },
    'cache-size': { type: 'string', default: '10M' },
    seed: { type: 'string', default: '42' },
    big: { type: 'boolean', default: false },
    json: { type: 'string' },
    gen: { type: 'string', default: DEFAULT_GEN },
  },
});
const big = values.big;
const sizes = (values.size ?? (big ? '100M,1G' : '100M')).toUpperCase().split(',');
const formats = values.format === 'both' ? ['1.2', '2.0'] : [values.format];
const runs = Number(values.runs ?? (big ? '1' : '3'));
const file = (format: string, size: string): string => ensureFile(format, size, values.seed, values.gen);
const report: Record<string, unknown> = { node: process.version, runs };

/** Runs each case `runs` times, interleaved; returns every case's samples. */
function measure(label: string, path: string, cases: Record<string, string[]>, times = runs): Record<string, Sample[]> {
  const samples: Record<string, Sample[]> = Object.fromEntries(Object.keys(cases).map((name) => [name, []]));
  for (let run = 1; run <= times; run++) {
    for (const [name, args] of Object.entries(cases)) {
      const sample = runChild(args[0]!, path, ...args.slice(1));
      samples[name]!.push(sample);
      console.error(`${label} ${name} run ${run}/${times}: ${sample.seconds.toFixed(2)} s, ${mb(sample.maxRssKiB).toFixed(0)} MB`);
    }
  }
  return samples;
}
const peak = (samples: readonly Sample[]): number => mb(Math.max(...samples.map((s) => s.maxRssKiB)));
const goal = (met: boolean): string => (met ? 'met' : '**missed**');
/** The tables, printed at the end (progress goes to stderr meanwhile). */
const lines: string[] = [];
const print = (line = ''): number => lines.push(line);

const startupMB = mb(runChild('startup', '-').maxRssKiB);
print(`Best of ${runs} (interleaved, one child process each); peak RSS is the highest of the runs and includes`);
print(`the child's ${startupMB.toFixed(0)} MB floor (${RUNTIME}, modules loaded, no input read).`);

if (big) {
  // 2. Peak RSS of the pseudo pass at concurrency 16 by input size, per format.
  const rows = formats.flatMap((format) =>
    sizes.map((size) => {
      const path = file(format, size);
      const samples = measure(`${format} ${size}`, path, { pseudo: ['pseudo', '--concurrency', '16'] })['pseudo']!;
      return { format, size, bytes: statSync(path).size, best: best(samples), peakMB: peak(samples) };
    }),
  );
  print(`\n### Peak RSS, pseudo pass, concurrency 16 (goal: < 150 MB, and at most 1.3x the ${sizes[0]} peak)\n`);
  print(`| format | size | seconds | MiB/s | units | peak RSS MB | above floor MB | vs ${sizes[0]} | goal |`);
  print('|---|---|---:|---:|---:|---:|---:|---:|---|');
  for (const row of rows) {
    const base = rows.find((r) => r.format === row.format)!;
    const ratio = row.peakMB / base.peakMB;
    print(`| ${row.format} | ${row.size} | ${row.best.seconds.toFixed(1)} | ${(row.bytes / MiB / row.best.seconds).toFixed(1)} | ${row.best.units} | ${row.peakMB.toFixed(0)} | ${(row.peakMB - startupMB).toFixed(0)} | ${ratio.toFixed(2)} | < 150 MB ${goal(row.peakMB < 150)}, <= 1.3x ${goal(ratio <= 1.3)} |`);
  }
  report['rss'] = rows;
} else {
  // 1. Throughput vs bare sax.
  print('\n### Throughput vs bare sax (goal: identity >= 0.70 of sax; readUnits for reference)\n');
  print('| format | size | case | MiB/s | seconds | units | processor calls | peak RSS MB | vs sax | CPU s | vs sax by CPU time |');
  print('|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  const throughput = [];
  for (const size of sizes) {
    for (const format of formats) {
      const path = file(format, size);
      const bytes = statSync(path).size;
      const samples = measure(`${format} ${size}`, path, { sax: ['sax'], readUnits: ['readUnits'], identity: ['identity'], 'pseudo (c16)': ['pseudo', '--concurrency', '16'] });
      const sax = best(samples['sax']!).seconds;
      const saxCpu = leastCpu(samples['sax']!);
      for (const [name, runsOf] of Object.entries(samples)) {
        const b = best(runsOf);
        const calls = b.calls === undefined ? '-' : String(b.calls);
        const units = name === 'sax' ? '-' : String(b.units);
        const verdict = name === 'identity' ? ` (${goal(sax / b.seconds >= 0.7)})` : '';
        const cpu = leastCpu(runsOf);
        print(`| ${format} | ${size} | ${name} | ${(bytes / MiB / b.seconds).toFixed(1)} | ${b.seconds.toFixed(2)} | ${units} | ${calls} | ${peak(runsOf).toFixed(0)} | ${(sax / b.seconds).toFixed(2)}${verdict} | ${cpu.toFixed(2)} | ${(saxCpu / cpu).toFixed(2)} |`);
        throughput.push({ format, size, case: name, bytes, best: b, peakMB: peak(runsOf), ratioToSax: sax / b.seconds, cpuRatioToSax: saxCpu / cpu });
      }
    }
  }
  report['throughput'] = throughput;

  // 3. A slow processor: throughput grows with concurrency.
  const waitPath = file('1.2', values['wait-size']);
  const wait = measure(`1.2 ${values['wait-size']} wait 20 ms`, waitPath, {
    1: ['wait', '--concurrency', '1', '--cache', 'off'],
    32: ['wait', '--concurrency', '32', '--cache', 'off'],
  });
  const rate = (s: Sample): number => s.calls! / s.seconds;
  const callRate = (s: Sample): number => s.calls! / s.callSeconds!;
  const base = best(wait['1']!);
  print(`\n### Processor waiting 20 ms per call, cache off, XLIFF 1.2 ${values['wait-size']} (goal: >= 25x at concurrency 32)\n`);
  print('Whole job (seconds from `processXliff` to `done`), and between the start of the first call and the end of the last.\n');
  print('| concurrency | units | processor calls | seconds | calls/s | speedup | calls window s | calls/s in window | speedup in window | goal |');
  print('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|');
  for (const [concurrency, samples] of Object.entries(wait)) {
    const b = best(samples);
    const speedup = rate(b) / rate(base);
    const inWindow = callRate(b) / callRate(base);
    const row = [concurrency, b.units, b.calls, b.seconds.toFixed(2), rate(b).toFixed(0), `${speedup.toFixed(1)}x`, b.callSeconds!.toFixed(2), callRate(b).toFixed(0), `${inWindow.toFixed(1)}x`];
    print(`| ${row.join(' | ')} | ${concurrency === '32' ? goal(speedup >= 25) : '-'} |`);
  }
  report['wait'] = wait;

  // 4. The cache: one processor call per distinct source (key: target language + source XML).
  print(`\n### Processor calls with and without the cache, ${values['cache-size']} files (~30% repeated sources; goal: calls == distinct sources with a cache that holds them all)\n`);
  print('Distinct sources: distinct default cache keys (target language + source XML) of the units the default filter passes (translate).\n');
  print('| format | cache | units | translatable | distinct sources | processor calls | cache hits | seconds | goal |');
  print('|---|---|---:|---:|---:|---:|---:|---:|---|');
  const cacheRows = [];
  for (const format of formats) {
    const samples = measure(`${format} ${values['cache-size']} cache`, file(format, values['cache-size']), {
      off: ['pseudo', '--cache', 'off', '--distinct'],
      'default (max 10000)': ['pseudo', '--distinct'],
      'max 1000000': ['pseudo', '--cache', '1000000', '--distinct'],
    }, 1);
    for (const [cache, runsOf] of Object.entries(samples)) {
      const b = best(runsOf);
      // An LRU smaller than the distinct sources forgets some before they come again: a re-call each, not a miss of the goal.
      const fits = cache === 'max 1000000' || (b.distinctSources ?? 0) <= 10_000;
      const extra = b.calls! - b.distinctSources!;
      const verdict = cache === 'off' ? '-' : fits ? `${goal(extra === 0)}${extra === 0 ? '' : ` (+${extra})`}` : `- (max 10000 < ${b.distinctSources} distinct: ${extra} re-calls after eviction)`;
      print(`| ${format} | ${cache} | ${b.units} | ${b.translatable} | ${b.distinctSources} | ${b.calls} | ${b.cacheHits} | ${b.seconds.toFixed(2)} | ${verdict} |`);
      cacheRows.push({ format, cache, best: b });
    }
  }
  report['cache'] = cacheRows;
}

console.log(lines.join('\n'));
if (values.json) writeFileSync(values.json, `${JSON.stringify({ ...report, startupMB }, null, 2)}\n`);
