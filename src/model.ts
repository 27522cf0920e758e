/**
 * The unit model: what the reader hands out for every `trans-unit` (XLIFF 1.x)
 * and `unit` (XLIFF 2.x).
 */

/** Attributes by qualified name (`id`, `xml:space`, `sdl:locked`...), values as XML reads them (references decoded, literal tabs and line ends as spaces). */
export type Attributes = Readonly<Record<string, string>>;

/** Plain text between inline codes. */
export interface TextPart {
  readonly type: 'text';
  readonly text: string;
}

/**
 * The start or end of an inline element that encloses translatable text:
 * 1.2 `g`, `mrk`, `sub`; 2.x `pc`, `mrk`; and any element of another namespace.
 */
export interface SpanPart {
  readonly type: 'start' | 'end';
  /** Local name: `g`, `mrk`, `sub`, `pc`... */
  readonly name: string;
  readonly id: string | undefined;
  readonly attributes: Attributes;
  /**
   * The tag exactly as in the file. A self-closing element (`<g id="1"/>`, `<pc id="1"/>`)
   * gives a start part holding the whole tag and an end part whose `xml` is ''.
   */
  readonly xml: string;
}

/**
 * An inline code whose content, if any, is native code and not text: 1.2 `x`, `bx`,
 * `ex`, `ph`, `bpt`, `ept`, `it`; 2.x `ph`, `sc`, `ec`, `sm`, `em`, `cp`.
 */
export interface CodePart {
  readonly type: 'code';
  readonly name: string;
  readonly id: string | undefined;
  readonly attributes: Attributes;
  /**
   * The native code inside the element (1.2 `ph`, `bpt`, `ept`, `it`), entities decoded,
   * line ends as LF, without the text of its `sub` elements; '' for empty codes. For a 2.x
   * `cp`, the character it stands for (which `Content.text` holds too).
   */
  readonly code: string;
  /**
   * The whole element exactly as in the file, its `sub` elements included: the parts of a
   * `sub` (start, text, end) follow the code part of the element that holds it.
   */
  readonly xml: string;
}

export type Part = TextPart | SpanPart | CodePart;

/** The content of a `source` or `target` (or a segment of it). */
export interface Content {
  /** What a translator reads: character data and CDATA, entities decoded, line ends as LF, no native code. */
  readonly text: string;
  /**
   * The inner XML exactly as in the file (for 2.x units: the segments' inner XML, concatenated;
   * for a unit's target, in the order the targets' `order` attributes give).
   */
  readonly xml: string;
  readonly parts: readonly Part[];
  /** The element's own attributes (`xml:lang`, `state`...); empty for a concatenation. */
  readonly attributes: Attributes;
}

/** A 2.x `segment` or `ignorable`; in 1.2 the whole unit, or one `mrk mtype="seg"` of its `seg-source`. */
export interface Segment {
  readonly kind: 'segment' | 'ignorable';
  readonly id: string | undefined;
  readonly state: string | undefined;
  readonly subState: string | undefined;
  readonly attributes: Attributes;
  readonly source: Content;
  readonly target: Content | undefined;
}

export interface Note {
  readonly text: string;
  readonly id: string | undefined;
  /** 1.2 `from`; 2.x `category`. */
  readonly from: string | undefined;
  /** 2.x `category` only. */
  readonly category: string | undefined;
  readonly priority: number | undefined;
  /** 1.2 `annotates`; 2.x `appliesTo`: `source`, `target` or `general`. */
  readonly appliesTo: string | undefined;
  readonly attributes: Attributes;
}

export interface FileContext {
  /** 0-based position of the `file` element in the document. */
  readonly index: number;
  readonly id: string | undefined;
  readonly original: string | undefined;
  /** 1.2 `file/@source-language`; 2.x `xliff/@srcLang`. */
  readonly sourceLanguage: string | undefined;
  /** 1.2 `file/@target-language`; 2.x `xliff/@trgLang`. */
  readonly targetLanguage: string | undefined;
  readonly datatype: string | undefined;
  readonly attributes: Attributes;
}

export interface GroupContext {
  readonly id: string | undefined;
  /** 1.2 `resname`; 2.x `name`. */
  readonly name: string | undefined;
  readonly attributes: Attributes;
}

/** Where the unit's element stands in the input. */
export interface Location {
  /** Line of the element's `<`, from 1. */
  readonly line: number;
  /** Column of the element's `<`, from 1, in UTF-16 code units. */
  readonly column: number;
  /** Byte offset of the `<` in the (decompressed) input. */
  readonly offset: number;
  /** Bytes from `<` to the closing `>`, in the input's encoding. */
  readonly length: number;
}

export type XliffVersion = '1.0' | '1.1' | '1.2' | '2.0' | '2.1' | '2.2';

export interface Unit {
  /** The `id` attribute as written; `undefined` where the unit has none. */
  readonly id: string | undefined;
  /** 0-based position of the unit in the document. */
  readonly index: number;
  readonly version: XliffVersion;
  readonly file: FileContext;
  /** Enclosing groups, outermost first. */
  readonly groups: readonly GroupContext[];
  /** Whether the unit is to be translated, inherited from groups (and 2.x files) as the specs say. */
  readonly translate: boolean;
  readonly attributes: Attributes;
  /** 1.2: the `source`. 2.x: the sources of the segments and ignorables, in document order. */
  readonly source: Content;
  /**
   * 1.2: the `target`, if any. 2.x: the targets of the segments and ignorables, in the order
   * their `order` attributes give (default: document order); an ignorable without a target
   * stands for itself; `undefined` when no segment or ignorable has a target.
   */
  readonly target: Content | undefined;
  /** 1.2: one segment, or one per `mrk mtype="seg"` of the `seg-source` (paired with the target's by `mid`). */
  readonly segments: readonly Segment[];
  /** 1.2: `target/@state`. 2.x: the least advanced state of the segments (spec default `initial`). */
  readonly state: string | undefined;
  /** 1.2: `target/@state-qualifier`. 2.x: the `subState` of the segment that gives `state`. */
  readonly subState: string | undefined;
  /** 1.2: `trans-unit/@approved`; 2.x has no such attribute: `undefined`. */
  readonly approved: boolean | undefined;
  readonly notes: readonly Note[];
  /** The element exactly as in the file, from `<` to `>`. */
  readonly raw: string;
  readonly location: Location;
}

/** A run of consecutive units, cut at unit boundaries. */
export interface Chunk {
  /** 0-based position of the chunk in the document. */
  readonly index: number;
  readonly units: readonly Unit[];
  /** Bytes the chunk's units take in the input. */
  readonly bytes: number;
}

// The reader/writer contract: where the parts the writer may change stand in a unit's `raw`.

/** Where an element stands in the unit's `raw`. A self-closing element has `innerStart === innerEnd === end`. */
export interface ElementSpan {
  readonly start: number;
  readonly innerStart: number;
  readonly innerEnd: number;
  readonly end: number;
}

/**
 * Namespace prefixes in scope, each with its namespace: `''` the default namespace (absent
 * when there is none), `xml` always. A plain object (no prototype chain to follow).
 */
export type Namespaces = Readonly<Record<string, string>>;

/** Where the parts the writer may change stand in `raw`. */
export interface UnitLayout {
  /**
   * The namespaces in scope at the unit's element: declared on its ancestors and on itself.
   * What is declared inside the unit, on the way to a target (2.x `segment`, the `target`
   * itself), the writer reads from those start tags. Units in the same scope share one object.
   */
  readonly namespaces: Namespaces;
  /** 1.2 `source`, `seg-source` and `target` children of the unit. */
  readonly source: ElementSpan | undefined;
  readonly segSource: ElementSpan | undefined;
  readonly target: ElementSpan | undefined;
  /** 2.x `segment` / `ignorable` children, in order, with their `source` and `target`. */
  readonly segments: readonly SegmentLayout[];
  /** 1.2 `mrk mtype="seg"` segments of the `seg-source` (as in `Unit.segments`) and of the `target`, in order. */
  readonly segSourceMarks: readonly MarkLayout[];
  readonly targetMarks: readonly MarkLayout[];
}

/** A 1.2 `mrk mtype="seg"` element: its `mid`, and where it stands in `raw`. */
export interface MarkLayout {
  readonly id: string | undefined;
  readonly element: ElementSpan;
}

export interface SegmentLayout {
  readonly element: ElementSpan;
  readonly source: ElementSpan | undefined;
  readonly target: ElementSpan | undefined;
}
