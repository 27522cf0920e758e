import { statSync } from 'node:fs';
import { computeStats } from '../../src/index.js';
const file = process.argv[2] ?? '/tmp/xliff-stream-bench/xliff-1.2-100M-s42.xlf';
const size = statSync(file).size;
const MiB = 1024 * 1024;
const variants: Record<string, number | undefined> = { one: undefined, r4: 4 * MiB, half: Math.ceil(size / 2), quarter: Math.ceil(size / 4), eighth: Math.ceil(size / 8), sixteenth: Math.ceil(size / 16) };
const res: Record<string, number[]> = {};
const cpu: Record<string, number[]> = {};
const runs = Number(process.argv[3] ?? 5);
for (let r = 0; r < runs; r++) {
  const names = r % 2 ? Object.keys(variants).reverse() : Object.keys(variants);
  for (const name of names) {
    const t = performance.now(); const c = process.cpuUsage();
    const rb = variants[name];
    await computeStats(file, rb === undefined ? {} : { threads: 2, threadRangeBytes: rb });
    const u = process.cpuUsage(c);
    (res[name] ??= []).push((performance.now() - t) / 1000);
    (cpu[name] ??= []).push((u.user + u.system) / 1e6);
  }
  console.error('run', r);
}
const med = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)]!;
for (const name of Object.keys(variants)) console.log(name, 'wall', med(res[name]!).toFixed(2), 'cpu', med(cpu[name]!).toFixed(2), 'speedup', (med(res.one!) / med(res[name]!)).toFixed(2), res[name]!.map((x) => x.toFixed(1)).join(' '));
