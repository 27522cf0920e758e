/**
 * `joinXliff`: the targets and states of a document's parts (splitXliff's, translated or
 * reviewed elsewhere) put back into the document. The parts must be all of this document's
 * (their marks name its SHA-256 and number them), each once; their units are matched to the
 * document's by place, file and id, so a part another tool re-indented or re-escaped still
 * joins. Everything else is the document's, byte for byte: unchanged parts give the input
 * back. Streamed on both sides: the document through processXliff, the parts one at a time.
 */
import { XliffError } from '../errors.js';
import { fileSha256 } from '../io/file-hash.js';
import type { Unit } from '../model.js';
import { type ReadOptions } from '../options.js';
import { normalizeReadOptions, type ResolvedReadOptions } from '../normalize-options.js';
import { processXliff, type XliffJob } from '../process.js';
import { readEvents, readUnits } from '../read.js';
import type { Summary } from '../job/events.js';
import type { SegmentUpdate, UnitUpdate } from '../write/update.js';
import { OpenElements } from './open-elements.js';
import { readMarks, type PartMarks } from './part-marks.js';

export interface JoinOptions extends ReadOptions {
  /** Where the joined document goes (written to a temporary file, renamed on success). */
  readonly output: string;
}

interface Part extends PartMarks {
  readonly path: string;
}

export function joinXliff(input: string, parts: readonly string[], options: JoinOptions): Promise<Summary> {
  return joinXliffWatched(input, parts, options, undefined);
}

/** Who watches a join's job (the CLI's progress): how often it wants its progress, and what it is given the job with. */
export interface JoinWatcher {
  readonly progressIntervalMs: number;
  readonly watch: (job: XliffJob) => void;
}

/** `joinXliff`, handing the job that writes the output to `watcher` once the parts are checked. */
export async function joinXliffWatched(input: string, parts: readonly string[], options: JoinOptions, watcher: JoinWatcher | undefined): Promise<Summary> {
  if (typeof input !== 'string') throw new TypeError(`Expected \`input\` to be a file path, got ${typeof input}`);
  if (!Array.isArray(parts) || parts.some((part) => typeof part !== 'string')) throw new TypeError('Expected `parts` to be an array of file paths');
  const read = normalizeReadOptions(options);
  const [document, marked] = await Promise.all([fileSha256(input, read.signal), Promise.all(parts.map((path) => readPart(path, read)))]);
  const ordered = checkParts(marked, document, input);
  const cursor = new PartCursor(ordered, read);
  const job = processXliff(input, {
    output: options.output,
    signal: read.signal,
    fileName: read.fileName,
    maxUnitBytes: read.maxUnitBytes,
    maxDepth: read.maxDepth,
    // Every unit, in order, one at a time: each is matched to the next unit of the parts.
    filter: () => true,
    cache: false,
    concurrency: 1,
    retry: false,
    ...(watcher ? { progressIntervalMs: watcher.progressIntervalMs } : {}),
    process: async (unit) => joinedUpdate(unit, await cursor.unitFor(unit), cursor.current),
  });
  watcher?.watch(job);
  return job.done.catch((error: unknown) => {
    // A part that does not match is the job's error, not a unit's.
    const cause = (error as { cause?: unknown }).cause;
    throw cause instanceof XliffError && cause.code === 'XLIFF_PART' ? cause : error;
  });
}

/** A part's marks, read from its root's start tag. */
async function readPart(path: string, read: ResolvedReadOptions): Promise<Part> {
  const open = new OpenElements();
  for await (const event of readEvents(path, { ...read, fileName: path, skeleton: true })) {
    if (event.kind === 'skeleton') open.feed(event.text);
    if (event.kind === 'unit' || open.path.length > 0) break;
  }
  const marks = open.path[0] === undefined ? undefined : readMarks(open.path[0]);
  if (!marks) throw partError(path, 'it has no part marks (xmlns:…="urn:xliff-stream:part" on its root): it was not made by splitXliff, or a tool removed them');
  return { ...marks, path };
}

/** The parts in order, once each, all of this document and all of it. */
function checkParts(parts: readonly Part[], document: string, input: string): Part[] {
  const foreign = parts.filter((part) => part.document !== document);
  if (foreign.length > 0) throw partError(foreign[0]!.path, `it is a part of another document (${foreign.map((p) => p.path).join(', ')}), not of ${input}`);
  if (parts.length === 0) throw new XliffError('XLIFF_PART', `no part of ${input} was given`, { file: input });
  const count = parts[0]!.parts;
  const byNumber = new Map<number, Part>();
  for (const part of parts) {
    if (part.parts !== count) throw partError(part.path, `it says the document has ${part.parts} parts, ${parts[0]!.path} says ${count}`);
    const twice = byNumber.get(part.part);
    if (twice) throw partError(part.path, `it is part ${part.part} of ${count}, as ${twice.path} is: a part given twice`);
    byNumber.set(part.part, part);
  }
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((n) => !byNumber.has(n));
  if (missing.length > 0) throw new XliffError('XLIFF_PART', `part${missing.length > 1 ? 's' : ''} ${missing.join(', ')} of its ${count} ${missing.length > 1 ? 'are' : 'is'} missing`, { file: input });
  const ordered = [...byNumber.values()].sort((a, b) => a.part - b.part);
  let next = 0;
  for (const part of ordered) {
    if (part.first !== next) throw partError(part.path, `its units start at #${part.first}, where the parts before end at #${next}`);
    next += part.units;
  }
  return ordered;
}

/** The parts' units in document order, one part open at a time. */
class PartCursor {
  private at = -1;
  private units: AsyncGenerator<Unit, void, undefined> | undefined;
  private read = 0;
  private readonly total: number;

  constructor(
    private readonly parts: readonly Part[],
    private readonly options: ReadOptions,
  ) {
    const last = parts.at(-1)!;
    this.total = last.first + last.units;
  }

  get current(): Part {
    return this.parts[this.at]!;
  }

  /** The parts' unit that stands for the document's `unit`. */
  async unitFor(unit: Unit): Promise<Unit> {
    if (unit.index >= this.total) throw new XliffError('XLIFF_PART', `the document has more units than its parts (${this.total})`, { unitId: unit.id });
    while (this.at < 0 || unit.index >= this.current.first + this.current.units) await this.nextPart();
    const next = await this.units!.next();
    const part = this.current;
    if (next.done) throw partError(part.path, `it ends after ${this.read} units, its marks say ${part.units}`);
    this.read++;
    const theirs = next.value;
    const file = part.firstFile + theirs.file.index;
    if (theirs.id !== unit.id || file !== unit.file.index) {
      throw partError(part.path, `its unit #${this.read} is ${describeUnit(theirs, file)}, where the document has ${describeUnit(unit, unit.file.index)}`);
    }
    if (unit.index === this.total - 1) await this.endPart();
    return theirs;
  }

  private async nextPart(): Promise<void> {
    if (this.at >= 0) await this.endPart();
    this.at++;
    this.read = 0;
    this.units = readUnits(this.current.path, { ...this.options, fileName: this.current.path });
  }

  /** The open part has no unit left. */
  private async endPart(): Promise<void> {
    const extra = await this.units!.next();
    if (!extra.done) {
      await this.units!.return();
      throw partError(this.current.path, `it holds more units than its marks say (${this.current.units})`);
    }
  }
}

/** What the part's unit changes in the document's: its target and state (per segment in 2.x), or nothing. */
function joinedUpdate(ours: Unit, theirs: Unit, part: Part): UnitUpdate | undefined {
  if (theirs.raw === ours.raw) return undefined;
  if (theirs.segments.length !== ours.segments.length) {
    throw partError(part.path, `unit "${ours.id}" has ${theirs.segments.length} segments there, ${ours.segments.length} in the document`);
  }
  // A unit of one segment: its target (written into that segment); else segment by segment (their states go where the tool keeps them, e.g. Trados' `sdl:seg`).
  if (ours.segments.length === 1) {
    if (!theirs.target) return undefined;
    if (theirs.target.xml === ours.target?.xml && theirs.state === ours.state && theirs.subState === ours.subState) return undefined;
    return { target: { xml: theirs.target.xml }, ...states(theirs) };
  }
  const segments: SegmentUpdate[] = [];
  ours.segments.forEach((segment, index) => {
    const their = theirs.segments[index]!;
    if (segment.kind !== 'segment' || !their.target) return;
    if (their.target.xml === segment.target?.xml && their.state === segment.state && their.subState === segment.subState) return;
    segments.push({ index, target: { xml: their.target.xml }, ...states(their) });
  });
  return segments.length === 0 ? undefined : { segments };
}

function states(from: { readonly state: string | undefined; readonly subState: string | undefined }): { state?: string; subState?: string } {
  return { ...(from.state === undefined ? {} : { state: from.state }), ...(from.subState === undefined ? {} : { subState: from.subState }) };
}

function describeUnit(unit: Unit, file: number): string {
  return `${unit.id === undefined ? 'a unit without an id' : `"${unit.id}"`} of file #${Number.isNaN(file) ? '?' : file + 1}`;
}

function partError(path: string, reason: string): XliffError {
  return Object.assign(new XliffError('XLIFF_PART', reason, { file: path }), { retryable: false });
}
