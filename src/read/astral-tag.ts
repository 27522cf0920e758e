/**
 * A start tag holding a character beyond U+FFFF: sax read stand-ins for the halves of each
 * surrogate pair (see the sax adapter), so its name and attributes are read again from the
 * tag's own text, and its names checked for the characters beyond U+EFFFF the stand-ins let
 * through. Pure.
 */
import { readAttributes, type RawAttribute } from './attribute-values.js';
import type { StartTag } from './sax-adapter.js';
import { astralNameProblem } from './xml-checks.js';

/**
 * The tag `raw` (`<name ...>`; its name `nameLength` characters long, as sax's), or what is
 * wrong with one of its names and where in `raw`.
 */
export function readAstralTag(raw: string, nameLength: number): StartTag | { readonly reason: string; readonly index: number } {
  const name = raw.slice(1, 1 + nameLength);
  const problem = astralNameProblem(name, `element name <${name}>`);
  if (problem) return { reason: problem.reason, index: 1 + problem.index };
  const names: RawAttribute[] = [];
  const attributes = readAttributes(raw, names);
  for (const attribute of names) {
    const bad = astralNameProblem(attribute.name, `attribute name ${attribute.name}`);
    if (bad) return { reason: bad.reason, index: attribute.at + bad.index };
  }
  return { name, attributes };
}
