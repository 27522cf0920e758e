/**
 * The namespaces the seam scanner follows outside units: the scope of each open element (from
 * the declarations of its tag, read only when its bytes hold `xmlns` outside values) and
 * whether an element is one of the reader's XLIFF elements (its local name, and the root's
 * namespace or an XLIFF one), as the reader decides it. Pure.
 */
import { readAttributes } from './attribute-values.js';
import { XML_NAMESPACE, declareNamespaces, isXliffNamespace, type Scope } from './namespaces.js';

const XMLNS = Uint8Array.from('xmlns', (c) => c.charCodeAt(0));

export class SeamScopes {
  /** The scope of each open element outside units. */
  private readonly open: Scope[] = [];
  private readonly base: Scope = Object.assign(Object.create(null) as Scope, { xml: XML_NAMESPACE });
  /** The root's namespace (`''`: none). */
  private rootUri = '';
  /** The verdict for names without a prefix in the scope last asked about (most are in the root's). */
  private verdictScope: Scope | undefined;
  private defaultVerdict = false;
  /** The prefix last read, as bytes and as text (a document's prefixed names mostly share one). */
  private lastPrefix = new Uint8Array(0);
  private lastPrefixText = '';

  constructor(
    /** The text of a tag's bytes. */
    private readonly decode: (bytes: Uint8Array) => string,
  ) {}

  /** The scope of the start tag from `lt` to `end` (its `>`) in the open elements' (`declares`: whether it holds `xmlns` outside its values). */
  scopeOf(buffer: Uint8Array, lt: number, end: number, declares: boolean): Scope {
    const parent = this.open.length > 0 ? this.open[this.open.length - 1]! : this.base;
    if (!declares) return parent;
    // A tag that breaks a namespace constraint fails the reader there: any guess will do.
    const scope = declareNamespaces(readAttributes(this.decode(buffer.subarray(lt, end + 1))), parent);
    return typeof scope === 'string' ? parent : scope;
  }

  /** Takes the root, whose name starts at `from`, in its `scope`: its namespace (`''`: none). */
  root(buffer: Uint8Array, from: number, scope: Scope): string {
    this.rootUri = this.namespaceOf(buffer, from, localStart(buffer, from), scope) ?? '';
    return this.rootUri;
  }

  /** Whether the element whose name starts at `from`, in `scope`, is the XLIFF element named `local` (bytes). */
  isXliffElement(buffer: Uint8Array, from: number, local: Uint8Array, scope: Scope): boolean {
    const start = localStart(buffer, from);
    if (!bytesAre(buffer, start, local)) return false;
    if (start === from && scope === this.verdictScope) return this.defaultVerdict;
    const uri = this.namespaceOf(buffer, from, start, scope);
    const verdict = uri !== undefined && (uri === this.rootUri || isXliffNamespace(uri));
    if (start === from) {
      this.verdictScope = scope;
      this.defaultVerdict = verdict;
    }
    return verdict;
  }

  /** The namespace of the element whose name starts at `from`, its local part at `local`, in `scope` (`''`: none), or undefined (its prefix is not bound). */
  private namespaceOf(buffer: Uint8Array, from: number, local: number, scope: Scope): string | undefined {
    return local === from ? (scope[''] ?? '') : scope[this.prefix(buffer, from, local - 1)];
  }

  /** The text of the prefix from `from` to `end` (its colon). */
  private prefix(buffer: Uint8Array, from: number, end: number): string {
    const last = this.lastPrefix;
    let same = last.length === end - from;
    for (let i = 0; same && i < last.length; i++) same = buffer[from + i] === last[i];
    if (same) return this.lastPrefixText;
    this.lastPrefix = buffer.slice(from, end);
    this.lastPrefixText = this.decode(this.lastPrefix);
    return this.lastPrefixText;
  }

  push(scope: Scope): void {
    this.open.push(scope);
  }

  pop(): void {
    this.open.pop();
  }
}

/** Whether `xmlns` is at index `at`. */
export function isXmlnsAt(buffer: Uint8Array, at: number): boolean {
  for (let k = 0; k < XMLNS.length; k++) if (buffer[at + k] !== XMLNS[k]) return false;
  return true;
}

/** Whether byte `c` ends a tag's name: white space, `>` or `/`. */
export function isNameEnd(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x3e || c === 0x2f;
}

/** Where the local part of the name starting at `from` starts (after its prefix's colon, if any). */
function localStart(buffer: Uint8Array, from: number): number {
  let start = from;
  for (let i = from; i < buffer.length; i++) {
    const c = buffer[i]!;
    if (isNameEnd(c)) break;
    if (c === 0x3a) start = i + 1;
  }
  return start;
}

/** Whether the name whose local part starts at `start` is `local` (bytes). */
function bytesAre(buffer: Uint8Array, start: number, local: Uint8Array): boolean {
  for (let j = 0; j < local.length; j++) if (buffer[start + j] !== local[j]) return false;
  const after = start + local.length;
  return after < buffer.length && isNameEnd(buffer[after]!);
}
