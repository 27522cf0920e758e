/**
 * The states of 1.2 segments. XLIFF 1.2 has one state per target (`target/@state`); the
 * tools that segment units keep their own as well, which their users read:
 * - Trados Studio: `sdl:seg-defs/sdl:seg[@id = mid]/@conf`, one per segment;
 * - memoQ: `trans-unit/@mq:status`, one per unit (memoQ writes a unit per segment).
 * A state set by the caller (one of XLIFF 1.2's) is written into both, mapped to the tool's
 * terms; a state the mapping does not know leaves the tool's own as it is.
 */
import type { Namespaces, Unit, UnitLayout } from '../model.js';
import { parseStartTag, skipPast, type StartTag } from './markup-lexer.js';
import { declare, rewriteStartTag, type Edit, type Writer } from './raw-edits.js';
import type { SegmentUpdate } from './update.js';
import { segmentIndex } from './update-check.js';

/** XLIFF 1.2 `state` values, least advanced first. */
const STATE_ORDER_12 = [
  'new',
  'needs-translation',
  'needs-l10n',
  'needs-adaptation',
  'needs-review-translation',
  'needs-review-l10n',
  'needs-review-adaptation',
  'translated',
  'signed-off',
  'final',
];

const SDL_NAMESPACE = 'http://sdl.com/FileTypes/SdlXliff/1.0';
const MEMOQ_NAMESPACE = 'MQXliff';

/** Trados Studio's confirmation level (`sdl:seg/@conf`) for an XLIFF 1.2 state; `null`: none (the attribute goes). */
const SDL_CONF: Readonly<Record<string, string | null>> = {
  new: null,
  'needs-translation': null,
  'needs-l10n': 'Draft',
  'needs-adaptation': 'Draft',
  'needs-review-translation': 'Draft',
  'needs-review-l10n': 'Draft',
  'needs-review-adaptation': 'Draft',
  translated: 'Translated',
  'signed-off': 'ApprovedTranslation',
  final: 'ApprovedSignOff',
};

/**
 * memoQ's segment status (`trans-unit/@mq:status`) for an XLIFF 1.2 state, among the values
 * memoQ writes (NotStarted, PreTranslated, PartiallyEdited, ManuallyConfirmed,
 * Reviewer1Confirmed, Proofread, MachineTranslated, AssembledFromFragments, Rejected): the
 * second reviewer's confirmation is `Proofread`.
 */
const MEMOQ_STATUS: Readonly<Record<string, string>> = {
  new: 'NotStarted',
  'needs-translation': 'NotStarted',
  'needs-l10n': 'PartiallyEdited',
  'needs-adaptation': 'PartiallyEdited',
  'needs-review-translation': 'PartiallyEdited',
  'needs-review-l10n': 'PartiallyEdited',
  'needs-review-adaptation': 'PartiallyEdited',
  translated: 'ManuallyConfirmed',
  'signed-off': 'Reviewer1Confirmed',
  final: 'Proofread',
};

/** The target's state when every segment of the unit gets one: the least advanced (a state outside 1.2's counts as the least). */
export function unitStateOf(unit: Unit, segments: readonly SegmentUpdate[]): string | undefined {
  const states = coveringAll(unit, segments, (s) => s.state);
  if (!states) return undefined;
  const rank = (state: string): number => STATE_ORDER_12.indexOf(state);
  return states.reduce((least, state) => (rank(state) < rank(least) ? state : least));
}

/** The target's state qualifier when every segment of the unit gets the same one. */
export function unitSubStateOf(unit: Unit, segments: readonly SegmentUpdate[]): string | undefined {
  const qualifiers = coveringAll(unit, segments, (s) => s.subState);
  return qualifiers && qualifiers.every((q) => q === qualifiers[0]) ? qualifiers[0] : undefined;
}

/** What `pick` gives for every segment of the unit, or `undefined` when a segment gets none. */
function coveringAll(unit: Unit, segments: readonly SegmentUpdate[], pick: (s: SegmentUpdate) => string | undefined): string[] | undefined {
  const values: string[] = [];
  const covered = new Set<number>();
  for (const s of segments) {
    const value = pick(s);
    if (value === undefined) continue;
    values.push(value);
    covered.add(segmentIndex(unit, s));
  }
  return covered.size === unit.segments.length && values.length > 0 ? values : undefined;
}

/**
 * Edits of the tools' own states: each segment's `sdl:seg/@conf` from its state, and
 * `mq:status` from the target's (`unitState`).
 */
export function toolStateEdits(w: Writer, layout: UnitLayout, segments: readonly SegmentUpdate[], unitState: string | undefined): Edit[] {
  const edits: Edit[] = [];
  const { raw, unit } = w;
  const unitTag = parseStartTag(raw, 0);
  const scope = declare(w, layout.namespaces, unitTag.attributes);
  if (unitState !== undefined && MEMOQ_STATUS[unitState] !== undefined) {
    const status = unitTag.attributes.find((a) => a.name.endsWith(':status') && scope[a.name.slice(0, -7)] === MEMOQ_NAMESPACE);
    if (status) edit(w, unitTag, new Map([[status.name, MEMOQ_STATUS[unitState]!]]), edits);
  }
  const confs = new Map<string | undefined, string | null>();
  for (const s of segments) {
    if (s.state !== undefined && SDL_CONF[s.state] !== undefined) confs.set(unit.segments[segmentIndex(unit, s)]!.id, SDL_CONF[s.state]!);
  }
  if (confs.size === 0 || !raw.includes('seg-defs')) return edits;
  for (const seg of sdlSegs(w, unitTag, scope)) {
    const id = seg.attributes.find((a) => a.name === 'id');
    const conf = id === undefined ? undefined : confs.get(raw.slice(id.valueStart, id.valueEnd));
    if (conf !== undefined) edit(w, seg, new Map([['conf', conf]]), edits);
  }
  return edits;
}

function edit(w: Writer, tag: StartTag, changes: Map<string, string | null>, edits: Edit[]): void {
  const text = rewriteStartTag(w, tag, changes, false);
  if (text !== w.raw.slice(tag.start, tag.end)) edits.push({ from: tag.start, to: tag.end, text });
}

/** The `sdl:seg` start tags of the unit's `sdl:seg-defs` child (any prefix bound to SDL XLIFF's namespace). */
function sdlSegs(w: Writer, unitTag: StartTag, unitScope: Namespaces): StartTag[] {
  const { raw } = w;
  const found: StartTag[] = [];
  const inSdl = (tag: StartTag, scope: Namespaces, local: string): boolean => {
    const colon = tag.name.indexOf(':');
    return tag.name.slice(colon + 1) === local && scope[colon === -1 ? '' : tag.name.slice(0, colon)] === SDL_NAMESPACE;
  };
  // Walks the unit's children and their content; `segDefs` is the depth of seg-defs while inside it.
  let depth = 0;
  let segDefs = -1;
  const scopes: Namespaces[] = [unitScope];
  let i = unitTag.end;
  while ((i = raw.indexOf('<', i)) !== -1) {
    if (raw.startsWith('<!--', i)) i = skipPast(raw, '-->', i + 4);
    else if (raw.startsWith('<![CDATA[', i)) i = skipPast(raw, ']]>', i + 9);
    else if (raw.startsWith('<?', i)) i = skipPast(raw, '?>', i + 2);
    else if (raw[i + 1] === '/') {
      if (depth === 0) break;
      if (depth === segDefs) segDefs = -1;
      depth--;
      scopes.pop();
      i = skipPast(raw, '>', i);
    } else {
      const tag = parseStartTag(raw, i);
      const scope = declare(w, scopes[scopes.length - 1]!, tag.attributes);
      if (depth === 0 && inSdl(tag, scope, 'seg-defs')) segDefs = depth + 1;
      else if (segDefs !== -1 && depth === segDefs && inSdl(tag, scope, 'seg')) found.push(tag);
      if (!tag.selfClosing) {
        depth++;
        scopes.push(scope);
      }
      i = tag.end;
    }
  }
  return found;
}
