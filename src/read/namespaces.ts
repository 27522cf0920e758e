/** XLIFF namespaces met in real files. */
export const XLIFF_1_NAMESPACES = new Set(['urn:oasis:names:tc:xliff:document:1.1', 'urn:oasis:names:tc:xliff:document:1.2']);
/** 2.1 uses the 2.0 namespace; some tools (TYPO3) write a `...:2.1` one all the same. */
export const XLIFF_2_NAMESPACES = new Set(['urn:oasis:names:tc:xliff:document:2.0', 'urn:oasis:names:tc:xliff:document:2.1', 'urn:oasis:names:tc:xliff:document:2.2']);
export const XML_NAMESPACE = 'http://www.w3.org/XML/1998/namespace';

export function isXliffNamespace(uri: string): boolean {
  return XLIFF_1_NAMESPACES.has(uri) || XLIFF_2_NAMESPACES.has(uri);
}
