/**
 * Runs a `processXliff` job for a command that writes an XLIFF: its input and output
 * (files, or `-` for stdin and stdout), the checks on the output, `--concurrency`,
 * `--checkpoint`, interruptions, and progress on stderr.
 */
import { distributeXliff } from '../distribute/distribute.js';
import type { QueueOptions } from '../distribute/queue-options.js';
import { processXliff, type Summary, type WarningEvent, type XliffJob } from '../process.js';
import type { ProcessOptions, SegmentProcessOptions } from '../options.js';
import type { CommonOptions } from './args.js';
import { stdoutWritable, type CliContext } from './context.js';
import { inputOf, isStdio, prepareOutput } from './files.js';
import { createReporter, type Reporter } from './progress-bar.js';

/** A job's progress events on the bar (or lines). */
export function reportProgress(job: XliffJob, reporter: Reporter): void {
  job.on('progress', (p) => reporter.update({ percent: p.percent, units: p.unitsDone, unitsPerSecond: p.unitsPerSecond, etaMs: p.etaMs, bytes: p.bytesRead }));
}

/** The bar's last state, from the job's summary (`sized`: the input has a size, so a percent). */
export function reportDone(summary: Summary, reporter: Reporter, sized: boolean): void {
  const seconds = Math.max(summary.elapsedMs, 1) / 1000;
  reporter.finish({ percent: sized ? 100 : undefined, units: summary.units, unitsPerSecond: summary.units / seconds, etaMs: 0, bytes: summary.bytesRead }, summary.elapsedMs);
}

/** The output as summaries name it. */
export const outputName = (output: string): string => (isStdio(output) ? '<stdout>' : output);

/**
 * `checkpointKey` names what else makes the output (the pseudo modes, the translations):
 * a journal written with another key is not replayed (`XLIFF_CHECKPOINT_MISMATCH`).
 * With `queue`, the job's ranges run on the queue's workers (`distributeXliff`; the input is a file).
 */
export async function runJob(
  label: string,
  path: string,
  output: string,
  options: (ProcessOptions | SegmentProcessOptions) & { readonly onWarning?: (warning: WarningEvent) => void },
  command: CommonOptions & { readonly checkpointKey: string; readonly queue?: QueueOptions | undefined },
  context: CliContext,
): Promise<Summary> {
  await prepareOutput(output, path, { journal: command.checkpoint });
  const { input, fileName } = inputOf(path, context);
  const { onWarning, ...processOptions } = options;
  const reporter = createReporter(label, fileName ?? path, context.stderr, { quiet: command.quiet, intervalMs: command.progressIntervalMs });
  const jobOptions = {
    ...processOptions,
    output: isStdio(output) ? stdoutWritable(context.stdout) : output,
    signal: context.signal,
    progressIntervalMs: reporter.updateMs,
    ...(fileName === undefined ? {} : { fileName }),
    ...(command.concurrency === undefined ? {} : { concurrency: command.concurrency }),
    ...(command.maxDepth === undefined ? {} : { maxDepth: command.maxDepth }),
    ...(command.checkpoint ? { checkpoint: { key: command.checkpointKey, restart: command.restart } } : {}),
  };
  const job = command.queue ? distributeXliff(path, { ...jobOptions, queue: command.queue }) : processXliff(input, jobOptions);
  reportProgress(job, reporter);
  if (onWarning) job.on('warning', onWarning);
  try {
    const summary = await job.done;
    reportDone(summary, reporter, !isStdio(path));
    if (summary.unitsReplayed > 0 && !command.quiet) {
      context.stderr.write(`${label}: resumed: ${summary.unitsReplayed} of ${summary.units} units from the journal ${output}.journal, ${summary.units - summary.unitsReplayed} processed now\n`);
    }
    return summary;
  } catch (error) {
    reporter.stop();
    throw error;
  }
}

