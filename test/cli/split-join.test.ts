import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { collect } from '../helpers/read.js';
import { ANGULAR, SPOTCHECK, TRADOS, run, tempFolder, xmllint } from './helpers.js';

const { dir, out } = tempFolder();

const partsIn = (folder: string): string[] =>
  readdirSync(folder)
    .sort()
    .map((name) => join(folder, name));

test('split --parts then join gives the input back byte for byte; parts are named after the input and read alone', async () => {
  for (const [file, name] of [
    [ANGULAR, 'messages.fr'],
    [SPOTCHECK, 'SpotCheck-en_us-es_419-H'],
    [TRADOS, 'test1.docx'],
  ] as const) {
    const folder = join(dir, `same-${name}`);
    const split = await run(['split', file, '--parts', '3', '--out', folder]);
    assert.equal(split.code, 0, split.stderr);
    const parts = partsIn(folder);
    assert.equal(parts.length, 3, file);
    const extension = file.slice(file.lastIndexOf('.'));
    assert.deepEqual(
      parts.map((path) => path.slice(folder.length + 1)),
      [1, 2, 3].map((n) => `${name}.part00${n}${extension}`),
    );
    const fromParts: string[] = [];
    for (const part of parts) {
      xmllint(part);
      fromParts.push(...(await collect(part)).map((unit) => unit.raw));
    }
    const whole = await collect(file);
    assert.deepEqual(fromParts, whole.map((unit) => unit.raw));
    assert.match(split.stderr, new RegExp(`split: ${whole.length} units -> 3 parts in `));
    const output = out(`same-${name}${extension}`);
    // Any order: the marks number them.
    const joined = await run(['join', file, ...parts.reverse(), output]);
    assert.equal(joined.code, 0, joined.stderr);
    assert.ok(readFileSync(output).equals(readFileSync(file)), file);
    assert.match(joined.stderr, new RegExp(`join: 3 parts, 0 of ${whole.length} units changed -> `));
  }
});

test('parts pseudo-translated one by one join into the bytes of a pseudo pass over the whole file', async () => {
  const folder = join(dir, 'pseudo');
  assert.equal((await run(['split', SPOTCHECK, '--parts', '4', '--out', folder, '-q'])).code, 0);
  const parts = partsIn(folder);
  assert.equal(parts.length, 4);
  for (const part of parts) {
    const translated = `${part}.qps`;
    assert.equal((await run(['pseudo', part, translated, '-q'])).code, 0);
    writeFileSync(part, readFileSync(translated));
    writeFileSync(translated, '');
  }
  const whole = out('whole.qps.xlf');
  assert.equal((await run(['pseudo', SPOTCHECK, whole, '-q'])).code, 0);
  const joined = out('joined.qps.xlf');
  const result = await run(['join', SPOTCHECK, ...parts, joined]);
  assert.equal(result.code, 0, result.stderr);
  assert.ok(readFileSync(joined).equals(readFileSync(whole)));
  assert.match(result.stderr, /join: 4 parts, [1-9]\d* of \d+ units changed/);
});

test('split --max-bytes: every part within the size unless it holds a single unit; a gzip input gives plain parts named without .gz', async () => {
  const folder = join(dir, 'max');
  const result = await run(['split', ANGULAR, '--max-bytes', '20kB', '--out', folder]);
  assert.equal(result.code, 0, result.stderr);
  const parts = partsIn(folder);
  assert.ok(parts.length >= 10, String(parts.length));
  assert.match(result.stderr, /\(messages\.fr\.part001\.xlf \.\.\. messages\.fr\.part0\d\d\.xlf\)/);
  for (const part of parts) {
    const units = await collect(part);
    assert.ok(statSync(part).size <= 20_000 || units.length === 1, `${part}: ${statSync(part).size} bytes, ${units.length} units`);
  }
  const gzipped = out('messages.fr.xlf.gz');
  writeFileSync(gzipped, gzipSync(readFileSync(ANGULAR)));
  const gzFolder = join(dir, 'gz');
  assert.equal((await run(['split', gzipped, '--parts', '3', '--out', gzFolder, '-q'])).code, 0);
  const gzParts = partsIn(gzFolder);
  assert.deepEqual(
    gzParts.map((path) => path.slice(gzFolder.length + 1)),
    ['messages.fr.part001.xlf', 'messages.fr.part002.xlf', 'messages.fr.part003.xlf'],
  );
  // Parts of about the same size, though the file's size on disk is compressed.
  const sizes = gzParts.map((path) => statSync(path).size);
  assert.ok(Math.max(...sizes) < 2 * Math.min(...sizes), sizes.join(', '));
  const joined = out('gz-joined.xlf.gz');
  assert.equal((await run(['join', gzipped, ...gzParts, joined, '-q'])).code, 0);
  assert.ok(gunzipSync(readFileSync(joined)).equals(readFileSync(ANGULAR)));
});

test('join refuses a missing part and parts of another file: exit 1, the part named, no output', async () => {
  const a = join(dir, 'refuse-a');
  const b = join(dir, 'refuse-b');
  assert.equal((await run(['split', ANGULAR, '--parts', '3', '--out', a, '-q'])).code, 0);
  assert.equal((await run(['split', SPOTCHECK, '--parts', '2', '--out', b, '-q'])).code, 0);
  const [first, second, third] = partsIn(a) as [string, string, string];
  const output = out('refused.xlf');
  const missing = await run(['join', ANGULAR, first, third, output]);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /messages\.fr\.xlf: part 2 of its 3 is missing/);
  const foreign = await run(['join', ANGULAR, first, second, partsIn(b)[0]!, output]);
  assert.equal(foreign.code, 1);
  assert.match(foreign.stderr, /SpotCheck-en_us-es_419-H\.part001\.xlf: it is a part of another document/);
  assert.equal(existsSync(output), false);
});

test('split and join usage errors: exit 2 with what to type', async () => {
  const cases: Array<[string[], RegExp]> = [
    [['split', ANGULAR, '--out', out('u')], /split: expected one of --parts <n> and --max-bytes <size>/],
    [['split', ANGULAR, '--parts', '2', '--max-bytes', '1MB', '--out', out('u')], /expected one of --parts/],
    [['split', ANGULAR, '--parts', '2'], /split: expected --out <dir>/],
    [['split', ANGULAR, '--parts', '0', '--out', out('u')], /--parts to be a whole number from 1/],
    [['split', ANGULAR, '--max-bytes', 'big', '--out', out('u')], /--max-bytes to be a size such as 50MB/],
    [['split', '-', '--parts', '2', '--out', out('u')], /split: <in> must be a file/],
    [['join', ANGULAR, out('x.xlf')], /join: missing <out>/],
    [['join', ANGULAR, '-', out('x.xlf')], /join: the input, the parts and the output must be files/],
    [['join', ANGULAR, 'a.xlf', 'b.xlf', '--parts', '2'], /--parts is not an option of join \(it is one of split\)/],
  ];
  for (const [args, message] of cases) {
    const result = await run(args);
    assert.equal(result.code, 2, args.join(' '));
    assert.match(result.stderr, message);
  }
  assert.equal(existsSync(out('u')), false);
});
