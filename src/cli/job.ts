/**
 * Runs a `processXliff` job for a command that writes an XLIFF: its common options
 * (`--concurrency`, `--checkpoint`), Ctrl-C, and progress on stderr.
 */
import { processXliff, type Summary } from '../process.js';
import type { ProcessOptions } from '../options.js';
import type { CommonOptions } from './args.js';
import type { CliContext } from './context.js';
import { createReporter } from './progress-bar.js';

/**
 * `checkpointKey` names what else makes the output (the pseudo modes, the translations):
 * a journal written with another key is not replayed (`XLIFF_CHECKPOINT_MISMATCH`).
 */
export async function runJob(
  label: string,
  input: string,
  output: string,
  options: ProcessOptions,
  command: CommonOptions & { readonly checkpointKey: string },
  context: CliContext,
): Promise<Summary> {
  const reporter = createReporter(label, context.stderr, { quiet: command.quiet, intervalMs: command.progressIntervalMs });
  const job = processXliff(input, {
    ...options,
    output,
    signal: context.signal,
    progressIntervalMs: 100,
    ...(command.concurrency === undefined ? {} : { concurrency: command.concurrency }),
    ...(command.checkpoint ? { checkpoint: { key: command.checkpointKey, restart: command.restart } } : {}),
  });
  job.on('progress', (p) => reporter.update({ percent: p.percent, units: p.unitsDone, unitsPerSecond: p.unitsPerSecond, etaMs: p.etaMs }));
  try {
    const summary = await job.done;
    const seconds = Math.max(summary.elapsedMs, 1) / 1000;
    reporter.finish({ percent: 100, units: summary.units, unitsPerSecond: summary.units / seconds, etaMs: 0 }, summary.elapsedMs);
    return summary;
  } catch (error) {
    reporter.stop();
    throw error;
  }
}
