/**
 * What XML forbids and sax lets through: characters XML does not allow, an XML
 * declaration that is misplaced or malformed, and entity declarations (refused: entity
 * expansion and external entities are unsafe). Pure: each check returns the reason.
 */
import { codePointName } from '../errors.js';

/** Characters XML 1.0 does not allow, raw in the text. */
const INVALID_XML_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;
const XML_DECLARATION = /^version\s*=\s*(["'])1\.[0-9]+\1(\s+encoding\s*=\s*(["'])[A-Za-z][A-Za-z0-9._-]*\3)?(\s+standalone\s*=\s*(["'])(yes|no)\5)?\s*$/;

/** Index of the first character of `text` that XML does not allow, or -1. */
export function firstInvalidChar(text: string): number {
  const bad = INVALID_XML_CHAR.exec(text);
  return bad ? bad.index : -1;
}

export function invalidCharReason(text: string, index: number): string {
  return `character ${codePointName(text.charCodeAt(index))} is not allowed in XML`;
}

/**
 * What is wrong with a processing instruction if it is an XML declaration (named `xml` in any
 * case); `atStart`: it begins the document (after a BOM, if any).
 */
export function declarationProblem(name: string, body: string, atStart: boolean): string | undefined {
  if (name.toLowerCase() !== 'xml') return undefined;
  if (name !== 'xml' || !atStart) return 'an XML declaration is allowed only at the very start of the document';
  if (!XML_DECLARATION.test(body)) return `malformed XML declaration: <?xml ${body}?>`;
  return undefined;
}

/** The first entity declaration in a DOCTYPE's body: where it starts in `body`, and why it is refused. */
export function entityDeclaration(body: string): { readonly index: number; readonly reason: string } | undefined {
  const index = body.indexOf('<!ENTITY');
  if (index === -1) return undefined;
  const name = /^<!ENTITY\s+(%\s+)?([^\s>]+)/.exec(body.slice(index))?.[2] ?? '';
  return { index, reason: `the DOCTYPE declares entity "${name}": refused (entity expansion and external entities are unsafe)` };
}
