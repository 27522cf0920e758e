/**
 * Writes an update into one unit's raw XML. Pure: strings in, a string out.
 *
 * A change touches only what it changes: the result is built from slices of `unit.raw`, and
 * only these are new:
 * - the inner XML of a `target` (or a whole `target` element, inserted where the schema puts it:
 *   1.2 right after `seg-source` if there is one, else after `source`; 2.x right after the
 *   segment's `source`);
 * - a self-closing `<target .../>` that gets content, written as `<target ...>new</target>`;
 * - the state attributes: 1.2 `state` / `state-qualifier` on `target`, 2.x `state` /
 *   `subState` on `segment` (a value replaced in place, a new attribute added after the last one).
 *
 * An inserted `target` takes the qualified name of the `source` before it (`x:source` gives
 * `x:target`; a namespace declaration for that prefix on the source, and its `xml:space`, are
 * copied), and stands on its own line with the indentation and line end of the element it
 * follows; when that element shares its line with what comes before it, the target follows
 * it on the same line.
 */
import type { Namespaces, Unit, UnitLayout } from '../model.js';
import { composeTarget, hasMarkedSegments, markEdits } from './marked-segments.js';
import { parseStartTag } from './markup-lexer.js';
import { applyEdits, badUpdate, content, copiedAttributes, declare, insertTarget, rewriteStartTag, writeTarget, type AttributeChanges, type Edit, type UnitWriteOptions, type Writer } from './raw-edits.js';
import { toolStateEdits, unitStateOf, unitSubStateOf } from './segment-states.js';
import { targetXml } from './target-xml.js';
import type { UnitUpdate } from './update.js';
import { holdsSegmentMarks, segmentIndex, validateUpdate } from './update-check.js';

export type { UnitWriteOptions } from './raw-edits.js';

/**
 * The unit's raw XML with `update` written into it; `unit.raw` itself when the update changes
 * nothing. `layout` is the one the reader gave with the unit.
 *
 * A unit-level `target` is for a unit of one segment (`validateUpdate` refuses it on a unit of
 * several, but for a 1.2 target whose XML holds the `mrk` segments itself); `segments`
 * write segment by segment, by index in `unit.segments` or by id; not both.
 *
 * 1.2: `target` replaces the inner XML of the `target` (or inserts one); on a unit whose
 * `seg-source` has one `mrk mtype="seg"` segment, it goes inside that segment's `mrk`.
 * `segments` write inside the target's `mrk` elements of the same `mid`; a unit without a
 * target (or with an empty one) gets one made on the `seg-source` (see marked-segments.ts).
 * `state` and `subState` set `target/@state` and `target/@state-qualifier`; without them,
 * segment states set `target/@state` when every segment has one (the least advanced), and
 * the tool's own per-segment state where there is one (segment-states.ts). When the unit has
 * no target and the update gives none, states are ignored (no element to carry them).
 *
 * 2.x: `target` goes to the unit's one `segment` (ignorables are skipped). `segments` writes
 * targets (and states) segment by segment; an ignorable may get a target but has no state.
 * `state` / `subState` set `segment/@state` / `segment/@subState`: of every `segment` when
 * the update has no `segments`, else of the segments it lists (a segment's own state wins).
 * Setting `state` without `subState` removes a `subState` already there, as the 2.x spec
 * asks of writers that update `state`.
 *
 * Throws an `XliffError` with code `XLIFF_BAD_UPDATE` (naming the unit) when the update has
 * the wrong shape, holds characters XML cannot hold, gives XML this library's reader would
 * not read where it goes (not well-formed, or a prefix not bound there), or cannot be written
 * into this unit.
 */
export function applyUpdate(unit: Unit, layout: UnitLayout, update: UnitUpdate, options: UnitWriteOptions = {}): string {
  validateUpdate(unit, update, options);
  return writeUpdate(unit, layout, update, options);
}

/**
 * `applyUpdate` without its check of the update's shape and characters: for an update
 * `validateUpdate` has passed already. The XML it gives is checked here, where its target
 * goes: in the namespaces in scope there.
 */
export function writeUpdate(unit: Unit, layout: UnitLayout, update: UnitUpdate, options: UnitWriteOptions = {}): string {
  const edits = unit.version.startsWith('1') ? edits12(unit, layout, update, options) : edits2(unit, layout, update, options);
  if (edits.length === 0) return unit.raw;
  const result = applyEdits(unit.raw, edits);
  return result === unit.raw ? unit.raw : result;
}

function edits12(unit: Unit, layout: UnitLayout, update: UnitUpdate, options: UnitWriteOptions): Edit[] {
  const w: Writer = { raw: unit.raw, unit, options };
  const { namespaces, target } = layout;
  const after = layout.segSource ?? layout.source;
  const scope = (): Namespaces => declare(w, namespaces, target ? parseStartTag(w.raw, target.start).attributes : copiedAttributes(w.raw, after));
  let segments = update.segments ?? [];
  let unitTarget = update.target;
  // A unit-level target on a unit of one `mrk` segment is that segment's, unless it holds the `mrk` itself.
  if (unitTarget !== undefined && layout.segSourceMarks.length === 1 && !holdsSegmentMarks(targetXml(unitTarget))) {
    segments = [{ index: 0, target: unitTarget }];
    unitTarget = undefined;
  }
  const marked = hasMarkedSegments(unit, layout) && segments.length > 0;
  // Without `mrk` segments, the one segment is the whole unit.
  const whole = marked ? undefined : segments[0];
  const targetState = update.state ?? whole?.state ?? (marked ? unitStateOf(unit, segments) : undefined);
  const targetSubState = update.subState ?? whole?.subState ?? (marked && update.state === undefined ? unitSubStateOf(unit, segments) : undefined);
  const attributes: AttributeChanges = new Map();
  if (targetState !== undefined) attributes.set('state', targetState);
  if (targetSubState !== undefined) attributes.set('state-qualifier', targetSubState);
  const edits: Edit[] = toolStateEdits(w, layout, marked ? segments : [], targetState);
  if (!marked) {
    const given = unitTarget ?? whole?.target;
    const inner = given === undefined ? undefined : content(w, given, unitTarget !== undefined ? 'target' : 'segments[0].target', scope);
    if (target) writeTarget(w, target, inner, attributes, edits);
    else if (inner !== undefined) edits.push(insertTarget(w, after, 0, inner, attributes));
    return edits;
  }
  const inners = new Map<number, string>();
  segments.forEach((s, n) => {
    if (s.target !== undefined) inners.set(segmentIndex(unit, s), content(w, s.target, `segments[${n}].target`, scope));
  });
  const inMarks = inners.size === 0 ? [] : markEdits(w, layout, inners);
  if (inMarks) {
    if (target) writeTarget(w, target, undefined, attributes, edits);
    edits.push(...inMarks);
    return edits;
  }
  const composed = content(w, { xml: composeTarget(w, layout, inners) }, 'segments (the target made on the seg-source)', scope);
  if (target) writeTarget(w, target, composed, attributes, edits);
  else edits.push(insertTarget(w, after, 0, composed, attributes));
  return edits;
}

function edits2(unit: Unit, layout: UnitLayout, update: UnitUpdate, options: UnitWriteOptions): Edit[] {
  const w: Writer = { raw: unit.raw, unit, options };
  interface Plan {
    target?: string | undefined;
    state?: string | undefined;
    subState?: string | undefined;
  }
  const plans = new Map<number, Plan>();
  const plan = (index: number): Plan => {
    let p = plans.get(index);
    if (!p) plans.set(index, (p = {}));
    return p;
  };
  const isSegment = (i: number): boolean => unit.segments[i]!.kind === 'segment';
  const segments = update.segments ?? [];
  /** The namespaces in scope in the target of segment `i`: the unit's, the segment's, the target's (or those the new one copies). */
  const scope = (i: number) => (): Namespaces => {
    const { element, source, target } = layout.segments[i]!;
    const inSegment = declare(w, layout.namespaces, parseStartTag(w.raw, element.start).attributes);
    return declare(w, inSegment, target ? parseStartTag(w.raw, target.start).attributes : copiedAttributes(w.raw, source));
  };

  if (update.target !== undefined) {
    // validateUpdate lets a unit-level target through only on a unit of one segment.
    const first = unit.segments.findIndex((s) => s.kind === 'segment');
    if (first === -1) badUpdate(w, 'the unit has no segment to hold the target');
    plan(first).target = content(w, update.target, 'target', scope(first));
  }
  for (const [n, s] of segments.entries()) {
    const index = segmentIndex(unit, s);
    const p = plan(index);
    if (s.target !== undefined) p.target = content(w, s.target, `segments[${n}].target`, scope(index));
    p.state = s.state;
    p.subState = s.subState;
  }
  if (update.state !== undefined || update.subState !== undefined) {
    const written = segments.length > 0 ? segments.map((s) => segmentIndex(unit, s)) : unit.segments.map((_, i) => i);
    for (const i of written) {
      if (!isSegment(i)) continue;
      const p = plan(i);
      p.state ??= update.state;
      p.subState ??= update.subState;
    }
  }

  const edits: Edit[] = [];
  for (const [index, p] of plans) {
    const segment = layout.segments[index]!;
    const attributes: AttributeChanges = new Map();
    if (p.state !== undefined) attributes.set('state', p.state);
    if (p.subState !== undefined) attributes.set('subState', p.subState);
    else if (p.state !== undefined) attributes.set('subState', null);
    if (attributes.size > 0) {
      const tag = parseStartTag(w.raw, segment.element.start);
      const text = rewriteStartTag(w, tag, attributes, false);
      if (text !== w.raw.slice(tag.start, tag.end)) edits.push({ from: tag.start, to: tag.end, text });
    }
    if (p.target === undefined) continue;
    if (segment.target) writeTarget(w, segment.target, p.target, new Map(), edits);
    else edits.push(insertTarget(w, segment.source, segment.element.start, p.target, new Map()));
  }
  return edits;
}

