/**
 * `xliff-stream stats <file> [--json] [--threads <n|auto>]`: the figures of `computeStats`, as a table or JSON.
 */
import { StatsCounter, statsBatches, type XliffStats } from '../stats.js';
import type { CommonOptions } from './args.js';
import { writeText, type CliContext } from './context.js';
import { fileSize, inputOf } from './files.js';
import { ReadProgress, createReporter } from './progress-bar.js';
import { sequentialNote } from './sequential-note.js';
import { threadedReadReport } from '../threads/threaded-read.js';

export interface StatsCommand extends CommonOptions {
  readonly input: string;
  readonly json: boolean;
}

export async function statsCommand(command: StatsCommand, context: CliContext): Promise<number> {
  const { input, fileName } = inputOf(command.input, context);
  const name = fileName ?? command.input;
  const counter = new StatsCounter();
  // --json is for programs: nothing on stderr but problems.
  const reporter = createReporter('stats', name, context.stderr, { quiet: command.quiet || command.json, intervalMs: command.progressIntervalMs });
  const progress = new ReadProgress(reporter, await fileSize(command.input));
  const report = threadedReadReport();
  try {
    for await (const batch of statsBatches(input, { signal: context.signal, fileName, maxDepth: command.maxDepth, threads: command.threads }, progress.countInput, report)) {
      for (const item of batch) {
        if ('firstSources' in item) {
          counter.merge(item);
          progress.addUnits(item.units);
        } else {
          counter.add(item);
          progress.add(item);
        }
      }
    }
  } catch (error) {
    reporter.stop();
    throw error;
  }
  progress.finish();
  if (!command.quiet && !command.json) context.stderr.write(sequentialNote('stats', report.sequential));
  const stats = counter.result();
  await writeText(context.stdout, command.json ? `${JSON.stringify({ file: name, ...stats })}\n` : formatStats(name, stats));
  return 0;
}

function formatStats(file: string, s: XliffStats): string {
  const pct = (n: number, of: number): string => (of === 0 ? '' : ` (${((n / of) * 100).toFixed(1)}%)`);
  const rows: Array<[string, string]> = [
    ['file', file],
    ['version', s.version ?? '-'],
    ['files', String(s.files)],
    ['units', String(s.units)],
    ['segments', String(s.segments)],
    ['translatable units', `${s.translatableUnits}${pct(s.translatableUnits, s.units)}`],
    ['source words', String(s.words)],
    ['source characters', `${s.characters} (${s.charactersWithoutSpaces} without spaces)`],
    ['with target', `${s.unitsWithTarget}${pct(s.unitsWithTarget, s.units)}`],
    ['without target', `${s.unitsWithoutTarget}${pct(s.unitsWithoutTarget, s.units)}`],
    ['repeated sources', `${s.repeatedUnits} units (${s.repeatedPercent.toFixed(1)}% of translatable), ${s.repeatedWords} words`],
  ];
  let out = rows.map(([name, value]) => `${name.padEnd(20)}${value}\n`).join('');
  const states = Object.entries(s.unitsByState).sort((a, b) => b[1] - a[1]);
  if (states.length > 0) {
    out += 'units by state\n';
    const width = Math.max(...states.map(([state]) => state.length));
    for (const [state, units] of states) out += `  ${state.padEnd(width)}  ${String(units).padStart(9)} units  ${String(s.wordsByState[state] ?? 0).padStart(10)} words\n`;
  }
  return out;
}
