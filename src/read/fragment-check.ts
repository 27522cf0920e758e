/**
 * Checks an XML fragment (the inner XML of a target the writer is to write) as this
 * library's reader would read it where it goes: the reader itself, in its XML-only mode,
 * reads the fragment inside an element that declares the namespaces in scope there. So
 * whatever the reader refuses, the writer cannot write: its checks are this check's. Pure.
 */
import { XliffError } from '../errors.js';
import type { Namespaces } from '../model.js';
import { DEFAULT_MAX_DEPTH, DEFAULT_MAX_UNIT_BYTES } from '../options.js';
import { XliffReader } from './xliff-reader.js';

/** What is wrong with a fragment, and where: `index` in the fragment (its length: at its end). */
export interface FragmentProblem {
  readonly reason: string;
  readonly index: number;
}

/**
 * The element the fragments are read in, inside a root of the same name that stays open
 * from one fragment to the next: its name is one a fragment would not use.
 */
const WRAPPER = 'xliff-stream-fragment';
const END_TAG = `</${WRAPPER}>`;

/**
 * Reads fragments one after another with one reader, fed one endless document: a root
 * element that stays open, and each fragment in an element of its own. A reader that
 * failed, or that a fragment left inside a comment (or a CDATA section...), is dropped and
 * the next fragment gets a new one.
 */
export class FragmentReader {
  private reader: XliffReader | undefined;
  /** Characters written to the reader. */
  private written = 0;
  /** Where the last text the reader let go of ended: when it is `written`, no markup is open. */
  private settled = 0;
  private readonly startTags = new WeakMap<Namespaces, string>();

  /**
   * What is wrong with `xml` as the content of an element in whose scope `namespaces` are
   * (prefix -> namespace, `''` the default one), or `undefined` when the reader would read it.
   * Without `namespaces`, every prefix the fragment uses is taken as bound (the namespaces
   * where it goes are not known yet).
   */
  check(xml: string, namespaces?: Namespaces): FragmentProblem | undefined {
    // Text without markup, references or `]]>` is well-formed: its characters are checked elsewhere.
    if (xml.indexOf('<') === -1 && xml.indexOf('&') === -1 && xml.indexOf(']]>') === -1) return undefined;
    const start = namespaces === undefined ? startTag(anyPrefix(xml)) : this.startTagOf(namespaces);
    const reader = this.reader ?? this.newReader();
    const from = this.written + start.length;
    try {
      this.write(reader, start);
      this.write(reader, xml);
      this.write(reader, END_TAG);
    } catch (error) {
      this.reader = undefined;
      if (!(error instanceof XliffError)) throw error;
      const index = (error.offset ?? from) - from;
      return index >= xml.length ? { reason: 'it leaves an element, a tag or a reference open', index: xml.length } : { reason: error.reason, index: Math.max(0, index) };
    }
    if (this.settled !== this.written) {
      this.reader = undefined;
      return { reason: 'it leaves a comment, a CDATA section or a processing instruction open', index: xml.length };
    }
    // The reader takes a second root for a first: a fragment that closes its element (and
    // opens another) is found here. Only such a fragment holds the element's end tag.
    if (xml.indexOf(`</${WRAPPER}`) !== -1) {
      const stray = strayEndTag(xml);
      if (stray !== -1) return { reason: 'it closes an element it did not open', index: stray };
    }
    return undefined;
  }

  private newReader(): XliffReader {
    this.written = 0;
    this.settled = 0;
    const reader = new XliffReader({
      fileName: undefined,
      maxUnitBytes: DEFAULT_MAX_UNIT_BYTES,
      // The reader's default: a fragment nested deeper would not read back by default.
      maxDepth: DEFAULT_MAX_DEPTH,
      xliff: false,
      // Offsets in characters: problems are placed in the fragment by character.
      byteLength: (text) => text.length,
      onUnit: () => undefined,
      onSkeleton: (_text, _from, to) => void (this.settled = to),
    });
    this.write(reader, `<${WRAPPER}>`);
    return (this.reader = reader);
  }

  private write(reader: XliffReader, text: string): void {
    reader.write(text);
    this.written += text.length;
  }

  /** Units of one file share one `namespaces` object: its start tag is made once. */
  private startTagOf(namespaces: Namespaces): string {
    let tag = this.startTags.get(namespaces);
    if (tag === undefined) this.startTags.set(namespaces, (tag = startTag(namespaces)));
    return tag;
  }
}

/** The wrapper's start tag, declaring `namespaces` (`xml` is always bound). */
function startTag(namespaces: Namespaces): string {
  let tag = `<${WRAPPER}`;
  for (const prefix in namespaces) {
    if (prefix === 'xml') continue;
    tag += ` ${prefix === '' ? 'xmlns' : `xmlns:${prefix}`}="${attributeValue(namespaces[prefix]!)}"`;
  }
  return `${tag}>`;
}

const ATTRIBUTE_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '"': '&quot;', '\t': '&#9;', '\n': '&#10;', '\r': '&#13;' };

function attributeValue(value: string): string {
  return value.replace(/[&<"\t\n\r]/g, (c) => ATTRIBUTE_ESCAPES[c]!);
}

/** An NCName, roughly: what may stand before a colon as a prefix. */
const PREFIX = /^[\p{L}_][\p{L}\p{N}\p{M}_.\u00B7\u203F\u2040-]*$/u;

/** Every prefix `xml` may use in a name, bound each to a namespace of its own. */
function anyPrefix(xml: string): Namespaces {
  const namespaces: Record<string, string> = {};
  for (const match of xml.matchAll(/[<\s]\/?([^\s<>/="':]+):/g)) {
    const prefix = match[1]!;
    if (prefix !== 'xml' && prefix !== 'xmlns' && PREFIX.test(prefix)) namespaces[prefix] = `urn:xliff-stream:any-prefix:${prefix}`;
  }
  return namespaces;
}

/**
 * The index of the first end tag of well-formed `xml` that closes an element `xml` did not
 * open, or -1. Comments, CDATA sections, processing instructions and quoted values are skipped.
 */
function strayEndTag(xml: string): number {
  let depth = 0;
  let i = xml.indexOf('<');
  while (i !== -1) {
    if (xml.startsWith('<!--', i)) i = after(xml, '-->', i + 4);
    else if (xml.startsWith('<![CDATA[', i)) i = after(xml, ']]>', i + 9);
    else if (xml.startsWith('<?', i)) i = after(xml, '?>', i + 2);
    else if (xml.charCodeAt(i + 1) === 0x2f) {
      if (--depth < 0) return i;
      i = after(xml, '>', i);
    } else {
      let j = i + 1;
      let quote = 0;
      for (; j < xml.length; j++) {
        const c = xml.charCodeAt(j);
        if (quote !== 0) {
          if (c === quote) quote = 0;
        } else if (c === 0x22 || c === 0x27) quote = c;
        else if (c === 0x3e) break;
      }
      if (xml.charCodeAt(j - 1) !== 0x2f) depth++;
      i = j + 1;
    }
    i = xml.indexOf('<', i);
  }
  return -1;
}

function after(xml: string, terminator: string, from: number): number {
  const i = xml.indexOf(terminator, from);
  return i === -1 ? xml.length : i + terminator.length;
}

/** Shared by every caller: checks run one at a time (they are synchronous), so one reader serves them all. */
const shared = new FragmentReader();

/**
 * What is wrong with `xml` as element content where `namespaces` are in scope, or
 * `undefined` when this library's reader would read it there. Without `namespaces`, every
 * prefix is taken as bound.
 */
export function fragmentProblem(xml: string, namespaces?: Namespaces): FragmentProblem | undefined {
  return shared.check(xml, namespaces);
}
