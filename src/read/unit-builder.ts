/**
 * Builds one `Unit` from the parser events between its start and end tags. Pure.
 */
import { ContentBuilder, EMPTY_CONTENT, concatContents, type MarkedSegment } from './content-builder.js';
import type { Attributes, Content, ElementSpan, FileContext, GroupContext, Location, MarkLayout, Namespaces, Note, Segment, Unit, UnitLayout, XliffVersion } from '../model.js';

export interface UnitContext {
  readonly version: XliffVersion;
  readonly index: number;
  readonly file: FileContext;
  readonly groups: readonly GroupContext[];
  /** `translate` as inherited from the enclosing elements. */
  readonly translate: boolean;
  readonly attributes: Attributes;
  readonly slice: (from: number, to: number) => string;
  /** Character index of the unit's `<`: layouts are relative to it. */
  readonly start: number;
  /** The namespaces in scope at the unit's element, for the layout. */
  readonly namespaces: Namespaces;
}

interface OpenSpan {
  readonly start: number;
  readonly innerStart: number;
}

const NO_MARKS: readonly MarkLayout[] = Object.freeze([]);

/** 2.x states, least advanced first. */
const STATE_ORDER = ['initial', 'translated', 'reviewed', 'final'];

interface SegmentDraft {
  readonly kind: 'segment' | 'ignorable';
  readonly attributes: Attributes;
  readonly open: OpenSpan;
  source?: Content;
  target?: Content;
  sourceSpan?: ElementSpan;
  targetSpan?: ElementSpan;
  span?: ElementSpan;
}

export class UnitBuilder {
  private readonly major: 1 | 2;
  /** Depth of the element being read, the unit itself being 0. */
  private depth = 0;
  private content: ContentBuilder | undefined;
  private contentName = '';
  private contentDepth = 0;
  private note: { attributes: Attributes; text: string } | undefined;
  private inNotes = false;
  private segment: SegmentDraft | undefined;
  private source: Content | undefined;
  private target: Content | undefined;
  private sourceSegments: MarkedSegment[] | undefined;
  private targetSegments: MarkedSegment[] | undefined;
  private readonly segments: SegmentDraft[] = [];
  private readonly notes: Note[] = [];
  private contentOpen: OpenSpan = { start: 0, innerStart: 0 };
  private sourceSpan: ElementSpan | undefined;
  private segSourceSpan: ElementSpan | undefined;
  private targetSpan: ElementSpan | undefined;

  constructor(private readonly context: UnitContext) {
    this.major = context.version.startsWith('1') ? 1 : 2;
  }

  startElement(name: string, inXliff: boolean, attributes: Attributes, tagStart: number, innerStart: number): void {
    const depth = ++this.depth;
    if (this.content) {
      this.content.startElement(name, inXliff, attributes, tagStart, innerStart);
      return;
    }
    if (!inXliff || this.note) return;
    if (this.major === 1) {
      if (depth !== 1) return;
      if (name === 'source' || name === 'target' || name === 'seg-source') this.startContent(name, attributes, tagStart, innerStart);
      else if (name === 'note') this.note = { attributes, text: '' };
      return;
    }
    if (depth === 1) {
      if (name === 'segment' || name === 'ignorable') this.segment = { kind: name, attributes, open: { start: tagStart, innerStart } };
      else if (name === 'notes') this.inNotes = true;
    } else if (depth === 2) {
      if (this.segment && (name === 'source' || name === 'target')) this.startContent(name, attributes, tagStart, innerStart);
      else if (this.inNotes && name === 'note') this.note = { attributes, text: '' };
    }
  }

  /** `tagStart` is where the end tag begins: equal to `tagEnd` for a self-closing element. */
  endElement(tagStart: number, tagEnd: number): void {
    const depth = this.depth--;
    if (this.content) {
      if (depth > this.contentDepth) {
        this.content.endElement(tagStart, tagEnd);
        return;
      }
      this.endContent(tagStart, tagEnd);
      return;
    }
    if (this.note && depth === (this.major === 1 ? 1 : 2)) {
      this.notes.push(this.makeNote(this.note.attributes, this.note.text));
      this.note = undefined;
    } else if (this.major === 2 && depth === 1) {
      if (this.segment) {
        this.segment.span = this.span(this.segment.open, tagStart, tagEnd);
        this.segments.push(this.segment);
      }
      this.segment = undefined;
      this.inNotes = false;
    }
  }

  /** Whether text here belongs to something (a source, a target, a note): else it is not wanted. */
  get collectsText(): boolean {
    return this.content !== undefined || this.note !== undefined;
  }

  addText(text: string): void {
    if (this.content) this.content.addText(text);
    else if (this.note) this.note.text += text;
  }

  /** Where the source, targets and segments stand in `raw`, for the writer. */
  layout(): UnitLayout {
    return {
      namespaces: this.context.namespaces,
      source: this.sourceSpan,
      segSource: this.segSourceSpan,
      target: this.targetSpan,
      segments: this.segments.map((s) => ({ element: s.span!, source: s.sourceSpan, target: s.targetSpan })),
      segSourceMarks: this.marks(this.sourceSegments),
      targetMarks: this.marks(this.targetSegments),
    };
  }

  private marks(segments: readonly MarkedSegment[] | undefined): readonly MarkLayout[] {
    if (!segments || segments.length === 0) return NO_MARKS;
    const base = this.context.start;
    return segments.map((s) => ({ id: s.id, element: { start: s.start - base, innerStart: s.innerStart - base, innerEnd: s.innerEnd - base, end: s.end - base } }));
  }

  build(raw: string, location: Location): Unit {
    const { context } = this;
    const attributes = context.attributes;
    const translate = attributes['translate'] === undefined ? context.translate : attributes['translate'] !== 'no';
    if (this.major === 1) {
      const source = this.source ?? EMPTY_CONTENT;
      const target = this.target;
      const state = target?.attributes['state'];
      const subState = target?.attributes['state-qualifier'];
      const approved = attributes['approved'] === 'yes' ? true : attributes['approved'] === 'no' ? false : undefined;
      let segments: Segment[];
      if (this.sourceSegments && this.sourceSegments.length > 0) {
        const targets = new Map((this.targetSegments ?? []).map((s) => [s.id, s.content]));
        segments = this.sourceSegments.map((s) => ({ kind: 'segment', id: s.id, state, subState, attributes: s.content.attributes, source: s.content, target: targets.get(s.id) }));
      } else {
        segments = [{ kind: 'segment', id: undefined, state, subState, attributes: {}, source, target }];
      }
      return makeUnit(context, translate, raw, location, this.notes, source, target, segments, state, subState, approved);
    }
    const drafts = this.segments;
    const segments: Segment[] = [];
    let hasTarget = false;
    let ordered = false;
    let least: Segment | undefined;
    let leastRank = 0;
    for (let i = 0; i < drafts.length; i++) {
      const d = drafts[i]!;
      const s: Segment = { kind: d.kind, id: d.attributes['id'], state: d.attributes['state'], subState: d.attributes['subState'], attributes: d.attributes, source: d.source ?? EMPTY_CONTENT, target: d.target };
      segments.push(s);
      if (s.target) {
        hasTarget = true;
        if (s.target.attributes['order'] !== undefined) ordered = true;
      }
      if (s.kind === 'segment') {
        const r = rank(s.state);
        if (!least || r < leastRank) {
          least = s;
          leastRank = r;
        }
      }
    }
    const source = segments.length === 0 ? EMPTY_CONTENT : concatContents(segments, sourceOf);
    // Targets are composed in the order their `order` gives (default: their own position,
    // from 1); an ignorable without a target stands for itself in the target.
    const target = hasTarget ? concatContents(ordered ? byTargetOrder(segments) : segments, targetOf) : undefined;
    const state = least ? (least.state ?? 'initial') : undefined;
    return makeUnit(context, translate, raw, location, this.notes, source, target, segments, state, least?.subState, undefined);
  }

  private startContent(name: string, attributes: Attributes, tagStart: number, innerStart: number): void {
    this.contentName = name;
    this.contentOpen = { start: tagStart, innerStart };
    this.contentDepth = this.depth;
    const collect = this.major === 1 && name !== 'source';
    this.content = new ContentBuilder(this.major, attributes, innerStart, this.context.slice, collect);
  }

  private endContent(tagStart: number, tagEnd: number): void {
    const builder = this.content!;
    this.content = undefined;
    const content = builder.finish(tagStart);
    const span = this.span(this.contentOpen, tagStart, tagEnd);
    if (this.major === 2) {
      if (this.contentName === 'source') {
        this.segment!.source = content;
        this.segment!.sourceSpan = span;
      } else {
        this.segment!.target = content;
        this.segment!.targetSpan = span;
      }
      return;
    }
    if (this.contentName === 'source') {
      this.source = content;
      this.sourceSpan = span;
    } else if (this.contentName === 'seg-source') {
      this.sourceSegments = builder.segments;
      this.segSourceSpan = span;
    } else {
      this.target = content;
      this.targetSegments = builder.segments;
      this.targetSpan = span;
    }
  }

  /** An element's span relative to the unit; `tagStart` is where its end tag begins. */
  private span(open: OpenSpan, tagStart: number, tagEnd: number): ElementSpan {
    const base = this.context.start;
    return { start: open.start - base, innerStart: open.innerStart - base, innerEnd: tagStart - base, end: tagEnd - base };
  }

  private makeNote(attributes: Attributes, text: string): Note {
    const written = attributes['priority'];
    const priority = written === undefined || written.trim() === '' ? undefined : Number(written);
    return {
      text,
      id: attributes['id'],
      from: attributes['from'] ?? (this.major === 2 ? attributes['category'] : undefined),
      category: attributes['category'],
      priority: priority !== undefined && Number.isFinite(priority) ? priority : undefined,
      appliesTo: attributes['annotates'] ?? attributes['appliesTo'],
      attributes,
    };
  }
}

/** One object literal per unit: a spread plus fields costs V8 ~100x more (bench/read profile). */
function makeUnit(
  context: UnitContext,
  translate: boolean,
  raw: string,
  location: Location,
  notes: readonly Note[],
  source: Content,
  target: Content | undefined,
  segments: readonly Segment[],
  state: string | undefined,
  subState: string | undefined,
  approved: boolean | undefined,
): Unit {
  return {
    id: context.attributes['id'],
    index: context.index,
    version: context.version,
    file: context.file,
    groups: context.groups,
    translate,
    attributes: context.attributes,
    source,
    target,
    segments,
    state,
    subState,
    approved,
    notes,
    raw,
    location,
  };
}

/** What a segment gives the unit's source. */
const sourceOf = (s: Segment): Content => s.source;
/** What a segment gives the unit's target: its own, or an ignorable's source; `undefined`: nothing. */
const targetOf = (s: Segment): Content | undefined => s.target ?? (s.kind === 'ignorable' ? s.source : undefined);

/** The segments in the order their targets' `order` gives (default: their own position, from 1). */
function byTargetOrder(segments: readonly Segment[]): Segment[] {
  return segments
    .map((s, i) => ({ s, position: targetOrder(s.target) ?? i + 1, i }))
    .sort((a, b) => a.position - b.position || a.i - b.i)
    .map(({ s }) => s);
}

/** A 2.x `target/@order`: a position from 1, or `undefined` when absent or not a positive integer. */
function targetOrder(target: Content | undefined): number | undefined {
  const value = target?.attributes['order'];
  return value !== undefined && /^\s*[1-9][0-9]*\s*$/.test(value) ? Number(value) : undefined;
}

function rank(state: string | undefined): number {
  const i = STATE_ORDER.indexOf(state ?? 'initial');
  return i === -1 ? STATE_ORDER.length : i;
}
