/**
 * What XML forbids and sax lets through: characters XML does not allow, an XML
 * declaration that is misplaced or malformed (the DOCTYPE: doctype.ts). Pure: each check
 * returns the reason.
 */
import { codePointName } from '../errors.js';

/** An XML declaration's body (after `<?xml` and white space): XML white space is only space, tab, CR and LF. */
const XML_DECLARATION = /^version[ \t\r\n]*=[ \t\r\n]*(["'])1\.[0-9]+\1([ \t\r\n]+encoding[ \t\r\n]*=[ \t\r\n]*(["'])[A-Za-z][A-Za-z0-9._-]*\3)?([ \t\r\n]+standalone[ \t\r\n]*=[ \t\r\n]*(["'])(yes|no)\5)?[ \t\r\n]*$/;
/** White space to JavaScript that is not XML's (U+00A0, U+2028, U+FEFF...). */
const NOT_XML_SPACE = /(?![ \t\r\n])\s/;

/** Characters XML 1.0 does not allow, raw in the text, and high surrogates: one pass finds both. */
const INVALID_OR_SURROGATE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDBFF\uFFFE\uFFFF]/g;
const INVALID_XML_CHAR_FROM = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

/**
 * What one pass over `text` finds: the index of the first character XML does not allow (-1:
 * none), and whether a character beyond U+FFFF (a surrogate pair) may stand inside a tag, where
 * sax reads names (`surrogateMayBeInTag`; `startsInText`: the text before `text` ended in text,
 * not inside markup). Emoji in text, met in real files, do not count.
 */
export function scanCharacters(text: string, startsInText: boolean): { readonly invalid: number; readonly surrogateInTag: boolean } {
  const pattern = INVALID_OR_SURROGATE;
  pattern.lastIndex = 0;
  for (let m = pattern.exec(text); m !== null; m = pattern.exec(text)) {
    const at = m.index;
    const c = text.charCodeAt(at);
    if (c < 0xd800 || c > 0xdbff) {
      pattern.lastIndex = 0;
      return { invalid: at, surrogateInTag: false };
    }
    if (surrogateMayBeInTag(text, at, startsInText)) {
      // The rest only for what XML does not allow.
      pattern.lastIndex = 0;
      INVALID_XML_CHAR_FROM.lastIndex = at;
      const bad = INVALID_XML_CHAR_FROM.exec(text);
      return { invalid: bad ? bad.index : -1, surrogateInTag: true };
    }
  }
  return NO_FINDING;
}

const NO_FINDING = { invalid: -1, surrogateInTag: false } as const;

/**
 * Whether the surrogate at `at` may stand inside a tag: after a `<` (but `<!`) and no `>` (a
 * `>` inside quotes does not count), or before any of either in a piece that starts inside markup.
 */
function surrogateMayBeInTag(text: string, at: number, startsInText: boolean): boolean {
  const lt = text.lastIndexOf('<', at);
  const gt = text.lastIndexOf('>', at);
  if (lt === -1 && gt === -1) return !startsInText;
  // After `<!`: a comment, CDATA or a DOCTYPE, where sax reads no name.
  if (lt > gt) return text.charCodeAt(lt + 1) !== 33;
  return oddQuotes(text, lt + 1, gt);
}

/** Whether `text[from..to)` holds an odd number of quotes (a `>` at `to` may then be in an attribute value). */
function oddQuotes(text: string, from: number, to: number): boolean {
  let quotes = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 34 || c === 39) quotes++;
  }
  return (quotes & 1) === 1;
}

export function invalidCharReason(text: string, index: number): string {
  return `character ${codePointName(text.charCodeAt(index))} is not allowed in XML`;
}

/**
 * What is wrong with a processing instruction if it is an XML declaration (named `xml` in any
 * case, or `xml` and a white space XML does not know: sax ends the name at XML white space
 * only); `atStart`: it begins the document (after a BOM, if any). libxml2 refuses the same,
 * save `version="1."`, which it only warns about.
 */
export function declarationProblem(name: string, body: string, atStart: boolean): string | undefined {
  const lower = name.toLowerCase();
  if (lower.startsWith('xml') && NOT_XML_SPACE.test(name.charAt(3))) return notXmlSpace(name, 3);
  if (lower !== 'xml') return undefined;
  if (!atStart) return 'an XML declaration is allowed only at the very start of the document';
  if (name !== 'xml') return `the XML declaration must be written "<?xml", in lower case, not "<?${name}"`;
  if (XML_DECLARATION.test(body)) return undefined;
  const space = NOT_XML_SPACE.exec(body);
  if (space) return notXmlSpace(body, space.index);
  const version = /^version[ \t\r\n]*=[ \t\r\n]*(["'])([A-Za-z0-9._:-]*)\1/.exec(body)?.[2];
  if (version !== undefined && !/^1\.[0-9]+$/.test(version)) return `unsupported XML version "${version}" (XML 1.x only)`;
  if (!body.startsWith('version')) return `malformed XML declaration: version must come first: <?xml ${body}?>`;
  return `malformed XML declaration: <?xml ${body}?>`;
}

function notXmlSpace(text: string, index: number): string {
  return `malformed XML declaration: ${codePointName(text.charCodeAt(index))} is not XML white space (only space, tab, CR and LF are)`;
}

/** A high surrogate of planes 15 and 16 (U+F0000 to U+10FFFF): characters, but no name's. */
const BEYOND_NAME_CHARS = /[\uDB80-\uDBFF]/;

/**
 * Why the name `what` (`element name <x>`, `attribute name x`) is not a name, if it holds a
 * character beyond U+EFFFF, and that character's index in it; `undefined` if it holds none. sax
 * reads surrogates as stand-ins it takes for name characters (see the sax adapter): the ones
 * beyond XML 1.0's NameStartChar and NameChar ([#x10000-#xEFFFF]) are checked here.
 */
export function astralNameProblem(name: string, what: string): { readonly reason: string; readonly index: number } | undefined {
  const found = BEYOND_NAME_CHARS.exec(name);
  if (found === null) return undefined;
  const code = name.codePointAt(found.index)!;
  return { reason: `${what} is not a name: ${codePointName(code)} is not a name character (XML 1.0 names stop at U+EFFFF)`, index: found.index };
}
