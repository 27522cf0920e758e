// Shows a processXliff job's progress: percent, units per second, ETA (`progress` events), the
// chunks that are retried (`chunk` events), then the summary. The processor stands for a slow service.
// Run: node --import tsx examples/progress.ts file.xlf
// (In your project: import { processXliff } from 'xliff-stream'.)
import { setTimeout as sleep } from 'node:timers/promises';
import { processXliff } from 'xliff-stream';

const file = process.argv[2];
if (!file) throw new Error('usage: progress.ts <file.xlf>');

const job = processXliff(file, {
  concurrency: 8,
  chunkUnits: 50,
  progressIntervalMs: 100,
  retry: { retries: 2, minDelayMs: 50 },
  process: async (unit, { signal, attempt }) => {
    await sleep(3, undefined, { signal }); // a call to a slow service
    if (unit.index === 100 && attempt === 1) throw new Error('the service hiccuped'); // retried
    return undefined; // no output here: the units stay as they are
  },
});

// `percent` and `etaMs` count the units written (reading runs ahead of them by up to `highWaterMark` chunks).
job.on('progress', (p) => {
  const eta = p.etaMs === undefined ? '?' : `${(p.etaMs / 1000).toFixed(1)} s`;
  console.log(`${p.percent?.toFixed(1) ?? '?'}%  ${p.unitsDone}/${p.unitsRead} units  ${p.unitsPerSecond.toFixed(0)} units/s  ETA ${eta}  ${p.chunksInFlight} chunks in flight`);
});
job.on('chunk', (c) => {
  if (c.state === 'retrying' || c.state === 'failed') console.log(`chunk ${c.index} (${c.units} units): ${c.state}, attempt ${c.attempt}`);
});

const s = await job.done;
console.log(
  `done: ${s.units} units in ${(s.elapsedMs / 1000).toFixed(1)} s: ${s.unitsProcessed} processed, ${s.unitsCached} from the cache, ` +
    `${s.unitsSkipped} not translatable, ${s.unitsFailed} failed; retries: ${s.retries}, chunks: ${s.chunks}`,
);
