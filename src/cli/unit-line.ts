/**
 * The JSON-lines shape that `extract` writes and `merge` reads: one unit per line.
 */
import { fragmentProblem } from '../read/fragment-check.js';
import type { Segment, Unit } from '../model.js';

export interface UnitLine {
  /** The `file` element's `original` (a 2.x file without one: its `id`); `null` when it has neither. */
  readonly file: string | null;
  /** The unit's `id`; `null` for a unit without one (it cannot be merged). */
  readonly id: string | null;
  /** Position of the unit in the document, from 0 (for reading; `merge` finds units by `file` and `id`). */
  readonly index: number;
  readonly translate: boolean;
  /** The source as plain text, and its inner XML with the inline codes. */
  readonly source: string;
  readonly sourceXml: string;
  /** The target as plain text and as inner XML; `null` when the unit has none. */
  readonly target: string | null;
  readonly targetXml: string | null;
  /** 1.2 `target/@state`; 2.x the least advanced segment state; `null` when none. */
  readonly state: string | null;
  readonly notes: readonly string[];
  /**
   * Units of more than one segment (2.x segments and ignorables; 1.2 `mrk mtype="seg"` in the
   * `seg-source`): each one, by `index` in the unit, with its `id` (2.x segment/@id, 1.2 mrk/@mid).
   */
  readonly segments?: readonly SegmentLine[];
}

export interface SegmentLine {
  readonly index: number;
  readonly kind: 'segment' | 'ignorable';
  readonly id: string | null;
  readonly source: string;
  readonly sourceXml: string;
  readonly target: string | null;
  readonly targetXml: string | null;
  readonly state: string | null;
}

/** What `merge` finds a unit by: the file's `original`, or its `id` (2.x files need no `original`). */
export function fileKey(unit: Unit): string | null {
  return unit.file.original ?? unit.file.id ?? null;
}

export function toUnitLine(unit: Unit): UnitLine {
  const line: UnitLine = {
    file: fileKey(unit),
    id: unit.id ?? null,
    index: unit.index,
    translate: unit.translate,
    source: unit.source.text,
    sourceXml: unit.source.xml,
    target: unit.target?.text ?? null,
    targetXml: unit.target?.xml ?? null,
    state: unit.state ?? null,
    notes: unit.notes.map((note) => note.text),
  };
  if (unit.segments.length < 2) return line;
  return { ...line, segments: unit.segments.map(toSegmentLine) };
}

function toSegmentLine(segment: Segment, index: number): SegmentLine {
  return {
    index,
    kind: segment.kind,
    id: segment.id ?? null,
    source: segment.source.text,
    sourceXml: segment.source.xml,
    target: segment.target?.text ?? null,
    targetXml: segment.target?.xml ?? null,
    state: segment.state ?? null,
  };
}

/** What `merge` takes from a line: the other fields are ignored. */
export interface MergeLine {
  /** `undefined`: the line names no file and applies to the unit of that id in any file. */
  readonly file: string | null | undefined;
  readonly id: string | null;
  /** Tells apart lines of the same file and id (a file with duplicate ids): the unit's position. */
  readonly index: number | undefined;
  readonly target: string | null | undefined;
  readonly targetXml: string | null | undefined;
  readonly state: string | null | undefined;
  readonly segments: readonly MergeSegment[] | undefined;
}

export interface MergeSegment {
  readonly index: number;
  readonly id: string | null | undefined;
  readonly target: string | null | undefined;
  readonly targetXml: string | null | undefined;
  readonly state: string | null | undefined;
}

/** Reads one line; throws an `Error` saying what is wrong with it (the caller adds where). */
export function parseMergeLine(text: string): MergeLine {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(`not JSON: ${(error as Error).message}`, { cause: error });
  }
  const line = object(value, 'the line');
  // A line without "id" (or with "id": null) is reported and skipped by the caller.
  const id = optionalString(line, 'id');
  let segments: MergeSegment[] | undefined;
  if (line['segments'] !== undefined && line['segments'] !== null) {
    if (!Array.isArray(line['segments'])) throw new Error(`"segments": expected an array, got ${kind(line['segments'])}`);
    segments = line['segments'].map((item: unknown, n: number) => {
      const segment = object(item, `segments[${n}]`);
      const index = segment['index'];
      if (typeof index !== 'number' || !Number.isInteger(index) || index < 0) throw new Error(`segments[${n}].index: expected a whole number from 0, got ${kind(index)}`);
      return {
        index,
        id: optionalString(segment, 'id', `segments[${n}].`),
        target: optionalString(segment, 'target', `segments[${n}].`),
        targetXml: xmlFragment(segment, 'targetXml', `segments[${n}].`),
        state: optionalString(segment, 'state', `segments[${n}].`),
      };
    });
  }
  const index = line['index'];
  if (index !== undefined && index !== null && (typeof index !== 'number' || !Number.isInteger(index) || index < 0)) {
    throw new Error(`"index": expected a whole number from 0, got ${kind(index)}`);
  }
  return {
    file: optionalString(line, 'file'),
    id: id ?? null,
    index: index ?? undefined,
    target: optionalString(line, 'target'),
    targetXml: xmlFragment(line, 'targetXml'),
    state: optionalString(line, 'state'),
    segments,
  };
}

function object(value: unknown, what: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error(`${what}: expected a JSON object, got ${kind(value)}`);
  return value as Record<string, unknown>;
}

function optionalString(record: Record<string, unknown>, key: string, at = ''): string | null | undefined {
  const value = record[key];
  if (value === undefined || value === null || typeof value === 'string') return value;
  throw new Error(`${at}"${key}": expected a string or null, got ${kind(value)}`);
}

/** An inner XML that must be well-formed: a broken one would break the output file. */
function xmlFragment(record: Record<string, unknown>, key: string, at = ''): string | null | undefined {
  const xml = optionalString(record, key, at);
  if (typeof xml !== 'string') return xml;
  // Where it goes is not known yet: its prefixes are checked when it is written.
  const problem = fragmentProblem(xml);
  if (problem !== undefined) throw new Error(`${at}"${key}" is not well-formed XML: ${problem.reason} at character ${problem.index}`);
  return xml;
}

function kind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'string' ? `"${value.length > 30 ? `${value.slice(0, 30)}...` : value}"` : typeof value;
}
