/**
 * splitXliff and joinXliff over the corpus: every file that reads splits into parts that are
 * well-formed (xmllint) and read with the library, with every unit once, in order; unchanged
 * parts join back to the input byte for byte; parts translated by the pseudo pass join into
 * the bytes of a pseudo pass over the whole file. Parts that do not belong are refused, typed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { processXliff, pseudoUpdate, readUnits, type Unit } from '../../src/index.js';
import { joinXliff } from '../../src/split/join.js';
import { splitXliff } from '../../src/split/split.js';
import { corpus, CORPUS_DIR } from '../helpers/corpus.js';

const work = mkdtempSync(join(tmpdir(), 'xliff-stream-split-'));
test.after(() => rmSync(work, { recursive: true, force: true }));
let runs = 0;
const fresh = (name: string): string => {
  const dir = join(work, `${++runs}-${name}`);
  mkdirSync(dir, { recursive: true });
  return dir;
};

async function units(path: string): Promise<Unit[]> {
  const all: Unit[] = [];
  for await (const unit of readUnits(path)) all.push(unit);
  return all;
}

const SDLXLIFF = join(CORPUS_DIR, 'okapi-sdlxliff/TeacherXpress15981.sdlxliff');
const XLIFF2 = join(CORPUS_DIR, 'oasis-xliff22-ts/allExtensions.xlf');

test('every corpus file that reads: parts well-formed with every unit once, in order; unchanged parts join back byte for byte', async () => {
  const failures: string[] = [];
  for (const entry of corpus().filter((e) => e.expect === 'read')) {
    const dir = fresh('corpus');
    try {
      const whole = await units(entry.file);
      const { parts, units: count } = await splitXliff(entry.file, { outDir: join(dir, 'parts'), parts: 3 });
      assert.equal(count, whole.length);
      assert.ok(parts.length <= 3 && (whole.length === 0 || parts.length >= 1));
      const fromParts: Unit[] = [];
      for (const part of parts) {
        execFileSync('xmllint', ['--noout', '--nonet', part], { stdio: 'pipe' });
        fromParts.push(...(await units(part)));
      }
      assert.deepEqual(fromParts.map((u) => [u.id, u.raw]), whole.map((u) => [u.id, u.raw]));
      if (parts.length === 0) continue;
      const output = join(dir, 'joined.xlf');
      await joinXliff(entry.file, parts, { output });
      assert.ok(readFileSync(output).equals(readFileSync(entry.file)), 'joined bytes differ');
    } catch (error) {
      failures.push(`${entry.path}: ${(error as Error).message.split('\n')[0]}`);
    }
  }
  assert.deepEqual(failures, []);
});

test('parts translated by the pseudo pass join into the bytes of a pseudo pass over the whole file (1.2, 2.x, segmented 1.2)', async () => {
  for (const input of [SDLXLIFF, XLIFF2, join(CORPUS_DIR, 'matecat/SpotCheck-en_us-es_419-H.xlf'), join(CORPUS_DIR, 'okapi-xliff12/MQ-12-Test01.xlf')]) {
    const dir = fresh('pseudo');
    const { parts } = await splitXliff(input, { outDir: join(dir, 'parts'), maxBytes: Math.ceil(statSync(input).size / 4) });
    assert.ok(parts.length >= 2, `${input}: ${parts.length} parts`);
    const translated: string[] = [];
    for (const [i, part] of parts.entries()) {
      const output = join(dir, `translated-${i}.xlf`);
      await processXliff(part, { output, process: (unit) => pseudoUpdate(unit) }).done;
      translated.push(output);
    }
    // Given in any order: they are put in theirs.
    const joined = join(dir, 'joined.xlf');
    const summary = await joinXliff(input, [...translated].reverse(), { output: joined });
    const whole = join(dir, 'whole.xlf');
    await processXliff(input, { output: whole, process: (unit) => pseudoUpdate(unit) }).done;
    assert.ok(readFileSync(joined).equals(readFileSync(whole)), input);
    assert.ok(summary.unitsChanged > 0);
  }
});

test('maxBytes: each part at most that size (but one unit); parts numbered from the input\'s name only', async () => {
  const dir = fresh('max');
  // A file/@original that would climb out of the folder: names never come from the text.
  const input = join(dir, 'in.xlf');
  writeFileSync(input, readFileSync(SDLXLIFF, 'utf8').replace(/original="[^"]*"/, 'original="../../../../etc/passwd"'));
  const out = join(dir, 'parts');
  const { parts } = await splitXliff(input, { outDir: out, maxBytes: '100KB' });
  assert.deepEqual(readdirSync(out).sort(), parts.map((p) => p.slice(out.length + 1)));
  parts.forEach((part, i) => assert.equal(part, join(out, `in.part${String(i + 1).padStart(3, '0')}.xlf`)));
  for (const part of parts) assert.ok(readFileSync(part).length <= 100_000, part);
  assert.ok(parts.length >= 5, `${parts.length} parts`);
});

test('a part another tool re-indented and re-escaped still joins, by place, file and unit id', async () => {
  const dir = fresh('edited');
  const { parts } = await splitXliff(XLIFF2, { outDir: join(dir, 'parts'), parts: 2 });
  const translated = join(dir, 'translated.xlf');
  await processXliff(parts[0]!, { output: translated, process: (unit) => pseudoUpdate(unit) }).done;
  // Re-indented between elements, attributes in double quotes turned single, a character written as a reference.
  const edited = readFileSync(translated, 'utf8').replace(/>\n</g, '>\n    <').replace(/xsp:part="1"/, "xsp:part='1'").replace(/\[/, '&#91;');
  writeFileSync(translated, edited);
  const output = join(dir, 'joined.xlf');
  const summary = await joinXliff(XLIFF2, [translated, parts[1]!], { output });
  const joined = await units(output);
  const reference = await units(translated);
  assert.ok(summary.unitsChanged > 0);
  joined.slice(0, reference.length).forEach((unit, i) => assert.equal(unit.target?.text, reference[i]!.target?.text, unit.id));
});

test('join refuses what does not belong: another document\'s part, a part twice, a part missing, a part without marks; no output', async () => {
  const dir = fresh('refuse');
  const { parts } = await splitXliff(SDLXLIFF, { outDir: join(dir, 'a'), parts: 3 });
  const { parts: others } = await splitXliff(XLIFF2, { outDir: join(dir, 'b'), parts: 2 });
  const output = join(dir, 'out.xlf');
  const cases: Array<[string[], RegExp]> = [
    [[parts[0]!, parts[1]!, others[0]!], /part of another document/],
    [[parts[0]!, parts[1]!, parts[1]!, parts[2]!], /part 2 of 3, as .* is: a part given twice/],
    [[parts[0]!, parts[2]!], /: part 2 of its 3 is missing/],
    [[parts[0]!, parts[1]!, SDLXLIFF], /no part marks/],
  ];
  for (const [given, message] of cases) {
    await assert.rejects(joinXliff(SDLXLIFF, given, { output }), (error: { code?: string; message: string }) => error.code === 'XLIFF_PART' && message.test(error.message), String(message));
    assert.equal(existsSync(output), false);
  }
  // A part whose units were removed by hand: it ends early; no output.
  const cut = join(dir, 'cut.sdlxliff');
  copyFileSync(parts[1]!, cut);
  writeFileSync(cut, readFileSync(cut, 'utf8').replace(/<trans-unit [\s\S]*?<\/trans-unit>\s*<\/group>\s*<\/body>/, '</group></body>'));
  await assert.rejects(joinXliff(SDLXLIFF, [parts[0]!, cut, parts[2]!], { output }), { code: 'XLIFF_PART' });
  assert.equal(existsSync(output), false);
});
