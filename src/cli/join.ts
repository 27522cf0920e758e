/**
 * `xliff-stream join <in> <parts...> <out>`: the parts' targets and states put back into
 * the input (`joinXliff`), with progress.
 */
import { joinXliffWatched } from '../split/join.js';
import type { CommonOptions } from './args.js';
import type { CliContext } from './context.js';
import { prepareOutput } from './files.js';
import { reportDone, reportProgress } from './job.js';
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
    summary = await joinXliffWatched(command.input, command.parts, { output: command.output, signal: context.signal, maxDepth: command.maxDepth }, { progressIntervalMs: reporter.updateMs, watch: (job) => reportProgress(job, reporter) });
  } catch (error) {
    reporter.stop();
    throw error;
  }
  reportDone(summary, reporter, true);
  if (!command.quiet) context.stderr.write(`join: ${command.parts.length} part${command.parts.length === 1 ? '' : 's'}, ${summary.unitsChanged} of ${summary.units} units changed -> ${command.output}\n`);
  return 0;
}
