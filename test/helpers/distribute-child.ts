/**
 * A coordinator in a process of its own, for the tests that kill it: runs
 * `distributeXliff(input, JSON options)` and prints `progress <units done>` lines, then
 * `done <summary JSON>` (exit 0) or `error <code> <message>` (exit 1).
 */
import { distributeXliff, type DistributeOptions } from '../../src/index.js';

const [input, optionsJson] = process.argv.slice(2);
const options = JSON.parse(optionsJson!) as DistributeOptions;
const job = distributeXliff(input!, { ...options, progressIntervalMs: 50 });
job.on('progress', (progress) => process.stdout.write(`progress ${progress.unitsDone}\n`));
try {
  const summary = await job.done;
  process.stdout.write(`done ${JSON.stringify(summary)}\n`);
} catch (error) {
  process.stdout.write(`error ${(error as { code?: string }).code} ${(error as Error).message}\n`);
  process.exitCode = 1;
}
