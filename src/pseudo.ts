/**
 * Pseudo-translation, as Translate Toolkit's `podebug` does it: a target made from the
 * source with its text transformed (accented letters, brackets, expansion) so that
 * untranslated strings, truncation, concatenation and encoding problems show in the
 * running application, while inline codes and placeholders (`{0}`, `%s`, `%1$s`,
 * `{{name}}`, ICU `{n, plural, ...}` syntax...) stay as they were.
 */
import type { Part, Segment, Unit } from './model.js';
import type { SegmentResult, SegmentUpdate, UnitUpdate } from './write/update.js';

export const PSEUDO_MODES = ['accents', 'brackets', 'expand'] as const;

/**
 * - `accents`: ASCII letters become accented look-alikes (`Settings` -> `Šéţţîñĝš`).
 * - `brackets`: the text between `[` and `]` (inside leading and trailing white space).
 * - `expand`: about 30% longer (at least 2 characters), with `~` before the closing bracket.
 */
export type PseudoMode = (typeof PSEUDO_MODES)[number];

export interface PseudoOptions {
  /**
   * The transformations, combined.
   * @default ['accents', 'brackets']
   */
  readonly modes?: readonly PseudoMode[] | undefined;
  /**
   * The state written with each target.
   * @default 'translated'
   */
  readonly state?: string | undefined;
}

export const DEFAULT_PSEUDO_MODES: readonly PseudoMode[] = ['accents', 'brackets'];

/**
 * The update that gives `unit` a pseudo-translated target: made from its source, whatever
 * target it had. A unit of several segments (2.x segments, 1.2 `mrk mtype="seg"` segments)
 * gets one target per segment (ignorables keep theirs).
 */
export function pseudoUpdate(unit: Unit, options: PseudoOptions = {}): UnitUpdate {
  const { segments } = unit;
  if (segments.length === 1 && segments[0]!.kind === 'segment') return pseudoSegment(segments[0]!, options);
  const updates: SegmentUpdate[] = [];
  segments.forEach((segment, index) => {
    if (segment.kind === 'segment') updates.push({ index, ...pseudoSegment(segment, options) });
  });
  return { segments: updates };
}

/** A pseudo-translated target for one segment, made from its source: what a processor of segments (`per: 'segment'`) returns. */
export function pseudoSegment(segment: Segment, options: PseudoOptions = {}): SegmentResult {
  return { target: { parts: pseudoParts(segment.source.parts, options.modes ?? DEFAULT_PSEUDO_MODES) }, state: options.state ?? 'translated' };
}

/** Stands for a non-text part in the joined text: U+FFFF is no XML character, so no text holds it. */
const CODE = '\uffff';

/**
 * The parts of a pseudo-translated content: text parts transformed outside placeholders,
 * every other part (inline codes, `g` / `pc` / `mrk` / `sub` tags) as it was, in order.
 * Content without any visible text (only white space and codes) is copied as it is.
 */
export function pseudoParts(parts: readonly Part[], modes: readonly PseudoMode[] = DEFAULT_PSEUDO_MODES): Part[] {
  const codes: Part[] = [];
  let joined = '';
  for (const part of parts) {
    if (part.type === 'text') joined += part.text;
    else {
      codes.push(part);
      joined += CODE;
    }
  }
  const text = pseudoText(joined, modes);
  const out: Part[] = [];
  let c = 0;
  let start = 0;
  for (let i = 0; i <= text.length; i++) {
    if (i < text.length && text.charCodeAt(i) !== 0xffff) continue;
    if (i > start) out.push({ type: 'text', text: text.slice(start, i) });
    if (i < text.length) out.push(codes[c++]!);
    start = i + 1;
  }
  return out;
}

/** Pseudo-translates plain text (U+FFFF stands for an inline code and is kept). */
export function pseudoText(text: string, modes: readonly PseudoMode[] = DEFAULT_PSEUDO_MODES): string {
  const first = text.search(/[^\s]/u);
  if (first === -1 || !/[^\s\uffff]/u.test(text)) return text;
  const protect = protectedMask(text);
  let out = '';
  let letters = 0;
  const accents = modes.includes('accents');
  for (let i = 0; i < text.length; i++) {
    // Runs of characters to transform, then of characters to keep.
    let j = i;
    while (j < text.length && (protect === undefined || protect[j] === 0)) j++;
    if (j > i) {
      const run = text.slice(i, j);
      letters += run.length;
      out += accents ? run.replace(ASCII_LETTER, accent) : run;
    }
    i = j;
    while (j < text.length && protect !== undefined && protect[j] === 1) j++;
    out += text.slice(i, j);
    i = j - 1;
  }
  let end = out.length;
  while (end > 0 && /\s/u.test(out[end - 1]!)) end--;
  const padding = modes.includes('expand') ? '~'.repeat(Math.max(2, Math.ceil(letters * 0.3))) : '';
  const [open, close] = modes.includes('brackets') ? ['[', ']'] : ['', ''];
  return out.slice(0, first) + open + out.slice(first, end) + padding + close + out.slice(end);
}

const ACCENTS = new Map(
  [...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'].map((c, i) => [c, [...'áƀçðéƒĝĥîĵķļɱñöþʠŕšţûṽŵẋýžÅƁÇÐÉƑĜĤÎĴĶĻṀÑÖÞɊŔŠŢÛṼŴẊÝŽ'][i]!]),
);

const ASCII_LETTER = /[A-Za-z]/g;
const accent = (letter: string): string => ACCENTS.get(letter)!;

/** Letters `accents` writes, back to ASCII (for checks of a pseudo-translation). */
export const UNACCENTS: ReadonlyMap<string, string> = new Map([...ACCENTS].map(([a, b]) => [b, a]));

/** Placeholders of the usual formats, found anywhere in the text (ICU and brace syntax apart). */
const PLACEHOLDERS = new RegExp(
  [
    // printf: %s %d %1$s %-5.2f %@ %lld %%
    /%(?:\d+\$)?[-+0#']*(?:\d+|\*)?(?:\.(?:\d+|\*))?(?:hh|h|ll|l|L|q|j|z|t)?[diouxXeEfFgGaAcspn@%]/,
    // Python %(name)s, Ruby / i18n-js %{name}, ${name}
    /%\([^)\s]+\)[-+0#]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]/,
    /%\{[^}\s]+\}/,
    /\$\{[^}]*\}/,
    // Markup and entities written as text (HTML in CDATA, escaped tags)
    /<\/?[A-Za-z][^<>]*>/,
    /&(?:[A-Za-z][A-Za-z0-9]*|#\d+|#x[0-9A-Fa-f]+);/,
    // Escape sequences written as text: \n \t \"
    /\\[nrt"'\\]/,
  ]
    .map((pattern) => pattern.source)
    .join('|'),
  'g',
);

/** Characters that can start a placeholder or brace syntax: text without any needs no mask. */
const SPECIAL = /[%{$<&\\\uffff]/;

/** 1 for each character to keep as it is: placeholders, ICU syntax, inline codes; `undefined` when there are none. */
function protectedMask(text: string): Uint8Array | undefined {
  if (!SPECIAL.test(text)) return undefined;
  const mask = new Uint8Array(text.length);
  for (let i = text.indexOf(CODE); i !== -1; i = text.indexOf(CODE, i + 1)) mask[i] = 1;
  if (text.includes('{')) {
    const marks: Array<[number, number]> = [];
    new IcuScanner(text, marks).message(0, false, false);
    for (const [from, to] of marks) mask.fill(1, from, to);
  }
  for (const match of text.matchAll(PLACEHOLDERS)) mask.fill(1, match.index, match.index + match[0].length);
  return mask;
}

/**
 * Finds brace syntax: `{{ name }}`, `{0}`, `{name}`, `{0,-10:N2}`, `{n, number}` (kept whole),
 * and ICU `{n, plural|select|selectordinal, key {message} ...}` (keys and syntax kept, the
 * messages translated, `#` kept in plural messages). A brace that starts none of these is text.
 */
class IcuScanner {
  constructor(
    private readonly text: string,
    private readonly marks: Array<[number, number]>,
  ) {}

  /** Message text from `i` up to an unmatched `}` (when `nested`) or the end; returns where it stopped. */
  message(i: number, nested: boolean, plural: boolean): number {
    const { text } = this;
    while (i < text.length) {
      const c = text[i];
      if (c === '}' && nested) return i;
      if (c === '#' && plural) this.marks.push([i, i + 1]);
      if (c === '{') {
        if (text[i + 1] === '{') {
          const close = text.indexOf('}}', i + 2);
          if (close !== -1 && !text.slice(i + 2, close).includes('{')) {
            this.marks.push([i, close + 2]);
            i = close + 2;
            continue;
          }
        }
        const end = this.argument(i);
        if (end !== -1) {
          i = end;
          continue;
        }
      }
      i++;
    }
    return i;
  }

  /** An argument at the `{` at `i`: returns the index after its `}`, or -1 (nothing marked) when it is none. */
  private argument(i: number): number {
    const saved = this.marks.length;
    const end = this.tryArgument(i);
    if (end === -1) this.marks.length = saved;
    return end;
  }

  private tryArgument(start: number): number {
    const { text } = this;
    let i = this.space(start + 1);
    const name = this.match(NAME, i);
    if (name === undefined) return -1;
    i = this.space(i + name.length);
    // .NET alignment and format: {0,-10} {0:N2}
    const format = this.match(DOTNET_FORMAT, i);
    if (format !== undefined && text[i + format.length] === '}') {
      this.marks.push([start, i + format.length + 1]);
      return i + format.length + 1;
    }
    if (text[i] === '}') {
      this.marks.push([start, i + 1]);
      return i + 1;
    }
    if (text[i] !== ',') return -1;
    i = this.space(i + 1);
    const type = this.match(WORD, i);
    if (type === undefined) return -1;
    i = this.space(i + type.length);
    if (text[i] === '}') {
      this.marks.push([start, i + 1]);
      return i + 1;
    }
    if (text[i] !== ',') return -1;
    if (type !== 'plural' && type !== 'select' && type !== 'selectordinal') {
      // {d, date, short}, {n, number, ::currency/EUR}: the style goes to the closing brace.
      const close = text.indexOf('}', i);
      if (close === -1 || text.slice(i, close).includes('{')) return -1;
      this.marks.push([start, close + 1]);
      return close + 1;
    }
    this.marks.push([start, i + 1]);
    i++;
    let branches = 0;
    for (;;) {
      i = this.space(i);
      if (text[i] === '}') {
        if (branches === 0) return -1;
        this.marks.push([i, i + 1]);
        return i + 1;
      }
      const key = this.match(KEY, i);
      if (key === undefined) return -1;
      this.marks.push([i, i + key.length]);
      i = this.space(i + key.length);
      if (key.startsWith('offset:')) continue;
      if (text[i] !== '{') return -1;
      this.marks.push([i, i + 1]);
      const close = this.message(i + 1, true, type !== 'select');
      if (text[close] !== '}') return -1;
      this.marks.push([close, close + 1]);
      i = close + 1;
      branches++;
    }
  }

  private space(i: number): number {
    while (i < this.text.length && /\s/u.test(this.text[i]!)) i++;
    return i;
  }

  private match(pattern: RegExp, i: number): string | undefined {
    pattern.lastIndex = i;
    return pattern.exec(this.text)?.[0];
  }
}

const NAME = /[\p{L}\p{N}_.$-]+/uy;
const WORD = /\w+/y;
const DOTNET_FORMAT = /(?:,\s*-?\d+\s*)?(?::[^{}]*)?/y;
const KEY = /offset:\s*\d+|=?[^\s{}]+/y;
