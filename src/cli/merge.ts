/**
 * `xliff-stream merge <in> <translations.jsonl> <out>`: applies the targets and states of
 * a JSON-lines file (what `extract` writes, edited) to the units found by file and id.
 */
import { isXliffError } from '../errors.js';
import type { Part, Unit } from '../model.js';
import type { Summary } from '../process.js';
import { targetLosesSegments } from '../write/update-check.js';
import type { SegmentUpdate, TargetContent, UnitUpdate } from '../write/update.js';
import type { CommonOptions } from './args.js';
import { Warnings, type CliContext } from './context.js';
import { isStdio, prepareOutput } from './files.js';
import { outputName, runJob } from './job.js';
import { Divergence, indexedTranslations, scanTranslations, streamedTranslations, type FoundLine, type Translations, type TranslationsScan } from './translations.js';
import type { MergeSegment } from './unit-line.js';

export interface MergeCommand extends CommonOptions {
  readonly input: string;
  readonly translations: string;
  readonly output: string;
}

export async function mergeCommand(command: MergeCommand, context: CliContext): Promise<number> {
  const { stderr, signal } = context;
  // The output is checked before the translations are read (which may take long).
  await prepareOutput(command.output, command.input, { journal: command.checkpoint });
  const scan = await scanTranslations(command.translations, stderr, signal);
  // Read along with the units only where a run can be made again (a file in, a file out)
  // and no journal replays units unseen.
  const streamed = scan.ordered && !isStdio(command.input) && !isStdio(command.output) && !command.checkpoint;
  let result: { summary: Summary; notFound: number | undefined } | undefined;
  let how = 'looked up by id';
  if (streamed) {
    try {
      result = await mergeWith(streamedTranslations(scan), scan, command, context);
      how = 'read in document order';
    } catch (error) {
      const divergence = isXliffError(error) && error.cause instanceof Divergence ? error.cause : error instanceof Divergence ? error : undefined;
      if (!divergence) throw error;
      if (!command.quiet) stderr.write(`merge: the lines of ${scan.path} do not line up with the units of ${command.input} (${divergence.message}): merging again, the lines looked up by id\n`);
    }
  }
  result ??= await mergeWith(await indexedTranslations(scan, stderr, signal), scan, command, context);
  if (!command.quiet) {
    stderr.write(
      `merge: ${scan.lines + scan.withoutId} lines (${how}), ${result.summary.unitsChanged} units changed, ` +
        `${result.notFound ?? '? (units replayed from the journal did not look)'} not found, ${scan.withoutId} without id` +
        ` -> ${outputName(command.output)}\n`,
    );
  }
  return 0;
}

/** One run of the job with the lines found one way or the other; reports the lines no unit took. */
async function mergeWith(translations: Translations, scan: TranslationsScan, command: MergeCommand, context: CliContext): Promise<{ summary: Summary; notFound: number | undefined }> {
  const { stderr } = context;
  // Held until the job is done: a run that does not line up is made again, and a bar is not broken.
  const noCodes = new Warnings(stderr, { held: true });
  const mismatched = new Warnings(stderr, { held: true });
  try {
    const summary = await runJob(
      'merge',
      command.input,
      command.output,
      {
        // Every unit (not only translatable ones) can be found; updates depend on the id: no cache.
        filter: () => true,
        cache: false,
        // The lines answer at once and the same each time: nothing to retry.
        retry: false,
        process: (unit) => {
          const found = translations.find(unit);
          if (!found) return undefined;
          return mergeUpdate(unit, found, {
            noCodes: (what) => noCodes.add(`${command.translations}:${found.at}: ${what}`),
            mismatch: (what) => mismatched.add(`${command.translations}:${found.at}: ${what}`),
          });
        },
      },
      { ...command, checkpointKey: `merge ${scan.hash}` },
      context,
    );
    noCodes.close('plain-text targets without the source codes');
    mismatched.close('segment mismatches');
    const notFound = new Warnings(stderr);
    // Units replayed from a journal did not ask for their lines: those would look not found.
    if (summary.unitsReplayed > 0) return { summary, notFound: undefined };
    for (const line of translations.unmatched()) {
      notFound.add(`${command.translations}:${line.at}: no unit "${line.id}"${line.file === undefined ? '' : ` in file ${JSON.stringify(line.file)}`}`);
    }
    notFound.close('ids not found');
    return { summary, notFound: notFound.count };
  } finally {
    translations.close();
  }
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
 * were edited; `segments` count when the unit-level target was not edited (or was skipped: on a
 * unit of several segments it would run them into one).
 */
export function mergeUpdate(unit: Unit, found: FoundLine, reports: MergeReports): UnitUpdate | undefined {
  const { line } = found;
  const name = `unit "${unit.id}"`;
  const target = newTarget(line, unit.target?.text, unit.target?.xml, unit.source.parts, () => reports.noCodes(`${name}: plain-text "target" drops the inline codes of the source (give "targetXml" to keep them)`));
  const state = typeof line.state === 'string' && line.state !== '' && line.state !== unit.state ? line.state : undefined;
  // As `extract` gives them: 2.x segments, and 1.2 units of several `mrk` segments.
  const segmentLines = unit.version.startsWith('2') || unit.segments.length > 1 ? line.segments : undefined;
  if (target !== undefined && targetLosesSegments(unit, target)) {
    reports.mismatch(`${name} has ${unit.segments.length} segments: its edited unit-level target would run them into one and was skipped (edit each segment's)`);
  } else if (target !== undefined || !segmentLines) {
    return target === undefined && state === undefined ? undefined : { target, state };
  }
  if (!segmentLines) return state === undefined ? undefined : { state };
  const segments: SegmentUpdate[] = [];
  for (const s of segmentLines) {
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
