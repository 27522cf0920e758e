/**
 * Builds a `Content` (text, parts, inner XML) from the events inside one
 * `source` / `target` / `seg-source` element. Pure.
 */
import type { Attributes, CodePart, Content, Part, TextPart } from '../model.js';

/**
 * Inline codes by version: 1.2 `ph`, `bpt`, `ept`, `it` hold native code (`sub` inside them
 * is text again), `x`, `bx`, `ex` stand alone; 2.x codes stand alone (content, if any, is not text).
 */
const CODES_1 = new Set(['ph', 'bpt', 'ept', 'it', 'x', 'bx', 'ex']);
const CODES_2 = new Set(['ph', 'sc', 'ec', 'sm', 'em', 'cp']);

interface OpenElement {
  readonly name: string;
  /** `ignored`: an element inside native code, other than `sub`: its text is code too. */
  readonly kind: 'span' | 'code' | 'ignored';
  readonly isSub: boolean;
  /** A 1.2 `mrk mtype="seg"` being collected as a segment. */
  readonly isSegment: boolean;
  readonly attributes: Attributes;
  /** Index in `parts` of this element's start (span) or code part. */
  readonly partIndex: number;
  /** Length of `text` when the element opened. */
  readonly textLength: number;
  /** Character indexes where the start tag begins and where it ends (after `>`). */
  readonly tagStart: number;
  readonly innerStart: number;
  /** The code element whose native code text inside this one belongs to (itself, for a code): none inside a `sub`. */
  holder: OpenElement | undefined;
  /** Native code collected inside a code element. */
  code: string;
}

/**
 * A `mrk mtype="seg"` of the content (1.2 segmentation): directly inside it, or inside
 * `g` / foreign spans as SDL XLIFF writes them; not inside another segment or native code.
 */
export interface MarkedSegment {
  readonly id: string | undefined;
  readonly content: Content;
  /** Where the `mrk` element stands: character indexes in the held text. */
  readonly start: number;
  readonly innerStart: number;
  readonly innerEnd: number;
  readonly end: number;
}

export const EMPTY_CONTENT: Content = Object.freeze({ text: '', xml: '', parts: Object.freeze([]) as readonly Part[], attributes: Object.freeze({}) });

export class ContentBuilder {
  private readonly parts: Part[] = [];
  private text = '';
  private readonly open: OpenElement[] = [];
  private readonly codes: ReadonlySet<string>;
  /** The code element whose native code the current text belongs to (`OpenElement.holder` of the innermost). */
  private holder: OpenElement | undefined;
  /**
   * Whether the last part is a text part, which text read next joins. Kept, not looked up:
   * the lookup (a polymorphic load per text) was ~1% of the reader's instructions.
   */
  private lastIsText = false;
  /** 1.2 `mrk mtype="seg"` children, collected when asked for. */
  readonly segments: MarkedSegment[] = [];

  constructor(
    private readonly version: 1 | 2,
    readonly attributes: Attributes,
    /** Character index where the inner XML starts. */
    readonly innerStart: number,
    /** Returns the held text between two character indexes. */
    private readonly slice: (from: number, to: number) => string,
    private readonly collectSegments = false,
  ) {
    this.codes = version === 1 ? CODES_1 : CODES_2;
  }

  startElement(name: string, inXliff: boolean, attributes: Attributes, tagStart: number, innerStart: number): void {
    const isSub = inXliff && name === 'sub';
    const kind = this.holder && !isSub ? 'ignored' : inXliff && this.codes.has(name) ? 'code' : 'span';
    const partIndex = this.parts.length;
    if (kind === 'code') {
      // Filled in when the element closes, once its whole XML is known.
      this.pushMarkup(undefined as unknown as Part);
    } else if (kind === 'span') {
      this.pushMarkup({ type: 'start', name, id: attributes['id'], attributes, xml: this.slice(tagStart, innerStart) });
    }
    const isSegment = this.collectSegments && kind === 'span' && inXliff && name === 'mrk' && attributes['mtype'] === 'seg' && !this.open.some((e) => e.isSegment || e.kind !== 'span');
    const element: OpenElement = { name, kind, isSub, isSegment, attributes, partIndex, textLength: this.text.length, tagStart, innerStart, holder: isSub ? undefined : this.holder, code: '' };
    if (kind === 'code') element.holder = element;
    this.open.push(element);
    this.holder = element.holder;
  }

  /** `tagStart` is where the end tag begins: equal to `tagEnd` for a self-closing element. */
  endElement(tagStart: number, tagEnd: number): void {
    const element = this.open.pop();
    this.holder = this.open.length > 0 ? this.open[this.open.length - 1]!.holder : undefined;
    if (!element || element.kind === 'ignored') return;
    const { name, attributes } = element;
    if (element.kind === 'code') {
      let code = element.code;
      if (name === 'cp' && this.version === 2) {
        // A character XML cannot hold: it is text, though written as a code.
        code = codePoint(attributes['hex']);
        if (!this.holder) this.text += code;
      }
      const part: CodePart = { type: 'code', name, id: attributes['id'], attributes, code, xml: this.slice(element.tagStart, tagEnd) };
      this.parts[element.partIndex] = part;
      return;
    }
    this.pushMarkup({ type: 'end', name, id: attributes['id'], attributes, xml: this.slice(tagStart, tagEnd) });
    if (element.isSegment) {
      this.segments.push({
        id: attributes['mid'],
        content: {
          text: this.text.slice(element.textLength),
          xml: this.slice(element.innerStart, Math.max(element.innerStart, tagStart)),
          parts: this.parts.slice(element.partIndex + 1, this.parts.length - 1),
          attributes,
        },
        start: element.tagStart,
        innerStart: element.innerStart,
        innerEnd: Math.max(element.innerStart, tagStart),
        end: tagEnd,
      });
    }
  }

  addText(text: string): void {
    const holder = this.holder;
    if (holder) {
      holder.code += text;
      return;
    }
    this.text += text;
    const parts = this.parts;
    if (this.lastIsText) parts[parts.length - 1] = { type: 'text', text: (parts[parts.length - 1] as TextPart).text + text };
    else {
      parts.push({ type: 'text', text });
      this.lastIsText = true;
    }
  }

  /** Adds a part other than text: the only way they are added, so that `lastIsText` stays true to `parts`. */
  private pushMarkup(part: Part): void {
    this.parts.push(part);
    this.lastIsText = false;
  }

  finish(innerEnd: number): Content {
    return { text: this.text, xml: this.slice(this.innerStart, innerEnd), parts: this.parts, attributes: this.attributes };
  }
}

/**
 * Joins what `pick` gives of each item (a 2.x segment's or ignorable's source or target;
 * `undefined`: nothing) into the unit's source or target. A loop, not map/join: it runs for
 * every 2.x unit.
 */
export function concatContents<T>(items: readonly T[], pick: (item: T) => Content | undefined): Content {
  let only: Content | undefined;
  let count = 0;
  for (let i = 0; i < items.length; i++) {
    const content = pick(items[i]!);
    if (content === undefined) continue;
    only = content;
    count++;
  }
  if (count === 0) return EMPTY_CONTENT;
  if (count === 1) return { text: only!.text, xml: only!.xml, parts: only!.parts, attributes: {} };
  const parts: Part[] = [];
  let text = '';
  let xml = '';
  for (let i = 0; i < items.length; i++) {
    const content = pick(items[i]!);
    if (content === undefined) continue;
    text += content.text;
    xml += content.xml;
    for (const part of content.parts) {
      const last = parts[parts.length - 1];
      if (part.type === 'text' && last?.type === 'text') parts[parts.length - 1] = { type: 'text', text: last.text + part.text };
      else parts.push(part);
    }
  }
  return { text, xml, parts, attributes: {} };
}

function codePoint(hex: string | undefined): string {
  const value = hex === undefined ? NaN : parseInt(hex, 16);
  return Number.isInteger(value) && value >= 0 && value <= 0x10ffff ? String.fromCodePoint(value) : '';
}
