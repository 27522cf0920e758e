// A job with a checkpoint, run as a child process by test/checkpoint.test.ts, which kills it
// with SIGKILL at chosen moments. Prints the index of each unit given to the processor, one
// per line, as the call starts (pipes are written synchronously on Linux, so a line printed
// is a line the parent gets, whatever the moment of the kill).
// usage: checkpoint-child.ts <input> <output>
import { processXliff } from '../../src/index.js';
import { pseudoTarget } from './checkpoint-processor.js';

const [input, output] = process.argv.slice(2);
if (!input || !output) throw new Error('usage: checkpoint-child.ts <input> <output>');

const job = processXliff(input, {
  output,
  checkpoint: { syncIntervalMs: 50 },
  cache: false,
  chunkUnits: 50,
  concurrency: 4,
  process: async (unit) => {
    process.stdout.write(`${unit.index}\n`);
    await new Promise((resolve) => setImmediate(resolve));
    return pseudoTarget(unit);
  },
});
const summary = await job.done;
process.stdout.write(`done ${JSON.stringify({ units: summary.units, replayed: summary.unitsReplayed, processed: summary.unitsProcessed })}\n`);
