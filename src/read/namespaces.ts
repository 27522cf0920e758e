/**
 * XML namespaces: the XLIFF ones met in real files, the prefixes an element has in scope, and
 * the constraints of Namespaces in XML 1.0 that a namespace-aware reader (Xerces, .NET) holds
 * a document to: reserved prefixes and namespaces, no prefix undeclared, QNames, attributes
 * unique by expanded name, every prefix bound. Pure: each check returns the reason.
 */

/** XLIFF namespaces met in real files. */
export const XLIFF_1_NAMESPACES = new Set(['urn:oasis:names:tc:xliff:document:1.1', 'urn:oasis:names:tc:xliff:document:1.2']);
/** 2.1 uses the 2.0 namespace; some tools (TYPO3) write a `...:2.1` one all the same. */
export const XLIFF_2_NAMESPACES = new Set(['urn:oasis:names:tc:xliff:document:2.0', 'urn:oasis:names:tc:xliff:document:2.1', 'urn:oasis:names:tc:xliff:document:2.2']);
/** Bound to the prefix `xml`, and to no other prefix. */
export const XML_NAMESPACE = 'http://www.w3.org/XML/1998/namespace';
/** The namespace of `xmlns` and `xmlns:*` attributes: never declared. */
export const XMLNS_NAMESPACE = 'http://www.w3.org/2000/xmlns/';

export function isXliffNamespace(uri: string): boolean {
  return XLIFF_1_NAMESPACES.has(uri) || XLIFF_2_NAMESPACES.has(uri);
}

/** Prefix -> namespace (`''`: the default one); an element's inherits from its parent's. */
export type Scope = Record<string, string>;

/**
 * The scope of an element with `attributes` inside `parent`: `parent` itself when the element
 * declares nothing. Returns instead, as a string, why the attributes break a namespace
 * constraint: a declaration that is not allowed, an attribute name that is not a QName, a
 * prefix not bound, two attributes with one expanded name.
 */
export function declareNamespaces(attributes: Record<string, string>, parent: Scope): Scope | string {
  let scope = parent;
  let prefixed: string[] | undefined;
  for (const key in attributes) {
    if (key.startsWith('xmlns') && (key.length === 5 || key.charCodeAt(5) === 58)) {
      const value = attributes[key]!;
      const problem = declarationProblem(key, value);
      if (problem !== undefined) return problem;
      if (scope === parent) scope = Object.create(parent) as Scope;
      scope[key.length === 5 ? '' : key.slice(6)] = value;
      continue;
    }
    if (key.startsWith('xml:')) {
      // Always bound, and to a namespace no other prefix may be bound to: only its local part to check.
      const problem = ncNameProblem(key, 4);
      if (problem !== undefined) return `attribute name ${key} ${problem}`;
    } else if (key.indexOf(':') !== -1) (prefixed ??= []).push(key);
  }
  if (prefixed) return prefixedAttributesProblem(prefixed, scope) ?? scope;
  return scope;
}

/**
 * What is wrong with the prefixed element name `name` (its first colon at `colon`) as a QName,
 * or undefined. Whether its prefix is bound is the caller's to check.
 */
function elementNameProblem(name: string, colon: number): string | undefined {
  const problem = qnameProblem(name, colon);
  if (problem !== undefined) return `element name <${name}> ${problem}`;
  if (colon === 5 && name.startsWith('xmlns')) return `element name <${name}>: the prefix "xmlns" is reserved for namespace declarations`;
  return undefined;
}

/**
 * An element's local name and namespace in `scope` (`defaultUri`: its default namespace), or
 * why its name is not a QName or its prefix is not bound.
 */
export function resolveElementName(name: string, scope: Scope, defaultUri: string): { readonly local: string; readonly uri: string } | string {
  const colon = name.indexOf(':');
  if (colon === -1) return { local: name, uri: defaultUri };
  const problem = elementNameProblem(name, colon);
  if (problem !== undefined) return problem;
  const prefix = name.slice(0, colon);
  const uri = scope[prefix];
  if (uri === undefined) return `unbound namespace prefix "${prefix}" in <${name}>`;
  return { local: name.slice(colon + 1), uri };
}

/** Namespaces in XML: processing instruction targets hold no colon. */
export function piTargetProblem(name: string): string | undefined {
  return name.indexOf(':') === -1 ? undefined : `processing instruction target "${name}" contains a colon (not allowed with namespaces)`;
}

/** What is wrong with the declaration `key="value"` (`key`: `xmlns` or `xmlns:...`), or undefined. */
function declarationProblem(key: string, value: string): string | undefined {
  if (key.length === 5) {
    if (value === XML_NAMESPACE || value === XMLNS_NAMESPACE) return `xmlns="${value}": the ${value === XML_NAMESPACE ? 'xml' : 'xmlns'} namespace cannot be the default namespace`;
    return undefined;
  }
  if (key.length === 6) return `attribute name ${key} declares an empty prefix`;
  const problem = ncNameProblem(key, 6);
  if (problem !== undefined) return `attribute name ${key} ${problem}`;
  const prefix = key.slice(6);
  if (prefix === 'xmlns') return `${key}="${value}": the prefix "xmlns" is reserved and cannot be declared`;
  if (prefix === 'xml') return value === XML_NAMESPACE ? undefined : `${key}="${value}": the prefix "xml" can be bound only to ${XML_NAMESPACE}`;
  if (value === XML_NAMESPACE) return `${key}="${value}": the xml namespace can be bound only to the prefix "xml"`;
  if (value === XMLNS_NAMESPACE) return `${key}="${value}": the xmlns namespace cannot be declared`;
  if (value === '') return `${key}="": a prefix cannot be undeclared in XML 1.0 (namespace name empty)`;
  return undefined;
}

/** Prefixed attribute names that are not QNames, whose prefix is not bound, or that share an expanded name. */
function prefixedAttributesProblem(keys: readonly string[], scope: Scope): string | undefined {
  for (const key of keys) {
    const colon = key.indexOf(':');
    const problem = qnameProblem(key, colon);
    if (problem !== undefined) return `attribute name ${key} ${problem}`;
    const prefix = key.slice(0, colon);
    if (scope[prefix] === undefined) return `unbound namespace prefix "${prefix}" in attribute ${key}`;
  }
  for (let i = 1; i < keys.length; i++) {
    const a = keys[i]!;
    const colonA = a.indexOf(':');
    const uriA = scope[a.slice(0, colonA)];
    for (let j = 0; j < i; j++) {
      const b = keys[j]!;
      const colonB = b.indexOf(':');
      if (a.length - colonA === b.length - colonB && a.endsWith(b.slice(colonB)) && scope[b.slice(0, colonB)] === uriA) {
        return `attributes ${b} and ${a} have the same expanded name ({${uriA}}${a.slice(colonA + 1)})`;
      }
    }
  }
  return undefined;
}

/** What keeps `name`, whose first colon is at `colon`, from being a prefixed QName (`prefix:local`, both NCNames). */
function qnameProblem(name: string, colon: number): string | undefined {
  if (colon === 0) return 'is not a QName: it starts with a colon';
  return ncNameProblem(name, colon + 1);
}

/** What keeps `name` from `from` on from being an NCName (the part before it is checked by sax or the caller). */
function ncNameProblem(name: string, from: number): string | undefined {
  if (from === name.length) return 'is not a QName: it ends with a colon';
  if (name.indexOf(':', from) !== -1) return 'is not a QName: it has more than one colon';
  if (!isNameStartChar(name.charCodeAt(from))) return `is not a QName: "${name.slice(from)}" does not start with a letter or "_"`;
  return undefined;
}

/**
 * XML 1.0's NameStartChar but the colon, for a UTF-16 code unit (a high surrogate stands for
 * U+10000 to U+EFFFF). sax has checked the characters after the first are name characters.
 */
function isNameStartChar(c: number): boolean {
  if (c < 0xc0) return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f;
  return (
    (c <= 0x2ff && c !== 0xd7 && c !== 0xf7) ||
    (c >= 0x370 && c <= 0x1fff && c !== 0x37e) ||
    c === 0x200c ||
    c === 0x200d ||
    (c >= 0x2070 && c <= 0x218f) ||
    (c >= 0x2c00 && c <= 0x2fef) ||
    (c >= 0x3001 && c <= 0xd7ff) ||
    (c >= 0xd800 && c <= 0xdb7f) ||
    (c >= 0xf900 && c <= 0xfdcf) ||
    (c >= 0xfdf0 && c <= 0xfffd)
  );
}
