/**
 * `xliff-stream validate <file> [--xml] [--json]`: the reader's checks over the whole file
 * (`validate`), before a long job or on any XML document. Problems go to stdout, one per
 * line as `file:line:column: reason (CODE)`; exit 0 when there is none, 1 otherwise.
 */
import { validateCounted, type ValidationResult } from '../validate.js';
import type { CommonOptions } from './args.js';
import { writeText, type CliContext } from './context.js';
import { fileSize, inputOf } from './files.js';
import { ReadProgress, createReporter } from './progress-bar.js';
import { sequentialNote } from './sequential-note.js';
import { threadedReadReport } from '../threads/threaded-read.js';

export interface ValidateCommand extends CommonOptions {
  readonly input: string;
  /** Well-formedness and namespaces only, whatever the root. */
  readonly xml: boolean;
  readonly json: boolean;
}

export async function validateCommand(command: ValidateCommand, context: CliContext): Promise<number> {
  const { input, fileName } = inputOf(command.input, context);
  const name = fileName ?? command.input;
  const reporter = createReporter('validate', name, context.stderr, { quiet: command.quiet || command.json, intervalMs: command.progressIntervalMs });
  const progress = new ReadProgress(reporter, await fileSize(command.input));
  let result: ValidationResult;
  const report = threadedReadReport();
  try {
    result = await validateCounted(input, { signal: context.signal, fileName, xml: command.xml, maxDepth: command.maxDepth, threads: command.threads }, progress.countInput, (unit) => progress.add(unit), report);
  } catch (error) {
    reporter.stop();
    throw error;
  }
  progress.finish();
  if (!command.quiet && !command.json) context.stderr.write(sequentialNote('validate', report.sequential));
  await writeText(context.stdout, command.json ? `${JSON.stringify({ file: name, ...result })}\n` : formatResult(name, command.xml, result));
  return result.valid ? 0 : 1;
}

function formatResult(file: string, xml: boolean, result: ValidationResult): string {
  const lines = result.problems.map((problem) => `${problem.message} (${problem.code})`);
  const encoding = result.encoding ? `, ${result.encoding}` : '';
  if (result.valid) lines.push(`${file}: ${xml ? 'well-formed XML' : `valid XLIFF (${result.units} units${encoding})`}${xml ? encoding.replace(/^, (.*)$/, ' ($1)') : ''}`);
  else lines.push(`${file}: ${result.problems.length} problem${result.problems.length === 1 ? '' : 's'}`);
  return `${lines.join('\n')}\n`;
}
