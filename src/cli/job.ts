/**
 * Runs a `processXliff` job for a command that writes an XLIFF: its input and output
 * (files, or `-` for stdin and stdout), the checks on the output, `--concurrency`,
 * `--checkpoint`, interruptions, and progress on stderr.
 */
import { processXliff, type Summary, type WarningEvent } from '../process.js';
import type { ProcessOptions, SegmentProcessOptions } from '../options.js';
import type { CommonOptions } from './args.js';
import { stdoutWritable, type CliContext } from './context.js';
import { inputOf, isStdio, prepareOutput } from './files.js';
import { createReporter } from './progress-bar.js';

/** The output as summaries name it. */
export const outputName = (output: string): string => (isStdio(output) ? '<stdout>' : output);

/**
 * `checkpointKey` names what else makes the output (the pseudo modes, the translations):
 * a journal written with another key is not replayed (`XLIFF_CHECKPOINT_MISMATCH`).
 */
export async function runJob(
  label: string,
  path: string,
  output: string,
  options: (ProcessOptions | SegmentProcessOptions) & { readonly onWarning?: (warning: WarningEvent) => void },
  command: CommonOptions & { readonly checkpointKey: string },
  context: CliContext,
): Promise<Summary> {
  await prepareOutput(output, path, { journal: command.checkpoint });
  const { input, fileName } = inputOf(path, context);
  const { onWarning, ...processOptions } = options;
  const reporter = createReporter(label, fileName ?? path, context.stderr, { quiet: command.quiet, intervalMs: command.progressIntervalMs });
  const job = processXliff(input, {
    ...processOptions,
    output: isStdio(output) ? stdoutWritable(context.stdout) : output,
    signal: context.signal,
    progressIntervalMs: 100,
    ...(fileName === undefined ? {} : { fileName }),
    ...(command.concurrency === undefined ? {} : { concurrency: command.concurrency }),
    ...(command.maxDepth === undefined ? {} : { maxDepth: command.maxDepth }),
    ...(command.checkpoint ? { checkpoint: { key: command.checkpointKey, restart: command.restart } } : {}),
  });
  job.on('progress', (p) => reporter.update({ percent: p.percent, units: p.unitsDone, unitsPerSecond: p.unitsPerSecond, etaMs: p.etaMs, bytes: p.bytesRead }));
  if (onWarning) job.on('warning', onWarning);
  try {
    const summary = await job.done;
    const seconds = Math.max(summary.elapsedMs, 1) / 1000;
    reporter.finish({ percent: isStdio(path) ? undefined : 100, units: summary.units, unitsPerSecond: summary.units / seconds, etaMs: 0, bytes: summary.bytesRead }, summary.elapsedMs);
    if (summary.unitsReplayed > 0 && !command.quiet) {
      context.stderr.write(`${label}: resumed: ${summary.unitsReplayed} of ${summary.units} units from the journal ${output}.journal, ${summary.units - summary.unitsReplayed} processed now\n`);
    }
    return summary;
  } catch (error) {
    reporter.stop();
    throw error;
  }
}

