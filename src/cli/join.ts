/**
 * `xliff-stream join <in> <parts...> <out>`: the parts' targets and states put back into
 * the input (`joinXliff`), with progress.
 */
import { joinXliffWatched } from '../split/join.js';
import type { CommonOptions } from './args.js';
import type { CliContext } from './context.js';
import { prepareOutput } from './files.js';
import { createReporter } from './progress-bar.js';

export interface JoinCommand extends CommonOptions {
  readonly input: string;
  readonly parts: readonly string[];
  readonly output: string;
}

export async function joinCommand(command: JoinCommand, context: CliContext): Promise<number> {
  await prepareOutput(command.output, command.input, { journal: false });
  const reporter = createReporter('join', command.input, context.stderr, { quiet: command.quiet, intervalMs: command.progressIntervalMs });
  let summary;
  try {
    summary = await joinXliffWatched(command.input, command.parts, { output: command.output, signal: context.signal, maxDepth: command.maxDepth }, (job) => {
      job.on('progress', (p) => reporter.update({ percent: p.percent, units: p.unitsDone, unitsPerSecond: p.unitsPerSecond, etaMs: p.etaMs, bytes: p.bytesRead }));
    });
  } catch (error) {
    reporter.stop();
    throw error;
  }
  const seconds = Math.max(summary.elapsedMs, 1) / 1000;
  reporter.finish({ percent: 100, units: summary.units, unitsPerSecond: summary.units / seconds, etaMs: 0, bytes: summary.bytesRead }, summary.elapsedMs);
  if (!command.quiet) context.stderr.write(`join: ${command.parts.length} part${command.parts.length === 1 ? '' : 's'}, ${summary.unitsChanged} of ${summary.units} units changed -> ${command.output}\n`);
  return 0;
}
