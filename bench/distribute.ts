/**
 * Beyond one machine, on this one: the pseudo pass with its processor in a module, on one
 * thread (`processXliff`) against `distributeXliff` with 2 worker processes (`xliff-stream
 * worker`) on a real redis-server; and `splitXliff` / `joinXliff` over the same file. Each
 * case in its own process (its peak RSS its own); runs alternated, medians. CPU time: the
 * coordinator's own, and the workers' (from /proc), per MiB of input; from them the speedup
 * of N workers is projected (labelled so: this machine has 2 cores).
 * usage: npm run bench:distribute -- [--size 100M] [--runs 3] [--workers 2]
 *        node .bench-build/bench/distribute.js --case one|distribute|split|join FILE [...]  (one case)
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { distributeXliff, joinXliff, processXliff, splitXliff } from '../src/index.js';
import { BENCH_DIR, COMPILED, MiB, ROOT, ensureFile, median } from './lib.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    case: { type: 'string' },
    size: { type: 'string', default: '100M' },
    runs: { type: 'string', default: '3' },
    workers: { type: 'string', default: '2' },
    redis: { type: 'string' },
  },
});
const MODULE = new URL(COMPILED ? './pseudo-module.js' : './pseudo-module.ts', import.meta.url);
const CLI = join(import.meta.dirname, '..', 'src', 'cli', COMPILED ? 'main.js' : 'main.ts');
const RANGE_BYTES = 4 * MiB;

interface Result {
  seconds: number;
  cpuSeconds: number;
  maxRssKiB: number;
  /** The workers' CPU time (distribute). */
  workerCpuSeconds?: number;
}

/** One case, in this process. */
async function runCase(kind: string, file: string): Promise<void> {
  const out = join(BENCH_DIR, `distribute-${kind}-${process.pid}`);
  mkdirSync(out, { recursive: true });
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  try {
    if (kind === 'one') await processXliff(file, { output: join(out, 'o.xlf'), processModule: MODULE, cache: false }).done;
    else if (kind === 'distribute') await distributeXliff(file, { output: join(out, 'o.xlf'), processModule: MODULE, cache: false, threadRangeBytes: RANGE_BYTES, queue: { connection: values.redis!, name: 'bench' } }).done;
    else if (kind === 'split') await splitXliff(file, { outDir: join(out, 'parts'), parts: 8 });
    else if (kind === 'join') {
      const parts = join(BENCH_DIR, 'distribute-parts');
      const made = await splitXliff(file, { outDir: parts, parts: 8 });
      const t1 = performance.now();
      const c1 = process.cpuUsage();
      await joinXliff(file, made.parts, { output: join(out, 'j.xlf') });
      const cpu = process.cpuUsage(c1);
      print({ seconds: (performance.now() - t1) / 1000, cpuSeconds: (cpu.user + cpu.system) / 1e6, maxRssKiB: process.resourceUsage().maxRSS });
      return;
    } else throw new Error(`unknown case ${kind}`);
    const cpu = process.cpuUsage(cpu0);
    print({ seconds: (performance.now() - t0) / 1000, cpuSeconds: (cpu.user + cpu.system) / 1e6, maxRssKiB: process.resourceUsage().maxRSS });
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

function print(result: Result): void {
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

/** utime + stime of a process, in seconds (Linux /proc). */
function processCpu(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  return port;
}

function runChildCase(kind: string, file: string, redis?: string): Result {
  const script = join(import.meta.dirname, COMPILED ? 'distribute.js' : 'distribute.ts');
  const args = [...(COMPILED ? [] : ['--import', 'tsx']), script, '--case', kind, file, ...(redis ? ['--redis', redis] : [])];
  return JSON.parse(execFileSync(process.execPath, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] })) as Result;
}

async function main(): Promise<void> {
  const file = ensureFile('1.2', values.size, '1');
  const size = statSync(file).size / MiB;
  const runs = Number(values.runs);
  const workerCount = Number(values.workers);
  const port = await freePort();
  const redisServer = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  await new Promise((resolve) => setTimeout(resolve, 500));
  const url = `redis://127.0.0.1:${port}`;
  const workers: ChildProcess[] = [];
  for (let i = 0; i < workerCount; i++) {
    const child = spawn(process.execPath, [...(COMPILED ? [] : ['--import', 'tsx']), CLI, 'worker', '--redis', url, '--queue', 'bench', '--quiet'], { cwd: ROOT, stdio: 'ignore' });
    workers.push(child);
  }
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const samples: Record<string, Result[]> = { one: [], distribute: [], split: [], join: [] };
  try {
    for (let run = 0; run < runs; run++) {
      for (const kind of ['one', 'distribute', 'split', 'join'] as const) {
        const before = workers.map((w) => processCpu(w.pid!));
        const result = runChildCase(kind, file, kind === 'distribute' ? url : undefined);
        if (kind === 'distribute') result.workerCpuSeconds = workers.reduce((sum, w, i) => sum + processCpu(w.pid!) - before[i]!, 0);
        samples[kind]!.push(result);
        console.error(`run ${run + 1} ${kind}: ${result.seconds.toFixed(2)} s wall, ${result.cpuSeconds.toFixed(2)} s CPU${result.workerCpuSeconds === undefined ? '' : ` (+ workers ${result.workerCpuSeconds.toFixed(2)} s)`}, ${(result.maxRssKiB / 1024).toFixed(0)} MiB RSS`);
      }
    }
  } finally {
    for (const w of workers) w.kill('SIGTERM');
    await Promise.all(workers.filter((w) => w.exitCode === null).map((w) => once(w, 'exit')));
    redisServer.kill();
    rmSync(join(BENCH_DIR, 'distribute-parts'), { recursive: true, force: true });
  }
  const m = (kind: string, pick: (r: Result) => number): number => median(samples[kind]!.map(pick));
  const one = m('one', (r) => r.seconds);
  const dist = m('distribute', (r) => r.seconds);
  const coordinator = m('distribute', (r) => r.cpuSeconds);
  const work = m('distribute', (r) => r.workerCpuSeconds!);
  console.log(`\nXLIFF 1.2, ${size.toFixed(0)} MiB (${basenameOf(file)}), ${runs} runs alternated, medians; ${workerCount} worker processes on this machine's ${availableCores()} cores\n`);
  console.log('| case | wall s | CPU s | peak RSS MiB |');
  console.log('| --- | --- | --- | --- |');
  for (const kind of ['one', 'distribute', 'split', 'join']) {
    const extra = kind === 'distribute' ? ` (coordinator) + ${work.toFixed(2)} (workers)` : '';
    console.log(`| ${label(kind)} | ${m(kind, (r) => r.seconds).toFixed(2)} | ${m(kind, (r) => r.cpuSeconds).toFixed(2)}${extra} | ${(m(kind, (r) => r.maxRssKiB) / 1024).toFixed(0)} |`);
  }
  console.log(`\ndistribute on ${workerCount} workers / one thread: ${(one / dist).toFixed(2)}x faster (wall)`);
  console.log(`CPU per MiB: coordinator ${((coordinator / size) * 1000).toFixed(1)} ms, workers ${((work / size) * 1000).toFixed(1)} ms (the coordinator's share ${((100 * coordinator) / (coordinator + work)).toFixed(1)}%)`);
  for (const n of [4, 8, 16, 32]) console.log(`projected (not measured) at ${n} workers: ${(one / Math.max(coordinator, work / n)).toFixed(1)}x one thread (bound by max(coordinator CPU, workers' CPU / ${n}))`);
}

const label = (kind: string): string => ({ one: 'pseudo, one thread (processXliff, module)', distribute: 'pseudo, distributeXliff', split: 'splitXliff, 8 parts', join: 'joinXliff, 8 parts' })[kind]!;
const basenameOf = (path: string): string => path.slice(path.lastIndexOf('/') + 1);
const availableCores = (): number => readdirSync('/sys/devices/system/cpu').filter((name) => /^cpu\d+$/.test(name)).length;

if (values.case) await runCase(values.case, positionals[0]!);
else await main();
