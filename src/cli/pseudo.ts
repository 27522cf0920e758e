/**
 * `xliff-stream pseudo <in> <out> [--mode ...]`: a pseudo-translated copy of the file.
 */
import type { SegmentProcessOptions } from '../options.js';
import { pseudoSegment, type PseudoMode } from '../pseudo.js';
import { libraryModule } from '../threads/thread-pool.js';
import type { CommonOptions } from './args.js';
import type { CliContext } from './context.js';
import { outputName, runJob } from './job.js';

export interface PseudoCommand extends CommonOptions {
  readonly input: string;
  readonly output: string;
  readonly modes: readonly PseudoMode[];
}

export async function pseudoCommand(command: PseudoCommand, context: CliContext): Promise<number> {
  const { modes, threads } = command;
  // Segment by segment, so that segments stay apart and a sentence met twice is pseudo-translated once.
  // On worker threads, the same pseudo-translation as a module each worker imports.
  // No cache: pseudo-translating a segment costs less than looking it up, and the cache's memory is not repaid.
  const processor: SegmentProcessOptions =
    threads === undefined || threads === 1
      ? { per: 'segment', process: (segment) => pseudoSegment(segment, { modes }), cache: false }
      : { per: 'segment', processModule: libraryModule(new URL('../pseudo-module.js', import.meta.url)), processModuleData: { modes }, threads, cache: false };
  const summary = await runJob(
    'pseudo',
    command.input,
    command.output,
    processor,
    // The modes change the output: a journal of other modes is not replayed.
    { ...command, checkpointKey: `pseudo ${modes.join(',')}` },
    context,
  );
  if (!command.quiet) {
    context.stderr.write(`pseudo: ${summary.unitsChanged} of ${summary.units} units changed (${summary.unitsSkipped} not translatable) -> ${outputName(command.output)}\n`);
  }
  return 0;
}
