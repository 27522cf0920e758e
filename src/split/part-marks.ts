/**
 * What marks a part as a part of one document: attributes of a namespace of its own on the
 * part's root (the document's SHA-256, the part's number, how many parts there are, the
 * index of its first unit and of that unit's `file`, its count of units). Values known only at the end of the split are written as
 * fixed-width placeholders and filled in place then.
 */
import { readTag } from './open-elements.js';

export const PART_NAMESPACE = 'urn:xliff-stream:part';
const DIGITS = 10;
const DOCUMENT_PLACEHOLDER = '0'.repeat(64);
const NUMBER_PLACEHOLDER = '0'.repeat(DIGITS);

/** What a part's root says of it. */
export interface PartMarks {
  readonly document: string;
  /** From 1. */
  readonly part: number;
  readonly parts: number;
  /** The document's index of the part's first unit... */
  readonly first: number;
  /** ...and of the `file` it is in (the part's files are the document's from there on). */
  readonly firstFile: number;
  readonly units: number;
  /** The prefix the part's namespace has in this part. */
  readonly prefix: string;
}

/** Where the placeholders of a marked root tag are, in characters from its start. */
export interface MarkedRoot {
  readonly tag: string;
  readonly document: number;
  readonly parts: number;
  readonly units: number;
}

/** A prefix the root tag does not declare already. */
export function markPrefix(rootTag: string): string {
  const declared = new Set(readTag(rootTag).attributes.map((a) => a.name));
  let prefix = 'xsp';
  for (let n = 2; declared.has(`xmlns:${prefix}`); n++) prefix = `xsp${n}`;
  return prefix;
}

/** The root's start tag with the part's marks (placeholders for what the end of the split tells). */
export function markRoot(rootTag: string, prefix: string, part: number, first: number, firstFile: number): MarkedRoot {
  const { close } = readTag(rootTag);
  const head = `${rootTag.slice(0, close)} xmlns:${prefix}="${PART_NAMESPACE}" ${prefix}:part="${part}" ${prefix}:first="${first}" ${prefix}:first-file="${firstFile}" ${prefix}:document="`;
  const document = head.length;
  const afterDocument = `${head}${DOCUMENT_PLACEHOLDER}" ${prefix}:parts="`;
  const parts = afterDocument.length;
  const afterParts = `${afterDocument}${NUMBER_PLACEHOLDER}" ${prefix}:units="`;
  const units = afterParts.length;
  return { tag: `${afterParts}${NUMBER_PLACEHOLDER}"${rootTag.slice(close)}`, document, parts, units };
}

/** A number in its placeholder's width. */
export function placeholderNumber(value: number): string {
  return String(value).padStart(DIGITS, '0');
}

/** The marks of a part's root start tag (as another tool may have rewritten it: any prefix, any quotes); `undefined` when it has none. */
export function readMarks(rootTag: string): PartMarks | undefined {
  const attributes = new Map(readTag(rootTag).attributes.map((a) => [a.name, rootTag.slice(a.valueStart, a.valueEnd)]));
  const declaration = [...attributes].find(([name, value]) => name.startsWith('xmlns:') && value === PART_NAMESPACE);
  if (!declaration) return undefined;
  const prefix = declaration[0].slice('xmlns:'.length);
  const number = (name: string): number => {
    const value = attributes.get(`${prefix}:${name}`);
    return value !== undefined && /^\d+$/.test(value.trim()) ? Number(value.trim()) : NaN;
  };
  const document = attributes.get(`${prefix}:document`)?.trim();
  const marks = { document: document ?? '', part: number('part'), parts: number('parts'), first: number('first'), firstFile: number('first-file'), units: number('units'), prefix };
  if (!/^[0-9a-f]{64}$/.test(marks.document) || [marks.part, marks.parts, marks.first, marks.firstFile, marks.units].some(Number.isNaN)) return undefined;
  return marks;
}
