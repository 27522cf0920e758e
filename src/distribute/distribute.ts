/**
 * `distributeXliff`: a job whose ranges run on other machines. This process (the
 * coordinator) cuts the input at chunk boundaries into byte ranges, as a job on worker
 * threads does, and puts each range's task on a BullMQ queue; any number of workers
 * (`startXliffWorker`, `xliff-stream worker`) run them with the processor module and read
 * the range from the input's path, which they must see too. The coordinator checks every
 * seam and writes the ranges' outputs in document order: what one machine would write.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { XliffJob } from '../job/job.js';
import { type ProcessOptions, type SegmentProcessOptions } from '../options.js';
import { threadChecks } from '../normalize-options.js';
import { describe } from '../errors.js';
import { normalizeQueue, type QueueOptions } from './queue-options.js';

export type DistributeOptions = (ProcessOptions | SegmentProcessOptions) & {
  /** The queue the workers take the ranges from. */
  readonly queue: QueueOptions;
};

export function distributeXliff(input: string | URL, options: DistributeOptions): XliffJob {
  // The workers read the file by its path: a path, made absolute (they may run elsewhere).
  const path = input instanceof URL && input.protocol === 'file:' ? fileURLToPath(input) : input;
  if (typeof path !== 'string' || path === '') throw new TypeError(`Expected \`input\` to be a file path the workers can read too, got ${describe(input)}`);
  if (options === null || typeof options !== 'object') throw new TypeError(`Expected \`options\` to be an object, got ${describe(options)}`);
  const { queue, ...rest } = options;
  const resolvedQueue = normalizeQueue(queue);
  if (rest.threads !== undefined) throw new TypeError('Expected no `threads` with `distributeXliff`: the workers of the queue run the ranges (each worker process its own)');
  threadChecks(rest, 'queue');
  if (rest.processModule === undefined) throw new TypeError('Expected `processModule` with `distributeXliff`: the workers import the processor from it');
  return new XliffJob(resolve(path), rest, undefined, resolvedQueue);
}
