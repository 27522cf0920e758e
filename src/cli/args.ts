/**
 * Command-line arguments: the commands, their options, help texts and usage errors
 * (exit code 2), parsed with `node:util`'s `parseArgs`.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { PSEUDO_MODES, type PseudoMode } from '../pseudo.js';

export const COMMANDS = ['stats', 'pseudo', 'extract', 'merge'] as const;
export type CommandName = (typeof COMMANDS)[number];

/** A mistake in the command line: reported with a hint to `--help`, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Options every command takes. */
export interface CommonOptions {
  readonly concurrency: number | undefined;
  readonly checkpoint: boolean;
  /** With `checkpoint`: start over when the journal belongs to another job. */
  readonly restart: boolean;
  readonly quiet: boolean;
  /** Time between progress lines when stderr is not a terminal. */
  readonly progressIntervalMs: number;
}

export type Command =
  | { readonly name: 'help'; readonly topic: CommandName | undefined }
  | { readonly name: 'version' }
  | ({ readonly name: 'stats'; readonly input: string; readonly json: boolean } & CommonOptions)
  | ({ readonly name: 'pseudo'; readonly input: string; readonly output: string; readonly modes: readonly PseudoMode[] } & CommonOptions)
  | ({ readonly name: 'extract'; readonly input: string; readonly output: string | undefined } & CommonOptions)
  | ({ readonly name: 'merge'; readonly input: string; readonly translations: string; readonly output: string } & CommonOptions);

const COMMON = {
  concurrency: { type: 'string' },
  checkpoint: { type: 'boolean' },
  restart: { type: 'boolean' },
  quiet: { type: 'boolean', short: 'q' },
  'progress-interval': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsConfig['options'];

const SPECIFIC = {
  stats: { json: { type: 'boolean' } },
  pseudo: { mode: { type: 'string', short: 'm' } },
  extract: { out: { type: 'string', short: 'o' } },
  merge: {},
} as const satisfies Record<CommandName, ParseArgsConfig['options']>;

const POSITIONALS: Record<CommandName, readonly string[]> = {
  stats: ['file'],
  pseudo: ['in', 'out'],
  extract: ['in'],
  merge: ['in', 'translations.jsonl', 'out'],
};

/** Commands that write an XLIFF through `processXliff` (and so can resume from a journal). */
const WRITES_XLIFF: ReadonlySet<CommandName> = new Set(['pseudo', 'merge']);

export function parseCommandLine(argv: readonly string[]): Command {
  const [first, ...rest] = argv;
  if (first === undefined) throw new UsageError('expected a command: stats, pseudo, extract or merge');
  if (first === '--help' || first === '-h' || first === 'help') {
    const topic = first === 'help' ? rest[0] : undefined;
    if (topic !== undefined && !isCommand(topic)) throw new UsageError(`unknown command "${topic}" (expected ${COMMANDS.join(', ')})`);
    return { name: 'help', topic };
  }
  if (first === '--version' || first === '-v') return { name: 'version' };
  if (!isCommand(first)) throw new UsageError(first.startsWith('-') ? `expected a command before ${first}` : `unknown command "${first}" (expected ${COMMANDS.join(', ')})`);
  const name = first;
  let parsed;
  try {
    parsed = parseArgs({ args: [...rest], options: { ...COMMON, ...SPECIFIC[name] }, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(`${name}: ${(error as Error).message.replace(/\. To specify a positional argument.*$/s, '')}`);
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;
  if (values['help'] === true) return { name: 'help', topic: name };
  const wanted = POSITIONALS[name];
  const positionals = parsed.positionals;
  if (positionals.length < wanted.length) throw new UsageError(`${name}: missing <${wanted[positionals.length]}> (usage: xliff-stream ${name} ${wanted.map((w) => `<${w}>`).join(' ')})`);
  if (positionals.length > wanted.length) throw new UsageError(`${name}: unexpected argument "${positionals[wanted.length]}"`);
  if (values['checkpoint'] === true && !WRITES_XLIFF.has(name)) throw new UsageError(`${name}: --checkpoint is for the commands that write an XLIFF file (pseudo, merge)`);
  if (values['restart'] === true && values['checkpoint'] !== true) throw new UsageError(`${name}: --restart goes with --checkpoint`);
  const common: CommonOptions = {
    concurrency: values['concurrency'] === undefined ? undefined : wholeNumber(name, 'concurrency', values['concurrency']),
    checkpoint: values['checkpoint'] === true,
    restart: values['restart'] === true,
    quiet: values['quiet'] === true,
    progressIntervalMs: values['progress-interval'] === undefined ? 1000 : wholeNumber(name, 'progress-interval', values['progress-interval']),
  };
  const [a, b, c] = positionals as [string, string, string];
  switch (name) {
    case 'stats':
      return { name, input: a, json: values['json'] === true, ...common };
    case 'pseudo':
      return { name, input: a, output: b, modes: parseModes(values['mode']), ...common };
    case 'extract':
      return { name, input: a, output: typeof values['out'] === 'string' ? values['out'] : undefined, ...common };
    case 'merge':
      return { name, input: a, translations: b, output: c, ...common };
  }
}

function isCommand(value: string): value is CommandName {
  return (COMMANDS as readonly string[]).includes(value);
}

function wholeNumber(command: string, option: string, value: unknown): number {
  const number = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : NaN;
  if (!(number >= 1)) throw new UsageError(`${command}: expected --${option} to be a whole number from 1 and up, got "${String(value)}"`);
  return number;
}

function parseModes(value: unknown): readonly PseudoMode[] {
  if (value === undefined) return ['accents', 'brackets'];
  const modes = String(value).split(',').map((m) => m.trim());
  for (const mode of modes) {
    if (!(PSEUDO_MODES as readonly string[]).includes(mode)) throw new UsageError(`pseudo: unknown --mode "${mode}" (expected ${PSEUDO_MODES.join(', ')}, or several joined by commas)`);
  }
  return modes as PseudoMode[];
}

const OPTIONS_HELP = `Options of every command:
  --concurrency <n>        processor calls in flight (pseudo, merge; default 8)
  --checkpoint             pseudo, merge: keep a journal beside the output
                           (<out>.journal) and resume from it after a crash or Ctrl-C
  --restart                with --checkpoint: start over when the journal belongs
                           to another input or other options (instead of an error)
  -q, --quiet              no progress and no summary on stderr
  --progress-interval <ms> time between progress lines when stderr is not a terminal
                           (default 1000; on a terminal a progress bar is drawn)
  -h, --help               this help`;

export const HELP: Record<CommandName | 'main', string> = {
  main: `Usage: xliff-stream <command> [options]

Read, transform and write back XLIFF 1.x / 2.x files of any size.

Commands:
  stats <file> [--json]                 files, units, segments, words, characters,
                                        states, targets, repeated sources
  pseudo <in> <out> [--mode <modes>]    pseudo-translate every translatable unit
  extract <in> [--out <units.jsonl>]    one JSON line per unit (stdout without --out)
  merge <in> <translations.jsonl> <out> apply targets and states by file and unit id

${OPTIONS_HELP}

Exit codes: 0 done, 1 error, 2 usage error, 130 interrupted (Ctrl-C).
Run 'xliff-stream <command> --help' for a command's details.`,
  stats: `Usage: xliff-stream stats <file> [--json]

Counts, in one pass over the file: files (that hold units), units, segments,
translatable units, their source words (Unicode word boundaries, CJK by
dictionary) and characters, units by state, units with and without a target,
repeated sources (translatable units whose source was met before).

  --json    one JSON object on stdout

${OPTIONS_HELP}`,
  pseudo: `Usage: xliff-stream pseudo <in> <out> [--mode accents,brackets,expand]

Gives every translatable unit a target made from its source, its text
transformed, its inline codes and placeholders ({0}, %s, %1$s, {{name}}, ICU
syntax...) kept; state "translated". Every other byte of the file stays.

  -m, --mode <modes>   one or more of (default accents,brackets):
                         accents   letters as accented look-alikes: Šéţţîñĝš
                         brackets  [text], to show truncation and concatenation
                         expand    about 30% longer, padded with ~

${OPTIONS_HELP}`,
  extract: `Usage: xliff-stream extract <in> [--out <units.jsonl>]

Writes one JSON line per unit: {"file", "id", "index", "translate", "source",
"sourceXml", "target", "targetXml", "state", "notes"} and, for 2.x units with
several segments, "segments". Edit "target" (or "targetXml") and "state", then
give the file to 'merge'.

  -o, --out <file>   write there (appears whole on success) instead of stdout

${OPTIONS_HELP}`,
  merge: `Usage: xliff-stream merge <in> <translations.jsonl> <out>

Applies the targets and states of a JSON-lines file (what 'extract' writes, or
lines with at least "id" and "target") to the units of <in> found by "file"
(the file element's original; 2.x without one: its id) and "id". A line whose
"target" / "targetXml" / "state" equal the unit's leaves it as it is; ids not
found and units without an id are reported on stderr. Nothing else changes.

${OPTIONS_HELP}`,
};
