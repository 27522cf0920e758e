/**
 * Command-line arguments: the commands, the options each one takes (their help lines are
 * here, beside them; the help texts in help.ts) and usage errors (exit code 2), parsed with
 * `node:util`'s `parseArgs`.
 */
import { parseArgs } from 'node:util';
import { byteSize } from '../normalize-options.js';
import { PSEUDO_MODES, type PseudoMode } from '../pseudo.js';

export const COMMANDS = ['stats', 'pseudo', 'extract', 'merge', 'validate', 'split', 'join', 'worker'] as const;
export type CommandName = (typeof COMMANDS)[number];

/** `-` as a file: standard input or output. */
export const STDIO = '-';

/** A mistake in the command line: reported with a hint to `--help`, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Options every command has (a command without `--concurrency` or `--checkpoint` gets their defaults). */
export interface CommonOptions {
  readonly concurrency: number | undefined;
  readonly checkpoint: boolean;
  /** With `checkpoint`: start over when the journal belongs to another job. */
  readonly restart: boolean;
  readonly quiet: boolean;
  /** Time between progress lines when stderr is not a terminal. */
  readonly progressIntervalMs: number;
  /** The reader's `maxDepth`; `undefined`: its default. */
  readonly maxDepth: number | undefined;
  /** The reader's `threads`; `undefined`: its default. */
  readonly threads: number | 'auto' | undefined;
}

export type Command =
  | { readonly name: 'help'; readonly topic: CommandName | undefined }
  | { readonly name: 'version' }
  | ({ readonly name: 'stats'; readonly input: string; readonly json: boolean } & CommonOptions)
  | ({
      readonly name: 'pseudo';
      readonly input: string;
      readonly output: string;
      readonly modes: readonly PseudoMode[];
      /** `--cache`, `--cache-redis`: the cache's disk and Redis levels. */
      readonly cacheDir: string | undefined;
      readonly cacheRedis: string | undefined;
      /** `--redis`, `--queue`: the ranges run on the workers of this queue (`distributeXliff`). */
      readonly queue: { readonly redis: string; readonly name: string } | undefined;
    } & CommonOptions)
  | ({ readonly name: 'extract'; readonly input: string; readonly output: string | undefined } & CommonOptions)
  | ({ readonly name: 'merge'; readonly input: string; readonly translations: string; readonly output: string } & CommonOptions)
  | ({ readonly name: 'validate'; readonly input: string; readonly xml: boolean; readonly json: boolean } & CommonOptions)
  | ({
      readonly name: 'split';
      readonly input: string;
      readonly outDir: string;
      /** One of the two. */
      readonly parts: number | undefined;
      readonly maxBytes: number | undefined;
    } & CommonOptions)
  | ({ readonly name: 'join'; readonly input: string; readonly parts: readonly string[]; readonly output: string } & CommonOptions)
  | ({
      readonly name: 'worker';
      readonly redis: string;
      readonly queue: string;
      readonly workerName: string | undefined;
      readonly lockDurationMs: number | undefined;
    } & CommonOptions);

export interface OptionSpec {
  readonly type: 'string' | 'boolean';
  readonly short?: string;
  /** The option as help shows it, and what it does (lines). */
  readonly usage: string;
  readonly help: readonly string[];
}

export const OPTIONS = {
  json: { type: 'boolean', usage: '--json', help: ['one JSON object on stdout (and no progress)'] },
  xml: { type: 'boolean', usage: '--xml', help: ['any XML document: well-formedness and namespaces', 'only, whatever the root (not that it is XLIFF)'] },
  mode: {
    type: 'string',
    short: 'm',
    usage: '-m, --mode <modes>',
    help: [
      'one or more of (default accents,brackets):',
      '  accents   letters as accented look-alikes: Šéţţîñĝš',
      '  brackets  [text], to show truncation and concatenation',
      '  expand    about 30% longer, padded with ~',
    ],
  },
  out: { type: 'string', short: 'o', usage: '-o, --out <file>', help: ['write there (appears whole on success) instead of', 'stdout; - is stdout'] },
  concurrency: { type: 'string', usage: '--concurrency <n>', help: ['processor calls in flight (default 8)'] },
  'max-depth': { type: 'string', usage: '--max-depth <n>', help: ['refuse elements nested deeper than this (default 256)'] },
  cache: { type: 'string', usage: '--cache <dir>', help: ['keep results in a cache on disk in this folder: a rerun', 'takes them from there (made if missing)'] },
  'cache-redis': { type: 'string', usage: '--cache-redis <url>', help: ['keep results on a Redis server too (redis://host:port)'] },
  threads: { type: 'string', usage: '--threads <n|auto>', help: ['worker threads that read the file at once (default 1;', 'auto: one per core and 32 MiB, none under 64 MiB)'] },
  checkpoint: { type: 'boolean', usage: '--checkpoint', help: ['keep a journal beside the output (<out>.journal) and', 'resume from it after a crash, Ctrl-C or kill'] },
  restart: { type: 'boolean', usage: '--restart', help: ['with --checkpoint: start over when the journal belongs', 'to another input or other options (instead of an error)'] },
  quiet: { type: 'boolean', short: 'q', usage: '-q, --quiet', help: ['no progress and no summary on stderr'] },
  'progress-interval': {
    type: 'string',
    usage: '--progress-interval <ms>',
    help: ['time between progress lines when stderr is not a', 'terminal (default 1000; on a terminal a bar is drawn)'],
  },
  parts: { type: 'string', usage: '--parts <n>', help: ['cut into this many parts of about the same size', '(fewer when there are fewer units)'] },
  'max-bytes': { type: 'string', usage: '--max-bytes <size>', help: ['or: parts of at most this size each (50MB, 1GiB,', 'a number of bytes), one unit at least'] },
  redis: { type: 'string', usage: '--redis <url>', help: ['the Redis server of the queue (redis://host:port)'] },
  queue: { type: 'string', usage: '--queue <name>', help: ['the name of the queue the coordinator and its workers', 'share (a pseudo run is their coordinator)'] },
  name: { type: 'string', usage: '--name <name>', help: ["this worker's name in the coordinator's events and", 'errors (default <host>:<pid>)'] },
  'lock-duration': { type: 'string', usage: '--lock-duration <ms>', help: ['a job whose worker is silent this long goes to', 'another worker (default 30000)'] },
  help: { type: 'boolean', short: 'h', usage: '-h, --help', help: ['this help'] },
} as const satisfies Record<string, OptionSpec>;

export type OptionName = keyof typeof OPTIONS;

/** The options of each command, in the order its help lists them. */
export const COMMAND_OPTIONS: Record<CommandName, readonly OptionName[]> = {
  stats: ['json', 'threads', 'max-depth', 'quiet', 'progress-interval', 'help'],
  pseudo: ['mode', 'cache', 'cache-redis', 'threads', 'redis', 'queue', 'concurrency', 'checkpoint', 'restart', 'max-depth', 'quiet', 'progress-interval', 'help'],
  extract: ['out', 'max-depth', 'quiet', 'progress-interval', 'help'],
  merge: ['concurrency', 'checkpoint', 'restart', 'max-depth', 'quiet', 'progress-interval', 'help'],
  validate: ['xml', 'json', 'threads', 'max-depth', 'quiet', 'progress-interval', 'help'],
  split: ['parts', 'max-bytes', 'out', 'max-depth', 'quiet', 'progress-interval', 'help'],
  join: ['max-depth', 'quiet', 'progress-interval', 'help'],
  worker: ['redis', 'queue', 'name', 'concurrency', 'lock-duration', 'quiet', 'help'],
};

const POSITIONALS: Record<CommandName, readonly string[]> = {
  stats: ['file'],
  pseudo: ['in', 'out'],
  extract: ['in'],
  merge: ['in', 'translations.jsonl', 'out'],
  validate: ['file'],
  split: ['in'],
  // As many parts as there are: <in>, the parts, then <out>.
  join: ['in', 'parts...', 'out'],
  worker: [],
};

export function parseCommandLine(argv: readonly string[]): Command {
  const [first, ...rest] = argv;
  if (first === undefined) throw new UsageError(`expected a command: ${COMMANDS.join(', ')}`);
  if (first === '--help' || first === '-h' || first === 'help') {
    const topic = first === 'help' ? rest[0] : undefined;
    if (topic !== undefined && !isCommand(topic)) throw new UsageError(`unknown command "${topic}" (expected ${COMMANDS.join(', ')})`);
    return { name: 'help', topic };
  }
  if (first === '--version' || first === '-v') return { name: 'version' };
  if (!isCommand(first)) {
    if (first.startsWith('-')) throw new UsageError(`expected a command before ${first}`);
    const near = nearest(first, COMMANDS);
    throw new UsageError(`unknown command "${first}" (${near ? `did you mean ${near}? ` : ''}expected ${COMMANDS.join(', ')})`);
  }
  const name = first;
  const options = Object.fromEntries(COMMAND_OPTIONS[name].map((option) => [option, OPTIONS[option]]));
  let parsed;
  try {
    parsed = parseArgs({ args: [...rest], options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(`${name}: ${parseError(name, error as Error & { code?: string })}`);
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;
  if (values['help'] === true) return { name: 'help', topic: name };
  const wanted = POSITIONALS[name];
  const positionals = parsed.positionals;
  if (positionals.length < wanted.length) throw new UsageError(`${name}: missing <${wanted[positionals.length]}> (usage: xliff-stream ${name} ${wanted.map((w) => `<${w}>`).join(' ')})`);
  if (positionals.length > wanted.length && name !== 'join') throw new UsageError(`${name}: unexpected argument "${positionals[wanted.length]}"`);
  if (values['restart'] === true && values['checkpoint'] !== true) throw new UsageError(`${name}: --restart goes with --checkpoint`);
  const common: CommonOptions = {
    concurrency: values['concurrency'] === undefined ? undefined : wholeNumber(name, 'concurrency', values['concurrency']),
    checkpoint: values['checkpoint'] === true,
    restart: values['restart'] === true,
    quiet: values['quiet'] === true,
    progressIntervalMs: values['progress-interval'] === undefined ? 1000 : wholeNumber(name, 'progress-interval', values['progress-interval']),
    maxDepth: values['max-depth'] === undefined ? undefined : wholeNumber(name, 'max-depth', values['max-depth']),
    threads: values['threads'] === undefined || values['threads'] === 'auto' ? (values['threads'] as 'auto' | undefined) : wholeNumber(name, 'threads', values['threads']),
  };
  const [a, b, c] = positionals as [string, string, string];
  if (common.checkpoint) {
    // The journal recognises its input by the file's size, time and content, and lives beside the output.
    if (a === STDIO) throw new UsageError(`${name}: --checkpoint needs the input as a file, not standard input`);
    if ((name === 'pseudo' ? b : c) === STDIO) throw new UsageError(`${name}: --checkpoint needs the output as a file, not standard output`);
  }
  switch (name) {
    case 'stats':
      return { name, input: a, json: values['json'] === true, ...common };
    case 'pseudo':
      return { name, input: a, output: b, modes: parseModes(values['mode']), cacheDir: values['cache'] as string | undefined, cacheRedis: redisUrl(name, values['cache-redis']), queue: pseudoQueue(a, values, common), ...common };
    case 'extract':
      return { name, input: a, output: typeof values['out'] === 'string' ? values['out'] : undefined, ...common };
    case 'merge':
      // Read twice (checked whole before any work, then applied): it cannot be a pipe.
      if (b === STDIO) throw new UsageError('merge: <translations.jsonl> must be a file (it is read twice), not standard input');
      return { name, input: a, translations: b, output: c, ...common };
    case 'validate':
      return { name, input: a, xml: values['xml'] === true, json: values['json'] === true, ...common };
    case 'split':
      return splitCommand(a, values, common);
    case 'worker': {
      const { redis, name: queue } = queueOption(name, values);
      const workerName = typeof values['name'] === 'string' ? values['name'] : undefined;
      const lockDurationMs = values['lock-duration'] === undefined ? undefined : wholeNumber(name, 'lock-duration', values['lock-duration']);
      return { name, redis, queue, workerName, lockDurationMs, ...common };
    }
    case 'join': {
      const parts = positionals.slice(1, -1);
      const output = positionals.at(-1)!;
      if ([a, output, ...parts].includes(STDIO)) throw new UsageError('join: the input, the parts and the output must be files, not - (the parts are matched against the input by its SHA-256)');
      return { name, input: a, parts, output, ...common };
    }
  }
}

/** `--redis` and `--queue`, both given (`worker`, `pseudo` on a queue). */
function queueOption(command: CommandName, values: Record<string, string | boolean | undefined>): { redis: string; name: string } {
  const redis = redisUrl(command, values['redis'], '--redis');
  const queue = values['queue'];
  if (redis === undefined) throw new UsageError(`${command}: expected --redis <url>, the Redis server of the queue`);
  if (typeof queue !== 'string' || queue === '') throw new UsageError(`${command}: expected --queue <name>, the name ${command === 'worker' ? 'the coordinator gave the queue' : 'its workers were given'}`);
  return { redis, name: queue };
}

/** pseudo's queue, if given: its workers read the file by its path and run the ranges themselves. */
function pseudoQueue(input: string, values: Record<string, string | boolean | undefined>, common: CommonOptions): { redis: string; name: string } | undefined {
  if (values['redis'] === undefined && values['queue'] === undefined) return undefined;
  const queue = queueOption('pseudo', values);
  if (input === STDIO) throw new UsageError('pseudo: --queue needs the input as a file the workers can read, not standard input');
  if (common.threads !== undefined) throw new UsageError("pseudo: --threads and --queue do not go together (the queue's workers run the ranges)");
  return queue;
}

function splitCommand(input: string, values: Record<string, string | boolean | undefined>, common: CommonOptions): Command {
  // Parts are marked with the input's SHA-256 and named after it: it must be a file.
  if (input === STDIO) throw new UsageError('split: <in> must be a file, not standard input');
  const outDir = values['out'];
  if (typeof outDir !== 'string' || outDir === STDIO) throw new UsageError('split: expected --out <dir>, the folder the parts go to');
  if ((values['parts'] === undefined) === (values['max-bytes'] === undefined)) throw new UsageError('split: expected one of --parts <n> and --max-bytes <size>');
  let maxBytes: number | undefined;
  if (values['max-bytes'] !== undefined) {
    try {
      maxBytes = byteSize('max-bytes', values['max-bytes']);
    } catch {
      throw new UsageError(`split: expected --max-bytes to be a size such as 50MB, 1GiB or a number of bytes, got "${String(values['max-bytes'])}"`);
    }
  }
  const parts = values['parts'] === undefined ? undefined : wholeNumber('split', 'parts', values['parts']);
  return { name: 'split', input, outDir, parts, maxBytes, ...common };
}

function isCommand(value: string): value is CommandName {
  return (COMMANDS as readonly string[]).includes(value);
}

/** `parseArgs`' message, with what to type instead of an unknown option. */
function parseError(command: CommandName, error: Error & { code?: string }): string {
  const unknown = error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ? /Unknown option '(-[^']*)'/.exec(error.message)?.[1] : undefined;
  if (unknown === undefined) return error.message.replace(/\. To specify a positional argument.*$/s, '');
  const own = COMMAND_OPTIONS[command];
  const bare = unknown.replace(/^--?/, '');
  const elsewhere = COMMANDS.filter((other) => (COMMAND_OPTIONS[other] as readonly string[]).includes(bare));
  if (unknown.startsWith('--') && elsewhere.length > 0) return `${unknown} is not an option of ${command} (it is one of ${elsewhere.join(', ')})`;
  if (!unknown.startsWith('--')) return `unknown option ${unknown} (see xliff-stream ${command} --help)`;
  const near = nearest(bare, own);
  if (near) return `unknown option ${unknown}: did you mean --${near}? (see xliff-stream ${command} --help)`;
  // Misspelt and another command's: say both.
  const other = nearest(bare, Object.keys(OPTIONS));
  const whose = COMMANDS.filter((c) => (COMMAND_OPTIONS[c] as readonly string[]).includes(other ?? ''));
  if (other) return `unknown option ${unknown}: did you mean --${other}? (an option of ${whose.join(', ')}, not of ${command})`;
  return `unknown option ${unknown} (see xliff-stream ${command} --help)`;
}

/** The candidate closest to `word` (Levenshtein distance at most 2), if any. */
export function nearest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of candidates) {
    const distance = levenshtein(word, candidate);
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
  }
  return best;
}

function levenshtein(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    row = next;
  }
  return row[b.length]!;
}

function wholeNumber(command: string, option: string, value: unknown): number {
  const number = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : NaN;
  if (!(number >= 1)) throw new UsageError(`${command}: expected --${option} to be a whole number from 1 and up, got "${String(value)}"`);
  return number;
}

/** The modes, each once and in one order (they combine the same in any order): what the journal's key records. */
function parseModes(value: unknown): readonly PseudoMode[] {
  if (value === undefined) return ['accents', 'brackets'];
  const modes = String(value).split(',').map((m) => m.trim());
  for (const mode of modes) {
    if (!(PSEUDO_MODES as readonly string[]).includes(mode)) throw new UsageError(`pseudo: unknown --mode "${mode}" (expected ${PSEUDO_MODES.join(', ')}, or several joined by commas)`);
  }
  return PSEUDO_MODES.filter((mode) => modes.includes(mode));
}

function redisUrl(command: string, value: string | boolean | undefined, option = '--cache-redis'): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !/^rediss?:\/\//.test(value)) throw new UsageError(`${command}: ${option} takes a URL redis://host:port, got "${String(value)}"`);
  return value;
}
