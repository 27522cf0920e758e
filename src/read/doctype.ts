/**
 * The DOCTYPE, as XLIFF needs it: a name, perhaps an external ID (never fetched), and an
 * internal subset of nothing but white space, comments and processing instructions. Markup
 * declarations are refused: entity declarations and parameter-entity references with
 * `XLIFF_ENTITY` (entity expansion and external entities are unsafe), element, attribute-list
 * and notation declarations with `XLIFF_DTD` (XLIFF needs none).
 *
 * `doctypeProblem` checks the declaration's text, as XML 1.0 [28] doctypedecl has it (pure);
 * `PrologScanner` (prolog-scanner.ts) finds the DOCTYPE as the text arrives.
 */
import { codePointName, type XliffErrorCode } from '../errors.js';
import { piTargetProblem } from './namespaces.js';

/** What is wrong with a DOCTYPE, `index` characters into its declaration (at its `<`: 0). */
export interface DoctypeProblem {
  readonly code: Extract<XliffErrorCode, 'XLIFF_PARSE' | 'XLIFF_DTD' | 'XLIFF_ENTITY'>;
  readonly reason: string;
  readonly index: number;
}

/** XML 1.0 (5th edition) [4] NameStartChar beyond ASCII, as ranges of code points. */
const NAME_START_RANGES = [0xc0, 0xd6, 0xd8, 0xf6, 0xf8, 0x2ff, 0x370, 0x37d, 0x37f, 0x1fff, 0x200c, 0x200d, 0x2070, 0x218f, 0x2c00, 0x2fef, 0x3001, 0xd7ff, 0xf900, 0xfdcf, 0xfdf0, 0xfffd, 0x10000, 0xeffff];
/** [4a] NameChar beyond NameStartChar and ASCII. */
const NAME_CHAR_RANGES = [0xb7, 0xb7, 0x300, 0x36f, 0x203f, 0x2040];

function inRanges(code: number, ranges: readonly number[]): boolean {
  for (let k = 0; k < ranges.length; k += 2) if (code >= ranges[k]! && code <= ranges[k + 1]!) return true;
  return false;
}

function isNameStart(code: number): boolean {
  if (code < 0x80) return (code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a) || code === 0x3a || code === 0x5f;
  return inRanges(code, NAME_START_RANGES);
}

function isNameChar(code: number): boolean {
  if (code < 0x80) return isNameStart(code) || (code >= 0x30 && code <= 0x39) || code === 0x2d || code === 0x2e;
  return inRanges(code, NAME_START_RANGES) || inRanges(code, NAME_CHAR_RANGES);
}
/** [13] PubidChar. */
const PUBID_CHAR = /[\x20\x0D\x0Aa-zA-Z0-9\-'()+,./:=?;!*#@$_%]/;
const DECLARATIONS = { ELEMENT: 'element', ATTLIST: 'the attributes of element', NOTATION: 'notation' } as const;

export function isSpace(c: string | undefined): boolean {
  return c === ' ' || c === '\n' || c === '\t' || c === '\r';
}

/** A character as a message shows it: `"["`, or its code point when it is not printable. */
function shown(text: string, index: number): string {
  const code = text.codePointAt(index) ?? 0;
  return code <= 0x20 || (code >= 0x7f && code <= 0xa0) ? codePointName(code) : `"${String.fromCodePoint(code)}"`;
}

const SUBSET = "the DOCTYPE's internal subset";

/** Thrown inside the checker, caught at its top. */
class Found {
  constructor(readonly problem: DoctypeProblem) {}
}

/**
 * What is wrong with a DOCTYPE declaration, `<!DOCTYPE` to its `>`; `closed: false`: the input
 * ended inside it (`declaration` then runs to the end of the input), which is always wrong.
 * Entity declarations and parameter-entity references win over the other declarations
 * wherever they stand in the subset; otherwise the first problem in the text is the one.
 */
export function doctypeProblem(declaration: string, closed = true): DoctypeProblem | undefined {
  try {
    new DoctypeChecker(declaration, closed).check();
    return undefined;
  } catch (error) {
    if (error instanceof Found) return error.problem;
    throw error;
  }
}

class DoctypeChecker {
  private i = 0;
  /** The first element, attribute-list or notation declaration, refused if no entity is found. */
  private declaration: DoctypeProblem | undefined;

  constructor(
    private readonly text: string,
    private readonly closed: boolean,
  ) {}

  check(): void {
    const { text } = this;
    const keyword = text.slice(2, 9);
    if (keyword !== 'DOCTYPE') this.fail(2, `malformed DOCTYPE: <!${keyword} must be written <!DOCTYPE (upper case)`);
    this.i = 9;
    this.space('after <!DOCTYPE');
    const name = this.name();
    if (name === undefined) this.fail(this.i, `malformed DOCTYPE: expected the root element's name after <!DOCTYPE, found ${this.found()}`);
    if (this.skipSpace() > 0 && !this.at('[') && !this.at('>')) this.externalId();
    this.skipSpace();
    const subset = this.at('[');
    if (subset) {
      this.i++;
      this.subset();
      this.skipSpace();
    }
    this.end();
    if (!this.at('>')) this.fail(this.i, `malformed DOCTYPE: expected ${subset ? '> after the internal subset' : '[ or > to end the DOCTYPE'}, found ${this.found()}`);
    // The `>` sax ended the DOCTYPE at is the last character: nothing stands after it.
  }

  /** [75] ExternalID, as a DOCTYPE has it (SYSTEM, or PUBLIC with both literals). */
  private externalId(): void {
    const start = this.i;
    const word = this.name();
    if (word !== 'SYSTEM' && word !== 'PUBLIC') {
      this.i = start;
      this.end();
      this.fail(start, `malformed DOCTYPE: expected SYSTEM or PUBLIC (upper case), [ or > after the name, found ${word === undefined ? this.found() : `"${word}"`}`);
    }
    if (word === 'PUBLIC') {
      const literal = this.literal('public identifier', 'PUBLIC');
      for (let k = 1; k < literal.length - 1; k++) {
        if (!PUBID_CHAR.test(literal[k]!)) this.fail(this.i - literal.length + k, `malformed DOCTYPE: character ${shown(literal, k)} is not allowed in a public identifier`);
      }
    }
    this.literal('system literal', word === 'PUBLIC' ? 'the public identifier' : 'SYSTEM');
  }

  /** White space, then a quoted literal (returned with its quotes). */
  private literal(what: string, after: string): string {
    const { text } = this;
    const spaced = this.skipSpace() > 0;
    const start = this.i;
    const quote = text[start];
    this.end();
    if (quote !== '"' && quote !== "'") this.fail(start, `malformed DOCTYPE: expected a quoted ${what} after ${after}, found ${this.found()}`);
    if (!spaced) this.fail(start, `malformed DOCTYPE: white space is required between ${after} and the ${what}`);
    const close = text.indexOf(quote, start + 1);
    if (close === -1) this.unterminated(start, `a ${what} in the DOCTYPE`);
    this.i = close + 1;
    return text.slice(start, this.i);
  }

  /** [28b] intSubset, from after its `[` to after its `]`. */
  private subset(): void {
    const { text } = this;
    for (;;) {
      this.skipSpace();
      this.end();
      const start = this.i;
      const c = text[start];
      if (c === ']') {
        this.i++;
        break;
      }
      if (text.startsWith('<!--', start)) this.comment();
      else if (text.startsWith('<?', start)) this.processingInstruction();
      else if (text.startsWith('<!', start)) this.markupDeclaration();
      else if (c === '%') this.parameterEntityReference();
      else if (c === '<') this.fail(start, `unexpected ${this.found()} in ${SUBSET}: only declarations, comments and processing instructions stand there`);
      else this.fail(start, `unexpected character ${shown(text, start)} in ${SUBSET}`);
    }
    if (this.declaration) throw new Found(this.declaration);
  }

  /** [15] Comment: no `--` inside. */
  private comment(): void {
    const start = this.i;
    const dashes = this.text.indexOf('--', start + 4);
    if (dashes === -1 || dashes + 2 >= this.text.length) this.unterminated(start, `a comment in ${SUBSET}`);
    if (this.text[dashes + 2] !== '>') this.fail(dashes, `malformed comment in ${SUBSET}: "--" is not allowed inside a comment`);
    this.i = dashes + 3;
  }

  /** [16] PI: a target that is a name but not `xml`, then white space or `?>`. */
  private processingInstruction(): void {
    const start = this.i;
    this.i += 2;
    this.end();
    const target = this.name();
    if (target === undefined) this.fail(start + 2, `malformed processing instruction in ${SUBSET}: expected its target, found ${this.found()}`);
    if (target.toLowerCase() === 'xml') {
      this.fail(start + 2, target === 'xml' ? 'an XML declaration is allowed only at the very start of the document' : `malformed processing instruction in ${SUBSET}: the target "${target}" is reserved`);
    }
    const colon = piTargetProblem(target);
    if (colon !== undefined) this.fail(start + 2, colon);
    const close = this.text.indexOf('?>', this.i);
    if (close === -1) this.unterminated(start, `a processing instruction in ${SUBSET}`);
    if (close !== this.i && !isSpace(this.text[this.i])) this.fail(this.i, `malformed processing instruction in ${SUBSET}: expected white space or ?> after its target, found ${this.found()}`);
    this.i = close + 2;
  }

  /** `<!ENTITY`: refused at once; `<!ELEMENT`, `<!ATTLIST`, `<!NOTATION`: refused unless an entity comes later. */
  private markupDeclaration(): void {
    const { text } = this;
    const start = this.i;
    this.i += 2;
    const keyword = this.name();
    if (keyword === 'ENTITY') {
      this.skipSpace();
      const parameter = this.at('%');
      if (parameter) {
        this.i++;
        this.skipSpace();
      }
      const name = this.name() ?? '';
      throw new Found({ code: 'XLIFF_ENTITY', index: start, reason: `the DOCTYPE declares ${parameter ? 'parameter ' : ''}entity "${name}": refused (entity expansion and external entities are unsafe)` });
    }
    if (keyword !== 'ELEMENT' && keyword !== 'ATTLIST' && keyword !== 'NOTATION') {
      this.end();
      this.fail(start, `unexpected "<!${keyword ?? text.slice(start + 2, start + 3)}" in ${SUBSET}: not a markup declaration`);
    }
    this.skipSpace();
    const name = this.name();
    this.declaration ??= {
      code: 'XLIFF_DTD',
      index: start,
      reason: `${SUBSET} declares ${DECLARATIONS[keyword]}${name === undefined ? '' : ` "${name}"`}: refused (XLIFF needs no DTD)`,
    };
    // Past the declaration (its literals may hold a `>`), to look for an entity after it.
    for (let quote: string | undefined; ; this.i++) {
      if (this.i >= text.length) this.unterminated(start, `a declaration in ${SUBSET}`);
      const c = text[this.i];
      if (quote !== undefined) {
        if (c === quote) quote = undefined;
      } else if (c === '"' || c === "'") quote = c;
      else if (c === '>') break;
    }
    this.i++;
  }

  /** [69] PEReference: refused (it would expand an entity). */
  private parameterEntityReference(): void {
    const start = this.i;
    this.i++;
    const name = this.name();
    if (name === undefined || !this.at(';')) {
      this.end();
      this.fail(start, `malformed parameter-entity reference in ${SUBSET}: expected %name;`);
    }
    throw new Found({ code: 'XLIFF_ENTITY', index: start, reason: `the DOCTYPE references parameter entity "%${name};": refused (entity expansion and external entities are unsafe)` });
  }

  /** [5] Name at the cursor, if one starts there. */
  private name(): string | undefined {
    const { text } = this;
    const start = this.i;
    let end = start;
    for (let code = text.codePointAt(end); code !== undefined && (end === start ? isNameStart(code) : isNameChar(code)); code = text.codePointAt(end)) end += code > 0xffff ? 2 : 1;
    if (end === start) return undefined;
    this.i = end;
    return text.slice(start, end);
  }

  private skipSpace(): number {
    const from = this.i;
    while (isSpace(this.text[this.i])) this.i++;
    return this.i - from;
  }

  /** White space XML requires here. */
  private space(where: string): void {
    if (this.skipSpace() > 0) return;
    this.end();
    this.fail(this.i, `malformed DOCTYPE: white space is required ${where}, found ${this.found()}`);
  }

  private at(c: string): boolean {
    return this.text[this.i] === c;
  }

  /** What stands at the cursor, for a message. */
  private found(): string {
    if (this.i >= this.text.length) return 'the end of the input';
    return this.text[this.i] === '<' ? `"${this.text.slice(this.i, this.i + 2)}"` : shown(this.text, this.i);
  }

  /** Fails if the input ended at the cursor (the declaration is not closed). */
  private end(): void {
    if (this.i >= this.text.length) this.unterminated(0, 'the DOCTYPE');
  }

  private unterminated(at: number, what: string): never {
    if (this.declaration) throw new Found(this.declaration);
    throw new Found({ code: 'XLIFF_PARSE', index: at, reason: `the input ends inside ${what}: it is not closed` });
  }

  private fail(index: number, reason: string): never {
    throw new Found(this.declaration ?? { code: 'XLIFF_PARSE', index, reason });
  }
}
