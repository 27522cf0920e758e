/**
 * `npm run bench`: MiB/s and peak RSS on generated XLIFF 1.2 and 2.0 files of 10 MiB, 100 MiB
 * and 1 GiB, for this library (bare sax as the ceiling, `readUnits`, an identity and a pseudo
 * `processXliff` pass, `computeStats`) and, on the same files, its peers: Translate Toolkit's
 * `pocount` and `podebug` (Debian package translate-toolkit) and the npm `xliff` package.
 *
 * Every case runs in its own process, so that its peak RSS is its own, under `--timeout` and a
 * memory cap (`--mem-cap`: the address space of the Python tools, the V8 heap of the npm `xliff`
 * case); a case that runs out of time or memory, or a tool that is not installed, gets that in
 * its cell instead of failing the bench. Ratios are MiB/s relative to bare sax on the same file
 * in the same run (the machine is shared and noisy: compare ratios, not seconds).
 *
 * usage: npm run bench -- [--sizes 10M,100M,1G] [--formats 1.2,2.0] [--runs 1]
 *        [--timeout 600] [--mem-cap 8G] [--out bench/RESULTS.md] [--note TEXT] [--seed 42] [--gen PATH]
 * The npm script compiles src/ and bench/ (tsconfig.bench.json, into .bench-build/), then runs
 * `node .bench-build/bench/all.js`, whose children run the compiled library with plain node, as users
 * run it. `node --import tsx bench/all.ts` runs the sources instead, its children through tsx too.
 * Prints the markdown (the tables, then the machine and the notes) on stdout, progress on stderr;
 * `--out` writes the same to a file, and beside it the chart of the XLIFF 1.2 rows (bench/chart.ts),
 * drawn from that markdown: `--out bench/RESULTS.md` also writes bench/results.svg (`npm run bench:chart`
 * redraws it from the markdown alone). Files are generated once and cached in os.tmpdir()/xliff-stream-bench/.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { basename, dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { parseResults, renderChart } from './chart.js';
import { BENCH_DIR, DEFAULT_GEN, MiB, ROOT, RUNTIME, childArgs, ensureFile, findExecutable, mb, scriptCommand, spawnWithTimeout, type Exit, type Sample } from './lib.js';

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '10M,100M,1G' },
    formats: { type: 'string', default: '1.2,2.0' },
    runs: { type: 'string', default: '1' },
    timeout: { type: 'string', default: '600' },
    'mem-cap': { type: 'string', default: '8G' },
    out: { type: 'string' },
    note: { type: 'string' },
    seed: { type: 'string', default: '42' },
    gen: { type: 'string', default: DEFAULT_GEN },
  },
});

/** '8G' → bytes (K, M, G: powers of 1024). */
function parseBytes(text: string): number {
  const match = /^(\d+(?:\.\d+)?)([KMG]?)i?B?$/i.exec(text.trim());
  if (!match) throw new Error(`Expected a size like 512M or 8G, got ${text}`);
  const unit = { '': 1, K: 1024, M: MiB, G: 1024 * MiB }[match[2]!.toUpperCase() as '' | 'K' | 'M' | 'G'];
  return Math.round(Number(match[1]) * unit);
}

const sizes = values.sizes.toUpperCase().split(',').filter(Boolean);
const formats = values.formats.split(',').filter(Boolean);
for (const format of formats) if (format !== '1.2' && format !== '2.0') throw new Error(`Expected --formats of 1.2 and 2.0, got ${format}`);
const runs = Number(values.runs);
const timeoutSeconds = Number(values.timeout);
const timeoutMs = timeoutSeconds * 1000;
const memCapBytes = parseBytes(values['mem-cap']);
const heapMiB = Math.floor(memCapBytes / MiB);
const capLabel = memCapBytes >= 1024 * MiB ? `${+(memCapBytes / (1024 * MiB)).toFixed(1)} GiB` : `${Math.round(memCapBytes / MiB)} MiB`;
/** Seconds for a cell: one decimal under 10 s. */
const secs = (seconds: number): string => seconds.toFixed(seconds < 10 ? 1 : 0);
/** bench/rusage.py is not compiled: from .bench-build/bench/ it is the sources' copy. */
const RUSAGE = join(ROOT, 'bench', 'rusage.py');

/** One case on one file: a measurement, or why there is none (`failure`, the cell's text). */
interface Result {
  seconds?: number;
  /** CPU time (user + system), where the case measures it (bench/child). */
  cpuSeconds?: number;
  maxRssKiB?: number;
  units?: number;
  failure?: string;
  /** For the detailed table. */
  note?: string;
}

interface Case {
  /** The row's name in the tables, by format. */
  label(format: string): string;
  run(file: string, format: string): Promise<Result>;
}

const lastLine = (text: string): string | undefined =>
  text
    .trim()
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .pop();
const lastJson = <T>(text: string): T | undefined => {
  try {
    const line = lastLine(text);
    return line?.startsWith('{') ? (JSON.parse(line) as T) : undefined;
  } catch {
    return undefined;
  }
};

// ---- This library's cases, and the npm `xliff` package: bench/child in a child process (`childArgs`).

async function nodeCase(kind: string, file: string, extra: readonly string[] = [], heapCap = false): Promise<Result> {
  const flags = heapCap ? [`--max-old-space-size=${heapMiB}`] : [];
  const exit = await spawnWithTimeout(process.execPath, childArgs(kind, file, extra, flags), timeoutMs);
  if (exit.pid !== undefined) rmSync(join(BENCH_DIR, `out-${exit.pid}.xlf`), { force: true }); // a killed pass leaves its output
  if (exit.timedOut) return { failure: `timeout (${timeoutSeconds} s)` };
  if (/heap out of memory|Reached heap limit|Allocation failed/i.test(exit.stderr)) {
    return { failure: `out of memory (heap cap ${heapMiB} MiB) after ${secs(exit.wallSeconds)} s`, note: lastLine(exit.stderr.split('\n').find((line) => /FATAL ERROR/.test(line)) ?? '') };
  }
  const sample = lastJson<Sample>(exit.stdout);
  if (sample?.skipped) return { failure: `skipped: ${sample.skipped}` };
  if (sample?.error) return { failure: `${sample.error} after ${secs(sample.seconds)} s`, maxRssKiB: sample.maxRssKiB };
  if (!sample || exit.code !== 0) return { failure: `failed: ${lastLine(exit.stderr) ?? `exit ${exit.code ?? exit.signal}`}` };
  return { seconds: sample.seconds, cpuSeconds: sample.cpuSeconds, maxRssKiB: sample.maxRssKiB, units: kind === 'sax' ? undefined : sample.units };
}

// ---- Translate Toolkit: pocount and podebug, under bench/rusage.py (peak RSS, address-space cap).

const pocount = findExecutable('pocount');
const podebug = findExecutable('podebug');
/** The interpreter of a Python script (its #! line), for the wrapper and the version of lxml. */
function pythonOf(script: string | undefined): string | undefined {
  if (!script) return undefined;
  const shebang = /^#!\s*(\S+)/.exec(readFileSync(script, 'utf8').slice(0, 200))?.[1];
  return shebang && !shebang.endsWith('/env') ? findExecutable(shebang) : findExecutable('python3');
}
const python = pythonOf(pocount ?? podebug);

interface Usage {
  maxRssKiB: number;
  seconds: number;
  exitCode: number | null;
  signal: number | null;
}

/** Runs a command under bench/rusage.py: its exit, and its rusage if it got as far as exiting. */
async function external(command: readonly string[]): Promise<{ exit: Exit; usage: Usage | undefined }> {
  const report = join(BENCH_DIR, `rusage-${process.pid}.json`);
  rmSync(report, { force: true });
  const exit = await spawnWithTimeout(python!, [RUSAGE, report, String(memCapBytes), ...command], timeoutMs);
  const usage = existsSync(report) ? (JSON.parse(readFileSync(report, 'utf8')) as Usage) : undefined;
  rmSync(report, { force: true });
  return { exit, usage };
}

/** Why an external tool's run gives no measurement, or undefined when it gives one. */
function externalFailure({ exit, usage }: { exit: Exit; usage: Usage | undefined }): Result | undefined {
  const error = /Traceback/.test(exit.stderr) ? lastLine(exit.stderr) : exit.stderr.split('\n').find((line) => /ERROR|Error processing/.test(line))?.trim();
  if (exit.timedOut) return { failure: `timeout (${timeoutSeconds} s)` };
  // Under the address-space cap, libxml2's allocation failures reach lxml as MemoryError or as "unknown error"
  // (an uncapped run of the same file has none); a cap too low for the interpreter fails to map its libraries.
  if (/MemoryError|Memory allocation failed|Cannot allocate memory|failed to map segment|unknown error/.test(exit.stderr)) {
    return { failure: `out of memory (${capLabel} cap) after ${secs(usage?.seconds ?? exit.wallSeconds)} s`, maxRssKiB: usage?.maxRssKiB, note: error };
  }
  if (usage?.signal) return { failure: `killed by signal ${usage.signal}${usage.signal === 9 ? ' (out of memory?)' : ''}`, maxRssKiB: usage.maxRssKiB };
  if (!usage || usage.exitCode !== 0 || error) return { failure: `failed: ${error ?? lastLine(exit.stderr) ?? `exit ${usage?.exitCode}`}` };
  return undefined;
}

/** A one-unit XLIFF 1.2: each external tool's start-up (interpreter, imports) is measured on it and taken off its times. */
const TINY = join(BENCH_DIR, 'tiny-1.2.xlf');
const tinyXliff = `<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
  <file original="tiny" source-language="en" target-language="fr" datatype="plaintext"><body>
    <trans-unit id="1"><source>Hello world</source></trans-unit>
  </body></file>
</xliff>
`;
/** Start-up of each external tool: seconds and peak RSS on the one-unit file. */
const startup: Record<string, { seconds: number; maxRssKiB: number }> = {};
/** "tool format" → why the larger files of that format are skipped (the tool found no units in the first). */
const unsupported = new Map<string, string>();

const pocountArgs = (file: string): string[] => [pocount!, '--no-color', file];
const podebugArgs = (file: string, output: string): string[] => [podebug!, '--progress=none', '--errorlevel=message', '--rewrite=unicode', '-i', file, '-o', output];
const notFound = (tool: string): Result => ({ failure: `skipped: ${tool} not found (Debian package translate-toolkit)` });
const noPython: Result = { failure: 'skipped: no python3 to measure it with (bench/rusage.py)' };

async function runPocount(file: string, format: string): Promise<Result> {
  if (!pocount) return notFound('pocount');
  if (!python) return noPython;
  const known = unsupported.get(`pocount ${format}`);
  if (known) return { failure: known };
  const run = await external(pocountArgs(file));
  const failure = externalFailure(run);
  if (failure) return failure;
  const total = /^Total:\s+(\d+)/m.exec(run.exit.stdout);
  if (!total) return { failure: 'failed: no "Total:" line in its output' };
  const units = Number(total[1]);
  if (units === 0) {
    unsupported.set(`pocount ${format}`, `skipped: no XLIFF ${format} support (counted 0 units in the first XLIFF ${format} file)`);
    return { failure: `unsupported: counts 0 units in XLIFF ${format}` };
  }
  return { seconds: Math.max(run.usage!.seconds - (startup['pocount']?.seconds ?? 0), 1e-3), maxRssKiB: run.usage!.maxRssKiB, units };
}

async function runPodebug(file: string, format: string): Promise<Result> {
  if (!podebug) return notFound('podebug');
  if (!python) return noPython;
  const known = unsupported.get(`podebug ${format}`);
  if (known) return { failure: known };
  const output = join(BENCH_DIR, `podebug-${process.pid}.xlf`);
  rmSync(output, { force: true });
  try {
    const run = await external(podebugArgs(file, output));
    const failure = externalFailure(run);
    if (failure) return failure;
    if (!existsSync(output) || statSync(output).size === 0) {
      unsupported.set(`podebug ${format}`, `skipped: no XLIFF ${format} support (wrote nothing for the first XLIFF ${format} file)`);
      return { failure: `unsupported: writes nothing for XLIFF ${format}` };
    }
    return { seconds: Math.max(run.usage!.seconds - (startup['podebug']?.seconds ?? 0), 1e-3), maxRssKiB: run.usage!.maxRssKiB };
  } finally {
    rmSync(output, { force: true });
  }
}

const CASES: readonly Case[] = [
  { label: () => 'bare sax', run: (file) => nodeCase('sax', file) },
  { label: () => '`readUnits`', run: (file) => nodeCase('readUnits', file) },
  { label: () => 'identity pass (`processXliff`)', run: (file) => nodeCase('identity', file) },
  { label: () => 'pseudo pass (`processXliff`, concurrency 16)', run: (file) => nodeCase('pseudo', file, ['--concurrency', '16']) },
  { label: () => '`stats` (`computeStats`)', run: (file) => nodeCase('stats', file) },
  { label: () => 'Translate Toolkit `pocount`', run: runPocount },
  { label: () => 'Translate Toolkit `podebug --rewrite=unicode`', run: runPodebug },
  {
    label: (format) => `npm \`xliff\` \`${format === '1.2' ? 'xliff12ToJs' : 'xliff2js'}\``,
    run: (file, format) => nodeCase(format === '1.2' ? 'xliff12ToJs' : 'xliff2js', file, [], true),
  },
];

// ---- The run.

const loadAtStart = os.loadavg();
const startedAt = new Date();
mkdirSync(BENCH_DIR, { recursive: true });
const floor = await nodeCase('startup', '-');
if (python && (pocount || podebug)) {
  writeFileSync(TINY, tinyXliff);
  for (const [tool, args] of [
    ['pocount', pocount && pocountArgs(TINY)],
    ['podebug', podebug && podebugArgs(TINY, `${TINY}.out`)],
  ] as const) {
    if (!args) continue;
    const { usage } = await external(args);
    if (usage) startup[tool] = { seconds: usage.seconds, maxRssKiB: usage.maxRssKiB };
  }
  rmSync(`${TINY}.out`, { force: true });
}

interface FileInfo {
  format: string;
  size: string;
  bytes: number;
}
const files: FileInfo[] = [];
/** `${format} ${size}` → results by case index, one per run. */
const results = new Map<string, Result[][]>();
for (const size of sizes) {
  for (const format of formats) {
    const path = ensureFile(format, size, values.seed, values.gen);
    const bytes = statSync(path).size;
    files.push({ format, size, bytes });
    const perCase: Result[][] = CASES.map(() => []);
    results.set(`${format} ${size}`, perCase);
    for (let run = 1; run <= runs; run++) {
      for (const [index, testCase] of CASES.entries()) {
        const result = await testCase.run(path, format);
        perCase[index]!.push(result);
        const what = result.failure ?? `${(bytes / MiB / result.seconds!).toFixed(1)} MiB/s, ${result.seconds!.toFixed(2)} s, ${mb(result.maxRssKiB!).toFixed(0)} MB`;
        console.error(`${format} ${size} ${testCase.label(format)}${runs > 1 ? ` run ${run}/${runs}` : ''}: ${what}`);
      }
    }
  }
}
const loadAtEnd = os.loadavg();

/** The best of the runs: the fastest successful one, with the highest peak RSS of them; else the first failure. */
function bestOf(samples: readonly Result[]): Result {
  const ok = samples.filter((s) => s.failure === undefined);
  if (ok.length === 0) return samples[0]!;
  const fastest = ok.reduce((a, b) => (b.seconds! < a.seconds! ? b : a));
  const cpu = ok.flatMap((s) => (s.cpuSeconds === undefined ? [] : [s.cpuSeconds]));
  return { ...fastest, cpuSeconds: cpu.length > 0 ? Math.min(...cpu) : undefined, maxRssKiB: Math.max(...ok.map((s) => s.maxRssKiB!)) };
}
const resultOf = (file: FileInfo, index: number): Result => bestOf(results.get(`${file.format} ${file.size}`)![index]!);
const mibPerSecond = (file: FileInfo, result: Result): number => file.bytes / MiB / result.seconds!;
/** MiB/s relative to bare sax (case 0) on the same file in the same run. */
const ratio = (file: FileInfo, result: Result): string => {
  const sax = resultOf(file, 0);
  return sax.failure === undefined ? `${(sax.seconds! / result.seconds!).toFixed(2)}x` : '-';
};
/** The same by CPU time (the least of the runs), where both have it. */
const cpuRatio = (file: FileInfo, result: Result): string => {
  const sax = resultOf(file, 0);
  return sax.cpuSeconds !== undefined && result.cpuSeconds !== undefined ? `${(sax.cpuSeconds / result.cpuSeconds).toFixed(2)}x` : '-';
};
const sizeLabel = (size: string): string => size.replace(/([KMG])$/, ' $1iB');

// ---- The markdown.

const lines: string[] = [];
const print = (line = ''): number => lines.push(line);
const partial = sizes.join() !== '10M,100M,1G' || formats.join() !== '1.2,2.0';

print('# Benchmark results');
print();
if (values.note) print(`> ${values.note}`);
if (values.note && partial) print('>');
if (partial) print(`> Partial run: sizes ${sizes.join(', ')}, formats ${formats.join(', ')} (the full bench: \`npm run bench\`).`);
if (values.note || partial) print();
/** The command line, less the note (printed above it). */
const shown = process.argv
  .slice(2)
  .filter((arg, i, all) => !arg.startsWith('--note') && all[i - 1] !== '--note')
  .map((arg) => (/[\s'"]/.test(arg) ? `'${arg.replaceAll("'", "'\\''")}'` : arg));
print(`\`${[scriptCommand(), ...shown].join(' ')}\`, ${startedAt.toISOString()}; best of ${runs} run${runs > 1 ? 's' : ''}, every case in its own process (${RUNTIME}).`);
print();
print('Each cell: MiB/s, that as a ratio to bare sax on the same file in the same run, and the peak RSS of the process.');
print('Bare sax is the ceiling of any sax-based reader; ratios are what to compare (the machine is shared and noisy).');
for (const format of formats) {
  const ofFormat = files.filter((file) => file.format === format);
  print();
  print(`### XLIFF ${format}`);
  print();
  print(`| case | ${ofFormat.map((file) => sizeLabel(file.size)).join(' | ')} |`);
  print(`|---|${ofFormat.map(() => '---|').join('')}`);
  for (const [index, testCase] of CASES.entries()) {
    const cells = ofFormat.map((file) => {
      const result = resultOf(file, index);
      if (result.failure !== undefined) return result.failure;
      return `${mibPerSecond(file, result).toFixed(1)} MiB/s, ${ratio(file, result)}, ${mb(result.maxRssKiB!).toFixed(0)} MB`;
    });
    print(`| ${testCase.label(format)} | ${cells.join(' | ')} |`);
  }
}

print();
print('### Details');
print();
print('CPU s: user + system time of the process, the least of the runs; "vs sax by CPU time" compares those (steadier than the wall clock on a shared machine).');
print();
print('| format | file | case | seconds | MiB/s | vs sax | CPU s | vs sax by CPU time | peak RSS MB | units | note |');
print('|---|---|---|---:|---:|---:|---:|---:|---:|---:|---|');
for (const file of files) {
  for (const [index, testCase] of CASES.entries()) {
    const result = resultOf(file, index);
    const ok = result.failure === undefined;
    const note = [result.failure, result.note].filter(Boolean).join('; ').replaceAll('|', '\\|');
    const cells = [
      file.format,
      `${sizeLabel(file.size)} (${file.bytes} bytes)`,
      testCase.label(file.format),
      ok ? result.seconds!.toFixed(2) : '-',
      ok ? mibPerSecond(file, result).toFixed(1) : '-',
      ok ? ratio(file, result) : '-',
      ok && result.cpuSeconds !== undefined ? result.cpuSeconds.toFixed(2) : '-',
      ok ? cpuRatio(file, result) : '-',
      result.maxRssKiB === undefined ? '-' : mb(result.maxRssKiB).toFixed(0),
      result.units === undefined ? '-' : String(result.units),
      note,
    ];
    print(`| ${cells.join(' | ')} |`);
  }
}

// ---- The machine and the tools.

function run(command: string, args: readonly string[], options: { cwd?: string } = {}): string | undefined {
  try {
    return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 30_000, ...options }).trim();
  } catch {
    return undefined;
  }
}
const packageVersion = (name: string): string => {
  try {
    return (JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'not installed';
  }
};
const osRelease = /^PRETTY_NAME="?([^"\n]*)"?/m.exec(existsSync('/etc/os-release') ? readFileSync('/etc/os-release', 'utf8') : '')?.[1];
const ownVersion = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const commit = run('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT });
const dirty = run('git', ['status', '--porcelain'], { cwd: ROOT });
const translateToolkit = podebug ? (run(podebug, ['--version'])?.replace(/^podebug\s*/, '') ?? '?') : undefined;
const lxml = python && translateToolkit ? run(python, ['-c', 'import lxml.etree as e; print(e.__version__, "(libxml2 " + ".".join(map(str, e.LIBXML_VERSION)) + ")")']) : undefined;
const cpus = os.cpus();

print();
print('### Machine');
print();
print('| | |');
print('|---|---|');
print(`| CPU | ${cpus[0]?.model ?? '?'}, ${cpus.length} cores |`);
print(`| RAM | ${(os.totalmem() / (1024 * MiB)).toFixed(1)} GiB |`);
print(`| OS | ${osRelease ?? os.type()}, ${os.type()} ${os.release()} ${os.arch()} |`);
print(`| Node | ${process.version} |`);
print(`| date | ${startedAt.toISOString()} |`);
print(`| load average (1, 5, 15 min) | at start ${loadAtStart.map((n) => n.toFixed(2)).join(', ')}; at end ${loadAtEnd.map((n) => n.toFixed(2)).join(', ')} |`);
print(`| xliff-stream | ${ownVersion}${commit ? ` (${commit}${dirty ? ', with uncommitted changes' : ''})` : ''} |`);
print(`| sax | ${packageVersion('sax')} |`);
print(`| npm \`xliff\` | ${packageVersion('xliff')} (xml-js ${packageVersion('xml-js')}) |`);
print(`| Translate Toolkit | ${translateToolkit ? `${translateToolkit}${lxml ? `, lxml ${lxml}` : ''}, ${run(python!, ['--version']) ?? 'python ?'}` : 'not installed (Debian package translate-toolkit)'} |`);
print(`| limits | ${timeoutSeconds} s per case; memory cap ${capLabel} (address space of the Python tools, V8 heap of the npm \`xliff\` case) |`);

print();
print('### Notes');
print();
print('- **bare sax**: sax strict with positions and no-op handlers over the file read in 64 KiB pieces decoded as UTF-8.');
print('- **`readUnits`** touches every unit\'s source text; the **identity pass** is `processXliff` with a processor that');
print('  returns `undefined` (the output file is the input, byte for byte); the **pseudo pass** writes `[accented source]`');
print('  as every target (concurrency 16); **`stats`** is `computeStats` (words by `Intl.Segmenter`, characters, states, repeats).');
print('  The two passes write their output to a file (deleted after); times are taken inside the process, start-up excluded.');
print(`  Their peak RSS includes the ${mb(floor.maxRssKiB ?? 0).toFixed(0)} MB floor of such a process (${RUNTIME}, modules loaded, no input read).`);
print('- **`pocount`** (the counterpart of `stats`) and **`podebug --rewrite=unicode`** (of the pseudo pass, writing the');
print('  file back) load the whole document with lxml. `pocount` counts translatable units (not `translate="no"`) and');
print('  words by its own rules; `podebug` rewrites every target and re-serialises the document (not byte for byte).');
print('  Translate Toolkit reads XLIFF 1.x only. Their times are wall times minus their start-up on a one-unit file');
print(`  (${Object.entries(startup).map(([tool, s]) => `${tool} ${s.seconds.toFixed(2)} s, ${mb(s.maxRssKiB).toFixed(0)} MB`).join('; ') || 'not measured'}); peak RSS is the process's (rusage).`);
print('- **npm `xliff`** reads the file into one string and builds an object of the whole document (xml-js); no output.');
print('  V8 strings hold at most ~512 M characters, so a 1 GiB file fails (`ERR_STRING_TOO_LONG`). Its units are those');
print('  of the object (units whose id repeats within a file would collapse into one).');
print('- Units: what each case counted (bare sax and `podebug` count none); a case whose count differs from `readUnits`\'');
print('  counts other things (see above).');

const markdown = `${lines.join('\n')}\n`;
process.stdout.write(markdown);
if (values.out) {
  writeFileSync(values.out, markdown);
  console.error(`wrote ${values.out}`);
  // The chart, from the markdown just written (as `npm run bench:chart` draws it): RESULTS.md → results.svg.
  const parsed = parseResults(markdown);
  const svg = join(dirname(values.out), `${basename(values.out).replace(/\.[^.]*$/, '').toLowerCase()}.svg`);
  if (parsed.rows.some((row) => row.format === '1.2')) {
    writeFileSync(svg, renderChart(parsed, '1.2'));
    console.error(`wrote ${svg}`);
  } else {
    console.error(`no chart: it draws XLIFF 1.2, not in this run`);
  }
}
