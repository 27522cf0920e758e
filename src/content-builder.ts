/**
 * Builds a `Content` (text, parts, inner XML) from the events inside one
 * `source` / `target` / `seg-source` element. Pure.
 */
import type { Attributes, CodePart, Content, Part } from './model.js';

/** 1.2 codes whose content is native code (`sub` inside them is text again). */
const NATIVE_CODE_1 = new Set(['ph', 'bpt', 'ept', 'it']);
/** Codes that stand alone; content, if any, is not text. */
const EMPTY_CODE_1 = new Set(['x', 'bx', 'ex']);
const EMPTY_CODE_2 = new Set(['ph', 'sc', 'ec', 'sm', 'em', 'cp']);

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
}

export const EMPTY_CONTENT: Content = Object.freeze({ text: '', xml: '', parts: Object.freeze([]) as readonly Part[], attributes: Object.freeze({}) });

export class ContentBuilder {
  private readonly parts: Part[] = [];
  private text = '';
  private readonly open: OpenElement[] = [];
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
  ) {}

  startElement(name: string, inXliff: boolean, attributes: Attributes, tagStart: number, innerStart: number): void {
    const isSub = inXliff && name === 'sub';
    const kind = this.codeHolder() && !isSub ? 'ignored' : inXliff && this.isCode(name) ? 'code' : 'span';
    const partIndex = this.parts.length;
    if (kind === 'code') {
      // Filled in when the element closes, once its whole XML is known.
      this.parts.push(undefined as unknown as Part);
    } else if (kind === 'span') {
      this.parts.push({ type: 'start', name, id: attributes['id'], attributes, xml: this.slice(tagStart, innerStart) });
    }
    const isSegment = this.collectSegments && kind === 'span' && inXliff && name === 'mrk' && attributes['mtype'] === 'seg' && !this.open.some((e) => e.isSegment || e.kind !== 'span');
    this.open.push({ name, kind, isSub, isSegment, attributes, partIndex, textLength: this.text.length, tagStart, innerStart, code: '' });
  }

  /** `tagStart` is where the end tag begins: equal to `tagEnd` for a self-closing element. */
  endElement(tagStart: number, tagEnd: number): void {
    const element = this.open.pop();
    if (!element || element.kind === 'ignored') return;
    const { name, attributes } = element;
    if (element.kind === 'code') {
      let code = element.code;
      if (name === 'cp' && this.version === 2) {
        // A character XML cannot hold: it is text, though written as a code.
        code = codePoint(attributes['hex']);
        if (!this.codeHolder()) this.text += code;
      }
      const part: CodePart = { type: 'code', name, id: attributes['id'], attributes, code, xml: this.slice(element.tagStart, tagEnd) };
      this.parts[element.partIndex] = part;
      return;
    }
    this.parts.push({ type: 'end', name, id: attributes['id'], attributes, xml: this.slice(tagStart, tagEnd) });
    if (element.isSegment) {
      this.segments.push({
        id: attributes['mid'],
        content: {
          text: this.text.slice(element.textLength),
          xml: this.slice(element.innerStart, Math.max(element.innerStart, tagStart)),
          parts: this.parts.slice(element.partIndex + 1, this.parts.length - 1),
          attributes,
        },
      });
    }
  }

  addText(text: string): void {
    const holder = this.codeHolder();
    if (holder) {
      holder.code += text;
      return;
    }
    this.text += text;
    const last = this.parts[this.parts.length - 1];
    if (last?.type === 'text') this.parts[this.parts.length - 1] = { type: 'text', text: last.text + text };
    else this.parts.push({ type: 'text', text });
  }

  finish(innerEnd: number): Content {
    return { text: this.text, xml: this.slice(this.innerStart, innerEnd), parts: this.parts, attributes: this.attributes };
  }

  private isCode(name: string): boolean {
    return this.version === 1 ? NATIVE_CODE_1.has(name) || EMPTY_CODE_1.has(name) : EMPTY_CODE_2.has(name);
  }

  /** The code element whose native code the current text belongs to: none inside a `sub`. */
  private codeHolder(): OpenElement | undefined {
    for (let i = this.open.length - 1; i >= 0; i--) {
      const element = this.open[i]!;
      if (element.kind === 'code') return element;
      if (element.isSub) return undefined;
    }
    return undefined;
  }
}

/** Joins the contents of 2.x segments and ignorables into the unit's source or target. */
export function concatContents(contents: readonly Content[]): Content {
  if (contents.length === 1) {
    const { text, xml, parts } = contents[0]!;
    return { text, xml, parts, attributes: {} };
  }
  const parts: Part[] = [];
  for (const content of contents) {
    for (const part of content.parts) {
      const last = parts[parts.length - 1];
      if (part.type === 'text' && last?.type === 'text') parts[parts.length - 1] = { type: 'text', text: last.text + part.text };
      else parts.push(part);
    }
  }
  return { text: contents.map((c) => c.text).join(''), xml: contents.map((c) => c.xml).join(''), parts, attributes: {} };
}

function codePoint(hex: string | undefined): string {
  const value = hex === undefined ? NaN : parseInt(hex, 16);
  return Number.isInteger(value) && value >= 0 && value <= 0x10ffff ? String.fromCodePoint(value) : '';
}
