// Nesting depth: refused past `maxDepth` at the start tag that goes past it, quickly and
// without reading on; below it, read in time linear in the depth (bench/depth.ts measures it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { processXliff, readUnits, type ReadOptions } from '../../src/index.js';
import { DEFAULT_MAX_DEPTH } from '../../src/options.js';
import { collect, enc, readError } from '../helpers/read.js';

// `<xliff>`, `<file>`, `<body>`: the groups start at depth 4.
const HEAD = '<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2"><file original="a" source-language="en" datatype="plaintext"><body>';
const TAIL = '</body></file></xliff>';
const UNIT = '<trans-unit id="1"><source>a</source></trans-unit>';
/** `groups` nested groups around one unit: the deepest element (`source`) is at depth `groups` + 5. */
const nested = (groups: number) => `${HEAD}${'<group>'.repeat(groups)}${UNIT}${'</group>'.repeat(groups)}${TAIL}`;

test(`the default maxDepth is ${DEFAULT_MAX_DEPTH}: a document exactly that deep reads, one level more is refused at that start tag`, async () => {
  const groups = DEFAULT_MAX_DEPTH - 5;
  const [unit] = await collect([enc(nested(groups))]);
  assert.equal(unit!.groups.length, groups);
  const error = await readError([enc(nested(groups + 1))]);
  assert.equal(error.code, 'XLIFF_TOO_DEEP');
  assert.equal(error.reason, `elements nested deeper than maxDepth (${DEFAULT_MAX_DEPTH})`);
  // The `<source>` of the unit.
  const at = nested(groups + 1).indexOf('<source>');
  assert.deepEqual([error.line, error.column, error.offset], [1, at + 1, at]);
});

test('1,000,000 nested elements: refused at the first one past maxDepth, having read only the first piece', async () => {
  let pulled = 0;
  function* input(): Generator<Uint8Array> {
    yield enc(HEAD);
    const piece = enc('<group>'.repeat(10_000));
    for (let i = 0; i < 100; i++) {
      pulled += piece.length;
      yield piece;
    }
  }
  const error = await readError(input());
  assert.equal(error.code, 'XLIFF_TOO_DEEP');
  const groupsBefore = DEFAULT_MAX_DEPTH - 3;
  const at = HEAD.length + groupsBefore * '<group>'.length;
  assert.deepEqual([error.line, error.column, error.offset], [1, at + 1, at]);
  assert.equal(pulled, 70_000, 'one piece of groups read');
});

test('maxDepth raised: 100,000 nested groups read, each unit with its groups; lowered: refused', async () => {
  const text = nested(100_000);
  const units = await collect([enc(text)], { maxDepth: 100_005 });
  assert.equal(units.length, 1);
  assert.equal(units[0]!.groups.length, 100_000);
  const deep = enc(nested(10_000));
  assert.equal((await collect([deep], { maxDepth: Infinity })).length, 1);
  assert.equal((await readError([deep], { maxDepth: 10_004 })).code, 'XLIFF_TOO_DEEP');
  const shallow = `${HEAD}<group id="g"><note>n</note>${UNIT}</group>${TAIL}`;
  assert.equal((await collect([enc(shallow)], { maxDepth: 6 })).length, 1);
  const error = await readError([enc(shallow)], { maxDepth: 4 });
  assert.deepEqual([error.code, error.column], ['XLIFF_TOO_DEEP', shallow.indexOf('<note>') + 1]);
});

test('units in nested groups: each gets the groups it is in and the translate in force', async () => {
  const text = `${HEAD}<group id="a" translate="no"><group id="b">${UNIT.replace('"1"', '"x"')}<group id="c" translate="yes">${UNIT.replace('"1"', '"y"')}</group></group>${UNIT.replace('"1"', '"z"')}</group>${UNIT}${TAIL}`;
  const units = await collect([enc(text)], { maxDepth: 8 });
  assert.deepEqual(
    units.map((u) => [u.id, u.groups.map((g) => g.id).join('/'), u.translate]),
    [
      ['x', 'a/b', false],
      ['y', 'a/b/c', true],
      ['z', 'a', false],
      ['1', '', true],
    ],
  );
});

test('maxDepth through processXliff', async () => {
  const job = processXliff([enc(nested(10))], { maxDepth: 10, process: () => undefined });
  await assert.rejects(job.done, { code: 'XLIFF_TOO_DEEP' });
});

test('maxDepth is checked', () => {
  const cases: Array<[ReadOptions, ErrorConstructor, RegExp]> = [
    [{ maxDepth: 0 }, RangeError, /Expected `maxDepth` to be a whole number from 1 and up \(or Infinity\), got 0/],
    [{ maxDepth: 2.5 }, RangeError, /got 2\.5/],
    [{ maxDepth: '10' as unknown as number }, TypeError, /Expected `maxDepth` to be a number from 1 and up \(or Infinity\), got "10"/],
  ];
  for (const [options, type, message] of cases) assert.throws(() => readUnits([], options), (error) => error instanceof type && message.test(error.message));
});
