/**
 * One bench case in its own process, so that peak RSS is the case's own.
 * usage: node .bench-build/bench/child.js KIND FILE [--concurrency N] [--cache off|default|N] [--cache-disk DIR] [--wait-ms N] [--threads N|auto] [--range-bytes N]
 *        (compiled with src/ by `tsc -p tsconfig.bench.json`, as the bench runs it: the library's JavaScript, plain node)
 *        node --import tsx bench/child.ts KIND FILE [...]   (the sources, through tsx's loader)
 *   sax        bare sax over the file
 *   scan       the seam scanner alone over the file (the main thread's serial part with threads: a seam every 4 MiB)
 *   readUnits  `readUnits`, touching every unit's source text (`--threads`: the units read on worker threads)
 *   validate   `validate` over the file (`--threads` as readUnits)
 *   identity   `processXliff` whose processor returns undefined, output to a temporary file
 *   pseudo     `processXliff` writing '[' + accented source text + ']' as every target, per segment in units of several (sync)
 *   wait       `processXliff` whose processor waits --wait-ms per call, then returns undefined
 *   stats      `computeStats` (src/stats.ts; prints { skipped } when that module is not there; `--threads` as readUnits)
 *   xliff12ToJs / xliff2js  the npm `xliff` package: the whole file read as one string, then parsed
 *              (prints { error } for ERR_STRING_TOO_LONG and the like; run it with a heap limit)
 *   startup    only loads the modules: the RSS floor of such a process (tsx's loader included when run through it)
 * `--distinct` first counts (untimed) the distinct cache keys (target language + source XML)
 * of the units that pass the default filter.
 * Prints one JSON line: { seconds, units, chars, maxRssKiB[, calls, callSeconds, unitsProcessed, cacheHits, cacheMisses, distinctSources, translatable] }.
 */
import { createReadStream, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';
import { processXliff, readUnits, validate, type ProcessOptions, type Unit, type UnitProcessor } from '../src/index.js';
import { threadCpuMicros } from '../src/io/thread-cpu.js';
import { readReusing } from '../src/io/byte-range.js';
import { SeamScanner } from '../src/read/seam-scanner.js';
import { threadedBatches } from '../src/threads/threaded-read.js';
import type { XliffJs, XliffJsUnit } from 'xliff';
import { BENCH_DIR, type Sample } from './lib.js';
import { process as pseudoModule } from './pseudo-module.js';

// With require, as the library loads it: an ESM import of CommonJS costs the process ~6 MB (src/cjs.ts).
const sax = createRequire(import.meta.url)('sax') as typeof import('sax');

const KINDS = ['sax', 'scan', 'readUnits', 'validate', 'identity', 'pseudo', 'wait', 'stats', 'xliff12ToJs', 'xliff2js', 'startup'] as const;
type Kind = (typeof KINDS)[number];
const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    concurrency: { type: 'string' },
    cache: { type: 'string', default: 'default' },
    'wait-ms': { type: 'string', default: '20' },
    distinct: { type: 'boolean', default: false },
    threads: { type: 'string' },
    'cache-disk': { type: 'string' },
    'range-bytes': { type: 'string' },
  },
});
const [kind, file] = positionals as [Kind, string | undefined];
/** `--threads`: worker threads for readUnits, stats, validate, identity and pseudo (omitted: the library's default, one). */
const threads = values.threads === undefined ? undefined : values.threads === 'auto' ? 'auto' : Number(values.threads);
/** `--range-bytes`: the threads' `threadRangeBytes` (omitted: the library's default). */
const threadRangeBytes = values['range-bytes'] === undefined ? undefined : Number(values['range-bytes']);
if (!file || !KINDS.includes(kind)) throw new Error(`usage: child.ts ${KINDS.join('|')} FILE [options]`);

/** Bare sax: 64 KiB reads decoded as UTF-8, strict with positions, no-op handlers. */
async function bareSax(path: string): Promise<Partial<Sample>> {
  const parser = sax.parser(true, { position: true });
  parser.onopentag = () => {};
  parser.onclosetag = () => {};
  parser.ontext = () => {};
  parser.onerror = (error) => {
    throw error;
  };
  const stream = createReadStream(path, { highWaterMark: 64 * 1024 });
  stream.setEncoding('utf8');
  for await (const text of stream) parser.write(text as string);
  parser.close();
  return { units: 0, chars: 0 };
}

/** The seam scanner over the file read into one buffer again and again (UTF-8), as the threaded read runs it; `units`: the seams. */
async function scan(path: string): Promise<Partial<Sample>> {
  let seams = 0;
  const scanner = new SeamScanner('utf-8', 4 * 1024 * 1024, () => seams++);
  for await (const piece of readReusing(path, 0, path)) scanner.write(piece);
  return { units: seams, chars: 0 };
}

/** `readUnits`, touching every unit's source text so that nothing is optimised away. */
async function units(path: string): Promise<Partial<Sample>> {
  let count = 0;
  let chars = 0;
  const touch = (unit: Unit): void => {
    count++;
    chars += unit.source.text.length;
  };
  if (threads === undefined) for await (const unit of readUnits(path)) touch(unit);
  else {
    // The library's threaded path giving units, which readUnits does not take (bench/threads.ts shows why).
    const options = { kind: 'units', xliff: true, signal: undefined, fileName: undefined, maxUnitBytes: 64 * 1024 * 1024, maxDepth: 256, threads, rangeBytes: 4 * 1024 * 1024 } as const;
    for await (const batch of threadedBatches<Unit>(path, options, () => { throw new Error('read on one thread'); })) for (const unit of batch) touch(unit);
  }
  return { units: count, chars };
}

/** The processor of each kind, counting its calls. */
let calls = 0;
/** When the first processor call started and the last one ended (hrtime ns). */
let firstCall = 0n;
let lastCall = 0n;
const processors: Partial<Record<Kind, UnitProcessor>> = {
  identity: () => void calls++,
  pseudo: (unit) => (calls++, pseudoModule(unit)),
  wait: async (_unit, { signal }) => {
    if (calls++ === 0) firstCall = process.hrtime.bigint();
    await sleep(Number(values['wait-ms']), undefined, { signal });
    lastCall = process.hrtime.bigint();
    return undefined;
  },
};

/** `processXliff` with `--concurrency` and `--cache`, output to a temporary file deleted after. */
async function processFile(path: string, process: UnitProcessor): Promise<Partial<Sample>> {
  const output = join(BENCH_DIR, `out-${globalThis.process.pid}.xlf`);
  const memory = values.cache === 'default' ? {} : { max: Number(values.cache) };
  // `--cache-disk DIR`: the disk level behind memory (bench/cache.ts).
  const cache = values.cache === 'off' ? false : values['cache-disk'] ? { ...memory, disk: values['cache-disk'] } : values.cache === 'default' ? undefined : memory;
  // On threads, the processor as a module (the same function): identity needs none.
  const processor: ProcessOptions =
    threads === undefined ? { process } : { threads, threadRangeBytes, ...(kind === 'pseudo' ? { processModule: new URL('./pseudo-module.js', import.meta.url) } : kind === 'identity' ? {} : { process }) };
  const options: ProcessOptions = { output, ...processor, cache, ...(values.concurrency && { concurrency: Number(values.concurrency) }) };
  try {
    const summary = await processXliff(path, options).done;
    const callSeconds = lastCall > 0n ? Number(lastCall - firstCall) / 1e9 : undefined;
    return { units: summary.units, chars: summary.bytesWritten, calls, callSeconds, unitsProcessed: summary.unitsProcessed, cacheHits: summary.cacheHits, cacheMisses: summary.cacheMisses };
  } finally {
    await rm(output, { force: true });
  }
}

/** Distinct cache keys (as processXliff's default `cacheKey`) of the units the default filter passes. */
async function distinct(path: string): Promise<Partial<Sample>> {
  const keys = new Set<string>();
  let translatable = 0;
  const keyOf = (unit: Unit): string => `${unit.file.targetLanguage ?? ''}\u0000${unit.source.xml}`;
  for await (const unit of readUnits(path)) {
    if (!unit.translate) continue;
    translatable++;
    keys.add(keyOf(unit));
  }
  return { distinctSources: keys.size, translatable };
}

/** What this bench uses of src/stats.ts, imported by URL (../src/stats.js: the compiled module, or the source through tsx) so that the bench compiles and runs without it. */
interface StatsModule {
  computeStats(input: string, options?: { threads?: number | 'auto'; threadRangeBytes?: number | undefined }): Promise<{ units: number; words: number }>;
}

/** undefined for a module that is not there; any other error is rethrown. */
function notFound(error: unknown): undefined {
  if ((error as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND') return undefined;
  throw error;
}

/** src/stats.ts, or undefined when it is not there (yet). */
const loadStats = (): Promise<StatsModule | undefined> => import(new URL('../src/stats.js', import.meta.url).href).then((module) => module as StatsModule, notFound);

/** `computeStats` over the file: one pass of `readUnits` counting words, characters, states, repeats. */
async function stats(module: StatsModule, path: string): Promise<Partial<Sample>> {
  const result = await module.computeStats(path, { threads, threadRangeBytes });
  return { units: result.units, chars: 0, words: result.words };
}

/** Trans-units / units in the npm `xliff` package's object: groups hold theirs in `groupUnits`. */
function countJsUnits(units: Readonly<Record<string, XliffJsUnit>>): number {
  let count = 0;
  for (const unit of Object.values(units)) count += unit.groupUnits ? countJsUnits(unit.groupUnits) : 1;
  return count;
}

/** The npm `xliff` package: reads the whole file as one string, then builds its object (xml-js). */
async function xliffPackage(path: string, parse: (xliff: string) => Promise<XliffJs>): Promise<Partial<Sample>> {
  try {
    const text = readFileSync(path, 'utf8');
    const js = await parse(text);
    let count = 0;
    for (const file of Object.values(js.resources)) count += countJsUnits(file);
    return { units: count, chars: text.length };
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    return { error: code ?? message.split('\n')[0]! };
  }
}

/** Modules some kinds need, loaded before the clock starts (as the static imports are). */
const statsModule = kind === 'stats' ? await loadStats() : undefined;
const xliffModule = kind === 'xliff12ToJs' || kind === 'xliff2js' ? await import('xliff').catch(notFound) : undefined;

async function run(path: string): Promise<Partial<Sample>> {
  const processor = processors[kind];
  if (processor) return processFile(path, processor);
  switch (kind) {
    case 'sax':
      return bareSax(path);
    case 'scan':
      return scan(path);
    case 'readUnits':
      return units(path);
    case 'validate': {
      const result = await validate(path, { threads, threadRangeBytes });
      return { units: result.units, chars: 0 };
    }
    case 'stats':
      return statsModule ? stats(statsModule, path) : { skipped: 'src/stats.ts (computeStats) not found' };
    case 'xliff12ToJs':
    case 'xliff2js':
      if (!xliffModule) return { skipped: 'the npm package `xliff` is not installed (a devDependency: npm install)' };
      return xliffPackage(path, kind === 'xliff2js' ? xliffModule.xliff2js : xliffModule.xliff12ToJs);
    default:
      return { units: 0, chars: 0 };
  }
}

const extra = values.distinct ? await distinct(file) : {};
const start = process.hrtime.bigint();
const startCpu = process.cpuUsage();
const startMainCpu = threadCpuMicros();
const result = await run(file);
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
const cpu = process.cpuUsage(startCpu);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
const mainCpuSeconds = (threadCpuMicros() - startMainCpu) / 1e6;
if (result.error !== undefined) process.exitCode = 1;
process.stdout.write(`${JSON.stringify({ seconds, cpuSeconds, mainCpuSeconds, ...result, ...extra, maxRssKiB: process.resourceUsage().maxRSS })}\n`);
