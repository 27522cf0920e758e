// A job with a checkpoint, run as a child process by test/checkpoint.test.ts, which kills it
// with SIGKILL at chosen moments. Prints the index of each unit given to the processor, one
// per line, as the call starts (pipes are written synchronously on Linux, so a line printed
// is a line the parent gets, whatever the moment of the kill).
// With <threads>, the job runs on that many worker threads, the processor as a module
// (test/helpers/checkpoint-module.ts, whose lines come from the workers).
// usage: checkpoint-child.ts <input> <output> [threads]
import { processXliff, type ProcessOptions } from '../../src/index.js';
import { pseudoTarget } from './checkpoint-processor.js';

const [input, output, threads] = process.argv.slice(2);
if (!input || !output) throw new Error('usage: checkpoint-child.ts <input> <output> [threads]');

const processor: ProcessOptions = threads
  ? { processModule: new URL('./checkpoint-module.ts', import.meta.url), processModuleData: { lines: true }, threads: Number(threads), threadRangeBytes: 256 * 1024 }
  : {
      process: async (unit) => {
        process.stdout.write(`${unit.index}\n`);
        await new Promise((resolve) => setImmediate(resolve));
        return pseudoTarget(unit);
      },
    };
const job = processXliff(input, { output, checkpoint: { syncIntervalMs: 50 }, cache: false, chunkUnits: 50, concurrency: 4, ...processor });
const summary = await job.done;
process.stdout.write(`done ${JSON.stringify({ units: summary.units, replayed: summary.unitsReplayed, processed: summary.unitsProcessed })}\n`);
