/** XML namespaces: the XLIFF ones met in real files, and the prefixes an element has in scope. */

/** XLIFF namespaces met in real files. */
export const XLIFF_1_NAMESPACES = new Set(['urn:oasis:names:tc:xliff:document:1.1', 'urn:oasis:names:tc:xliff:document:1.2']);
/** 2.1 uses the 2.0 namespace; some tools (TYPO3) write a `...:2.1` one all the same. */
export const XLIFF_2_NAMESPACES = new Set(['urn:oasis:names:tc:xliff:document:2.0', 'urn:oasis:names:tc:xliff:document:2.1', 'urn:oasis:names:tc:xliff:document:2.2']);
export const XML_NAMESPACE = 'http://www.w3.org/XML/1998/namespace';

export function isXliffNamespace(uri: string): boolean {
  return XLIFF_1_NAMESPACES.has(uri) || XLIFF_2_NAMESPACES.has(uri);
}

/** Prefix -> namespace (`''`: the default one); an element's inherits from its parent's. */
export type Scope = Record<string, string>;

/**
 * The scope of an element with `attributes` inside `parent`: `parent` itself when the element
 * declares nothing. Returns instead the first prefixed attribute whose prefix is not bound.
 */
export function declareNamespaces(attributes: Record<string, string>, parent: Scope): Scope | string {
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
      if (scope[key.slice(0, key.indexOf(':'))] === undefined) return key;
    }
  }
  return scope;
}
