/**
 * The XLIFF reader: decoded text in, skeleton pieces and units out. Knows nothing of
 * streams or files: `write(text)` as often as text comes, then `end()`. sax (through the
 * sax adapter) finds the markup; this class checks what sax does not, follows the XLIFF
 * structure, cuts units at their element boundaries and keeps only the text it still needs.
 */
import { XliffError, type XliffErrorCode } from '../errors.js';
import type { Attributes, Namespaces, Unit, UnitLayout } from '../model.js';
import { decodeCharacterData, normalizeLineEnds } from './character-data.js';
import { needsNormalizing, normalizeAttributes } from './attribute-values.js';
import { readAstralTag } from './astral-tag.js';
import { doctypeProblem } from './doctype.js';
import { PrologScanner } from './prolog-scanner.js';
import { PieceSearch } from './piece-search.js';
import { MarkupChecks, characterReferenceProblem } from './markup-checks.js';
import { XML_NAMESPACE, declareNamespaces, isXliffNamespace, resolveElementName, type Scope } from './namespaces.js';
import { PositionTracker, type Position } from './positions.js';
import type { ReadContext } from './read-context.js';
import { SaxAdapter, type MarkupHandler, type StartTag } from './sax-adapter.js';
import { UnitBuilder } from './unit-builder.js';
import { declarationProblem, invalidCharReason, scanCharacters } from './xml-checks.js';
import { XliffStructure, translateOf, type ElementRole } from './xliff-structure.js';

/** Text goes to sax in pieces of at most this many characters, so that limits are checked often. */
const WRITE_SLICE = 64 * 1024;
const SURROGATE = /[\uD800-\uDFFF]/;

export interface XliffReaderOptions {
  /** Name shown in error messages. */
  readonly fileName: string | undefined;
  /** The largest unit, in input bytes; also the longest attribute, comment, DOCTYPE... outside a unit, in characters. */
  readonly maxUnitBytes: number;
  /** Elements nested deeper than this are refused (`XLIFF_TOO_DEEP`). */
  readonly maxDepth: number;
  /** `false`: XML only: no XLIFF root required, no units read. */
  readonly xliff: boolean;
  /** Bytes a piece of text takes in the input's encoding. */
  readonly byteLength: (text: string) => number;
  readonly onUnit: (unit: Unit, layout: UnitLayout) => void;
  /** Receives what is wrong but does not stop reading (an unknown XLIFF version); omitted, dropped. */
  readonly onProblem?: ((problem: XliffError) => void) | undefined;
  /**
   * Receives the text between units, verbatim, and the input bytes it spans; omitted, it
   * is dropped as soon as it is read.
   */
  readonly onSkeleton?: ((text: string, fromByte: number, toByte: number) => void) | undefined;
  /**
   * Where the text starts, when not at the start of the document: the reader reads the
   * context's ancestors again (handing on nothing) and goes on from its position.
   */
  readonly resume?: ReadContext | undefined;
  /** Whether `context()` will be asked: the reader then keeps the start tags of the elements open outside units. */
  readonly keepContext?: boolean | undefined;
}

interface OpenElement {
  readonly name: string;
  /** Whether the name holds a surrogate: its end tag's is then compared with it by the reader (sax compared stand-ins). */
  readonly astral: boolean;
  readonly role: ElementRole;
  readonly scope: Scope;
  /** The default namespace in this element (`scope['']`, kept at hand: most names have no prefix). */
  readonly defaultUri: string;
  /** The `translate` in force in this element's content: its own, or the nearest one of an ancestor's, if any. */
  readonly translate: boolean | undefined;
  /** Its start tag as written, outside units, when the reader keeps them (`keepContext`). */
  readonly tag?: string | undefined;
}

interface OpenUnit {
  readonly builder: UnitBuilder;
  readonly start: number;
  readonly position: Position;
  readonly id: string | undefined;
  /** Index in `open` of the unit element. */
  readonly depth: number;
}

/** Its markup methods (`openTag`...) are the sax adapter's to call. */
export class XliffReader implements MarkupHandler {
  private readonly sax: SaxAdapter;
  /** The well-formedness sax lets through. */
  private readonly checks = new MarkupChecks((reason, at) => {
    throw this.fail('XLIFF_PARSE', reason, at);
  });
  private tracker: PositionTracker;
  /** Reading a context's ancestors again: nothing is handed on. */
  private replaying = false;
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
  private readonly structure = new XliffStructure();
  private sawRoot = false;
  /** Follows the prolog until its DOCTYPE ends or none may come: sax gets the DOCTYPE's internal subset blanked. */
  private prolog: PrologScanner | undefined = new PrologScanner();
  private sawOnlySpace = true;
  private startsWithBom = false;

  private unit: OpenUnit | undefined;
  private unitIndex = 0;
  /** The last unit's scope, flattened for its layout: the units of a file share it. */
  private unitScope: { readonly scope: Scope; readonly namespaces: Namespaces } | undefined;
  /** Character index where the last markup inside the unit ended: text after it starts there. */
  private markupEnd = 0;
  /** Character index of the `<` of the CDATA section being read in a unit. */
  private cdataStart = 0;
  /** Each empty comment (`<!---->`, which sax tells no handler of) found: the only markup a unit's text between markup can hold. */
  private readonly emptyComments = new PieceSearch('<!---->');

  constructor(private readonly options: XliffReaderOptions) {
    this.tracker = new PositionTracker(options.byteLength);
    this.sax = new SaxAdapter(this, options.maxUnitBytes);
    if (options.resume) this.resumeAt(options.resume);
  }

  /** Reads the context's ancestors again, handing nothing on, then stands where the context is. */
  private resumeAt(context: ReadContext): void {
    this.replaying = true;
    try {
      this.write(context.ancestors.join(''));
    } finally {
      this.replaying = false;
    }
    if (this.open.length !== context.ancestors.length || !this.sax.inText) throw new Error('a read context whose ancestors are not start tags of open elements');
    this.emitSkeleton(this.written);
    this.tracker = new PositionTracker(this.options.byteLength, context.offset);
    this.tracker.moveTo(this.written, context.line, context.column);
    this.heldByte = context.offset;
    this.unitIndex = context.units;
    this.structure.resume(context.files, context.fileWithoutElement);
  }

  /**
   * Where the text written so far ends, as a context to read on from (`encoding` aside), if
   * it ends between markup, outside units, inside the root, with nothing left to check;
   * `undefined` otherwise. Asks for `keepContext`.
   */
  context(): Omit<ReadContext, 'encoding'> | undefined {
    if (!this.options.keepContext || this.unit || !this.sax.inText || this.open.length === 0 || this.checks.pending || this.failure) return undefined;
    const { line, column, offset } = this.position();
    return { ancestors: this.open.map((element) => element.tag!), ...this.structure.files(), units: this.unitIndex, line, column, offset };
  }

  /**
   * The text of a byte range is all written and the document goes on after it (threads):
   * hands on the skeleton still held, and gives the context there (`undefined`: reading
   * cannot stop there).
   */
  endRange(): Omit<ReadContext, 'encoding'> | undefined {
    const context = this.context();
    if (context) this.emitSkeleton(this.written);
    return context;
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
      const doctypeStart = this.prolog?.doctypeStart;
      if (doctypeStart !== undefined) {
        const problem = doctypeProblem(this.slice(doctypeStart, this.written), false)!;
        throw this.fail(problem.code, problem.reason, doctypeStart + problem.index);
      }
      if (!this.sawRoot) {
        if (this.sawOnlySpace) throw this.fail('XLIFF_EMPTY', 'empty document: no XML in the input', this.written);
        throw this.fail('XLIFF_PARSE', 'no root element: the input ends before any element', this.written);
      }
      this.sax.close();
      this.emitSkeleton(this.written);
    } catch (error) {
      throw this.wrap(error);
    }
  }

  /** The position reached: where the text written so far ends. */
  position(): Position {
    return this.tracker.advance(this.text, this.held, this.held + this.text.length);
  }

  /** The input offset (bytes) where the text the reader still holds starts. */
  get heldOffset(): number {
    return this.heldByte;
  }

  private feed(text: string): void {
    const { invalid: bad, surrogateInTag } = scanCharacters(text, this.sax.inText);
    if (bad !== -1) {
      this.feed(text.slice(0, bad));
      throw this.fail('XLIFF_PARSE', invalidCharReason(text, bad), this.written);
    }
    if (this.written === 0 && text.charCodeAt(0) === 0xfeff) this.startsWithBom = true;
    if (this.sawOnlySpace && /[^\s\uFEFF]/.test(text)) this.sawOnlySpace = false;
    this.text = this.text.length === 0 ? text : this.text + text;
    this.checks.scan(text, this.written);
    this.emptyComments.scan(text, this.written);
    this.sax.write(this.prolog ? this.scanProlog(text) : text, surrogateInTag);
    this.written += text.length;
    if (this.checks.pending) this.checks.settle(this.sax.safeEnd(this.held, this.written), this.open.length > 0);
    if (this.unit) {
      // Bytes are at least UTF-16 code units in every encoding read here: a cheap, safe bound.
      if (this.written - this.unit.start > this.options.maxUnitBytes) this.unitTooLarge(this.written);
      return;
    }
    // Between units, a text run is not held but sax holds it: as long as a unit may be at most.
    if (this.sax.textRun > this.options.maxUnitBytes) throw this.fail('XLIFF_UNIT_TOO_LARGE', `text between markup longer than maxUnitBytes (${this.options.maxUnitBytes} characters)`, this.written);
    const safeEnd = this.sax.safeEnd(this.held, this.written);
    // A "]" at the end may begin a "]]>": held, so that an error there can still be placed.
    this.emitSkeleton(text.charCodeAt(text.length - 1) === 93 ? Math.min(safeEnd, this.written - 2) : safeEnd);
  }

  /** Hands on the text up to `to` as skeleton and forgets it. */
  private emitSkeleton(to: number): void {
    if (to <= this.held) return;
    this.emptyComments.forgetBefore(to);
    const { offset } = this.tracker.advance(this.text, this.held, to);
    const cut = to - this.held;
    if (this.options.onSkeleton && !this.replaying) this.options.onSkeleton(this.text.slice(0, cut), this.heldByte, offset);
    this.text = this.text.slice(cut);
    this.held = to;
    this.heldByte = offset;
  }

  private slice = (from: number, to: number): string => this.text.slice(from - this.held, to - this.held);

  openTag(tag: StartTag, tagStart: number, tagEnd: number, toRead: boolean): void {
    let { name, attributes } = tag;
    const depth = this.open.length;
    if (depth >= this.options.maxDepth) throw this.fail('XLIFF_TOO_DEEP', `elements nested deeper than maxDepth (${this.options.maxDepth})`, tagStart);
    const parent = depth > 0 ? this.open[depth - 1] : undefined;
    this.checks.startTag(this.text, this.held, tagStart, tagEnd, depth > 0, this.sawRoot);
    if (toRead) this.checks.attributes(this.text, this.held, tagStart, tagEnd, attributes);
    const parentScope = parent ? parent.scope : this.baseScope;
    let astral = false;
    const raw = this.sax.mayHoldSurrogates(tagStart) ? this.slice(tagStart, tagEnd) : undefined;
    if (raw !== undefined && SURROGATE.test(raw)) {
      const read = readAstralTag(raw, name.length);
      if ('reason' in read) throw this.fail('XLIFF_PARSE', read.reason, tagStart + read.index);
      ({ name, attributes } = read);
      astral = SURROGATE.test(name);
    } else if (toRead && needsNormalizing(attributes)) normalizeAttributes(attributes, raw ?? this.slice(tagStart, tagEnd));
    const scope = declareNamespaces(attributes, parentScope);
    if (typeof scope === 'string') throw this.fail('XLIFF_PARSE', scope, tagStart);
    const defaultUri = scope === parentScope ? (parent?.defaultUri ?? '') : (scope[''] ?? '');
    const resolved = resolveElementName(name, scope, defaultUri);
    if (typeof resolved === 'string') throw this.fail('XLIFF_PARSE', resolved, tagStart);
    const { local, uri } = resolved;

    const { structure } = this;
    if (!this.sawRoot) {
      this.sawRoot = true;
      const notXliff = this.options.xliff ? structure.root(local, uri, attributes) : undefined;
      if (notXliff !== undefined) throw this.fail('XLIFF_NOT_XLIFF', notXliff, tagStart);
      const versionProblem = this.options.xliff && this.options.onProblem && !this.replaying ? structure.versionProblem() : undefined;
      if (versionProblem !== undefined) this.options.onProblem!(this.errorAt('XLIFF_NOT_XLIFF', versionProblem, tagStart));
    }
    const inXliff = this.options.xliff && (uri === structure.uri || isXliffNamespace(uri));

    const unit = this.unit;
    if (unit) {
      this.takeText(tagStart);
      this.markupEnd = tagEnd;
      this.open.push({ name, astral, role: 'other', scope, defaultUri, translate: parent?.translate });
      unit.builder.startElement(local, inXliff, attributes, tagStart, tagEnd);
      return;
    }
    const role = inXliff ? structure.roleOf(local) : 'other';
    let translate = parent?.translate;
    if (role === 'unit') {
      this.startUnit(attributes, translate ?? true, tagStart, tagEnd, scope);
    } else if (role === 'group') {
      translate = translateOf(attributes) ?? translate;
      structure.openGroup(attributes);
    } else if (role === 'file') {
      translate = translateOf(attributes) ?? translate;
      structure.openFile(attributes);
    }
    this.open.push({ name, astral, role, scope, defaultUri, translate, tag: this.options.keepContext ? this.slice(tagStart, tagEnd) : undefined });
  }

  closeTag(tagStart: number, tagEnd: number): void {
    const element = this.open.pop()!;
    if (tagStart !== tagEnd) {
      this.checks.endTag(this.text, this.held, tagStart, true);
      // sax compared the names with stand-ins for surrogates: a stand-in written as such matched one.
      if ((element.astral || this.sax.mayHoldSurrogates(tagStart)) && !this.endTagMatches(element, tagStart)) {
        throw this.fail('XLIFF_PARSE', 'unexpected close tag', tagEnd - 1);
      }
    }
    const unit = this.unit;
    if (unit) {
      this.takeText(tagStart);
      this.markupEnd = tagEnd;
      if (this.open.length > unit.depth) unit.builder.endElement(tagStart, tagEnd);
      else this.endUnit(unit, tagEnd);
      return;
    }
    if (element.role === 'group') this.structure.closeGroup();
    else if (element.role === 'file') this.structure.closeFile();
  }

  /** Whether the end tag at `tagStart` names `element` (sax found its name there, of the same length, stand-ins aside). */
  private endTagMatches(element: OpenElement, tagStart: number): boolean {
    return this.slice(tagStart + 2, tagStart + 2 + element.name.length) === element.name;
  }

  openCdata(start: number): void {
    this.checks.openCdata(this.text, this.held, start, this.open.length > 0);
    if (this.unit) this.cdataStart = this.takeText(start);
  }

  /** A CDATA section's content is text as written, line ends aside. */
  closeCdata(end: number): void {
    this.checks.closeCdata(end);
    const unit = this.unit;
    if (!unit) return;
    // `<![CDATA[` before, `]]>` after.
    if (unit.builder.collectsText) unit.builder.addText(normalizeLineEnds(this.slice(this.cdataStart + 9, end - 3)));
    this.markupEnd = end;
  }

  comment(start: number, end: number): void {
    this.checks.comment(this.text, this.held, start, end, this.open.length > 0);
    if (this.unit) {
      this.takeText(start);
      this.markupEnd = end;
    }
  }

  /** sax has the DOCTYPE's subset blanked (`scanProlog`): the declaration is checked in the text held. */
  doctype(body: string, bodyStart: number): void {
    const start = bodyStart - '<!DOCTYPE'.length;
    const problem = doctypeProblem(this.slice(start, bodyStart + body.length + 1));
    if (problem) throw this.fail(problem.code, problem.reason, start + problem.index);
  }

  processingInstruction(name: string, body: string, start: number, end: number): void {
    if (this.sax.mayHoldSurrogates(start)) {
      // sax read stand-ins for surrogates: its target and body, as long, are cut from the text (`<?` before, `?>` after).
      const raw = this.slice(start, end);
      if (SURROGATE.test(raw)) {
        name = raw.slice(2, 2 + name.length);
        body = raw.slice(raw.length - 2 - body.length, raw.length - 2);
      }
    }
    const declaration = declarationProblem(name, body, start === 0 || (start === 1 && this.startsWithBom));
    if (declaration !== undefined) {
      // What the text held before it is reported first.
      this.checks.reached(start, end, this.open.length > 0);
      throw this.fail('XLIFF_PARSE', declaration, start);
    }
    this.checks.processingInstruction(this.text, this.held, name, start, end, this.open.length > 0);
    if (this.unit) {
      this.takeText(start);
      this.markupEnd = end;
    }
  }

  /** The text for sax, while the prolog may still hold a DOCTYPE. */
  private scanProlog(text: string): string {
    const prolog = this.prolog!;
    const forSax = prolog.scan(text, this.written);
    if (prolog.done) this.prolog = undefined;
    return forSax;
  }

  sgmlDeclaration(start: number, end: number): never {
    return this.checks.declaration(this.text, this.held, start, end);
  }

  notWellFormed(reason: string, at: number): never {
    const to = Math.max(this.held, at);
    // What the text holds before sax's error comes first, whatever the pieces.
    if (this.checks.pending) this.checks.settle(Math.min(to, this.sax.safeEnd(this.held, to)), this.open.length > 0);
    const reference = reason === 'invalid character entity' ? characterReferenceProblem(this.text, this.held, to) : undefined;
    if (reference) throw this.fail('XLIFF_PARSE', reference.reason, reference.at);
    throw this.fail('XLIFF_PARSE', reason, to);
  }

  tooLong(what: string, at: number, limit?: number): never {
    const bound = limit === undefined ? `maxUnitBytes (${this.sax.bufferLimit} characters)` : `${limit} characters`;
    throw this.fail('XLIFF_UNIT_TOO_LARGE', `${what} longer than ${bound}`, Math.max(this.held, at));
  }

  /**
   * Hands the unit's builder, if it collects text here, the character data between the
   * last markup and `to` (where the next markup starts) as XML reads it. Returns `to`.
   */
  private takeText(to: number): number {
    const builder = this.unit!.builder;
    if (to > this.markupEnd && builder.collectsText) {
      const text = this.slice(this.markupEnd, to);
      builder.addText(decodeCharacterData(this.emptyCommentBefore(to) ? text.replaceAll('<!---->', '') : text));
    }
    return to;
  }

  /** Whether an empty comment starts between the end of the last markup and `to`. */
  private emptyCommentBefore(to: number): boolean {
    if (!this.emptyComments.pending) return false;
    this.emptyComments.forgetBefore(this.markupEnd);
    const first = this.emptyComments.first();
    return first !== -1 && first < to;
  }

  /** `translate`: what the unit's ancestors set, `true` if none does. */
  private startUnit(attributes: Attributes, translate: boolean, tagStart: number, tagEnd: number, scope: Scope): void {
    this.emitSkeleton(tagStart);
    const position = this.tracker.advance(this.text, this.held, tagStart);
    const { structure } = this;
    const file = structure.unitFile();
    const namespaces = this.namespacesOf(scope);
    const builder = new UnitBuilder({ version: structure.version, index: this.unitIndex++, file, groups: structure.groupsView(), translate, attributes, slice: this.slice, start: tagStart, namespaces });
    this.unit = { builder, start: tagStart, position, id: attributes['id'], depth: this.open.length };
    this.markupEnd = tagEnd;
  }

  /** `scope` as a plain object (a scope inherits from its parent's), made once per scope. */
  private namespacesOf(scope: Scope): Namespaces {
    if (this.unitScope?.scope === scope) return this.unitScope.namespaces;
    const namespaces: Record<string, string> = {};
    for (const prefix in scope) namespaces[prefix] = scope[prefix]!;
    this.unitScope = { scope, namespaces: Object.freeze(namespaces) };
    return this.unitScope.namespaces;
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

  private fail(code: XliffErrorCode, reason: string, at: number): XliffError {
    if (this.failure) return this.failure;
    return (this.failure = this.errorAt(code, reason, at));
  }

  /** An error placed at character `at` (or where the tracker is, if further on). */
  private errorAt(code: XliffErrorCode, reason: string, at: number): XliffError {
    const to = Math.max(at, this.tracker.current);
    const { line, column, offset } = this.tracker.advance(this.text, this.held, Math.min(to, this.held + this.text.length));
    return new XliffError(code, reason, { file: this.options.fileName, line, column, offset, unitId: this.unit?.id });
  }

  private wrap(error: unknown): XliffError {
    if (error instanceof XliffError) return error;
    return this.failure ?? (this.failure = new XliffError('XLIFF_PARSE', `parser failure: ${String((error as Error)?.message ?? error)}`, { file: this.options.fileName, cause: error }));
  }
}
