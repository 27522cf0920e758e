/**
 * `xliff-stream pseudo <in> <out> [--mode ...]`: a pseudo-translated copy of the file.
 */
import type { SegmentProcessOptions } from '../options.js';
import { pseudoSegment, type PseudoMode } from '../pseudo.js';
import type { CommonOptions } from './args.js';
import type { CliContext } from './context.js';
import { outputName, runJob } from './job.js';
import { sequentialNote } from './sequential-note.js';

export interface PseudoCommand extends CommonOptions {
  readonly input: string;
  readonly output: string;
  readonly modes: readonly PseudoMode[];
  readonly cacheDir: string | undefined;
  readonly cacheRedis: string | undefined;
  readonly queue: { readonly redis: string; readonly name: string } | undefined;
}

export async function pseudoCommand(command: PseudoCommand, context: CliContext): Promise<number> {
  const { modes, threads, queue } = command;
  // Segment by segment, so that segments stay apart.
  // On worker threads or a queue's workers, the same pseudo-translation as the built-in module each worker imports from its own install.
  // No memory cache unless asked for a lasting one: pseudo-translating a segment costs less than looking it up.
  const cache: SegmentProcessOptions['cache'] =
    command.cacheDir === undefined && command.cacheRedis === undefined ? false : { disk: command.cacheDir, redis: command.cacheRedis, key: `pseudo ${modes.join(',')}` };
  const inModule = { per: 'segment', processModule: 'xliff-stream:pseudo', processModuleData: { modes }, cache } as const;
  const processor: SegmentProcessOptions =
    queue !== undefined
      ? inModule
      : threads === undefined || threads === 1
        ? { per: 'segment', process: (segment) => pseudoSegment(segment, { modes }), cache }
        : { ...inModule, threads };
  const summary = await runJob(
    'pseudo',
    command.input,
    command.output,
    // A cache level that fails is said (the job goes on without it).
    { ...processor, onWarning: (warning) => void (warning.code === 'XLIFF_CACHE' && context.stderr.write(`pseudo: warning: ${warning.message}\n`)) },
    // The modes change the output: a journal of other modes is not replayed.
    { ...command, checkpointKey: `pseudo ${modes.join(',')}`, queue: queue && { connection: queue.redis, name: queue.name } },
    context,
  );
  if (!command.quiet) {
    context.stderr.write(`pseudo: ${summary.unitsChanged} of ${summary.units} units changed (${summary.unitsSkipped} not translatable${summary.unitsCached > 0 ? `, ${summary.unitsCached} from the cache` : ''}) -> ${outputName(command.output)}\n`);
    context.stderr.write(sequentialNote('pseudo', summary.threads.sequential));
  }
  return 0;
}
