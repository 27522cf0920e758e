/**
 * Every segmented file of the corpus (Trados, memoQ and other 1.2 `seg-source` files, 2.x
 * units of several segments), pseudo-translated per segment: the segments are kept.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { processXliff, type Unit } from '../../src/index.js';
import { pseudoParts, pseudoSegment } from '../../src/pseudo.js';
import { corpus } from '../helpers/corpus.js';
import { collect } from '../helpers/read.js';
import { skeleton, withoutTargets } from '../cli/helpers.js';

const run = promisify(execFile);

/** 1.2 units segmented with `mrk mtype="seg"` (their segments have the mid as id); 2.x units of several segments. */
const segmented = (unit: Unit): boolean => (unit.version.startsWith('1') ? unit.segments.some((s) => s.id !== undefined) : unit.segments.length > 1);

/** What a 1.2 unit's XML holds of `<mrk mtype="seg" mid="...">` in its seg-source and in its target, by mid. */
function marks(raw: string, element: 'seg-source' | 'target'): string[] {
  const inner = new RegExp(`<(?:\\w+:)?${element}\\b[^>]*>([\\s\\S]*?)</(?:\\w+:)?${element}>`).exec(raw)?.[1] ?? '';
  return [...inner.matchAll(/<(?:\w+:)?mrk\b[^>]*\bmtype="seg"[^>]*\bmid="([^"]*)"|<(?:\w+:)?mrk\b[^>]*\bmid="([^"]*)"[^>]*\bmtype="seg"/g)].map((m) => m[1] ?? m[2]!);
}

test('every segmented corpus file, pseudo-translated per segment: each segment its own target, the rest byte for byte, well-formed', async () => {
  const folder = mkdtempSync(join(tmpdir(), 'xliff-segments-corpus-'));
  try {
    let files = 0;
    let checked = 0;
    for (const entry of corpus()) {
      if (entry.expect !== 'read') continue;
      const before = await collect(entry.file);
      if (!before.some(segmented)) continue;
      files++;
      const output = join(folder, `${files}.xlf`);
      await processXliff(entry.file, { output, per: 'segment', process: (segment) => pseudoSegment(segment) }).done;
      await run('xmllint', ['--noout', '--nonet', output]).catch((error: Error & { stderr?: string }) => assert.fail(`${entry.path}: ${error.stderr ?? error.message}`));
      const [was, now] = [await skeleton(entry.file), await skeleton(output)];
      assert.ok(now.bytes.equals(was.bytes), `${entry.path}: the bytes between units changed`);
      const after = await collect(output);
      assert.equal(after.length, before.length, entry.path);
      after.forEach((unit, i) => {
        const source = before[i]!;
        const where = `${entry.path} unit ${unit.id ?? i}`;
        assert.equal(withoutTargets(unit.raw), withoutTargets(source.raw), `${where}: more than the targets and states changed`);
        if (!unit.translate || !segmented(source)) return;
        if (unit.version.startsWith('1')) {
          const mids = marks(source.raw, 'seg-source');
          assert.deepEqual(marks(unit.raw, 'target'), mids, `${where}: the target's mrk segments`);
        }
        assert.deepEqual(
          unit.segments.map((s) => [s.kind, s.id]),
          source.segments.map((s) => [s.kind, s.id]),
          `${where}: the segments`,
        );
        unit.segments.forEach((segment, k) => {
          if (segment.kind !== 'segment') return;
          const expected = pseudoParts(source.segments[k]!.source.parts);
          assert.equal(segment.target?.text, expected.map((p) => (p.type === 'text' ? p.text : '')).join(''), `${where}, segment ${segment.id ?? k}: its target`);
          checked++;
        });
      });
    }
    // The corpus has 87 files of this kind (Trados, memoQ, Okapi, matecat, OASIS), 13199 segments.
    assert.ok(files >= 80, `${files} segmented files`);
    assert.ok(checked >= 13000, `${checked} segments checked`);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});
