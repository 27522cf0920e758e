// Pseudo-translates an XLIFF file: every translatable unit gets its source with accented
// letters, in brackets, inline codes kept; the output keeps every other byte. A processor
// written out to show the shape of one; the library's own, with modes and expansion, is
// `pseudoUpdate` (and the CLI's `xliff-stream pseudo`).
// Run: node --import tsx examples/pseudo-translate.ts in.xlf out.xlf
import { processXliff, type Part } from 'xliff-stream';

const [input, output] = process.argv.slice(2);
if (!input || !output) throw new Error('usage: pseudo-translate.ts <in.xlf> <out.xlf>');

const ACCENTS: Record<string, string> = { a: 'á', e: 'é', i: 'í', o: 'ó', u: 'ú', A: 'Á', E: 'É', I: 'Í', O: 'Ó', U: 'Ú', c: 'ç', n: 'ñ' };
const accent = (text: string) => text.replace(/[aeiouAEIOUcn]/g, (c) => ACCENTS[c]!);

const job = processXliff(input, {
  output,
  process: (unit) => {
    // Text parts are transformed; codes (placeholders, tags) are copied as they are.
    const parts: Part[] = unit.source.parts.map((part) => (part.type === 'text' ? { type: 'text', text: accent(part.text) } : part));
    return unit.segments.length > 1 ? undefined : { target: { parts: [{ type: 'text', text: '[' }, ...parts, { type: 'text', text: ']' }] }, state: 'translated' };
  },
});
// On a terminal, one line rewritten in place; otherwise (a log file, a pipe) one line per report.
const tty = process.stderr.isTTY;
job.on('progress', (p) => process.stderr.write(tty ? `\r${p.unitsDone} units` : `${p.unitsDone} units\n`));
const summary = await job.done;
if (tty) process.stderr.write('\n');
console.log(JSON.stringify({ units: summary.units, changed: summary.unitsChanged, output: summary.output }));
