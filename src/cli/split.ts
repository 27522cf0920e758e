/**
 * `xliff-stream split <in> (--parts N | --max-bytes SIZE) --out DIR`: standalone parts cut
 * at unit boundaries (`splitXliff`), with progress.
 */
import { basename } from 'node:path';
import { splitXliffCounted } from '../split/split.js';
import type { CommonOptions } from './args.js';
import type { CliContext } from './context.js';
import { fileSize } from './files.js';
import { ReadProgress, createReporter } from './progress-bar.js';

export interface SplitCommand extends CommonOptions {
  readonly input: string;
  readonly outDir: string;
  readonly parts: number | undefined;
  readonly maxBytes: number | undefined;
}

export async function splitCommand(command: SplitCommand, context: CliContext): Promise<number> {
  const reporter = createReporter('split', command.input, context.stderr, { quiet: command.quiet, intervalMs: command.progressIntervalMs });
  const progress = new ReadProgress(reporter, await fileSize(command.input));
  let result;
  try {
    result = await splitXliffCounted(
      command.input,
      { outDir: command.outDir, parts: command.parts, maxBytes: command.maxBytes, signal: context.signal, maxDepth: command.maxDepth },
      { onInput: progress.countInput, onUnit: (unit) => progress.add(unit) },
    );
  } catch (error) {
    reporter.stop();
    throw error;
  }
  progress.finish();
  if (!command.quiet) {
    const count = result.parts.length;
    context.stderr.write(`split: ${result.units} units -> ${count} part${count === 1 ? '' : 's'} in ${command.outDir}${count > 0 ? ` (${names(result.parts)})` : ''}\n`);
  }
  return 0;
}

/** The parts' file names: the first and the last when there are many. */
function names(parts: readonly string[]): string {
  const shown = parts.map((path) => basename(path));
  return shown.length <= 3 ? shown.join(', ') : `${shown[0]} ... ${shown.at(-1)}`;
}
