import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { computeStats, XliffError } from '../src/index.js';
import { countWords } from '../src/stats.js';
import { CORPUS_DIR, corpus, expectedUnits } from './helpers/corpus.js';
import { enc, xliff12 } from './helpers/read.js';

const ANGULAR = join(CORPUS_DIR, 'angular-apps/messages.fr.xlf');
const segmenter = new Intl.Segmenter('en', { granularity: 'word' });
/** Words as the test counts them: every word-like piece, straight from Intl.Segmenter. */
const words = (text: string): number => [...segmenter.segment(text)].filter((s) => s.isWordLike).length;
const xpathCount = (file: string, xpath: string): number => Number(execFileSync('xmllint', ['--xpath', `count(${xpath})`, file], { encoding: 'utf8' }));
const local = (name: string): string => `*[local-name()='${name}']`;

test('stats: units of readable corpus files as libxml2 counts them; 2.x segments too', async () => {
  // Every 2.x file with more segments than units, and every fifth other file (the corpus test reads them all).
  const readable = corpus().filter((e) => e.expect === 'read');
  assert.equal(readable.length, 390);
  const entries = readable.filter((e, i) => (e.version.startsWith('2') && e.segments > e.units) || i % 5 === 0);
  for (const entry of entries) {
    const stats = await computeStats(entry.file);
    assert.equal(stats.units, expectedUnits(entry), entry.path);
    if (entry.version.startsWith('2') && entry.units > 0) assert.equal(stats.segments, entry.segments, entry.path);
    assert.equal(stats.unitsWithTarget + stats.unitsWithoutTarget, stats.units, entry.path);
    assert.equal(
      Object.values(stats.unitsByState).reduce((a, b) => a + b, 0),
      stats.units,
      entry.path,
    );
  }
});

test('stats: words, characters, targets, states and repeats of an Angular file, counted independently', async () => {
  const stats = await computeStats(ANGULAR);
  // Sources read with a regular expression (the file's only inline code is the empty <x/>), entities decoded by hand.
  const xml = readFileSync(ANGULAR, 'utf8');
  // Two of its units have no source at all.
  const units = [...xml.matchAll(/<trans-unit\b[\s\S]*?<\/trans-unit>/g)].map((m) => m[0]);
  assert.equal(units.length, 766);
  const sources = units.map((unit) => /<source>([\s\S]*?)<\/source>/.exec(unit)?.[1] ?? '');
  assert.equal(sources.filter((s) => s === '').length, 2);
  const withoutCodes = sources.map((s) => s.replace(/<x\b(?:[^>"]|"[^"]*")*\/>/g, ''));
  assert.ok(withoutCodes.every((t) => !t.includes('<')));
  const texts = withoutCodes.map((s) =>
    s
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&apos;/g, "'")
      .replace(/&amp;/g, '&'),
  );
  assert.equal(stats.version, '1.2');
  assert.equal(stats.files, 1);
  assert.equal(stats.units, 766);
  assert.equal(stats.translatableUnits, 766);
  assert.equal(stats.words, texts.reduce((n, t) => n + words(t), 0));
  assert.equal(stats.words, 5045);
  assert.equal(stats.characters, texts.reduce((n, t) => n + [...t].length, 0));
  assert.equal(stats.charactersWithoutSpaces, texts.reduce((n, t) => n + [...t.replace(/\s/g, '')].length, 0));
  const nonEmpty = sources.filter((s) => s.trim() !== '');
  assert.equal(stats.repeatedUnits, nonEmpty.length - new Set(nonEmpty).size);
  assert.equal(stats.repeatedUnits, 36);
  assert.equal(stats.repeatedPercent, (36 / 766) * 100);
  // Targets and states by libxml2.
  assert.equal(stats.unitsWithTarget, xpathCount(ANGULAR, `//${local('trans-unit')}[${local('target')}]`));
  for (const state of ['translated', 'new']) {
    assert.equal(stats.unitsByState[state], xpathCount(ANGULAR, `//${local('target')}[@state='${state}']`), state);
  }
  assert.equal(stats.unitsByState['(none)'], 766 - xpathCount(ANGULAR, `//${local('target')}[@state]`));
  assert.deepEqual(Object.keys(stats.wordsByState).sort(), Object.keys(stats.unitsByState).sort());
});

test('stats: files that hold units, as libxml2 counts them', async () => {
  for (const path of ['xcode/ja.xliff', 'okapi-xliff12/SF-12-Test01.xlf', 'matecat/calibre.docx.xliff']) {
    const file = join(CORPUS_DIR, path);
    const stats = await computeStats(file);
    const expected = xpathCount(file, `//${local('file')}[.//${local('trans-unit')} or .//${local('unit')}]`);
    assert.equal(stats.files, expected, path);
    assert.ok(expected > 1, path);
  }
});

test('stats: CJK words by dictionary, translate="no" units counted but not their words, repeats by source XML', async () => {
  const doc = xliff12(
    [
      '<trans-unit id="1"><source>東京は日本語のテキストです</source></trans-unit>',
      '<trans-unit id="2"><source>Save <g id="1">all</g> files</source><target state="final">x</target></trans-unit>',
      '<trans-unit id="3" translate="no"><source>Do not count these words</source></trans-unit>',
      '<trans-unit id="4"><source>Save <g id="1">all</g> files</source></trans-unit>',
      '<trans-unit id="5"><source>Save <g id="2">all</g> files</source></trans-unit>',
    ].join('\n'),
  );
  const stats = await computeStats(enc(doc));
  assert.equal(stats.units, 5);
  assert.equal(stats.translatableUnits, 4);
  const japanese = words('東京は日本語のテキストです');
  assert.ok(japanese >= 4, `${japanese} words`); // one "word" if split at white space
  assert.equal(stats.words, japanese + 3 + 3 + 3);
  assert.equal(stats.characters, 13 + 14 * 3);
  assert.equal(stats.repeatedUnits, 1); // unit 5 differs by its inline code id
  assert.equal(stats.repeatedWords, 3);
  assert.deepEqual(stats.unitsByState, { '(none)': 4, final: 1 });
  assert.deepEqual(stats.wordsByState, { '(none)': japanese + 6, final: 3 });
  assert.equal(stats.unitsWithTarget, 1);
});

test('stats: bad input and abort give an XliffError', async () => {
  await assert.rejects(computeStats(enc('<xliff version="1.2"><file>')), (error: unknown) => error instanceof XliffError && error.code === 'XLIFF_PARSE');
  await assert.rejects(computeStats(ANGULAR, { signal: AbortSignal.abort() }), (error: unknown) => error instanceof XliffError && error.code === 'XLIFF_ABORTED');
  await assert.rejects(computeStats(enc('<nope/>'), { fileName: 'named.xlf' }), (error: unknown) => error instanceof XliffError && error.message.startsWith('named.xlf:'));
});

test('countWords: its ASCII shortcut gives what Intl.Segmenter gives', () => {
  const alphabet = [...'abZ09 \t\n\r!"#$%&()*+-/<=>?@[\\]^`{|}~.,;:\'_é'];
  fc.assert(
    fc.property(fc.array(fc.constantFrom(...alphabet), { maxLength: 16 }), (chars) => {
      const text = chars.join('');
      assert.equal(countWords(segmenter, text), words(text), JSON.stringify(text));
    }),
    { numRuns: 20_000 },
  );
  for (const text of ["it's 3.14 e.g. a.b a,b 1,000 a:b a;b x_y", 'mot-de-passe', '']) assert.equal(countWords(segmenter, text), words(text), text);
});
