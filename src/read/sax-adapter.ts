/**
 * The sax adapter: the one module that knows sax's internals (its states, its buffers and
 * their limit, what its positions point at). It tokenises the decoded text (strict,
 * positions, XML's five entities) and hands on each piece of markup with the character
 * indexes where it starts and ends.
 */
import type { SAXOptions, SAXParser, Tag } from 'sax';
import { sax } from '../cjs.js';
import { lowerFirst } from '../errors.js';
import type { Attributes } from '../model.js';

export interface StartTag {
  readonly name: string;
  readonly attributes: Attributes;
}

/** What the markup is handed to. Character indexes count the text written, from 0. */
export interface MarkupHandler {
  /** A start tag: `start` at its `<`, `end` after its `>`. */
  openTag(tag: StartTag, start: number, end: number): void;
  /** An end tag; for a self-closing element, `start` and `end` are both the end of its tag. */
  closeTag(start: number, end: number): void;
  /** `start` at the `<` of `<![CDATA[`. */
  openCdata(start: number): void;
  /** `end` after the `]]>`. */
  closeCdata(end: number): void;
  comment(start: number, end: number): void;
  /** What stands between `<!DOCTYPE` and the closing `>`, which starts at `bodyStart`. */
  doctype(body: string, bodyStart: number): void;
  processingInstruction(name: string, body: string, start: number, end: number): void;
  /** What sax takes for an SGML declaration (`<!FOO ...>`, outside a DOCTYPE), `start` at its `<`, `end` after its `>`. */
  sgmlDeclaration(start: number, end: number): void;
  /** The text is not well-formed at character `at`. Must throw. */
  notWellFormed(reason: string, at: number): never;
  /** One piece of markup (`what`: "an attribute value", "a comment"...) is longer than the limit. Must throw. */
  tooLong(what: string, at: number): never;
}

/** The least buffer limit a parser gets. */
export const MIN_BUFFER_LIMIT = 16 * 1024 * 1024;

/** What sax exposes but its typings do not declare. */
type SaxInternals = typeof sax & { STATE: Record<string, number> };
type ParserInternals = SAXParser & { state: number; bufferCheckPosition: number } & Record<SaxBuffer, string>;

const saxInternals = sax as SaxInternals;

const { TEXT, BEGIN, BEGIN_WHITESPACE } = saxInternals.STATE as Record<'TEXT' | 'BEGIN' | 'BEGIN_WHITESPACE', number>;
const DOCTYPE_STATES = new Set(['DOCTYPE', 'DOCTYPE_QUOTED', 'DOCTYPE_DTD', 'DOCTYPE_DTD_QUOTED'].map((name) => saxInternals.STATE[name]));

/**
 * sax's buffers, in the order sax checks them, and what a message calls them. Text and CDATA
 * it only cuts when they pass the limit (the reader takes them from its own text, not from sax);
 * `script` is never used by a strict parser.
 */
const SAX_BUFFERS = {
  comment: 'a comment',
  sgmlDecl: 'a declaration',
  textNode: undefined,
  tagName: 'an element name',
  doctype: 'a DOCTYPE',
  procInstName: 'a processing instruction',
  procInstBody: 'a processing instruction',
  entity: 'an entity reference',
  attribName: 'an attribute name',
  attribValue: 'an attribute value',
  cdata: undefined,
  script: undefined,
} as const;
type SaxBuffer = keyof typeof SAX_BUFFERS;
const BUFFER_NAMES = Object.keys(SAX_BUFFERS) as SaxBuffer[];

export class SaxAdapter {
  private readonly parser: ParserInternals;
  /** The longest attribute, comment, DOCTYPE... accepted, in characters. */
  readonly bufferLimit: number;
  /** Characters read when the buffers are next checked (sax's own schedule, with this parser's limit). */
  private nextCheck: number;
  private closed = false;

  /** `bufferLimit`: the longest attribute, comment, DOCTYPE... wanted (at least `MIN_BUFFER_LIMIT`). */
  constructor(
    private readonly handler: MarkupHandler,
    bufferLimit: number,
  ) {
    this.bufferLimit = Math.max(MIN_BUFFER_LIMIT, bufferLimit);
    const parser = sax.parser(true, { position: true, strictEntities: true } as SAXOptions) as ParserInternals;
    // sax checks its buffers against its global limit, one for every parser: its check is
    // turned off for this parser, which runs the same check with a limit of its own.
    parser.bufferCheckPosition = Infinity;
    this.nextCheck = this.bufferLimit;
    parser.onopentag = (tag) => handler.openTag(tag as Tag, parser.startTagPosition - 1, parser.position);
    parser.onclosetag = () => {
      const end = parser.position;
      // sax's `tag` here is the element being closed; a self-closing one has no end tag of its own.
      handler.closeTag(parser.tag.isSelfClosing ? end : parser.startTagPosition - 1, end);
    };
    // No text handlers: text is cut from the reader's own copy; sax's text events (half of all
    // its events) would cost a call each.
    parser.onopencdata = () => handler.openCdata(parser.startTagPosition - 1);
    parser.onclosecdata = () => handler.closeCdata(parser.position);
    // sax tells of a comment at its `--`, before the `>` (strict: nothing else may follow).
    parser.oncomment = () => handler.comment(parser.startTagPosition - 1, parser.position + 1);
    parser.ondoctype = (body) => handler.doctype(body, parser.position - 1 - body.length);
    parser.onprocessinginstruction = ({ name, body }) => handler.processingInstruction(name, body, parser.startTagPosition - 1, parser.position);
    parser.onsgmldeclaration = () => handler.sgmlDeclaration(parser.startTagPosition - 1, parser.position);
    parser.onerror = (error) => {
      // sax has moved past the offending character; at the end of input there is none.
      const at = this.closed ? parser.position : parser.position - 1;
      handler.notWellFormed(lowerFirst(error.message.split('\n')[0] ?? 'not well-formed'), at);
    };
    this.parser = parser;
  }

  write(text: string): void {
    const parser = this.parser;
    parser.write(text);
    if (parser.position >= this.nextCheck) this.checkBuffers();
  }

  /** Ends the text: sax reports what is left open. */
  close(): void {
    this.closed = true;
    this.parser.close();
  }

  /**
   * Up to where the text written so far (`written` characters, of which the first `held`
   * were let go of) is no longer needed by markup sax has begun and not finished: all of it
   * between markup, up to the `<` inside a tag, nothing more inside a DOCTYPE (held whole, so
   * that an entity declaration can be placed).
   */
  safeEnd(held: number, written: number): number {
    const { state } = this.parser;
    if (state === TEXT || state === BEGIN || state === BEGIN_WHITESPACE) return written;
    if (DOCTYPE_STATES.has(state)) return held;
    return Math.min(written, this.parser.startTagPosition - 1);
  }

  /** sax's buffer check, as often as sax would run it, against this parser's limit. */
  private checkBuffers(): void {
    const parser = this.parser;
    const limit = this.bufferLimit;
    let longest = 0;
    for (const buffer of BUFFER_NAMES) {
      const length = parser[buffer].length;
      if (length > limit) {
        const what = SAX_BUFFERS[buffer];
        if (what !== undefined) this.handler.tooLong(what, parser.position - 1);
        // sax hands on text it cuts (the text before CDATA first): there is no handler to hand it to.
        if (buffer !== 'textNode') parser.textNode = '';
        parser[buffer] = '';
      }
      longest = Math.max(longest, length);
    }
    this.nextCheck = limit - longest + parser.position;
  }
}
