import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import type { Part } from '../../src/index.js';
import { UNACCENTS } from '../../src/pseudo.js';
import { collect } from '../helpers/read.js';
import { startRedis } from '../helpers/redis-server.js';
import { ANGULAR, CP1252, SDLXLIFF, SPOTCHECK, XLIFF2, codes, corpusFile, run, skeleton, spawnCli, tempFolder, withoutTargets, xmllint } from './helpers.js';

const { out } = tempFolder();
const unaccent = (text: string): string => [...text].map((c) => UNACCENTS.get(c) ?? c).join('');
/**
 * The text of `parts` with brackets around what shows: its text and codes, inside the white
 * space around them (content with no text but white space stays as it is).
 */
const bracketed = (parts: readonly Part[]): string => {
  const joined = parts.map((p) => (p.type === 'text' ? p.text : '\uffff')).join('');
  if (!/[^\s\uffff]/.test(joined)) return joined.replaceAll('\uffff', '');
  const start = joined.length - joined.trimStart().length;
  const end = joined.trimEnd().length;
  return `${joined.slice(0, start)}[${joined.slice(start, end)}]${joined.slice(end)}`.replaceAll('\uffff', '');
};
const PLACEHOLDERS = /\{\{[^{}]*\}\}|\{\w+\}|\{\w+, (?:plural|select),|%(?:\d+\$)?[sd@]/g;
const ICU = /\{\w+, (?:plural|select),/;

test('pseudo: well-formed output, same units, codes and placeholders kept, text transformed, nothing else changed', async () => {
  for (const file of [ANGULAR, SPOTCHECK, SDLXLIFF, CP1252, XLIFF2]) {
    const output = out('pseudo.xlf');
    const result = await run(['pseudo', file, output, '-q']);
    assert.equal(result.code, 0, `${file}: ${result.stderr}`);
    xmllint(output);
    const before = await skeleton(file);
    const after = await skeleton(output);
    assert.equal(after.units.length, before.units.length, file);
    assert.ok(after.bytes.equals(before.bytes), `${file}: the bytes between units changed`);
    let transformed = 0;
    after.units.forEach((unit, i) => {
      const source = before.units[i]!;
      assert.equal(unit.id, source.id);
      assert.equal(withoutTargets(unit.raw), withoutTargets(source.raw), `${file} ${unit.id}: more than the target changed`);
      if (!source.translate) {
        assert.equal(unit.raw, source.raw);
        return;
      }
      // Each segment's target (1.2: the unit's, or each mrk segment's in the target), from its own source.
      assert.equal(unit.segments.length, source.segments.length, `${file} ${unit.id}: the segments`);
      const pairs = unit.segments.flatMap((segment, k) => (segment.kind === 'segment' ? [[source.segments[k]!.source, segment.target] as const] : []));
      for (const [from, target] of pairs) {
        const where = `${file} ${unit.id}: ${JSON.stringify(from.text)}`;
        if (from.text === '' && from.parts.length === 0) continue; // a unit without source
        assert.ok(target, where);
        assert.deepEqual(codes(target.parts), codes(from.parts), where);
        assert.equal(unaccent(target.text), unaccent(bracketed(from.parts)), where);
        for (const [placeholder] of from.text.matchAll(PLACEHOLDERS)) {
          // In an ICU message, {word} is a translatable branch ("view {view}"), not a placeholder.
          if (ICU.test(from.text) && !ICU.test(placeholder)) continue;
          assert.ok(target.text.includes(placeholder), `${where}: ${placeholder}`);
        }
        if (/[A-Za-z]{2}/.test(from.text)) {
          assert.notEqual(target.text, bracketed(from.parts), where);
          transformed++;
        }
      }
      assert.equal(unit.state, 'translated', `${file} ${unit.id}`);
    });
    assert.ok(transformed > 0, file);
  }
});

test('pseudo --mode brackets,expand on a 1.2 unit', async () => {
  const output = out('modes.xlf');
  assert.equal((await run(['pseudo', ANGULAR, output, '--mode', 'brackets,expand', '-q'])).code, 0);
  const [first] = await collect(output);
  assert.equal(first!.source.text, 'Error');
  assert.equal(first!.target!.text, '[Error~~]');
});

test('pseudo --mode: the modes in any order, each once, are the same modes', async () => {
  const [a, b] = [out('ab.xlf'), out('ba.xlf')];
  assert.equal((await run(['pseudo', ANGULAR, a, '--mode', 'expand,brackets', '-q'])).code, 0);
  assert.equal((await run(['pseudo', ANGULAR, b, '--mode', 'brackets,expand,brackets', '-q'])).code, 0);
  assert.ok(readFileSync(a).equals(readFileSync(b)));
});

test('pseudo --threads 2: the bytes of one thread (the modes cross to the workers), on a file of 3 ranges and on small ones; what is read on one thread says why', async () => {
  const big = out('big.xlf');
  execFileSync(process.execPath, [fileURLToPath(new URL('../../scripts/gen-xliff.cjs', import.meta.url)), '--format', '2.0', '--size', '9M', '--seed', '2', '--out', big]);
  for (const input of [big, corpusFile('okapi-sdlxliff/TeacherXpress15981.sdlxliff'), CP1252]) {
    const [one, two] = [out('one.xlf'), out('two.xlf')];
    assert.equal((await run(['pseudo', input, one, '--mode', 'accents,expand', '-q'])).code, 0);
    const threaded = await run(['pseudo', input, two, '--mode', 'accents,expand', '--threads', '2']);
    assert.equal(threaded.code, 0, threaded.stderr);
    assert.match(threaded.stderr, /pseudo: \d+ of \d+ units changed/);
    assert.ok(readFileSync(two).equals(readFileSync(one)), input);
    if (input === big) assert.doesNotMatch(threaded.stderr, /read on one thread/);
    else assert.match(threaded.stderr, /^pseudo: --threads: read on one thread: the file is too small to share \(under 8 MiB/m);
  }
  const gz = out('big.xlf.gz');
  execFileSync('sh', ['-c', `gzip -c '${big}' > '${gz}'`]);
  const gzipped = await run(['pseudo', gz, out('gz.xlf'), '--threads', '2']);
  assert.equal(gzipped.code, 0, gzipped.stderr);
  assert.match(gzipped.stderr, /^pseudo: --threads: read on one thread: the input is gzip-compressed/m);
});

test('pseudo --cache <dir> and --cache-redis <url>: a rerun takes every segment from the cache, with the same bytes; other modes do not reuse it; Redis away is a warning', async () => {
  const dir = out('cache-dir');
  const [plain, first, second, other] = [out('plain.xlf'), out('first.xlf'), out('second.xlf'), out('other.xlf')];
  assert.equal((await run(['pseudo', SDLXLIFF, plain, '-q'])).code, 0);
  const a = await run(['pseudo', SDLXLIFF, first, '--cache', dir]);
  assert.equal(a.code, 0, a.stderr);
  assert.doesNotMatch(a.stderr, /from the cache/);
  const b = await run(['pseudo', SDLXLIFF, second, '--cache', dir]);
  const units = /pseudo: (\d+) of (\d+) units changed \((\d+) not translatable, (\d+) from the cache\)/.exec(b.stderr);
  assert.ok(units, b.stderr);
  assert.equal(Number(units[4]), Number(units[2]) - Number(units[3]), 'every translatable unit from the cache');
  assert.ok(readFileSync(first).equals(readFileSync(plain)) && readFileSync(second).equals(readFileSync(plain)));
  const c = await run(['pseudo', SDLXLIFF, other, '--cache', dir, '--mode', 'brackets']);
  assert.doesNotMatch(c.stderr, /from the cache/, 'other modes are another key');

  const redis = await startRedis();
  try {
    const r1 = await run(['pseudo', SDLXLIFF, out('r1.xlf'), '--cache-redis', redis.url]);
    assert.doesNotMatch(r1.stderr, /from the cache/);
    const r2 = await run(['pseudo', SDLXLIFF, out('r2.xlf'), '--cache-redis', redis.url]);
    assert.match(r2.stderr, /from the cache/);
    assert.ok(readFileSync(out('r2.xlf')).equals(readFileSync(plain)));
  } finally {
    await redis.stop();
  }
  const away = await run(['pseudo', SDLXLIFF, out('r3.xlf'), '--cache-redis', redis.url]);
  assert.equal(away.code, 0);
  assert.match(away.stderr, /pseudo: warning: the cache's redis level failed/);
  assert.ok(readFileSync(out('r3.xlf')).equals(readFileSync(plain)));
  const bad = await run(['pseudo', SDLXLIFF, out('r4.xlf'), '--cache-redis', 'localhost:6379']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--cache-redis takes a URL/);
});

test('pseudo: - is standard input and output, with the bytes of a file run', async () => {
  // UTF-16 (the Trados file re-encoded, with a BOM): bytes, not text, go through the pipes.
  const input = out('utf16.sdlxliff');
  writeFileSync(input, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(readFileSync(SDLXLIFF, 'utf8').replace(/^\uFEFF/, '').replace('encoding="utf-8"', 'encoding="utf-16"'), 'utf16le')]));
  const reference = out('ref.xlf');
  assert.equal((await run(['pseudo', input, reference, '-q'])).code, 0);
  // Written in the input's encoding, and translated.
  const written = readFileSync(reference);
  assert.deepEqual([...written.subarray(0, 2)], [0xff, 0xfe]);
  assert.notDeepEqual(written, readFileSync(input));
  const [toStdout, fromStdin, both] = await Promise.all([
    spawnCli(['pseudo', input, '-']),
    spawnCli(['pseudo', '-', out('from-stdin.xlf')], { stdinFile: input }),
    spawnCli(['pseudo', '-', '-', '-q'], { stdinFile: input }),
  ]);
  assert.equal(toStdout.code, 0, toStdout.stderr);
  assert.ok(toStdout.stdoutBytes.equals(readFileSync(reference)), 'pseudo in.xlf -');
  assert.match(toStdout.stderr, /^pseudo: \d+ of \d+ units changed .* -> <stdout>$/m);
  assert.equal(fromStdin.code, 0, fromStdin.stderr);
  assert.ok(readFileSync(out('from-stdin.xlf')).equals(readFileSync(reference)), 'pseudo - out.xlf');
  assert.match(fromStdin.stderr, /^pseudo <stdin>: \d+ units in /m);
  assert.equal(both.code, 0, both.stderr);
  assert.equal(both.stderr, '');
  assert.ok(both.stdoutBytes.equals(readFileSync(reference)), 'pseudo - -');
});

test('pseudo into a .gz path writes gzip: its content is what the plain output holds', async () => {
  const plain = out('gz-plain.xlf');
  const gzipped = out('gz-out.xlf.gz');
  assert.equal((await run(['pseudo', SPOTCHECK, plain, '-q'])).code, 0);
  const result = await run(['pseudo', SPOTCHECK, gzipped]);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stderr, /-> .*gz-out\.xlf\.gz$/m);
  const bytes = readFileSync(gzipped);
  assert.deepEqual([bytes[0], bytes[1]], [0x1f, 0x8b]);
  assert.ok(gunzipSync(bytes).equals(readFileSync(plain)));
  // The gzip output reads back as input (gzip input is sniffed), and nothing else is left in the folder.
  assert.equal((await run(['pseudo', gzipped, out('gz-again.xlf'), '-q'])).code, 0);
  assert.ok(readFileSync(out('gz-again.xlf')).equals(readFileSync(plain)), 'pseudo of a pseudo changes nothing more');
});
