/**
 * The help texts: the main one and each command's, their option lines made from the
 * options' own (args.ts).
 */
import { COMMAND_OPTIONS, OPTIONS, type CommandName, type OptionName, type OptionSpec } from './args.js';

/** Help lines of an option that means something else for one command. */
const COMMAND_HELP: Partial<Record<CommandName, Partial<Record<OptionName, Pick<OptionSpec, 'help'> & Partial<Pick<OptionSpec, 'usage'>>>>>> = {
  split: { out: { usage: '-o, --out <dir>', help: ['the folder the parts go to (made if missing); they', 'are named <in name>.part001.xlf, ...'] } },
  worker: { concurrency: { help: ['range jobs run at once (default 1: run one worker', 'per core)'] } },
};

/** The help lines of some options, their descriptions in one column. */
function optionsHelp(names: readonly OptionName[], command?: CommandName): string {
  const width = 27;
  return names
    .flatMap((name) => {
      const own = command && COMMAND_HELP[command]?.[name];
      const { usage, help } = { ...(OPTIONS[name] as OptionSpec), ...own };
      const [head, ...more] = help;
      const first = usage.length < width - 1 ? [`  ${usage.padEnd(width - 2)}${head}`] : [`  ${usage}`, `${' '.repeat(width)}${head}`];
      return [...first, ...more.map((line) => `${' '.repeat(width)}${line}`)];
    })
    .join('\n');
}

const commandHelp = (name: CommandName): string => `Options:\n${optionsHelp(COMMAND_OPTIONS[name], name)}`;

const FILES = `A file of '-' is standard input (or output). Input may be gzip-compressed; an
output path ending in .gz is written gzip-compressed.`;

const ROOM = `Before any work, the output's disk must have room for about the input's size
(twice that with --checkpoint, for the journal); of a gzip input, the size its
trailer records (up to 256 MiB compressed), else 4 times the compressed size.`;

const EXIT_CODES = `Exit codes: 0 done, 1 error, 2 usage error, 130 Ctrl-C (SIGINT), 143 SIGTERM,
129 SIGHUP (the job is aborted, no output file is left), 141 the output pipe
closed (as for SIGPIPE; quietly).`;

export const HELP: Record<CommandName | 'main', string> = {
  main: `Usage: xliff-stream <command> [options]

Read, transform and write back XLIFF 1.x / 2.x files of any size.

Commands:
  stats <file> [--json]                 files, units, segments, words, characters,
                                        states, targets, repeated sources
  pseudo <in> <out> [--mode <modes>]    pseudo-translate every translatable unit
  extract <in> [--out <units.jsonl>]    one JSON line per unit (stdout without --out)
  merge <in> <translations.jsonl> <out> apply targets and states by file and unit id
  validate <file> [--xml]               check the file as the reader reads it: XML
                                        well-formedness, namespaces, XLIFF root and
                                        version; exit 1 with problems
  split <in> --parts <n> --out <dir>    cut into standalone XLIFF files at units
                                        (or --max-bytes <size> each)
  join <in> <parts...> <out>            put the parts' targets and states back
  worker --redis <url> --queue <name>   run range jobs of distributeXliff's queue

${FILES}

Options of every command:
${optionsHelp(['quiet', 'progress-interval', 'help'])}
  -v, --version            the version of xliff-stream

${EXIT_CODES}
Run 'xliff-stream <command> --help' for a command's options.`,
  stats: `Usage: xliff-stream stats <file> [--json]

Counts, in one pass over the file: files (that hold units), units, segments,
translatable units, their source words (Unicode word boundaries, CJK by
dictionary) and characters, units by state, units with and without a target,
repeated sources (translatable units whose source was met before).

${FILES}

${commandHelp('stats')}`,
  pseudo: `Usage: xliff-stream pseudo <in> <out> [--mode accents,brackets,expand]

Gives every translatable unit a target made from its source, its text
transformed, its inline codes and placeholders ({0}, %s, %1$s, {{name}}, ICU
syntax...) kept; state "translated". Every other byte of the file stays.
With --redis and --queue, the file's ranges run on that queue's workers
('xliff-stream worker' on other machines), which must see <in> at its path.

${FILES}
${ROOM}

${commandHelp('pseudo')}`,
  extract: `Usage: xliff-stream extract <in> [--out <units.jsonl>]

Writes one JSON line per unit: {"file", "id", "index", "translate", "source",
"sourceXml", "target", "targetXml", "state", "notes"} and, for 2.x units with
several segments, "segments". Edit "target" (or "targetXml") and "state", then
give the file to 'merge'.

${FILES}

${commandHelp('extract')}`,
  merge: `Usage: xliff-stream merge <in> <translations.jsonl> <out>

Applies the targets and states of a JSON-lines file (what 'extract' writes, or
lines with at least "id" and "target") to the units of <in> found by "file"
(the file element's original; 2.x without one: its id) and "id". A line whose
"target" / "targetXml" / "state" equal the unit's leaves it as it is; ids not
found and lines without an id are reported on stderr. Nothing else changes.
Lines in document order (as 'extract' writes them) are read as the units come;
others are looked up by their place in the file: memory stays small.

${FILES}
<translations.jsonl> must be a file (it is read twice).
${ROOM}

${commandHelp('merge')}`,
  validate: `Usage: xliff-stream validate <file> [--xml] [--json]

Reads the whole file with the reader's own checks, the ones every command makes
(XML 1.0 well-formedness, Namespaces in XML, the encoding; a DOCTYPE that
declares markup is refused), and without --xml also that it is XLIFF: the root
element, its namespace and version. Problems go to stdout, one per line, as
file:line:column: reason (CODE); reading stops at the first XML error. Exit 0
when there is no problem, 1 otherwise. Run it before a long job to fail early.

${FILES}

${commandHelp('validate')}`,
  split: `Usage: xliff-stream split <in> (--parts <n> | --max-bytes <size>) --out <dir>

Cuts the file at unit boundaries into standalone, well-formed XLIFF files
(parts) to send to other people, tools or machines. Each part holds a run of
units and the markup between them as written, inside the start tags of their
ancestors (the root, the file, the groups), its root marked with the input's
SHA-256, its number and its first unit (xmlns:xsp="urn:xliff-stream:part").
Names come from <in>'s name and a number, never from the file's text. Give
the parts back to 'join'.

<in> is a file (gzip-compressed or not); the parts are written in UTF-8.

${commandHelp('split')}`,
  join: `Usage: xliff-stream join <in> <parts...> <out>

Puts the targets and states of the parts that 'split' made of <in> (translated
or reviewed since) back into <in>, writing <out>; everything else stays byte
for byte, and unchanged parts give <in> back. Units are matched by place, file
and id, so parts another tool re-indented or re-escaped still join. Parts of
another document, a part given twice or a part missing are refused (exit 1),
naming them. The parts may come in any order (a shell glob: dir/*.xlf).

${ROOM}

${commandHelp('join')}`,
  worker: `Usage: xliff-stream worker --redis <url> --queue <name> [--concurrency <n>]

Takes range jobs from a queue that distributeXliff fills (on this machine or
another) and runs them: reads the byte range of the input at the path the job
gives (every worker must see the file at that path: a shared disk), runs the
job's processor module over its units and gives back the range's output. Run
as many as there are cores, on as many machines as you like; a worker killed
mid-job loses its job to another after --lock-duration. Each range is logged to
stderr. Ctrl-C or SIGTERM: the jobs under way are finished, then it stops.

${commandHelp('worker')}`,
};
