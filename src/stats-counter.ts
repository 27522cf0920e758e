/**
 * Counting units for statistics, one at a time: what `computeStats` adds up. Parts counted
 * on worker threads, each over a byte range, merge in document order into one counter, with
 * repeated sources told apart across parts (each part gives the sources it met first).
 */
import { StringHashSet, hash64 } from './job/hash-set.js';
import type { Unit, XliffVersion } from './model.js';

export interface XliffStats {
  /** The document's XLIFF version (that of its first unit); `undefined` without units. */
  readonly version: XliffVersion | undefined;
  /** `file` elements that hold at least one unit. */
  readonly files: number;
  /** Units: 1.x `trans-unit`, 2.x `unit`. */
  readonly units: number;
  /** Segments: 2.x `segment` elements (not ignorables); 1.2: one per unit, or its `seg-source` `mrk` segments. */
  readonly segments: number;
  /** Units to translate (`translate` not "no", inherited as the specs say). */
  readonly translatableUnits: number;
  /** Words of the sources of the translatable units: the word-like pieces `Intl.Segmenter` finds (CJK by dictionary). */
  readonly words: number;
  /** Characters (Unicode code points) of the sources of the translatable units, white space included. */
  readonly characters: number;
  /** The same without white space. */
  readonly charactersWithoutSpaces: number;
  /** Units by `state` (1.2 `target/@state`, 2.x the least advanced segment state); `(none)` for units without one. */
  readonly unitsByState: Readonly<Record<string, number>>;
  /** Source words of the translatable units, by state. */
  readonly wordsByState: Readonly<Record<string, number>>;
  /** Units that have a target (2.x: at least one segment with a target). */
  readonly unitsWithTarget: number;
  readonly unitsWithoutTarget: number;
  /** Translatable units whose source (inner XML, not empty) is the same as that of an earlier translatable unit. */
  readonly repeatedUnits: number;
  /** `repeatedUnits` as a percentage of `translatableUnits` (0 when there are none). */
  readonly repeatedPercent: number;
  /** Source words of the repeated units. */
  readonly repeatedWords: number;
}

/** The key of `unitsByState` for units without a state. */
export const NO_STATE = '(none)';

/** What a `StatsCounter` counted of a part of a document, as plain data (it crosses threads). */
export interface StatsPart {
  readonly version: XliffVersion | undefined;
  readonly fileIndexes: readonly number[];
  readonly units: number;
  readonly segments: number;
  readonly translatableUnits: number;
  readonly words: number;
  readonly characters: number;
  readonly spaces: number;
  readonly unitsByState: readonly (readonly [string, number])[];
  readonly wordsByState: readonly (readonly [string, number])[];
  readonly unitsWithTarget: number;
  /** Within the part. */
  readonly repeatedUnits: number;
  readonly repeatedWords: number;
  /** The sources the part met first, in order: for each, its hash (two numbers) and its words. */
  readonly firstSources: readonly number[];
}

/** Counts units one at a time (for a caller that runs its own reading loop, e.g. with progress). */
export class StatsCounter {
  private version: XliffVersion | undefined;
  private readonly fileIndexes = new Set<number>();
  private units = 0;
  private segments = 0;
  private translatableUnits = 0;
  private words = 0;
  private characters = 0;
  private spaces = 0;
  private readonly unitsByState = new Map<string, number>();
  private readonly wordsByState = new Map<string, number>();
  private unitsWithTarget = 0;
  private repeatedUnits = 0;
  private repeatedWords = 0;
  private readonly sources = new StringHashSet();
  private readonly segmenter = new Intl.Segmenter('en', { granularity: 'word' });
  /** For a part: each source met first, as its hash (two numbers) and its words. */
  private readonly firstSources: number[] | undefined;

  /** `part`: the counter counts a part of a document, to be merged (`part()`, `merge`). */
  constructor(options?: { readonly part?: boolean }) {
    this.firstSources = options?.part ? [] : undefined;
  }

  add(unit: Unit): void {
    this.version ??= unit.version;
    this.fileIndexes.add(unit.file.index);
    this.units++;
    for (const segment of unit.segments) if (segment.kind === 'segment') this.segments++;
    const state = unit.state ?? NO_STATE;
    increment(this.unitsByState, state, 1);
    if (unit.target) this.unitsWithTarget++;
    if (!unit.translate) return;
    this.translatableUnits++;
    const text = unit.source.text;
    const words = countWords(this.segmenter, text);
    this.words += words;
    increment(this.wordsByState, state, words);
    const { characters, spaces } = countCharacters(text);
    this.characters += characters;
    this.spaces += spaces;
    // An empty source (a unit that has none, or only white space) repeats nothing.
    if (unit.source.xml.trim() === '') return;
    const [high, low] = hash64(unit.source.xml);
    if (!this.sources.addHash(high, low)) {
      this.repeatedUnits++;
      this.repeatedWords += words;
    } else this.firstSources?.push(high, low, words);
  }

  /** What this counter counted, as plain data, for `merge` (a counter made with `part`). */
  part(): StatsPart {
    return {
      version: this.version,
      fileIndexes: [...this.fileIndexes],
      units: this.units,
      segments: this.segments,
      translatableUnits: this.translatableUnits,
      words: this.words,
      characters: this.characters,
      spaces: this.spaces,
      unitsByState: [...this.unitsByState],
      wordsByState: [...this.wordsByState],
      unitsWithTarget: this.unitsWithTarget,
      repeatedUnits: this.repeatedUnits,
      repeatedWords: this.repeatedWords,
      firstSources: this.firstSources ?? [],
    };
  }

  /** Adds a part that comes next in the document: its sources met first repeat those met before, if they do. */
  merge(part: StatsPart): void {
    this.version ??= part.version;
    for (const index of part.fileIndexes) this.fileIndexes.add(index);
    this.units += part.units;
    this.segments += part.segments;
    this.translatableUnits += part.translatableUnits;
    this.words += part.words;
    this.characters += part.characters;
    this.spaces += part.spaces;
    for (const [state, count] of part.unitsByState) increment(this.unitsByState, state, count);
    for (const [state, count] of part.wordsByState) increment(this.wordsByState, state, count);
    this.unitsWithTarget += part.unitsWithTarget;
    this.repeatedUnits += part.repeatedUnits;
    this.repeatedWords += part.repeatedWords;
    const sources = part.firstSources;
    for (let i = 0; i < sources.length; i += 3) {
      if (this.sources.addHash(sources[i]!, sources[i + 1]!)) this.firstSources?.push(sources[i]!, sources[i + 1]!, sources[i + 2]!);
      else {
        this.repeatedUnits++;
        this.repeatedWords += sources[i + 2]!;
      }
    }
  }

  result(): XliffStats {
    return {
      version: this.version,
      files: this.fileIndexes.size,
      units: this.units,
      segments: this.segments,
      translatableUnits: this.translatableUnits,
      words: this.words,
      characters: this.characters,
      charactersWithoutSpaces: this.characters - this.spaces,
      unitsByState: Object.fromEntries(this.unitsByState),
      wordsByState: Object.fromEntries(this.wordsByState),
      unitsWithTarget: this.unitsWithTarget,
      unitsWithoutTarget: this.units - this.unitsWithTarget,
      repeatedUnits: this.repeatedUnits,
      repeatedPercent: this.translatableUnits === 0 ? 0 : (this.repeatedUnits / this.translatableUnits) * 100,
      repeatedWords: this.repeatedWords,
    };
  }
}

function increment(map: Map<string, number>, key: string, by: number): void {
  map.set(key, (map.get(key) ?? 0) + by);
}

/** Word-like pieces of `text` by `segmenter`; plain ASCII text is counted without it (same figures, several times faster). */
export function countWords(segmenter: Intl.Segmenter, text: string): number {
  const quick = countAsciiWords(text);
  if (quick !== undefined) return quick;
  let words = 0;
  for (const piece of segmenter.segment(text)) if (piece.isWordLike) words++;
  return words;
}

/**
 * What `Intl.Segmenter` (Unicode word boundaries, UAX #29) gives for ASCII text where no
 * rule can join across a separator: words are runs of letters and digits. `undefined`
 * (ask the segmenter) for anything else: non-ASCII, `_`, control characters, or `.` `,`
 * `;` `:` `'` between two letters or digits ("it's", "3.14").
 */
function countAsciiWords(text: string): number | undefined {
  let words = 0;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const kind = c < 0x80 ? ASCII_KIND[c]! : OTHER;
    if (kind === ALNUM) {
      if (!inWord) words++;
      inWord = true;
      continue;
    }
    if (kind === OTHER) return undefined;
    if (kind === MID && inWord && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next < 0x80 && ASCII_KIND[next] === ALNUM) return undefined;
    }
    inWord = false;
  }
  return words;
}

const ALNUM = 0;
/** Always a boundary on both sides. */
const BREAK = 1;
/** Joins two letters or digits (MidLetter, MidNum, MidNumLet). */
const MID = 2;
const OTHER = 3;
const ASCII_KIND = ((): Uint8Array => {
  const kinds = new Uint8Array(128).fill(OTHER);
  for (const c of ' \t\n\r!"#$%&()*+-/<=>?@[\\]^`{|}~') kinds[c.charCodeAt(0)] = BREAK;
  for (const c of ".,;:'") kinds[c.charCodeAt(0)] = MID;
  for (let c = 0x30; c <= 0x39; c++) kinds[c] = ALNUM;
  for (let c = 0x41; c <= 0x5a; c++) kinds[c] = ALNUM;
  for (let c = 0x61; c <= 0x7a; c++) kinds[c] = ALNUM;
  return kinds;
})();

/** Code points, and how many of them are white space (`\s`). */
export function countCharacters(text: string): { characters: number; spaces: number } {
  let characters = 0;
  let spaces = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    // A low surrogate after a high one is the second half of one code point.
    if (c >= 0xdc00 && c <= 0xdfff && i > 0) {
      const previous = text.charCodeAt(i - 1);
      if (previous >= 0xd800 && previous <= 0xdbff) continue;
    }
    characters++;
    if (c <= 0x20 ? c === 0x20 || (c >= 0x09 && c <= 0x0d) : c >= 0x80 && WHITE_SPACE.test(text[i]!)) spaces++;
  }
  return { characters, spaces };
}

const WHITE_SPACE = /\s/;
