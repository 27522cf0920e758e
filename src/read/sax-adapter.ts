/**
 * The sax adapter: the one module that knows sax's internals (its states, its buffers and
 * their limit, what its positions point at). It tokenises the decoded text (strict,
 * positions, XML's five entities) and hands on each piece of markup with the character
 * indexes where it starts and ends. sax gets stand-ins for the halves of surrogate pairs, so that
 * it reads names beyond U+FFFF (`mayHoldSurrogates` tells the reader which markup may hold them).
 */
import type { SAXOptions, SAXParser, Tag } from 'sax';
import { sax } from '../cjs.js';
import { lowerFirst } from '../errors.js';
import type { Attributes } from '../model.js';
import { referenceCaseProblem } from './markup-checks.js';

export interface StartTag {
  readonly name: string;
  readonly attributes: Attributes;
}

/** What the markup is handed to. Character indexes count the text written, from 0. */
export interface MarkupHandler {
  /**
   * A start tag: `start` at its `<`, `end` after its `>`. `toRead`: its text must be read again,
   * since sax met a repeated attribute (which it drops without a word) or a value holding a
   * `<`, tab, LF or CR (as written or as a reference: only the text tells).
   */
  openTag(tag: StartTag, start: number, end: number, toRead: boolean): void;
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
  /**
   * One piece of markup (`what`: "an attribute value", "a comment"...), starting at `at`, is
   * longer than the limit (`maxUnitBytes`, or `limit` characters when given). Must throw.
   */
  tooLong(what: string, at: number, limit?: number): never;
}

/**
 * The longest name (of an element, attribute, processing instruction or entity reference)
 * accepted, in characters, whatever `maxUnitBytes`: libxml2's `XML_MAX_NAME_LENGTH`. sax
 * builds names one character at a time, which V8 keeps as a rope of ~32 bytes a character:
 * names are never cut, so they must stay short.
 */
export const MAX_NAME_LENGTH = 50_000;

/**
 * A buffer sax builds one character at a time and reads back (an attribute value, a PI's
 * body, a DOCTYPE) is moved out of sax, into flat strings, once it is longer than this.
 */
const MOVE_AT = 4096;

/** Half of a surrogate pair (the decoder lets none through alone). */
const SURROGATE = /[\uD800-\uDFFF]/;
const HIGH_SURROGATES = /[\uD800-\uDBFF]/g;
const LOW_SURROGATES = /[\uDC00-\uDFFF]/g;
/** In an attribute value as sax gives it, what makes the tag's text worth reading again. */
const VALUE_TO_READ = /[<\t\n\r]/;

/**
 * `text` with U+FFF0 for each high surrogate and U+FFF1 for each low one: sax tests name
 * characters one UTF-16 unit at a time against the BMP's, and would refuse a name with a
 * character beyond U+FFFF (XML 1.0's 5th edition allows U+10000 to U+EFFFF). The stand-ins are
 * name characters there (unassigned, in \uFDF0-\uFFFD), one for one: every index stays right.
 */
function withStandIns(text: string): string {
  return text.replace(HIGH_SURROGATES, '\uFFF0').replace(LOW_SURROGATES, '\uFFF1');
}

/**
 * The entity table of one parser: XML's five entities, and below them a table asked only of
 * the names that are none of them. sax looks a reference up by its name as written, then in
 * lower case, and reads a character reference in lower case: `&AMP;` and `&#X41;` would pass.
 * `refuse` is told of those (at the `&`, from `position`, the index after the `;`).
 */
function entityTable(refuse: (reason: string, at: number) => never, position: () => number): Record<string, string> {
  const others = new Proxy(Object.create(null) as object, {
    get: (_table, name) => {
      const problem = typeof name === 'string' ? referenceCaseProblem(name) : undefined;
      if (problem !== undefined) refuse(problem, position() - (name as string).length - 2);
      return undefined;
    },
  });
  return Object.assign(Object.create(others) as Record<string, string>, { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" });
}

/** What sax exposes but its typings do not declare. */
type SaxInternals = typeof sax & { STATE: Record<string, number> };
type ParserInternals = SAXParser & {
  state: number;
  bufferCheckPosition: number;
  startTagPosition: number;
  /** A string while a DOCTYPE is open, `true` once one was read. */
  doctype: string | boolean;
  tag: (Tag & { isSelfClosing: boolean }) | null;
  ENTITIES: Record<string, string>;
  /** Used only with the xmlns option (off here), but asked `indexOf` of every attribute name. */
  attribList: { length: number; indexOf(name: string): number };
} & Record<'textNode' | 'cdata' | 'comment' | 'sgmlDecl' | 'attribValue' | 'procInstBody' | NameBuffer, string>;

const saxInternals = sax as SaxInternals;

const STATE = saxInternals.STATE;
const { TEXT, BEGIN, BEGIN_WHITESPACE } = STATE as Record<'TEXT' | 'BEGIN' | 'BEGIN_WHITESPACE', number>;
const DOCTYPE_STATES = new Set(['DOCTYPE', 'DOCTYPE_QUOTED', 'DOCTYPE_DTD', 'DOCTYPE_DTD_QUOTED'].map((name) => STATE[name]));

/**
 * The states in which sax is inside a piece of markup that starts at its `startTagPosition`
 * (which the reader holds from its `<`), by what a message calls it. Not text (its entity
 * references included) nor a DOCTYPE, whose `startTagPosition` moves with the markup inside it.
 */
const MARKUP_STATES: ReadonlyMap<number, string> = new Map(
  Object.entries({
    OPEN_WAKA: 'markup',
    SGML_DECL: 'a declaration',
    SGML_DECL_QUOTED: 'a declaration',
    COMMENT_STARTING: 'a comment',
    COMMENT: 'a comment',
    COMMENT_ENDING: 'a comment',
    COMMENT_ENDED: 'a comment',
    CDATA: 'a CDATA section',
    CDATA_ENDING: 'a CDATA section',
    CDATA_ENDING_2: 'a CDATA section',
    PROC_INST: 'a processing instruction',
    PROC_INST_BODY: 'a processing instruction',
    PROC_INST_ENDING: 'a processing instruction',
    OPEN_TAG: 'a start tag',
    OPEN_TAG_SLASH: 'a start tag',
    ATTRIB: 'a start tag',
    ATTRIB_NAME: 'a start tag',
    ATTRIB_NAME_SAW_WHITE: 'a start tag',
    ATTRIB_VALUE: 'a start tag',
    ATTRIB_VALUE_CLOSED: 'a start tag',
    ATTRIB_VALUE_QUOTED: 'a start tag',
    ATTRIB_VALUE_UNQUOTED: 'a start tag',
    ATTRIB_VALUE_ENTITY_Q: 'a start tag',
    ATTRIB_VALUE_ENTITY_U: 'a start tag',
    CLOSE_TAG: 'an end tag',
    CLOSE_TAG_SAW_WHITE: 'an end tag',
  }).map(([name, what]) => [STATE[name]!, what]),
);

/** sax's buffers that hold a name, and what a message calls them. */
const NAME_BUFFERS = {
  tagName: 'an element name',
  attribName: 'an attribute name',
  procInstName: 'a processing instruction name',
  entity: 'an entity reference',
} as const;
type NameBuffer = keyof typeof NAME_BUFFERS;
const NAME_BUFFER_KEYS = Object.keys(NAME_BUFFERS) as NameBuffer[];

/** The part of an attribute value moved out of sax: sax holds the rest (at least its last character). */
interface MovedValue {
  readonly tag: Tag;
  readonly name: string;
  /** `undefined`: the value of a duplicate attribute, which sax drops. */
  readonly pieces: string[] | undefined;
}

/**
 * Moves all but the last character of sax's `buffer` into `pieces`, flat (a slice flattens
 * the rope sax made): sax keeps a buffer that is never empty, its content being read only
 * at the end of its markup, where the adapter puts the pieces back in front of it.
 */
function moveOut(parser: ParserInternals, buffer: 'attribValue' | 'procInstBody' | 'doctype', pieces: string[] | undefined): void {
  const value = parser[buffer] as string;
  pieces?.push(value.slice(0, -1));
  parser[buffer] = value.slice(-1);
}

export class SaxAdapter {
  private readonly parser: ParserInternals;
  /** The longest attribute, comment, DOCTYPE... accepted, in characters. */
  readonly bufferLimit: number;
  private closed = false;
  /** Characters written to sax. */
  private written = 0;
  /** Where the last piece written that held a surrogate ends (0: none did). */
  private surrogatesUntil = 0;
  /** What was moved out of sax of the attribute value being read, if anything. */
  private value: MovedValue | undefined;
  /** Whether the start tag sax is reading must be read again from its text (`MarkupHandler.openTag`). */
  private tagToRead = false;
  private piBody: string[] = [];
  private doctypeBody: string[] = [];
  /** Characters in `doctypeBody`. */
  private doctypeMoved = 0;
  /** Where the CDATA section being read starts. */
  private cdataStart = 0;
  /** The `<` sax saw last (its `startTagPosition`) when `textRun` was counted. */
  private runTagPosition = -1;
  /**
   * Characters of text since the last markup, counted after the last write that ended in
   * text: what the reader does not hold between units (it hands it on), bounded by it.
   */
  textRun = 0;

  /** `bufferLimit`: the longest attribute, comment, DOCTYPE... wanted, in characters (`maxUnitBytes`). */
  constructor(
    private readonly handler: MarkupHandler,
    bufferLimit: number,
  ) {
    this.bufferLimit = bufferLimit;
    const parser = sax.parser(true, { position: true, strictEntities: true } as SAXOptions) as ParserInternals;
    // sax checks its buffers against its global limit, one for every parser, and only at
    // times: its check is turned off for this parser, which bounds them after every write.
    parser.bufferCheckPosition = Infinity;
    parser.ENTITIES = entityTable((reason, at) => handler.notWellFormed(reason, at), () => parser.position);
    // sax asks its attribute list of every attribute as the value ends, just before it drops one
    // it has already: the one place a repeat shows, and each value seen once, as it is made.
    parser.attribList = {
      length: 0,
      indexOf: (name) => {
        if (!this.tagToRead && (Object.hasOwn(parser.tag!.attributes, name) || VALUE_TO_READ.test(parser.attribValue))) this.tagToRead = true;
        return -1;
      },
    };
    // Markup that ends is checked as markup that goes on is (in `bound`): the same limit on
    // its length from its `<`, wherever the text was cut into writes.
    parser.onopentag = (tag) => {
      const start = parser.startTagPosition - 1;
      const end = parser.position;
      if (end - start > this.bufferLimit) this.tooLong('a start tag', start);
      if (end - start > MAX_NAME_LENGTH) this.checkNames(tag as Tag, start);
      if (this.value !== undefined) this.putValueBack(tag as Tag);
      const toRead = this.tagToRead;
      this.tagToRead = false;
      handler.openTag(tag as Tag, start, end, toRead);
    };
    parser.onclosetag = () => {
      const end = parser.position;
      // sax's `tag` here is the element being closed; a self-closing one has no end tag of its own.
      const start = parser.tag!.isSelfClosing ? end : parser.startTagPosition - 1;
      if (end - start > this.bufferLimit) this.tooLong('an end tag', start);
      handler.closeTag(start, end);
    };
    // No text handlers: text is cut from the reader's own copy; sax's text events (half of all
    // its events) would cost a call each.
    parser.onopencdata = () => handler.openCdata((this.cdataStart = parser.startTagPosition - 1));
    parser.onclosecdata = () => {
      if (parser.position - this.cdataStart > this.bufferLimit) this.tooLong('a CDATA section', this.cdataStart);
      handler.closeCdata(parser.position);
    };
    // sax tells of a comment at its `--`, before the `>` (strict: nothing else may follow).
    parser.oncomment = () => {
      const start = parser.startTagPosition - 1;
      if (parser.position + 1 - start > this.bufferLimit) this.tooLong('a comment', start);
      handler.comment(start, parser.position + 1);
    };
    parser.ondoctype = (body) => {
      if (this.doctypeBody.length > 0) {
        body = this.doctypeBody.join('') + body;
        this.doctypeBody = [];
        this.doctypeMoved = 0;
      }
      if (body.length > this.bufferLimit) this.tooLong('a DOCTYPE', 0);
      handler.doctype(body, parser.position - 1 - body.length);
    };
    parser.onprocessinginstruction = ({ name, body }) => {
      if (this.piBody.length > 0) {
        body = this.piBody.join('') + body;
        this.piBody = [];
      }
      const start = parser.startTagPosition - 1;
      if (parser.position - start > this.bufferLimit) this.tooLong('a processing instruction', start);
      if (name.length > MAX_NAME_LENGTH) this.tooLong(NAME_BUFFERS.procInstName, start, MAX_NAME_LENGTH);
      handler.processingInstruction(name, body, start, parser.position);
    };
    parser.onsgmldeclaration = () => handler.sgmlDeclaration(parser.startTagPosition - 1, parser.position);
    parser.onerror = (error) => {
      // sax has moved past the offending character; at the end of input there is none.
      const at = this.closed ? parser.position : parser.position - 1;
      handler.notWellFormed(lowerFirst(error.message.split('\n')[0] ?? 'not well-formed'), at);
    };
    this.parser = parser;
  }

  /**
   * Writes text to sax; the reader writes at most 64 Ki characters at a time, so that the bounds
   * are checked often. With `standIns` (a surrogate pair may stand in a tag: the reader's scan of
   * the piece says; by default, whether it holds one), the piece goes to sax with stand-ins for
   * the halves (`withStandIns`), so that sax takes a character beyond U+FFFF for a name character.
   */
  write(text: string, standIns = SURROGATE.test(text)): void {
    if (standIns) {
      this.surrogatesUntil = this.written + text.length;
      text = withStandIns(text);
    }
    this.written += text.length;
    this.parser.write(text);
    this.bound();
  }

  /** Whether the text written so far ended in text, not inside markup. */
  get inText(): boolean {
    return this.parser.state === TEXT;
  }

  /**
   * Whether markup from character `start` on may hold a surrogate: sax then had stand-ins for it,
   * and what it hands on of that markup (names, attribute values, a PI) is the reader's to read
   * from its own text. One comparison: nearly every document has no surrogate in its markup.
   */
  mayHoldSurrogates(start: number): boolean {
    return start < this.surrogatesUntil;
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

  /**
   * Keeps what sax holds small, after every write: drops the buffers whose content the reader
   * takes from its own text (text, CDATA, comments), moves out those it reads back (attribute
   * values, PI bodies, the DOCTYPE) as flat strings, and fails a piece of markup the reader
   * holds (from its `<`) that is longer than the limit, and a name longer than `MAX_NAME_LENGTH`.
   */
  private bound(): void {
    const parser = this.parser;
    if (parser.state === TEXT) {
      // sax's text buffer holds the text since its last markup (or since the last write, when
      // emptied here and no "<" came since).
      this.textRun = parser.startTagPosition === this.runTagPosition ? this.textRun + parser.textNode.length : parser.textNode.length;
      this.runTagPosition = parser.startTagPosition;
    }
    // sax reads its text and CDATA buffers only to hand them to handlers there are none of.
    parser.textNode = '';
    parser.cdata = '';
    const state = parser.state;
    if (state === TEXT) return;
    const markup = MARKUP_STATES.get(state);
    if (markup !== undefined && parser.position - parser.startTagPosition >= this.bufferLimit) this.tooLong(markup, parser.startTagPosition - 1);
    for (const buffer of NAME_BUFFER_KEYS) {
      const { length } = parser[buffer];
      // Placed at the markup's `<`, as a name in markup that ends is; an entity reference at its `&`.
      if (length > MAX_NAME_LENGTH) this.tooLong(NAME_BUFFERS[buffer], buffer === 'entity' ? parser.position - length - 1 : parser.startTagPosition - 1, MAX_NAME_LENGTH);
    }
    // sax reads a comment only to know whether it is empty, a declaration only to compare its
    // first characters with `[CDATA[`, `DOCTYPE` and `--` (and it only grows).
    if (parser.comment.length > MOVE_AT) parser.comment = '-';
    if (parser.sgmlDecl.length > MOVE_AT) parser.sgmlDecl = parser.sgmlDecl.slice(0, 9);
    if (parser.procInstBody.length > MOVE_AT) moveOut(parser, 'procInstBody', this.piBody);
    if (parser.attribValue.length > MOVE_AT) this.moveValue();
    const { doctype } = parser;
    if (typeof doctype === 'string' && doctype !== '') {
      // Its comments and PIs aside (bounded one by one, as markup), which sax keeps out of it.
      // Placed where the text the reader holds starts (at or before the DOCTYPE): further in,
      // placing it would cost a copy of all that text.
      if (this.doctypeMoved + doctype.length > this.bufferLimit) this.tooLong('a DOCTYPE', 0);
      if (doctype.length > MOVE_AT) {
        this.doctypeMoved += doctype.length - 1;
        moveOut(parser, 'doctype', this.doctypeBody);
      }
    }
  }

  /** A start tag longer than a name may be: its names, checked as `bound` checks them in the making. */
  private checkNames(tag: Tag, start: number): void {
    if (tag.name.length > MAX_NAME_LENGTH) this.tooLong(NAME_BUFFERS.tagName, start, MAX_NAME_LENGTH);
    for (const name of Object.keys(tag.attributes)) {
      if (name.length > MAX_NAME_LENGTH) this.tooLong(NAME_BUFFERS.attribName, start, MAX_NAME_LENGTH);
    }
  }

  /** Lets go of what was moved out of sax (the reader may need the room to place the error), then fails. */
  private tooLong(what: string, at: number, limit?: number): never {
    this.value = undefined;
    this.piBody = [];
    this.doctypeBody = [];
    this.parser.attribValue = this.parser.procInstBody = this.parser.comment = '';
    if (typeof this.parser.doctype === 'string') this.parser.doctype = '-';
    return this.handler.tooLong(what, at, limit);
  }

  /** Moves out sax's attribute value, after what was moved of it already. */
  private moveValue(): void {
    const parser = this.parser;
    const tag = parser.tag!;
    const name = parser.attribName;
    const moved = this.value;
    // The value moved before is another attribute's (one read since, in this tag or another) if sax has it whole.
    if (moved !== undefined && (moved.tag !== tag || moved.name !== name || (moved.pieces !== undefined && Object.hasOwn(tag.attributes, name)))) {
      this.putValueBack(moved.tag);
    }
    // sax drops the value of an attribute it has already.
    this.value ??= { tag, name, pieces: Object.hasOwn(tag.attributes, name) ? undefined : [] };
    if (VALUE_TO_READ.test(parser.attribValue)) this.tagToRead = true;
    moveOut(parser, 'attribValue', this.value.pieces);
  }

  /** Puts the moved pieces of an attribute value back in front of what sax read of it, once sax has it. */
  private putValueBack(tag: Tag): void {
    const moved = this.value!;
    this.value = undefined;
    const { attributes } = tag;
    if (moved.pieces !== undefined && moved.tag === tag && Object.hasOwn(attributes, moved.name)) {
      attributes[moved.name] = moved.pieces.join('') + (attributes[moved.name] as string);
    }
  }
}
