/**
 * The command line as a function: parses the arguments, runs the command, turns what
 * happened into an exit code (0 done, 1 error, 2 usage error, 130 interrupted) and
 * reports errors as `file:line:column: message`.
 */
import { createRequire } from 'node:module';
import { isXliffError } from '../errors.js';
import { HELP, UsageError, parseCommandLine } from './args.js';
import type { CliContext } from './context.js';
import { extractCommand } from './extract.js';
import { mergeCommand } from './merge.js';
import { pseudoCommand } from './pseudo.js';
import { statsCommand } from './stats.js';

export const EXIT_OK = 0;
export const EXIT_ERROR = 1;
export const EXIT_USAGE = 2;
/** 128 + SIGINT (2), as shells report a process ended by Ctrl-C. */
export const EXIT_INTERRUPTED = 130;

export async function runCli(argv: readonly string[], context: CliContext): Promise<number> {
  const { stdout, stderr, signal } = context;
  try {
    const command = parseCommandLine(argv);
    switch (command.name) {
      case 'help':
        stdout.write(`${HELP[command.topic ?? 'main']}\n`);
        return EXIT_OK;
      case 'version':
        stdout.write(`${version()}\n`);
        return EXIT_OK;
      case 'stats':
        return await statsCommand(command, context);
      case 'pseudo':
        return await pseudoCommand(command, context);
      case 'extract':
        return await extractCommand(command, context);
      case 'merge':
        return await mergeCommand(command, context);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      stderr.write(`xliff-stream: ${error.message}\nTry 'xliff-stream --help'.\n`);
      return EXIT_USAGE;
    }
    if (signal.aborted) {
      stderr.write('xliff-stream: interrupted\n');
      return EXIT_INTERRUPTED;
    }
    if (isXliffError(error)) {
      stderr.write(`${error.message}\n`);
      if (error.code === 'XLIFF_CHECKPOINT_MISMATCH') stderr.write('xliff-stream: to start over, run the command again with --restart\n');
    }
    else stderr.write(`xliff-stream: ${(error as Error)?.stack ?? String(error)}\n`);
    return EXIT_ERROR;
  }
}

function version(): string {
  const require = createRequire(import.meta.url);
  return (require('../../package.json') as { version: string }).version;
}
