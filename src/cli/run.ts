/**
 * The command line as a function: parses the arguments, runs the command, turns what
 * happened into an exit code (0 done, 1 error, 2 usage error, 128 + a signal's number when
 * interrupted) and reports errors as `file:line:column: message`.
 */
import { libraryVersion } from '../io/library-install.js';
import { isXliffError, type XliffError } from '../errors.js';
import { UsageError, parseCommandLine, type Command } from './args.js';
import { HELP } from './help.js';
import { Interrupt, type CliContext } from './context.js';
import { extractCommand } from './extract.js';
import { joinCommand } from './join.js';
import { mergeCommand } from './merge.js';
import { pseudoCommand } from './pseudo.js';
import { splitCommand } from './split.js';
import { statsCommand } from './stats.js';
import { validateCommand } from './validate.js';
import { workerCommand } from './worker.js';

export const EXIT_OK = 0;
export const EXIT_ERROR = 1;
export const EXIT_USAGE = 2;
/** 128 + SIGINT (2), as shells report a process ended by Ctrl-C. */
export const EXIT_INTERRUPTED = 130;

export async function runCli(argv: readonly string[], context: CliContext): Promise<number> {
  const { stdout, stderr, signal } = context;
  let command: Command | undefined;
  try {
    command = parseCommandLine(argv);
    switch (command.name) {
      case 'help':
        stdout.write(`${HELP[command.topic ?? 'main']}\n`);
        return EXIT_OK;
      case 'version':
        stdout.write(`${libraryVersion()}\n`);
        return EXIT_OK;
      case 'stats':
        return await statsCommand(command, context);
      case 'pseudo':
        return await pseudoCommand(command, context);
      case 'extract':
        return await extractCommand(command, context);
      case 'merge':
        return await mergeCommand(command, context);
      case 'validate':
        return await validateCommand(command, context);
      case 'split':
        return await splitCommand(command, context);
      case 'join':
        return await joinCommand(command, context);
      case 'worker':
        return await workerCommand(command, context);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      stderr.write(`xliff-stream: ${error.message}\nTry 'xliff-stream --help'.\n`);
      return EXIT_USAGE;
    }
    if (signal.aborted) {
      const interrupt = signal.reason instanceof Interrupt ? signal.reason : new Interrupt('SIGINT', EXIT_INTERRUPTED);
      if (!interrupt.quiet) stderr.write(`xliff-stream: ${interrupt.message}\n`);
      return interrupt.exitCode;
    }
    if (isXliffError(error)) stderr.write(`${error.code === 'XLIFF_CHECKPOINT_MISMATCH' ? mismatchMessage(error, command) : error.message}\n`);
    else stderr.write(`xliff-stream: ${(error as Error)?.stack ?? String(error)}\n`);
    return EXIT_ERROR;
  }
}

/**
 * A journal of another job, in the command line's words: `--restart` (not the library's
 * `checkpoint: { restart: true }`), and the option of this command that changes the
 * output (the only one the journal's key can differ by, for a given input). A damaged
 * journal is not another job's: `--restart` does not apply, removing it does.
 */
function mismatchMessage(error: XliffError, command: Command | undefined): string {
  if (!/belongs to another job/.test(error.message)) return `${error.message}\nxliff-stream: remove the journal${error.file ? ` (${error.file})` : ''} to start over`;
  const changed =
    command?.name === 'pseudo'
      ? `it was written with another --mode than this run's (${command.modes.join(',')})`
      : command?.name === 'merge'
        ? `it was written with other translations than ${command.translations} holds now`
        : undefined;
  let message = error.message.replace(/\.? ?Remove it, or pass checkpoint: \{ restart: true \} to start over\.?$/, '');
  if (changed) message = message.replace(/the options that change the output \([^)]*\) differ/, changed);
  return `${message}\nxliff-stream: to start over, run the command again with --restart (or remove the journal)`;
}
