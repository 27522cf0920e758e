/**
 * The inner XML of a new target, from what a processor gives: text, `{ xml }` or `{ parts }`.
 */
import type { CodePart, ElementSpan, Part } from '../model.js';
import { escapeText } from './escapes.js';
import { parseStartTag, skipPast } from './markup-lexer.js';
import type { TargetContent } from './update.js';

/**
 * The inner XML of a new target: text escaped, `{ xml }` as given, parts joined (text parts
 * escaped, the `xml` of the others as is). A code part holds its `sub` elements in its `xml`
 * and the parts of those `sub`s follow it (see `CodePart`): they are written into the code's
 * `sub` elements, not a second time after it, so that translated `sub` text is kept.
 */
export function targetXml(content: TargetContent): string {
  if (typeof content === 'string') return escapeText(content);
  if ('xml' in content) return content.xml;
  return partsXml(content.parts, { i: 0 }, false);
}

/** Parts from `at.i` on; inside a `sub` (`inSub`), up to the `sub`'s end part (left for the caller). */
function partsXml(parts: readonly Part[], at: { i: number }, inSub: boolean): string {
  let out = '';
  let depth = 0;
  while (at.i < parts.length) {
    const part = parts[at.i]!;
    if (part.type === 'text') {
      out += escapeText(part.text);
      at.i++;
      continue;
    }
    if (part.type === 'code') {
      at.i++;
      out += codeXml(part, parts, at);
      continue;
    }
    if (inSub && part.name === 'sub') {
      if (part.type === 'start') depth++;
      else if (depth === 0) return out;
      else depth--;
    }
    out += part.xml;
    at.i++;
  }
  return out;
}

/** A code part's XML, its `sub` elements filled from the parts that follow it (from `at.i`). */
function codeXml(code: CodePart, parts: readonly Part[], at: { i: number }): string {
  const next = parts[at.i];
  if (next?.type !== 'start' || next.name !== 'sub') return code.xml;
  let out = '';
  let cursor = 0;
  for (const sub of subElements(code.xml)) {
    const start = parts[at.i];
    if (start?.type !== 'start' || start.name !== 'sub' || start.xml !== code.xml.slice(sub.start, sub.innerStart)) break;
    at.i++;
    const inner = partsXml(parts, at, true);
    if (at.i < parts.length) at.i++; // the sub's end part
    if (sub.innerStart === sub.end) continue; // <sub/>: kept as it is
    out += code.xml.slice(cursor, sub.innerStart) + inner;
    cursor = sub.innerEnd;
  }
  return out + code.xml.slice(cursor);
}

/** The outermost `sub` elements inside the element `xml` (a code as written), in order. */
function subElements(xml: string): ElementSpan[] {
  const found: ElementSpan[] = [];
  const open: { start: number; innerStart: number; isSub: boolean }[] = [];
  const isSub = (name: string): boolean => name === 'sub' || name.endsWith(':sub');
  let i = 0;
  while ((i = xml.indexOf('<', i)) !== -1) {
    if (xml.startsWith('<!--', i)) i = skipPast(xml, '-->', i + 4);
    else if (xml.startsWith('<![CDATA[', i)) i = skipPast(xml, ']]>', i + 9);
    else if (xml.startsWith('<?', i)) i = skipPast(xml, '?>', i + 2);
    else if (xml[i + 1] === '/') {
      const end = skipPast(xml, '>', i);
      const element = open.pop();
      if (element?.isSub && !open.some((e) => e.isSub)) found.push({ start: element.start, innerStart: element.innerStart, innerEnd: i, end });
      i = end;
    } else {
      const tag = parseStartTag(xml, i);
      const sub = open.length > 0 && isSub(tag.name);
      if (!tag.selfClosing) open.push({ start: i, innerStart: tag.end, isSub: sub });
      else if (sub && !open.some((e) => e.isSub)) found.push({ start: i, innerStart: tag.end, innerEnd: tag.end, end: tag.end });
      i = tag.end;
    }
  }
  return found;
}
