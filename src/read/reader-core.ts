/**
 * The parsing core: decoded text in, skeleton pieces and units out. Knows nothing
 * of streams or files (csv-parse's shape): `write(text)` as often as text comes,
 * then `end()`. sax (strict, positions) does the tokenising; this file checks what
 * sax does not (XML declaration, control characters, entities, namespaces), cuts
 * units at their element boundaries and keeps only the text it still needs.
 */
import type { SAXOptions, SAXParser, Tag } from 'sax';
import { sax } from '../cjs.js';
import { XliffError, type XliffErrorCode } from '../errors.js';
import type { Attributes, FileContext, GroupContext, Unit, XliffVersion } from '../model.js';
import { XLIFF_1_NAMESPACES, XLIFF_2_NAMESPACES, XML_NAMESPACE, isXliffNamespace } from './namespaces.js';
import { PositionTracker, type Position } from './positions.js';
import type { UnitLayout } from '../model.js';
import { UnitBuilder } from './unit-builder.js';

/**
 * sax fails an attribute, comment or DOCTYPE longer than its MAX_BUFFER_LENGTH when it
 * arrives in pieces (it always does: text is written in slices); text and CDATA it only
 * cuts (the reader takes them from the held input, not from sax). Each reader sets it to its `maxUnitBytes` (at least
 * this) before writing, so that one such thing may be as large as a unit, and no larger.
 */
const SAX_BUFFER_LIMIT = 16 * 1024 * 1024;
/** What sax names its buffers in "Max buffer length exceeded: <name>". */
const SAX_BUFFERS: Record<string, string> = {
  attribValue: 'an attribute value',
  attribName: 'an attribute name',
  tagName: 'an element name',
  comment: 'a comment',
  doctype: 'a DOCTYPE',
  procInstName: 'a processing instruction',
  procInstBody: 'a processing instruction',
  sgmlDecl: 'a declaration',
  entity: 'an entity reference',
};
/** What sax exposes but its typings do not declare. */
const saxInternals = sax as unknown as { MAX_BUFFER_LENGTH: number; STATE: Record<'TEXT' | 'BEGIN' | 'BEGIN_WHITESPACE', number> };
const { TEXT, BEGIN, BEGIN_WHITESPACE } = saxInternals.STATE;
/** While sax reads a DOCTYPE the text is held whole, so that an entity declaration can be placed. */
const DOCTYPE_STATES = new Set(['DOCTYPE', 'DOCTYPE_QUOTED', 'DOCTYPE_DTD', 'DOCTYPE_DTD_QUOTED'].map((name) => (saxInternals.STATE as Record<string, number>)[name]));
/** Text goes to sax in pieces of at most this many characters, so that limits are checked often. */
const WRITE_SLICE = 64 * 1024;

/** Characters XML 1.0 does not allow, raw in the text (sax lets them through). */
const INVALID_XML_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;
const XML_DECLARATION = /^version\s*=\s*(["'])1\.[0-9]+\1(\s+encoding\s*=\s*(["'])[A-Za-z][A-Za-z0-9._-]*\3)?(\s+standalone\s*=\s*(["'])(yes|no)\5)?\s*$/;

export interface ReaderCoreOptions {
  /** Name shown in error messages. */
  readonly fileName: string | undefined;
  readonly maxUnitBytes: number;
  /** Bytes a piece of text takes in the input's encoding. */
  readonly byteLength: (text: string) => number;
  readonly onUnit: (unit: Unit, layout: UnitLayout) => void;
  /**
   * Receives the text between units, verbatim, and the input bytes it spans; omitted, it
   * is dropped as soon as it is read.
   */
  readonly onSkeleton?: ((text: string, fromByte: number, toByte: number) => void) | undefined;
}

type Scope = Record<string, string>;
type ElementRole = 'file' | 'group' | 'unit' | 'other';

interface OpenElement {
  readonly role: ElementRole;
  readonly scope: Scope;
  /** The default namespace in this element (`scope['']`, kept at hand: most names have no prefix). */
  readonly defaultUri: string;
  readonly selfClosing: boolean;
  /** A `translate` this element sets for its content, if any. */
  readonly translate: boolean | undefined;
}

interface OpenUnit {
  readonly builder: UnitBuilder;
  readonly start: number;
  readonly position: Position;
  readonly id: string | undefined;
  /** Index in `open` of the unit element. */
  readonly depth: number;
}

export class ReaderCore {
  private readonly parser: SAXParser;
  private readonly tracker: PositionTracker;
  /** The text still needed, from character index `held` on (byte `heldByte` of the input). */
  private text = '';
  private held = 0;
  private heldByte = 0;
  /** Characters written so far. */
  private written = 0;
  private failure: XliffError | undefined;
  private ended = false;

  private readonly open: OpenElement[] = [];
  private readonly baseScope: Scope = { xml: XML_NAMESPACE };
  private xliffUri: string | undefined;
  private version: XliffVersion = '1.2';
  private rootAttributes: Attributes = {};
  private sawRoot = false;
  private sawOnlySpace = true;
  private startsWithBom = false;

  private fileIndex = -1;
  private file: FileContext | undefined;
  private readonly groups: GroupContext[] = [];
  /** The groups array handed to units, shared until the nesting changes. */
  private groupsView: readonly GroupContext[] = [];
  private unit: OpenUnit | undefined;
  private unitIndex = 0;
  /** Character index where the last markup inside the unit ended: text after it starts there. */
  private markupEnd = 0;
  /** Character index of the `<` of the CDATA section being read in a unit. */
  private cdataStart = 0;

  private readonly bufferLimit: number;

  constructor(private readonly options: ReaderCoreOptions) {
    this.bufferLimit = Math.max(SAX_BUFFER_LIMIT, options.maxUnitBytes);
    saxInternals.MAX_BUFFER_LENGTH = this.bufferLimit;
    this.tracker = new PositionTracker(options.byteLength);
    // strictEntities: only XML's five entities (sax would accept HTML's, e.g. &nbsp;, otherwise).
    const parser = sax.parser(true, { position: true, strictEntities: true } as SAXOptions);
    parser.onopentag = (node) => this.onOpenTag(node as Tag);
    parser.onclosetag = () => this.onCloseTag();
    // No text handlers: the text a unit needs is cut from the held input at the next
    // markup (`takeText`); sax's text events (half of all its events) would cost a call each.
    parser.onopencdata = () => {
      if (this.unit) this.cdataStart = this.takeText();
    };
    parser.onclosecdata = () => {
      if (this.unit) this.onCdataEnd();
    };
    parser.oncomment = () => {
      if (this.unit) {
        this.takeText();
        // sax tells of a comment at its `--`, before the `>` (strict: nothing else may follow).
        this.markupEnd = this.parser.position + 1;
      }
    };
    parser.ondoctype = (doctype) => this.onDoctype(doctype);
    parser.onprocessinginstruction = (pi) => this.onProcessingInstruction(pi);
    parser.onerror = (error) => {
      // sax has moved past the offending character; at the end of input there is none.
      const at = this.ended ? this.parser.position : this.parser.position - 1;
      const message = error.message.split('\n')[0] ?? 'not well-formed';
      const buffer = /^Max buffer length exceeded: (\w+)/.exec(message)?.[1];
      if (buffer !== undefined) {
        const what = SAX_BUFFERS[buffer] ?? buffer;
        throw this.fail('XLIFF_UNIT_TOO_LARGE', `${what} longer than maxUnitBytes (${this.bufferLimit} characters)`, Math.max(this.held, at));
      }
      throw this.fail('XLIFF_PARSE', lowerFirst(message), Math.max(this.held, at));
    };
    this.parser = parser;
  }

  /** Feeds decoded text. Throws an `XliffError` at the first problem, and on every call after it. */
  write(text: string): void {
    if (this.failure) throw this.failure;
    try {
      for (let i = 0; i < text.length; ) {
        let end = Math.min(text.length, i + WRITE_SLICE);
        // Never between the two halves of a surrogate pair: a skeleton piece must be encodable alone.
        const last = text.charCodeAt(end - 1);
        if (end < text.length && last >= 0xd800 && last <= 0xdbff) end--;
        this.feed(text.slice(i, end));
        i = end;
      }
    } catch (error) {
      throw this.wrap(error);
    }
  }

  /** Ends the input: checks the document is whole. */
  end(): void {
    if (this.failure) throw this.failure;
    if (this.ended) return;
    this.ended = true;
    try {
      if (!this.sawRoot) {
        if (this.sawOnlySpace) throw this.fail('XLIFF_EMPTY', 'empty document: no XML in the input', this.written);
        throw this.fail('XLIFF_PARSE', 'no root element: the input ends before any element', this.written);
      }
      this.parser.close();
      this.emitSkeleton(this.written);
    } catch (error) {
      throw this.wrap(error);
    }
  }

  /** The position reached: where the text written so far ends. */
  position(): Position {
    return this.tracker.advance(this.text, this.held, this.held + this.text.length);
  }

  private feed(text: string): void {
    const bad = INVALID_XML_CHAR.exec(text);
    if (bad) {
      this.feed(text.slice(0, bad.index));
      const code = text.charCodeAt(bad.index).toString(16).toUpperCase().padStart(4, '0');
      throw this.fail('XLIFF_PARSE', `character U+${code} is not allowed in XML`, this.written);
    }
    if (this.written === 0 && text.charCodeAt(0) === 0xfeff) this.startsWithBom = true;
    if (this.sawOnlySpace && /[^\s\uFEFF]/.test(text)) this.sawOnlySpace = false;
    this.text = this.text.length === 0 ? text : this.text + text;
    // Global in sax: readers with other limits may run in between.
    saxInternals.MAX_BUFFER_LENGTH = this.bufferLimit;
    this.parser.write(text);
    this.written += text.length;
    if (this.unit) {
      // Bytes are at least UTF-16 code units in every encoding read here: a cheap, safe bound.
      if (this.written - this.unit.start > this.options.maxUnitBytes) this.unitTooLarge(this.written);
      return;
    }
    this.emitSkeleton(this.safeEnd());
  }

  /** Where the text stops being needed: before a tag that has begun and not ended. */
  private safeEnd(): number {
    const { state } = this.parser as SAXParser & { state: number };
    if (state === TEXT || state === BEGIN || state === BEGIN_WHITESPACE) return this.written;
    if (DOCTYPE_STATES.has(state)) return this.held;
    return Math.min(this.written, this.parser.startTagPosition - 1);
  }

  /** The input offset (bytes) where the text the reader still holds starts. */
  get heldOffset(): number {
    return this.heldByte;
  }

  /** Hands on the text up to `to` as skeleton and forgets it. */
  private emitSkeleton(to: number): void {
    if (to <= this.held) return;
    const { offset } = this.tracker.advance(this.text, this.held, to);
    const cut = to - this.held;
    if (this.options.onSkeleton) this.options.onSkeleton(this.text.slice(0, cut), this.heldByte, offset);
    this.text = this.text.slice(cut);
    this.held = to;
    this.heldByte = offset;
  }

  private slice = (from: number, to: number): string => this.text.slice(from - this.held, to - this.held);

  private onOpenTag(node: Tag): void {
    const { name, attributes, isSelfClosing } = node;
    const tagStart = this.parser.startTagPosition - 1;
    const tagEnd = this.parser.position;
    const parent = this.open.length > 0 ? this.open[this.open.length - 1] : undefined;
    const parentScope = parent ? parent.scope : this.baseScope;
    const scope = this.declareNamespaces(attributes, parentScope, tagStart);
    const defaultUri = scope === parentScope ? (parent?.defaultUri ?? '') : (scope[''] ?? '');
    let local = name;
    let uri: string | undefined = defaultUri;
    const colon = name.indexOf(':');
    if (colon !== -1) {
      const prefix = name.slice(0, colon);
      local = name.slice(colon + 1);
      uri = prefix === '' ? defaultUri : scope[prefix];
      if (uri === undefined) throw this.fail('XLIFF_PARSE', `unbound namespace prefix "${prefix}" in <${name}>`, tagStart);
    }

    if (!this.sawRoot) this.onRoot(local, uri, attributes, tagStart);
    const inXliff = uri === this.xliffUri || isXliffNamespace(uri);

    const unit = this.unit;
    if (unit) {
      this.takeText();
      this.markupEnded();
      this.open.push({ role: 'other', scope, defaultUri, selfClosing: isSelfClosing, translate: undefined });
      unit.builder.startElement(local, inXliff, attributes, tagStart, tagEnd);
      return;
    }
    let role: ElementRole = 'other';
    let translate: boolean | undefined;
    if (inXliff) {
      const major = this.version[0];
      if (local === (major === '1' ? 'trans-unit' : 'unit')) {
        role = 'unit';
        this.startUnit(attributes, tagStart);
      } else if (local === 'group') {
        role = 'group';
        translate = translateOf(attributes);
        this.groups.push({ id: attributes['id'], name: attributes['resname'] ?? attributes['name'], attributes });
        this.groupsView = this.groups.slice();
      } else if (local === 'file') {
        role = 'file';
        translate = translateOf(attributes);
        this.startFile(attributes);
      }
    }
    this.open.push({ role, scope, defaultUri, selfClosing: isSelfClosing, translate });
  }

  private onCloseTag(): void {
    const element = this.open.pop()!;
    const tagEnd = this.parser.position;
    const tagStart = element.selfClosing ? tagEnd : this.parser.startTagPosition - 1;
    const unit = this.unit;
    if (unit) {
      this.takeText(tagStart);
      this.markupEnded();
      if (this.open.length > unit.depth) unit.builder.endElement(tagStart, tagEnd);
      else this.endUnit(unit, tagEnd);
      return;
    }
    if (element.role === 'group') {
      this.groups.pop();
      this.groupsView = this.groups.slice();
    } else if (element.role === 'file') {
      this.file = undefined;
    }
  }

  /**
   * Hands the unit's builder, if it collects text here, the character data between the
   * last markup and `to` (by default the `<` sax has just read) as XML reads it: sax has
   * checked it is well-formed. Returns `to`.
   */
  private takeText(to = this.parser.startTagPosition - 1): number {
    const builder = this.unit!.builder;
    if (to > this.markupEnd && builder.collectsText) builder.addText(decodeCharacterData(this.slice(this.markupEnd, to)));
    return to;
  }

  /** A CDATA section's content is text as written, line ends aside. */
  private onCdataEnd(): void {
    const builder = this.unit!.builder;
    const end = this.parser.position;
    // `<![CDATA[` before, `]]>` after.
    if (builder.collectsText) builder.addText(normalizeLineEnds(this.slice(this.cdataStart + 9, end - 3)));
    this.markupEnded();
  }

  private markupEnded(): void {
    this.markupEnd = this.parser.position;
  }

  private onDoctype(doctype: string): void {
    const entity = doctype.indexOf('<!ENTITY');
    if (entity !== -1) {
      // sax hands over what stands between `<!DOCTYPE` and the closing `>`.
      const doctypeStart = this.parser.position - 1 - doctype.length - '<!DOCTYPE'.length;
      const name = /^<!ENTITY\s+(%\s+)?([^\s>]+)/.exec(doctype.slice(entity))?.[2] ?? '';
      throw this.fail('XLIFF_ENTITY', `the DOCTYPE declares entity "${name}": refused (entity expansion and external entities are unsafe)`, doctypeStart + '<!DOCTYPE'.length + entity);
    }
  }

  private onProcessingInstruction({ name, body }: { name: string; body: string }): void {
    if (this.unit) {
      this.takeText();
      this.markupEnded();
    }
    if (name.toLowerCase() !== 'xml') return;
    const start = this.parser.startTagPosition - 1;
    const atStart = start === 0 || (start === 1 && this.startsWithBom);
    if (name !== 'xml' || !atStart) throw this.fail('XLIFF_PARSE', 'an XML declaration is allowed only at the very start of the document', start);
    if (!XML_DECLARATION.test(body)) throw this.fail('XLIFF_PARSE', `malformed XML declaration: <?xml ${body}?>`, start);
  }

  private onRoot(local: string, uri: string, attributes: Attributes, tagStart: number): void {
    this.sawRoot = true;
    if (local !== 'xliff' || (uri !== '' && !isXliffNamespace(uri))) {
      throw this.fail('XLIFF_NOT_XLIFF', `not an XLIFF document: the root element is <${local}>${uri ? ` in namespace ${uri}` : ''}`, tagStart);
    }
    this.xliffUri = uri;
    this.rootAttributes = attributes;
    const declared = attributes['version'];
    if (XLIFF_2_NAMESPACES.has(uri) || (uri === '' && declared?.startsWith('2'))) {
      this.version = declared === '2.1' || declared === '2.2' ? declared : uri.endsWith('2.2') ? '2.2' : uri.endsWith('2.1') ? '2.1' : '2.0';
    } else {
      this.version = declared === '1.0' || declared === '1.1' ? declared : XLIFF_1_NAMESPACES.has(uri) && uri.endsWith('1.1') ? '1.1' : '1.2';
    }
  }

  private startFile(attributes: Attributes): void {
    const v2 = this.version[0] === '2';
    this.file = {
      index: ++this.fileIndex,
      id: attributes['id'],
      original: attributes['original'],
      sourceLanguage: v2 ? this.rootAttributes['srcLang'] : attributes['source-language'],
      targetLanguage: v2 ? this.rootAttributes['trgLang'] : attributes['target-language'],
      datatype: attributes['datatype'],
      attributes,
    };
  }

  private startUnit(attributes: Attributes, tagStart: number): void {
    this.emitSkeleton(tagStart);
    const position = this.tracker.advance(this.text, this.held, tagStart);
    let translate = true;
    for (let i = this.open.length - 1; i >= 0; i--) {
      const inherited = this.open[i]!.translate;
      if (inherited !== undefined) {
        translate = inherited;
        break;
      }
    }
    const file = this.file ?? this.startFileless();
    const builder = new UnitBuilder({ version: this.version, index: this.unitIndex++, file, groups: this.groupsView, translate, attributes, slice: this.slice, start: tagStart });
    this.unit = { builder, start: tagStart, position, id: attributes['id'], depth: this.open.length };
    this.markupEnded();
  }

  /** A unit outside any `file` (invalid XLIFF, but readable): it gets an empty file context. */
  private startFileless(): FileContext {
    this.startFile({});
    return this.file!;
  }

  private endUnit(unit: OpenUnit, tagEnd: number): void {
    const end = this.tracker.advance(this.text, this.held, tagEnd);
    const length = end.offset - unit.position.offset;
    if (length > this.options.maxUnitBytes) this.unitTooLarge(tagEnd);
    const raw = this.slice(unit.start, tagEnd);
    this.unit = undefined;
    this.text = this.text.slice(tagEnd - this.held);
    this.held = tagEnd;
    this.heldByte = end.offset;
    const { line, column, offset } = unit.position;
    this.options.onUnit(unit.builder.build(raw, { line, column, offset, length }), unit.builder.layout());
  }

  private unitTooLarge(at: number): never {
    const unit = this.unit!;
    const { line, column, offset } = unit.position;
    throw (this.failure = new XliffError('XLIFF_UNIT_TOO_LARGE', `unit${unit.id === undefined ? '' : ` "${unit.id}"`} is larger than maxUnitBytes (${this.options.maxUnitBytes} bytes; ${at - unit.start} characters read so far)`, {
      file: this.options.fileName,
      line,
      column,
      offset,
      unitId: unit.id,
    }));
  }

  private declareNamespaces(attributes: Attributes, parent: Scope, tagStart: number): Scope {
    let scope = parent;
    let prefixed: string[] | undefined;
    for (const key in attributes) {
      if (key.startsWith('xmlns')) {
        if (key.length === 5 || key.charCodeAt(5) === 58) {
          if (scope === parent) scope = Object.create(parent) as Scope;
          scope[key.length === 5 ? '' : key.slice(6)] = attributes[key]!;
          continue;
        }
      }
      if (key.indexOf(':') !== -1) (prefixed ??= []).push(key);
    }
    if (prefixed) {
      for (const key of prefixed) {
        const prefix = key.slice(0, key.indexOf(':'));
        if (scope[prefix] === undefined) throw this.fail('XLIFF_PARSE', `unbound namespace prefix "${prefix}" in attribute ${key}`, tagStart);
      }
    }
    return scope;
  }

  private fail(code: XliffErrorCode, reason: string, at: number): XliffError {
    if (this.failure) return this.failure;
    const to = Math.max(at, this.tracker.current);
    const { line, column, offset } = this.tracker.advance(this.text, this.held, Math.min(to, this.held + this.text.length));
    this.failure = new XliffError(code, reason, { file: this.options.fileName, line, column, offset, unitId: this.unit?.id });
    return this.failure;
  }

  private wrap(error: unknown): XliffError {
    if (error instanceof XliffError) return error;
    return this.failure ?? (this.failure = new XliffError('XLIFF_PARSE', `parser failure: ${String((error as Error)?.message ?? error)}`, { file: this.options.fileName, cause: error }));
  }
}

/** Line ends as XML reads them: CRLF and a lone CR become LF. */
function normalizeLineEnds(text: string): string {
  return text.indexOf('\r') === -1 ? text : text.replace(/\r\n?/g, '\n');
}

/**
 * Character data as XML reads it: literal line ends first, then references (which may
 * give a CR). sax has checked every `&` starts a well-formed reference to one of XML's
 * five entities or a character. A loop, not `replace` with a callback: a third of the
 * reader's own time went there on text with many references.
 */
function decodeCharacterData(source: string): string {
  const text = normalizeLineEnds(source);
  let amp = text.indexOf('&');
  if (amp === -1) return text;
  let decoded = '';
  let from = 0;
  while (amp !== -1) {
    const semicolon = text.indexOf(';', amp + 2);
    if (semicolon === -1) break;
    decoded += text.slice(from, amp) + referenceValue(text, amp, semicolon);
    from = semicolon + 1;
    amp = text.indexOf('&', from);
  }
  return decoded + text.slice(from);
}

/** The text of the reference `text[amp..semicolon]` (`&name;`, `&#n;` or `&#xh;`). */
function referenceValue(text: string, amp: number, semicolon: number): string {
  if (text.charCodeAt(amp + 1) === 35) {
    const hex = text.charCodeAt(amp + 2) === 120;
    return String.fromCodePoint(parseInt(text.slice(amp + (hex ? 3 : 2), semicolon), hex ? 16 : 10));
  }
  // By first letter (and length): no string to make per reference.
  const length = semicolon - amp - 1;
  switch (text.charCodeAt(amp + 1)) {
    case 108: // lt
      if (length === 2) return '<';
      break;
    case 103: // gt
      if (length === 2) return '>';
      break;
    case 97: // amp, apos
      if (length === 3) return '&';
      if (length === 4) return "'";
      break;
    case 113: // quot
      if (length === 4) return '"';
      break;
  }
  return text.slice(amp, semicolon + 1);
}

function translateOf(attributes: Attributes): boolean | undefined {
  const value = attributes['translate'];
  return value === undefined ? undefined : value !== 'no';
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
