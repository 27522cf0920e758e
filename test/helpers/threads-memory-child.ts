// A job on worker threads in a child process of its own (node --expose-gc), by
// test/threads/process.test.ts: the identity pass over <file> on 2 threads in small ranges,
// the memory outside the heap (`external`: the outputs' buffers) measured after a full GC at
// every 10th chunk done. What the calling thread keeps of the ranges' outputs (moved to it
// from the workers) once written must be collectable.
// usage: threads-memory-child.ts <file> <output> <threadRangeBytes>
// Prints one JSON line: { units, samples, maxExternalMiB, lastExternalMiB }.
import { processXliff } from '../../src/index.js';

const [file, output, rangeBytes] = process.argv.slice(2);
if (!file || !output || !rangeBytes) throw new Error('usage: threads-memory-child.ts <file> <output> <threadRangeBytes>');
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');

const samples: number[] = [];
const job = processXliff(file, { output, threads: 2, threadRangeBytes: Number(rangeBytes) });
let seen = 0;
job.on('chunk', (event) => {
  if (event.state !== 'done' || ++seen % 10 !== 0) return;
  gc();
  samples.push(process.memoryUsage().external);
});
const summary = await job.done;
const mib = (bytes: number): number => Math.round((bytes / 2 ** 20) * 10) / 10;
process.stdout.write(`${JSON.stringify({ units: summary.units, samples: samples.length, maxExternalMiB: mib(Math.max(...samples)), lastExternalMiB: mib(samples.at(-1) ?? 0) })}\n`);
