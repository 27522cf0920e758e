/**
 * Attribute-value normalisation (XML 1.0, 3.3.3; no DTD, so every attribute is CDATA): a literal
 * tab, LF, CR or CRLF in a value is one space; `&#9;`, `&#10;`, `&#13;` give their character.
 * In every attribute the model reads; `raw` and the bytes written back stay as they were.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { type ProcessOptions, type Unit } from '../../src/index.js';
import { normalizeAttributes, normalizeValue } from '../../src/read/attribute-values.js';
import { collect, enc, inPieces, processedBytes, xliff12 } from '../helpers/read.js';

/** [value as written between the quotes, value read] */
const values: [string, string][] = [
  ['a\tb', 'a b'],
  ['a\nb', 'a b'],
  ['a\rb', 'a b'],
  ['a\r\nb', 'a b'],
  ['a\n\nb', 'a  b'],
  ['a\r\r\nb', 'a  b'],
  ['a&#9;b', 'a\tb'],
  ['a&#10;b', 'a\nb'],
  ['a&#13;b', 'a\rb'],
  ['a&#13;&#10;b', 'a\r\nb'],
  ['a&#xA;b&#x9;c&#xd;', 'a\nb\tc\r'],
  ['\t&#10;\n', ' \n '],
  ['&lt;\n&amp;&gt;&quot;&apos;', "< &>\"'"],
  ['&#x20AC;\t&#128512;', '€ 😀'],
  ['a b', 'a b'],
];

test('attribute values: normalizeValue, literal white space against character references', () => {
  for (const [literal, expected] of values) assert.equal(normalizeValue(literal), expected, JSON.stringify(literal));
});

test('attribute values: normalizeAttributes sets only the values that hold a tab, LF or CR, from the tag text, the first of repeated names', () => {
  const tag = '<x\n  a="1\t2"\r\n  b = \'&#10;\' c="x&#32;y"\tb="no"/>';
  const attributes = { a: '1\t2', b: '\n', c: 'x y' };
  normalizeAttributes(attributes, tag);
  assert.deepEqual(attributes, { a: '1 2', b: '\n', c: 'x y' });
});

const unitsOf = (doc: string): Promise<Unit[]> => collect([enc(doc)]);

test('attribute values: in unit ids (1.2 and 2.x), literal against references', async () => {
  for (const [literal, expected] of values) {
    const [unit12] = await unitsOf(xliff12(`<trans-unit id="${literal}" resname="r\r\n1"><source>a</source></trans-unit>`));
    assert.equal(unit12!.id, expected, `1.2 ${JSON.stringify(literal)}`);
    assert.equal(unit12!.attributes['resname'], 'r 1');
    const [unit2] = await unitsOf(xliff2(`<unit id="${literal}"><segment><source>a</source></segment></unit>`));
    assert.equal(unit2!.id, expected, `2.x ${JSON.stringify(literal)}`);
  }
});

test('attribute values: target state, note attributes, file and group attributes (1.2)', async () => {
  const body = `<group id="g\t1" resname="&#9;n">
<trans-unit id="1" approved="yes">
<source xml:lang="en\n">a</source>
<target state="needs-review-translation\r\n" state-qualifier="&#10;x">b</target>
<note from="ann\ta" priority="1\n" annotates="source">n</note>
</trans-unit>
</group>`;
  const [unit] = await unitsOf(xliff12(body, 'source-language="en" target-language="fr\t" datatype="plain&#10;text" original="a\r\nb.txt"'));
  assert.equal(unit!.state, 'needs-review-translation ');
  assert.equal(unit!.subState, '\nx');
  assert.equal(unit!.target!.attributes['state'], 'needs-review-translation ');
  assert.equal(unit!.source.attributes['xml:lang'], 'en ');
  assert.equal(unit!.notes[0]!.from, 'ann a');
  assert.equal(unit!.notes[0]!.attributes['priority'], '1 ');
  assert.equal(unit!.file.original, 'a b.txt');
  assert.equal(unit!.file.targetLanguage, 'fr ');
  assert.equal(unit!.file.datatype, 'plain\ntext');
  assert.equal(unit!.groups[0]!.id, 'g 1');
  assert.equal(unit!.groups[0]!.name, '\tn');
  assert.ok(unit!.raw.includes('state="needs-review-translation\r\n"'), 'raw as written');
});

function xliff2(body: string, root = 'srcLang="en\t" trgLang="fr&#9;"'): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<xliff version="2.0" xmlns="urn:oasis:names:tc:xliff:document:2.0" ${root}>\n<file id="f\n1" original="o&#10;1">\n${body}\n</file>\n</xliff>\n`;
}

test('attribute values: segment state, note category, file and root attributes (2.x)', async () => {
  const body = `<unit id="u1" name="n\t1">
<notes><note category="c\r\n1" id="&#13;n">n</note></notes>
<segment id="s\t1" state="translated\n"><source>a</source><target>b</target></segment>
</unit>`;
  const [unit] = await unitsOf(xliff2(body));
  assert.equal(unit!.segments[0]!.id, 's 1');
  assert.equal(unit!.segments[0]!.state, 'translated ');
  assert.equal(unit!.notes[0]!.category, 'c 1');
  assert.equal(unit!.notes[0]!.id, '\rn');
  assert.equal(unit!.file.id, 'f 1');
  assert.equal(unit!.file.original, 'o\n1');
  assert.equal(unit!.file.sourceLanguage, 'en ');
  assert.equal(unit!.file.targetLanguage, 'fr\t');
  assert.equal(unit!.attributes['name'], 'n 1');
});

test('attribute values: a namespace declaration is normalised before it binds (a literal LF is a space, &#10; an LF)', async () => {
  const doc = xliff12('<trans-unit id="1" xmlns:a="urn:a\nb" xmlns:b="urn:a&#32;b" a:x="1" b:x="2"><source>a</source></trans-unit>');
  await assert.rejects(unitsOf(doc), /attributes a:x and b:x have the same expanded name/);
  const ok = xliff12('<trans-unit id="1" xmlns:a="urn:a\nb" xmlns:b="urn:a&#10;b" a:x="1" b:x="2"><source>a</source></trans-unit>');
  assert.equal((await unitsOf(ok)).length, 1);
});

const TRICKY = xliff12(
  `<trans-unit id="a\tb" resname="x\r\ny">
<source xml:lang="en">a</source>
<target state="new\n" state-qualifier="&#10;&#9;&#13;">b</target>
<note from="a\rb">n</note>
</trans-unit>
<trans-unit id="2"\n\tresname="&#10;"\r\n><source>c</source></trans-unit>`,
  'source-language="en" target-language="fr"\n\tdatatype="plain\ttext" original="a\r\nb.txt"',
);

test('attribute values: the same values in pieces of any size (a tag across pieces)', async () => {
  const whole = (await collect([enc(TRICKY)])).map((u) => [u.id, u.attributes, u.state, u.subState, u.notes.map((n) => n.from), u.file.datatype, u.raw]);
  assert.deepEqual(whole[0]!.slice(0, 6), ['a b', { id: 'a b', resname: 'x y' }, 'new ', '\n\t\r', ['a b'], 'plain text']);
  assert.deepEqual(whole[1]!.slice(0, 2), ['2', { id: '2', resname: '\n' }]);
  for (const size of [1, 3, 17]) {
    const pieces = (await collect(inPieces(enc(TRICKY), size))).map((u) => [u.id, u.attributes, u.state, u.subState, u.notes.map((n) => n.from), u.file.datatype, u.raw]);
    assert.deepEqual(pieces, whole, `${size}-byte pieces`);
  }
});

const run = (input: Uint8Array, process: ProcessOptions['process']): Promise<Buffer> => processedBytes([input], { process } as ProcessOptions);

test('attribute values: round trip byte for byte (raw as written), and a change touches only its target', async () => {
  const bytes = enc(TRICKY);
  const units = await collect([bytes]);
  assert.equal(units[0]!.raw, TRICKY.slice(TRICKY.indexOf('<trans-unit id="a\tb"'), TRICKY.indexOf('</trans-unit>') + 13));
  assert.ok((await run(bytes, () => undefined)).equals(Buffer.from(bytes)), 'identity pass: the input back');
  const changed = (await run(bytes, (unit) => (unit.id === '2' ? { target: 'd' } : undefined))).toString('utf8');
  const at = TRICKY.indexOf('<source>c</source>') + '<source>c</source>'.length;
  assert.equal(changed, TRICKY.slice(0, at) + changed.slice(at, changed.indexOf('</trans-unit>', at)) + TRICKY.slice(at), 'every other byte unchanged');
  assert.match(changed.slice(at), /^<target[^>]*>d<\/target>/);
});

test('attribute values: a value longer than what sax is let hold (moved out of it as it grows) is normalised too, in pieces of any size', async () => {
  const long = 'x'.repeat(10_000);
  for (const [written, read] of [
    [`${long}\t${long}`, `${long} ${long}`],
    [`\n${long}`, ` ${long}`],
    [`${long}&#10;${long}\r\n`, `${long}\n${long} `],
  ]) {
    const doc = xliff12(`<trans-unit id="1" resname="${written}"><source>a</source></trans-unit>`);
    for (const size of [1, 4096, 64 * 1024]) {
      const [unit] = await collect(inPieces(enc(doc), size));
      assert.equal(unit!.attributes['resname'], read, `pieces of ${size}`);
    }
  }
});
