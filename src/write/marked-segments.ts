/**
 * 1.2 segments: the `mrk mtype="seg"` elements of a unit's `seg-source`, which tools (Trados
 * Studio, Okapi, Matecat...) repeat in the `target` with the same `mid`. A segment's new
 * target goes inside its `mrk` in the target; a unit without a (segmented) target gets one
 * made on the `seg-source`'s structure: what lies between its segments (white space, `g`
 * tags, codes) as there, each segment's `mrk` holding its new target, or empty.
 */
import type { MarkLayout, Unit, UnitLayout } from '../model.js';
import { parseStartTag } from './markup-lexer.js';
import { badUpdate, rewriteStartTag, type Edit, type Writer } from './raw-edits.js';

/** What is inside a `target` that holds no segment yet: nothing, or white space only. */
const BLANK = /^\s*$/;

/**
 * Edits that write `inners` (new inner XML by index in `unit.segments`) into the target's
 * `mrk` segments; `undefined` when the unit has no segmented target and one is to be made
 * (`composeTarget`). A target that holds text but no segment cannot take them.
 */
export function markEdits(w: Writer, layout: UnitLayout, inners: ReadonlyMap<number, string>): Edit[] | undefined {
  const { raw, unit } = w;
  const target = layout.target;
  if (!target || layout.targetMarks.length === 0) {
    if (target && !BLANK.test(raw.slice(target.innerStart, target.innerEnd))) {
      badUpdate(w, 'segments: the target holds no mrk mtype="seg" segment to write into (it is not segmented like the seg-source): give `target`');
    }
    return undefined;
  }
  const edits: Edit[] = [];
  const missing: number[] = [];
  for (const [index, inner] of inners) {
    const mark = targetMark(layout, unit.segments[index]!.id);
    if (!mark) {
      missing.push(index);
      continue;
    }
    const { element } = mark;
    const tag = parseStartTag(raw, element.start);
    if (tag.selfClosing) {
      if (inner !== '') edits.push({ from: element.start, to: element.end, text: `${rewriteStartTag(w, tag, new Map(), true)}${inner}</${tag.name}>` });
    } else if (inner !== raw.slice(element.innerStart, element.innerEnd)) {
      edits.push({ from: element.innerStart, to: element.innerEnd, text: inner });
    }
  }
  // In document order: insertions at one place keep the seg-source's order.
  for (const index of missing.sort((a, b) => a - b)) edits.push(insertedMark(w, layout, index, inners.get(index)!));
  return edits;
}

function targetMark(layout: UnitLayout, mid: string | undefined): MarkLayout | undefined {
  return layout.targetMarks.find((m) => m.id === mid);
}

/**
 * A segment the target lacks (a translator joined it to another, a tool dropped it): its
 * `mrk` goes after the target's `mrk` of the nearest segment before it in the seg-source,
 * with the text between it and the one before it there; or, when the target has none of those, before the
 * `mrk` of the nearest segment after it.
 */
function insertedMark(w: Writer, layout: UnitLayout, index: number, inner: string): Edit {
  const { raw } = w;
  // Text only: markup between two segments (`</g><g id="2">`) may not balance where the mrk goes.
  const between = (from: number, to: number): string => (raw.lastIndexOf('<', to - 1) >= from ? '' : raw.slice(from, to));
  const marks = layout.segSourceMarks;
  const own = marks[index]!.element;
  const element = `${rewriteStartTag(w, parseStartTag(raw, own.start), new Map(), true)}${inner}</${parseStartTag(raw, own.start).name}>`;
  for (let i = index - 1; i >= 0; i--) {
    const before = targetMark(layout, marks[i]!.id);
    if (before) return { from: before.element.end, to: before.element.end, text: between(marks[index - 1]!.element.end, own.start) + element };
  }
  for (let i = index + 1; i < marks.length; i++) {
    const after = targetMark(layout, marks[i]!.id);
    if (after) return { from: after.element.start, to: after.element.start, text: element + between(own.end, marks[index + 1]!.element.start) };
  }
  return badUpdate(w, `segments: the target has none of the seg-source's segments`);
}

/** The inner XML of a new target made on the `seg-source`: its segments' `mrk` elements hold `inners`, or nothing. */
export function composeTarget(w: Writer, layout: UnitLayout, inners: ReadonlyMap<number, string>): string {
  const { raw } = w;
  const segSource = layout.segSource!;
  let out = '';
  let at = segSource.innerStart;
  layout.segSourceMarks.forEach((mark, index) => {
    const { element } = mark;
    out += raw.slice(at, element.start);
    const tag = parseStartTag(raw, element.start);
    const inner = inners.get(index);
    if (inner === undefined || inner === '') out += tag.selfClosing ? raw.slice(tag.start, tag.end) : `${raw.slice(tag.start, tag.close)}/>`;
    else out += `${rewriteStartTag(w, tag, new Map(), true)}${inner}</${tag.name}>`;
    at = element.end;
  });
  return out + raw.slice(at, segSource.innerEnd);
}

/** Whether a 1.2 unit is segmented with `mrk mtype="seg"` (else its one segment is the whole unit). */
export function hasMarkedSegments(unit: Unit, layout: UnitLayout): boolean {
  return unit.version.startsWith('1') && layout.segSourceMarks.length > 0;
}
