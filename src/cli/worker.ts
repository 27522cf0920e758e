/**
 * `xliff-stream worker --redis URL --queue NAME`: runs range jobs of a `distributeXliff`
 * queue until interrupted (Ctrl-C, SIGTERM): the jobs under way are finished first. Each
 * range is a line on stderr.
 */
import { once } from 'node:events';
import { startXliffWorker } from '../distribute/worker.js';
import type { CommonOptions } from './args.js';
import type { CliContext } from './context.js';

export interface WorkerCommand extends CommonOptions {
  readonly redis: string;
  readonly queue: string;
  readonly workerName: string | undefined;
  readonly lockDurationMs: number | undefined;
}

export async function workerCommand(command: WorkerCommand, context: CliContext): Promise<number> {
  const { stderr, signal } = context;
  const worker = await startXliffWorker({
    connection: command.redis,
    name: command.queue,
    workerName: command.workerName,
    concurrency: command.concurrency,
    lockDurationMs: command.lockDurationMs,
  });
  const say = (line: string): void => void (command.quiet || stderr.write(`worker ${worker.name}: ${line}\n`));
  say(`waiting for range jobs on ${command.queue} at ${command.redis}`);
  worker.on('start', (range) => say(`range ${range.start}-${range.end} of ${range.path} started`));
  worker.on('range', (range) => say(`range ${range.start}-${range.end} of ${range.path}: ${range.units} units in ${(range.elapsedMs / 1000).toFixed(2)} s`));
  // Failures are said whatever --quiet says.
  worker.on('failed', ({ jobId, error }) => void stderr.write(`worker ${worker.name}: job ${jobId ?? '?'} failed: ${error.message}\n`));
  if (!signal.aborted) await once(signal, 'abort');
  await worker.close();
  say(`stopped after ${worker.counts.ranges} ranges (${worker.counts.units} units)`);
  // The interruption's exit code (runCli reports it).
  throw signal.reason;
}
