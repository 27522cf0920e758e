/**
 * `xliff-stream extract <in> [--out units.jsonl]`: one JSON line per unit (see `UnitLine`).
 */
import { openOutput, type OutputSink } from '../io/output.js';
import { readUnitsCounted } from '../read.js';
import type { CommonOptions } from './args.js';
import { writeText, type CliContext } from './context.js';
import { fileSize, inputOf, isStdio, prepareOutput } from './files.js';
import { ReadProgress, createReporter } from './progress-bar.js';
import { toUnitLine } from './unit-line.js';

export interface ExtractCommand extends CommonOptions {
  readonly input: string;
  readonly output: string | undefined;
}

/** Lines gathered before one write (fewer, larger writes). */
const BATCH_CHARS = 256 * 1024;

export async function extractCommand(command: ExtractCommand, context: CliContext): Promise<number> {
  const output = isStdio(command.output) ? undefined : command.output;
  // The lines take about the size of the input again (its text twice, as text and XML).
  if (output !== undefined) await prepareOutput(output, command.input, { journal: false });
  const { input, fileName } = inputOf(command.input, context);
  const reporter = createReporter('extract', fileName ?? command.input, context.stderr, { quiet: command.quiet, intervalMs: command.progressIntervalMs });
  const progress = new ReadProgress(reporter, await fileSize(command.input));
  // A file output is written to a temporary file and renamed at the end: whole or not at all.
  let sink: OutputSink | undefined;
  const encoder = new TextEncoder();
  const write = (text: string): Promise<void> => (sink ? sink.write(encoder.encode(text)) : writeText(context.stdout, text));
  let batch = '';
  try {
    if (output !== undefined) sink = openOutput(output);
    for await (const unit of readUnitsCounted(input, { signal: context.signal, fileName, maxDepth: command.maxDepth }, progress.countInput)) {
      batch += `${JSON.stringify(toUnitLine(unit))}\n`;
      progress.add(unit);
      if (batch.length >= BATCH_CHARS) {
        await write(batch);
        batch = '';
      }
    }
    if (batch) await write(batch);
    await sink?.commit();
  } catch (error) {
    reporter.stop();
    await sink?.abort().catch(() => undefined);
    throw error;
  }
  progress.finish();
  if (output !== undefined && !command.quiet) context.stderr.write(`extract: ${progress.units} units -> ${output}\n`);
  return 0;
}
