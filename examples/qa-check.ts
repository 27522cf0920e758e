// Checks that every target keeps the placeholders ({0}, {name}, {{name}}, %s, %1$s, %d...) and
// the inline codes of its source, segment by segment; prints one line per problem, exits 1 if any.
// Run: node --import tsx examples/qa-check.ts file.xlf [more.xlf...]
// (In your project: import { readUnits } from 'xliff-stream'.)
import { readUnits, type Content } from 'xliff-stream';

const files = process.argv.slice(2);
if (files.length === 0) throw new Error('usage: qa-check.ts <file.xlf> [more.xlf...]');

// `%%` is a literal percent sign: matched so that it is not read as `%` + a conversion.
const PLACEHOLDER = /\{\{\s*[\w.]+\s*\}\}|\{[\w.]+\}|%%|%(?:\d+\$)?(?:ll|l)?[sdfiu@]/g;
// In an ICU message (`{n, plural, one {item} other {items}}`) the variants are text, not placeholders.
const ICU = /\{\s*\w+\s*,\s*(?:plural|select|selectordinal)\s*,/;
const ICU_VARIANT = /(?:=\d+|[\w-]+)\s*\{[^{}]*\}/g;
// Annotations (terms, comments) may come and go; an end tag always follows its start.
const SKIPPED = new Set(['mrk', 'sm', 'em']);

/** The placeholders of a text, each once: a translation may repeat or merge them. */
function placeholders(content: Content): string[] {
  const text = ICU.test(content.text) ? content.text.replace(ICU_VARIANT, '') : content.text;
  return [...new Set(text.match(PLACEHOLDER))].filter((p) => p !== '%%');
}

/** The inline codes by kind and id, as many times as they occur. */
function codes(content: Content): string[] {
  return content.parts.flatMap((part) => {
    if (part.type === 'text' || part.type === 'end' || SKIPPED.has(part.name)) return [];
    const id = part.id === undefined ? '' : ` id="${part.id}"`;
    return [part.type === 'code' ? `<${part.name}${id}/>` : `<${part.name}${id}>`];
  });
}

/** What `a` has more of than `b` (multisets). */
function minus(a: string[], b: string[]): string[] {
  const left = [...b];
  return a.filter((token) => {
    const at = left.indexOf(token);
    if (at === -1) return true;
    left.splice(at, 1);
    return false;
  });
}

let problems = 0;
for (const file of files) {
  for await (const unit of readUnits(file)) {
    // 2.x: each segment on its own; 1.2: the unit (or its `mrk mtype="seg"` segments).
    unit.segments.forEach((segment, i) => {
      if (!segment.target || segment.target.xml.trim() === '') return; // not translated yet
      const at = `${file}:${unit.location.line}:${unit.location.column} ${unit.id ?? `#${unit.index}`}`;
      const where = unit.segments.length > 1 ? `${at} (segment ${segment.id ?? i + 1})` : at;
      const source = [...placeholders(segment.source), ...codes(segment.source)];
      const target = [...placeholders(segment.target), ...codes(segment.target)];
      const found = [...minus(source, target).map((t) => `missing ${t}`), ...minus(target, source).map((t) => `added ${t}`)];
      for (const problem of found) console.log(`${where}: ${problem}`);
      problems += found.length;
    });
  }
}
console.log(`${problems} problem${problems === 1 ? '' : 's'}`);
process.exitCode = problems > 0 ? 1 : 0;
