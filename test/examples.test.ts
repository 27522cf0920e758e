import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CORPUS_DIR } from './helpers/corpus.js';
import { collect } from './helpers/read.js';
import type { Part } from '../src/index.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const run = (script: string, ...args: string[]) => execFileSync(process.execPath, ['--import', 'tsx', join(root, 'examples', script), ...args], { cwd: root, encoding: 'utf8' });
const ANGULAR = join(CORPUS_DIR, 'angular-apps/messages.fr.xlf');

test('examples/word-count.ts counts the words of the translatable units', async () => {
  const result = JSON.parse(run('word-count.ts', ANGULAR)) as { units: number; words: number };
  const units = (await collect(ANGULAR)).filter((u) => u.translate);
  assert.equal(result.units, units.length);
  const segmenter = new Intl.Segmenter(undefined, { granularity: 'word' });
  const words = units.reduce((n, u) => n + [...segmenter.segment(u.source.text)].filter((s) => s.isWordLike).length, 0);
  assert.equal(result.words, words);
  assert.ok(words > 5000);
});

test('examples/pseudo-translate.ts writes accented targets and keeps the inline codes', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'xliff-stream-example-'));
  try {
    const output = join(dir, 'out.xlf');
    const result = JSON.parse(run('pseudo-translate.ts', ANGULAR, output)) as { units: number; changed: number };
    const before = await collect(ANGULAR);
    const after = await collect(output);
    assert.equal(result.units, before.length);
    assert.equal(after.length, before.length);
    after.forEach((unit, i) => {
      const source = before[i]!.source;
      assert.ok(unit.target!.text.startsWith('['), unit.id);
      assert.ok(unit.target!.text.endsWith(']'), unit.id);
      const codes = (parts: readonly Part[]) => parts.flatMap((p) => (p.type === 'text' ? [] : [p.xml]));
      assert.deepEqual(codes(unit.target!.parts), codes(source.parts));
      assert.doesNotMatch(unit.target!.text, /[aeiou]/);
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
