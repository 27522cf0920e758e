/**
 * `xliff-stream merge <in> <translations.jsonl> <out>`: applies the targets and states of
 * a JSON-lines file (what `extract` writes, edited) to the units found by file and id.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { XliffError } from '../errors.js';
import type { Part, Unit } from '../model.js';
import type { SegmentUpdate, TargetContent, UnitUpdate } from '../write/update.js';
import type { CommonOptions } from './args.js';
import { Warnings, type CliContext } from './context.js';
import { runJob } from './job.js';
import { fileKey, parseMergeLine, type MergeLine, type MergeSegment } from './unit-line.js';

export interface MergeCommand extends CommonOptions {
  readonly input: string;
  readonly translations: string;
  readonly output: string;
}

interface Entry {
  readonly line: MergeLine;
  /** 1-based line number in the translations file. */
  readonly at: number;
  matched: number;
}

/**
 * The translations by file and id; lines without a `file` key apply in any file. Lines of
 * the same file and id (a file with duplicate ids, as Angular writes) are told apart by `index`.
 */
class Translations {
  readonly byFile = new Map<string | null, Map<string, Entry[]>>();
  readonly anyFile = new Map<string, Entry[]>();
  readonly entries: Entry[] = [];
  /** SHA-1 of the lines: a checkpoint journal is replayed only with the same translations. */
  hash = '';

  /** Adds a line; returns the earlier line it replaces, if any. */
  add(entry: Entry): Entry | undefined {
    const { line } = entry;
    this.entries.push(entry);
    if (line.id === null) return undefined;
    let map = this.anyFile;
    if (line.file !== undefined) {
      map = this.byFile.get(line.file) ?? new Map<string, Entry[]>();
      this.byFile.set(line.file, map);
    }
    const list = map.get(line.id);
    if (!list) {
      map.set(line.id, [entry]);
      return undefined;
    }
    const same = list.findIndex((earlier) => earlier.line.index === line.index);
    if (same === -1) {
      list.push(entry);
      return undefined;
    }
    const earlier = list[same]!;
    list[same] = entry;
    return earlier;
  }

  find(unit: Unit): Entry | undefined {
    if (unit.id === undefined) return undefined;
    const list = this.byFile.get(fileKey(unit))?.get(unit.id) ?? this.anyFile.get(unit.id);
    if (!list) return undefined;
    if (list.length === 1) return list[0];
    return list.find((entry) => entry.line.index === unit.index) ?? list.find((entry) => entry.line.index === undefined);
  }
}

export async function mergeCommand(command: MergeCommand, context: CliContext): Promise<number> {
  const { stderr } = context;
  const translations = await loadTranslations(command.translations, stderr);
  const noCodes = new Warnings(stderr);
  const mismatched = new Warnings(stderr);
  const summary = await runJob(
    'merge',
    command.input,
    command.output,
    {
      // Every unit (not only translatable ones) can be found; updates depend on the id: no cache.
      filter: () => true,
      cache: false,
      process: (unit) => {
        const entry = translations.find(unit);
        if (!entry) return undefined;
        entry.matched++;
        return mergeUpdate(unit, entry, {
          noCodes: (what) => noCodes.add(`${command.translations}:${entry.at}: ${what}`),
          mismatch: (what) => mismatched.add(`${command.translations}:${entry.at}: ${what}`),
        });
      },
    },
    { ...command, checkpointKey: `merge ${translations.hash}` },
    context,
  );
  noCodes.close('plain-text targets without the source codes');
  mismatched.close('segment mismatches');
  const notFound = new Warnings(stderr);
  const withoutId = new Warnings(stderr);
  for (const entry of translations.entries) {
    if (entry.matched > 0) continue;
    const { line, at } = entry;
    if (line.id === null) withoutId.add(`${command.translations}:${at}: a line without "id" cannot be merged`);
    else notFound.add(`${command.translations}:${at}: no unit "${line.id}"${line.file === undefined ? '' : ` in file ${JSON.stringify(line.file)}`}`);
  }
  notFound.close('ids not found');
  withoutId.close('lines without id');
  if (!command.quiet) {
    stderr.write(
      `merge: ${translations.entries.length} lines, ${summary.unitsChanged} units changed, ${notFound.count} not found, ${withoutId.count} without id` +
        ` -> ${command.output}\n`,
    );
  }
  return 0;
}

/** Reads and checks every line before any work: a bad line is an error at `file:line:1`. */
async function loadTranslations(path: string, stderr: CliContext['stderr']): Promise<Translations> {
  const translations = new Translations();
  const duplicates = new Warnings(stderr);
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  const hash = createHash('sha1');
  let at = 0;
  try {
    for await (const text of lines) {
      at++;
      hash.update(`${text}\n`);
      if (text.trim() === '') continue;
      let line: MergeLine;
      try {
        line = parseMergeLine(at === 1 ? text.replace(/^\uFEFF/, '') : text);
      } catch (error) {
        throw new XliffError('XLIFF_PARSE', (error as Error).message, { file: path, line: at, column: 1 });
      }
      const entry: Entry = { line, at, matched: 0 };
      const replaced = translations.add(entry);
      if (replaced) {
        duplicates.add(`${path}:${at}: unit "${line.id}" already given at line ${replaced.at}: this line wins`);
        replaced.matched = -1; // not reported as not found
      }
    }
  } catch (error) {
    if (error instanceof XliffError) throw error;
    const code = (error as NodeJS.ErrnoException)?.code;
    throw new XliffError('XLIFF_IO', `cannot read the translations${code ? ` (${code})` : ''}: ${(error as Error)?.message ?? error}`, { file: path, cause: error });
  }
  duplicates.close('duplicate lines');
  translations.hash = hash.digest('hex');
  return translations;
}

interface MergeReports {
  /** A plain-text target replaces a source that has inline codes. */
  noCodes(what: string): void;
  /** A segment of the line does not match the unit's. */
  mismatch(what: string): void;
}

/**
 * The update a line makes to its unit: only what differs from the unit as it is (so the
 * unedited output of `extract` changes nothing). `targetXml` wins over `target` when both
 * were edited; `segments` count when the unit-level target was not edited.
 */
export function mergeUpdate(unit: Unit, entry: Entry, reports: MergeReports): UnitUpdate | undefined {
  const { line } = entry;
  const name = `unit "${unit.id}"`;
  const target = newTarget(line, unit.target?.text, unit.target?.xml, unit.source.parts, () => reports.noCodes(`${name}: plain-text "target" drops the inline codes of the source (give "targetXml" to keep them)`));
  const state = typeof line.state === 'string' && line.state !== '' && line.state !== unit.state ? line.state : undefined;
  if (target !== undefined || !line.segments || !unit.version.startsWith('2')) {
    return target === undefined && state === undefined ? undefined : { target, state };
  }
  const segments: SegmentUpdate[] = [];
  for (const s of line.segments) {
    const segment = unit.segments[s.index];
    if (!segment || (s.id != null && s.id !== (segment.id ?? null))) {
      reports.mismatch(`${name} has no segment ${s.index}${s.id != null ? ` with id "${s.id}"` : ''}: segment skipped`);
      continue;
    }
    const update = segmentUpdate(s, segment.kind, segment.target?.text, segment.target?.xml, segment.state, segment.source.parts, () =>
      reports.noCodes(`${name}, segment ${s.index}: plain-text "target" drops the inline codes of the source (give "targetXml" to keep them)`),
    );
    if (update) segments.push(update);
  }
  if (segments.length === 0) return state === undefined ? undefined : { state };
  return { segments, state };
}

function segmentUpdate(
  s: MergeSegment,
  kind: 'segment' | 'ignorable',
  text: string | undefined,
  xml: string | undefined,
  currentState: string | undefined,
  sourceParts: readonly Part[],
  noCodes: () => void,
): SegmentUpdate | undefined {
  const target = newTarget(s, text, xml, sourceParts, noCodes);
  const state = kind === 'segment' && typeof s.state === 'string' && s.state !== '' && s.state !== (currentState ?? 'initial') ? s.state : undefined;
  return target === undefined && state === undefined ? undefined : { index: s.index, target, state };
}

/** The new target, if the line's differs from the current one. */
function newTarget(
  line: { readonly target: string | null | undefined; readonly targetXml: string | null | undefined },
  text: string | undefined,
  xml: string | undefined,
  sourceParts: readonly Part[],
  noCodes: () => void,
): TargetContent | undefined {
  if (typeof line.targetXml === 'string' && line.targetXml !== xml) return { xml: line.targetXml };
  if (typeof line.target === 'string' && line.target !== text) {
    if (sourceParts.some((part) => part.type !== 'text')) noCodes();
    return line.target;
  }
  return undefined;
}
