// Counts the source words of the translatable units of an XLIFF file, whatever its size.
// Run: node --import tsx examples/word-count.ts file.xlf
// (In your project: import { readUnits } from 'xliff-stream'.)
import { readUnits } from 'xliff-stream';

const file = process.argv[2];
if (!file) throw new Error('usage: word-count.ts <file.xlf>');

const words = new Intl.Segmenter(undefined, { granularity: 'word' });
let units = 0;
let count = 0;
for await (const unit of readUnits(file)) {
  if (!unit.translate) continue;
  units++;
  for (const piece of words.segment(unit.source.text)) if (piece.isWordLike) count++;
}
console.log(JSON.stringify({ file, units, words: count }));
