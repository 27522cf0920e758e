import { readFileSync, statSync } from 'node:fs';
import type { RangeResult, RangeTask } from '../../src/threads/range-task.js';
import { createPool } from '../../src/threads/thread-pool.js';
import { SeamScanner } from '../../src/read/seam-scanner.js';
import type { ReadContext } from '../../src/read/read-context.js';
const file = '/tmp/xliff-stream-bench/xliff-1.2-100M-s42.xlf';
const size = statSync(file).size;
const MiB = 1024 * 1024;
const task: RangeTask = { kind: 'stats', xliff: true, path: file, fileName: file, start: 0, end: size, last: true, context: undefined, maxUnitBytes: 64 * MiB, maxDepth: 256 };
function planned(rangeBytes: number): RangeTask[] {
  const starts: { start: number; context: ReadContext | undefined }[] = [{ start: 0, context: undefined }];
  const scanner = new SeamScanner('utf-8', rangeBytes, (context) => starts.push({ start: context.offset, context }), 0, undefined);
  scanner.write(readFileSync(file));
  return starts.map(({ start, context }, i) => ({ ...task, start, context, end: starts[i + 1]?.start ?? size, last: i === starts.length - 1 }));
}
const small = process.argv[2] === 'big' ? false : true;
const pool = createPool(1, small);
const sets: Record<string, RangeTask[]> = { whole: [task], r4: planned(4 * MiB), r16: planned(16 * MiB) };
for (let round = 0; round < 3; round++) {
  for (const [name, ranges] of Object.entries(sets)) {
    const t = performance.now();
    let cpu = 0;
    const per: number[] = [];
    for (const r of ranges) { const res = (await pool.run(r)) as RangeResult; cpu += res.cpuMicros; per.push(Math.round(res.cpuMicros / 1000)); }
    console.log(round, name, ranges.length, 'wall', ((performance.now() - t) / 1000).toFixed(2), 'taskcpu', (cpu / 1e6).toFixed(2), name === 'r4' ? per.join(',') : '');
  }
}
await pool.destroy();
