/**
 * The unit model: text semantics of every inline element, segments, translate
 * inheritance, states, notes, groups, file context, namespaces. Small documents
 * written here, and units of the corpus checked against what the files say.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readUnits, type Content, type Part, type Unit } from '../../src/index.js';
import { CORPUS_DIR } from '../helpers/corpus.js';

const NS10 = 'urn:oasis:names:tc:xliff:document:1.1';
const NS12 = 'urn:oasis:names:tc:xliff:document:1.2';
const NS20 = 'urn:oasis:names:tc:xliff:document:2.0';
const NS22 = 'urn:oasis:names:tc:xliff:document:2.2';

const FILE12 = 'original="f.txt" source-language="en" target-language="de" datatype="plaintext"';

/** An XLIFF 1.2 document around `body`. */
function doc12(body: string, fileAttributes = FILE12): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<xliff version="1.2" xmlns="${NS12}"><file ${fileAttributes}><body>${body}</body></file></xliff>`;
}

/** An XLIFF 2.0 document around `body` (the content of `file`). */
function doc2(body: string, fileAttributes = 'id="f1"'): string {
  return `<?xml version="1.0"?>\n<xliff version="2.0" xmlns="${NS20}" srcLang="en" trgLang="fr"><file ${fileAttributes}>${body}</file></xliff>`;
}

async function units(input: string | string[]): Promise<Unit[]> {
  const out: Unit[] = [];
  for await (const unit of readUnits(typeof input === 'string' ? [input] : input)) out.push(unit);
  return out;
}

async function one(xml: string): Promise<Unit> {
  const all = await units(xml);
  assert.equal(all.length, 1, `expected one unit, got ${all.length}`);
  return all[0]!;
}

type Attrs = Record<string, string>;
const T = (text: string): Part => ({ type: 'text', text });
const S = (name: string, xml: string, attributes: Attrs = {}): Part => ({ type: 'start', name, id: attributes['id'], attributes, xml });
const E = (name: string, xml: string, attributes: Attrs = {}): Part => ({ type: 'end', name, id: attributes['id'], attributes, xml });
const C = (name: string, xml: string, code: string, attributes: Attrs = {}): Part => ({ type: 'code', name, id: attributes['id'], attributes, code, xml });

interface ContentCase {
  readonly name: string;
  /** The inner XML of a `source` (and of a `target`). */
  readonly xml: string;
  readonly expect: { readonly text: string; readonly parts: readonly Part[] };
}

/** Every XLIFF 1.2 inline element, and what XML itself brings (entities, CDATA, line ends). */
const CONTENT_12: ContentCase[] = [
  { name: 'plain text', xml: 'Hello world', expect: { text: 'Hello world', parts: [T('Hello world')] } },
  { name: 'empty', xml: '', expect: { text: '', parts: [] } },
  { name: 'spaces kept as written', xml: '  a \t b\n  ', expect: { text: '  a \t b\n  ', parts: [T('  a \t b\n  ')] } },
  {
    name: 'predefined entities and character references decoded',
    xml: 'a &lt;b&gt; &amp; &quot;c&quot; &apos;d&apos; &#65;&#x42;&#x1F600;',
    expect: { text: 'a <b> & "c" \'d\' AB\u{1F600}', parts: [T('a <b> & "c" \'d\' AB\u{1F600}')] },
  },
  { name: 'CDATA included, not decoded', xml: 'x<![CDATA[<b>&amp;</b>]]>y', expect: { text: 'x<b>&amp;</b>y', parts: [T('x<b>&amp;</b>y')] } },
  { name: 'CRLF and lone CR become LF', xml: 'a\r\nb\rc\nd\r\n', expect: { text: 'a\nb\nc\nd\n', parts: [T('a\nb\nc\nd\n')] } },
  { name: 'CRLF inside CDATA becomes LF', xml: '<![CDATA[a\r\nb\rc]]>', expect: { text: 'a\nb\nc', parts: [T('a\nb\nc')] } },
  { name: 'comments and processing instructions are not text', xml: 'a<!-- note -->b<?pi data?>c', expect: { text: 'abc', parts: [T('abc')] } },
  // The text after a comment starts after its `>` (sax tells of the comment at `--`), also where it is decoded from the source.
  { name: 'text after a comment, a PI and CDATA: CR and references decoded', xml: 'a<!-- n -->\r\nb&#13;<?pi d?>&amp;\r<![CDATA[\r\n]]>&lt;', expect: { text: 'a\nb\r&\n\n<', parts: [T('a\nb\r&\n\n<')] } },
  {
    name: 'g encloses text',
    xml: 'a <g id="1" ctype="bold">b</g> c',
    expect: { text: 'a b c', parts: [T('a '), S('g', '<g id="1" ctype="bold">', { id: '1', ctype: 'bold' }), T('b'), E('g', '</g>', { id: '1', ctype: 'bold' }), T(' c')] },
  },
  {
    name: 'nested g',
    xml: '<g id="1"><g id="2">x</g>y</g>',
    expect: { text: 'xy', parts: [S('g', '<g id="1">', { id: '1' }), S('g', '<g id="2">', { id: '2' }), T('x'), E('g', '</g>', { id: '2' }), T('y'), E('g', '</g>', { id: '1' })] },
  },
  {
    name: 'self-closing g: the start part holds the whole tag, the end part nothing',
    xml: 'a<g id="1"/>b',
    expect: { text: 'ab', parts: [T('a'), S('g', '<g id="1"/>', { id: '1' }), E('g', '', { id: '1' }), T('b')] },
  },
  { name: 'x', xml: 'a<x id="1" ctype="lb"/>b', expect: { text: 'ab', parts: [T('a'), C('x', '<x id="1" ctype="lb"/>', '', { id: '1', ctype: 'lb' }), T('b')] } },
  {
    name: 'bx and ex',
    xml: '<bx id="1" rid="r1"/>bold<ex id="2" rid="r1"/>',
    expect: { text: 'bold', parts: [C('bx', '<bx id="1" rid="r1"/>', '', { id: '1', rid: 'r1' }), T('bold'), C('ex', '<ex id="2" rid="r1"/>', '', { id: '2', rid: 'r1' })] },
  },
  {
    name: 'ph: native code, entities decoded, not text',
    xml: 'a<ph id="1">&lt;br/&gt;</ph>b',
    expect: { text: 'ab', parts: [T('a'), C('ph', '<ph id="1">&lt;br/&gt;</ph>', '<br/>', { id: '1' }), T('b')] },
  },
  { name: 'ph with CDATA code', xml: '<ph id="1"><![CDATA[<br/>]]></ph>', expect: { text: '', parts: [C('ph', '<ph id="1"><![CDATA[<br/>]]></ph>', '<br/>', { id: '1' })] } },
  { name: 'ph empty', xml: 'a<ph id="1"/>', expect: { text: 'a', parts: [T('a'), C('ph', '<ph id="1"/>', '', { id: '1' })] } },
  {
    name: 'bpt and ept',
    xml: '<bpt id="1">&lt;b&gt;</bpt>bold<ept id="1">&lt;/b&gt;</ept>',
    expect: { text: 'bold', parts: [C('bpt', '<bpt id="1">&lt;b&gt;</bpt>', '<b>', { id: '1' }), T('bold'), C('ept', '<ept id="1">&lt;/b&gt;</ept>', '</b>', { id: '1' })] },
  },
  {
    name: 'it',
    xml: '<it id="1" pos="open">&lt;i&gt;</it>x',
    expect: { text: 'x', parts: [C('it', '<it id="1" pos="open">&lt;i&gt;</it>', '<i>', { id: '1', pos: 'open' }), T('x')] },
  },
  {
    name: 'line ends in native code become LF',
    xml: '<ph id="1">a\r\nb</ph>',
    expect: { text: '', parts: [C('ph', '<ph id="1">a\r\nb</ph>', 'a\nb', { id: '1' })] },
  },
  {
    name: 'sub inside ph is text; the code part is the whole ph, the sub follows it',
    xml: 'x<ph id="1">&lt;img alt="<sub>Alt text</sub>"&gt;</ph>y',
    expect: {
      text: 'xAlt texty',
      parts: [T('x'), C('ph', '<ph id="1">&lt;img alt="<sub>Alt text</sub>"&gt;</ph>', '<img alt="">', { id: '1' }), S('sub', '<sub>'), T('Alt text'), E('sub', '</sub>'), T('y')],
    },
  },
  {
    name: 'sub inside bpt with g inside the sub',
    xml: '<bpt id="1">&lt;a title="<sub>A <g id="2">B</g></sub>"&gt;</bpt>link<ept id="1">&lt;/a&gt;</ept>',
    expect: {
      text: 'A Blink',
      parts: [
        C('bpt', '<bpt id="1">&lt;a title="<sub>A <g id="2">B</g></sub>"&gt;</bpt>', '<a title="">', { id: '1' }),
        S('sub', '<sub>'),
        T('A '),
        S('g', '<g id="2">', { id: '2' }),
        T('B'),
        E('g', '</g>', { id: '2' }),
        E('sub', '</sub>'),
        T('link'),
        C('ept', '<ept id="1">&lt;/a&gt;</ept>', '</a>', { id: '1' }),
      ],
    },
  },
  {
    name: 'codes inside a sub are codes again',
    xml: '<bpt id="1">code<sub>Text<bpt id="2">subcode</bpt>TEXT</sub></bpt>',
    expect: {
      text: 'TextTEXT',
      parts: [
        C('bpt', '<bpt id="1">code<sub>Text<bpt id="2">subcode</bpt>TEXT</sub></bpt>', 'code', { id: '1' }),
        S('sub', '<sub>'),
        T('Text'),
        C('bpt', '<bpt id="2">subcode</bpt>', 'subcode', { id: '2' }),
        T('TEXT'),
        E('sub', '</sub>'),
      ],
    },
  },
  {
    name: 'mrk encloses text',
    xml: 'a <mrk mtype="term" mid="m1">word</mrk>.',
    expect: { text: 'a word.', parts: [T('a '), S('mrk', '<mrk mtype="term" mid="m1">', { mtype: 'term', mid: 'm1' }), T('word'), E('mrk', '</mrk>', { mtype: 'term', mid: 'm1' }), T('.')] },
  },
  {
    name: 'mrk mtype="seg" inside a source is only a span',
    xml: '<mrk mtype="seg" mid="1">One.</mrk>',
    expect: { text: 'One.', parts: [S('mrk', '<mrk mtype="seg" mid="1">', { mtype: 'seg', mid: '1' }), T('One.'), E('mrk', '</mrk>', { mtype: 'seg', mid: '1' })] },
  },
  {
    name: 'an element of another namespace encloses text',
    xml: 'a<my:b xmlns:my="urn:my" my:k="v">b</my:b>c',
    expect: { text: 'abc', parts: [T('a'), S('b', '<my:b xmlns:my="urn:my" my:k="v">', { 'xmlns:my': 'urn:my', 'my:k': 'v' }), T('b'), E('b', '</my:b>', { 'xmlns:my': 'urn:my', 'my:k': 'v' }), T('c')] },
  },
  {
    name: 'an element of another namespace inside native code is code',
    xml: '<ph id="1">a<my:c xmlns:my="urn:my">b</my:c>c</ph>',
    expect: { text: '', parts: [C('ph', '<ph id="1">a<my:c xmlns:my="urn:my">b</my:c>c</ph>', 'abc', { id: '1' })] },
  },
  {
    name: 'an un-namespaced ph in a namespaced document is not XLIFF: its text is text',
    xml: 'a<ph xmlns="">b</ph>',
    expect: { text: 'ab', parts: [T('a'), S('ph', '<ph xmlns="">', { xmlns: '' }), T('b'), E('ph', '</ph>', { xmlns: '' })] },
  },
];

/** Every XLIFF 2.x inline element. */
const CONTENT_2: ContentCase[] = [
  { name: 'plain text', xml: 'Hello &amp; bye', expect: { text: 'Hello & bye', parts: [T('Hello & bye')] } },
  { name: 'CRLF becomes LF, CDATA included', xml: 'a\r\nb<![CDATA[<c>\r]]>', expect: { text: 'a\nb<c>\n', parts: [T('a\nb<c>\n')] } },
  {
    name: 'ph',
    xml: 'a<ph id="1" equiv="[br]" disp="\\n" dataRef="d1"/>b',
    expect: { text: 'ab', parts: [T('a'), C('ph', '<ph id="1" equiv="[br]" disp="\\n" dataRef="d1"/>', '', { id: '1', equiv: '[br]', disp: '\\n', dataRef: 'd1' }), T('b')] },
  },
  {
    name: 'pc encloses text',
    xml: '<pc id="1" dataRefStart="d1" dataRefEnd="d2">bold</pc>!',
    expect: {
      text: 'bold!',
      parts: [
        S('pc', '<pc id="1" dataRefStart="d1" dataRefEnd="d2">', { id: '1', dataRefStart: 'd1', dataRefEnd: 'd2' }),
        T('bold'),
        E('pc', '</pc>', { id: '1', dataRefStart: 'd1', dataRefEnd: 'd2' }),
        T('!'),
      ],
    },
  },
  {
    name: 'self-closing pc',
    xml: 'a<pc id="1" canCopy="no"/>b',
    expect: { text: 'ab', parts: [T('a'), S('pc', '<pc id="1" canCopy="no"/>', { id: '1', canCopy: 'no' }), E('pc', '', { id: '1', canCopy: 'no' }), T('b')] },
  },
  {
    name: 'nested pc and mrk',
    xml: '<pc id="1"><mrk id="m1" translate="no">X</mrk>y</pc>',
    expect: {
      text: 'Xy',
      parts: [S('pc', '<pc id="1">', { id: '1' }), S('mrk', '<mrk id="m1" translate="no">', { id: 'm1', translate: 'no' }), T('X'), E('mrk', '</mrk>', { id: 'm1', translate: 'no' }), T('y'), E('pc', '</pc>', { id: '1' })],
    },
  },
  {
    name: 'sc and ec',
    xml: '<sc id="1" dataRef="d1"/>x<ec startRef="1" dataRef="d2"/>',
    expect: { text: 'x', parts: [C('sc', '<sc id="1" dataRef="d1"/>', '', { id: '1', dataRef: 'd1' }), T('x'), C('ec', '<ec startRef="1" dataRef="d2"/>', '', { startRef: '1', dataRef: 'd2' })] },
  },
  {
    name: 'isolated ec',
    xml: 'x<ec id="2" isolated="yes"/>',
    expect: { text: 'x', parts: [T('x'), C('ec', '<ec id="2" isolated="yes"/>', '', { id: '2', isolated: 'yes' })] },
  },
  {
    name: 'sm and em',
    xml: '<sm id="m1" type="term"/>word<em startRef="m1"/>',
    expect: { text: 'word', parts: [C('sm', '<sm id="m1" type="term"/>', '', { id: 'm1', type: 'term' }), T('word'), C('em', '<em startRef="m1"/>', '', { startRef: 'm1' })] },
  },
  {
    name: 'mrk',
    xml: 'a <mrk id="m1" type="comment" value="check">b</mrk>',
    expect: { text: 'a b', parts: [T('a '), S('mrk', '<mrk id="m1" type="comment" value="check">', { id: 'm1', type: 'comment', value: 'check' }), T('b'), E('mrk', '</mrk>', { id: 'm1', type: 'comment', value: 'check' })] },
  },
  {
    name: 'cp: a character XML cannot hold, counted as text, kept as a code part',
    xml: 'a<cp hex="0001"/>b<cp hex="1F600"/>',
    expect: { text: 'a\u0001b\u{1F600}', parts: [T('a'), C('cp', '<cp hex="0001"/>', '\u0001', { hex: '0001' }), T('b'), C('cp', '<cp hex="1F600"/>', '\u{1F600}', { hex: '1F600' })] },
  },
  {
    name: 'an element of another namespace encloses text',
    xml: 'a<my:b xmlns:my="urn:my">b</my:b>',
    expect: { text: 'ab', parts: [T('a'), S('b', '<my:b xmlns:my="urn:my">', { 'xmlns:my': 'urn:my' }), T('b'), E('b', '</my:b>', { 'xmlns:my': 'urn:my' })] },
  },
];

function checkContent(content: Content | undefined, c: ContentCase, where: string): void {
  assert.ok(content, `${where}: missing`);
  assert.equal(content.xml, c.xml, `${where}: xml`);
  assert.equal(content.text, c.expect.text, `${where}: text`);
  assert.deepEqual(content.parts, c.expect.parts, `${where}: parts`);
}

for (const c of CONTENT_12) {
  test(`1.2 content: ${c.name}`, async () => {
    const unit = await one(doc12(`<trans-unit id="1"><source>${c.xml}</source><target xml:lang="de">${c.xml}</target></trans-unit>`));
    checkContent(unit.source, c, 'source');
    checkContent(unit.target, c, 'target');
    assert.deepEqual(unit.target!.attributes, { 'xml:lang': 'de' });
    assert.equal(unit.segments.length, 1);
    assert.deepEqual(unit.segments[0]!.source, unit.source);
    assert.deepEqual(unit.segments[0]!.target, unit.target);
  });
}

for (const c of CONTENT_2) {
  test(`2.x content: ${c.name}`, async () => {
    const unit = await one(doc2(`<unit id="1"><segment><source>${c.xml}</source><target>${c.xml}</target></segment></unit>`));
    checkContent(unit.source, c, 'source');
    checkContent(unit.target, c, 'target');
    checkContent(unit.segments[0]!.source, c, 'segment source');
  });
}

test('a character reference to CR stays CR (only literal line ends are normalised, as libxml2 does)', async () => {
  // XML 1.0 section 2.11 normalises line ends in the input, before references are expanded:
  // `&#13;` and `&#xD;` give a CR in the text.
  const unit = await one(doc12('<trans-unit id="1"><source>a&#13;b&#xD;&#xA;c</source></trans-unit>'));
  assert.equal(unit.source.text, 'a\rb\r\nc');
  assert.equal(unit.source.xml, 'a&#13;b&#xD;&#xA;c');
});

test('a CRLF is one LF even where sax cuts a long text node (over 16 Mi characters) between CR and LF', async () => {
  // sax hands a text node over MAX_BUFFER_LENGTH on in pieces; the cut fell between
  // a CR and its LF with this input, in pieces of 64 KiB.
  const count = 5_700_000;
  const xml = doc12(`<trans-unit id="1"><source>${'x\r\n'.repeat(count)}</source></trans-unit>`);
  const pieces: string[] = [];
  for (let i = 0; i < xml.length; i += 65536) pieces.push(xml.slice(i, i + 65536));
  let text = '';
  for await (const unit of readUnits(pieces, { maxUnitBytes: 64 * 1024 * 1024 })) text = unit.source.text;
  assert.equal(text.length, 2 * count);
  assert.ok(text === 'x\n'.repeat(count));
});

test('text is the same whatever the pieces the input comes in', async () => {
  const xml = doc12('<trans-unit id="1"><source>a\r\nb&amp;<g id="1">c\r</g>\nd<![CDATA[e\r\nf]]><ph id="2">&lt;x&gt;</ph></source></trans-unit>');
  const whole = await one(xml);
  assert.equal(whole.source.text, 'a\nb&c\n\nde\nf');
  for (const size of [1, 2, 3, 7]) {
    const pieces: string[] = [];
    for (let i = 0; i < xml.length; i += size) pieces.push(xml.slice(i, i + size));
    const [unit] = await units(pieces);
    assert.deepEqual(unit!.source, whole.source, `pieces of ${size}`);
  }
});

test('2.x: unit source and target concatenate segments and ignorables in order; segments keep them apart', async () => {
  const unit = await one(
    doc2(
      '<unit id="u1"><segment id="s1" state="translated" subState="my:a"><source>Hello <pc id="1">big</pc>.</source><target>Bonjour <pc id="1">grand</pc>.</target></segment>' +
        '<ignorable><source> </source></ignorable>' +
        '<segment id="s2" state="reviewed"><source xml:lang="en">World.</source><target>Monde.</target></segment></unit>',
    ),
  );
  assert.equal(unit.source.text, 'Hello big. World.');
  assert.equal(unit.source.xml, 'Hello <pc id="1">big</pc>. World.');
  assert.deepEqual(unit.source.parts, [T('Hello '), S('pc', '<pc id="1">', { id: '1' }), T('big'), E('pc', '</pc>', { id: '1' }), T('. World.')]);
  assert.deepEqual(unit.source.attributes, {});
  // The ignorable has no target: it stands for itself in the target.
  assert.equal(unit.target?.text, 'Bonjour grand. Monde.');
  assert.equal(unit.target?.xml, 'Bonjour <pc id="1">grand</pc>. Monde.');
  assert.deepEqual(
    unit.segments.map((s) => [s.kind, s.id, s.state, s.subState, s.source.text, s.target?.text]),
    [
      ['segment', 's1', 'translated', 'my:a', 'Hello big.', 'Bonjour grand.'],
      ['ignorable', undefined, undefined, undefined, ' ', undefined],
      ['segment', 's2', 'reviewed', undefined, 'World.', 'Monde.'],
    ],
  );
  assert.deepEqual(unit.segments[0]!.attributes, { id: 's1', state: 'translated', subState: 'my:a' });
  assert.deepEqual(unit.segments[2]!.source.attributes, { 'xml:lang': 'en' });
  assert.equal(unit.state, 'translated');
  assert.equal(unit.subState, 'my:a');
  assert.equal(unit.approved, undefined);
});

const STATES_2: { name: string; segments: string[]; expect: [string | undefined, string | undefined] }[] = [
  { name: 'no state: the default, initial', segments: ['<segment>'], expect: ['initial', undefined] },
  { name: 'one state', segments: ['<segment state="final">'], expect: ['final', undefined] },
  { name: 'the least advanced wins', segments: ['<segment state="final">', '<segment state="reviewed" subState="x:r">', '<segment state="translated" subState="x:t">'], expect: ['translated', 'x:t'] },
  { name: 'a segment without state counts as initial', segments: ['<segment state="final" subState="x:f">', '<segment>'], expect: ['initial', undefined] },
  { name: 'the first of equals gives the subState', segments: ['<segment state="reviewed" subState="x:1">', '<segment state="reviewed" subState="x:2">'], expect: ['reviewed', 'x:1'] },
];

for (const c of STATES_2) {
  test(`2.x state: ${c.name}`, async () => {
    const body = c.segments.map((s) => `${s}<source>a</source><target>b</target></segment>`).join('<ignorable><source> </source></ignorable>');
    const unit = await one(doc2(`<unit id="1">${body}</unit>`));
    assert.deepEqual([unit.state, unit.subState], c.expect);
  });
}

test('2.x: a segment without target; a unit without any target', async () => {
  const some = await one(doc2('<unit id="1"><segment><source>a</source></segment><segment><source>b</source><target>B</target></segment></unit>'));
  assert.equal(some.source.text, 'ab');
  assert.equal(some.target?.text, 'B');
  assert.equal(some.segments[0]!.target, undefined);
  const none = await one(doc2('<unit id="1"><segment><source>a</source></segment><ignorable><source> </source></ignorable><segment><source>b</source></segment></unit>'));
  assert.equal(none.target, undefined);
  assert.equal(none.source.text, 'a b');
});

test('2.x: target/@order composes the unit target in the order it gives', async () => {
  const unit = await one(
    doc2(
      '<unit id="1"><segment id="s1"><source>A.</source><target order="3">Z.</target></segment><ignorable><source> </source></ignorable>' +
        '<segment id="s2"><source>B.</source><target order="1">Y.</target></segment></unit>',
    ),
  );
  assert.equal(unit.source.text, 'A. B.');
  assert.equal(unit.target?.text, 'Y. Z.');
  assert.equal(unit.target?.xml, 'Y. Z.');
  assert.deepEqual(
    unit.segments.map((s) => s.target?.text),
    ['Z.', undefined, 'Y.'],
  );
});

test('1.2: one segment holding the whole unit', async () => {
  const unit = await one(doc12('<trans-unit id="1"><source>a</source><target state="translated" state-qualifier="exact-match">b</target></trans-unit>'));
  assert.deepEqual(unit.segments, [{ kind: 'segment', id: undefined, state: 'translated', subState: 'exact-match', attributes: {}, source: unit.source, target: unit.target }]);
  assert.equal(unit.state, 'translated');
  assert.equal(unit.subState, 'exact-match');
});

test('1.2: seg-source mrk mtype="seg" segments, paired with the target mrk by mid', async () => {
  const unit = await one(
    doc12(
      '<trans-unit id="1"><source>One. Two.</source>' +
        '<seg-source><mrk mtype="seg" mid="a">One.</mrk> <mrk mtype="term">x</mrk><mrk mtype="seg" mid="b">T<g id="1">w</g>o.</mrk></seg-source>' +
        '<target state="translated"><mrk mtype="seg" mid="b">Zwei.</mrk> <mrk mtype="seg" mid="a">Eins.</mrk></target></trans-unit>',
    ),
  );
  assert.equal(unit.source.text, 'One. Two.');
  assert.equal(unit.target?.text, 'Zwei. Eins.');
  assert.equal(unit.segments.length, 2);
  const [a, b] = unit.segments;
  assert.deepEqual(a, {
    kind: 'segment',
    id: 'a',
    state: 'translated',
    subState: undefined,
    attributes: { mtype: 'seg', mid: 'a' },
    source: { text: 'One.', xml: 'One.', parts: [T('One.')], attributes: { mtype: 'seg', mid: 'a' } },
    target: { text: 'Eins.', xml: 'Eins.', parts: [T('Eins.')], attributes: { mtype: 'seg', mid: 'a' } },
  });
  assert.equal(b!.id, 'b');
  assert.deepEqual(b!.source, {
    text: 'Two.',
    xml: 'T<g id="1">w</g>o.',
    parts: [T('T'), S('g', '<g id="1">', { id: '1' }), T('w'), E('g', '</g>', { id: '1' }), T('o.')],
    attributes: { mtype: 'seg', mid: 'b' },
  });
  assert.equal(b!.target?.text, 'Zwei.');
});

test('1.2: seg-source without target; a target lacking a mid; empty seg mrk', async () => {
  const noTarget = await one(doc12('<trans-unit id="1"><source>A B</source><seg-source><mrk mtype="seg" mid="1">A</mrk> <mrk mtype="seg" mid="2"/></seg-source></trans-unit>'));
  assert.deepEqual(noTarget.segments.map((s) => [s.id, s.source.text, s.source.xml, s.target]), [['1', 'A', 'A', undefined], ['2', '', '', undefined]]);
  assert.equal(noTarget.target, undefined);
  const partial = await one(
    doc12('<trans-unit id="1"><source>A B</source><seg-source><mrk mtype="seg" mid="1">A</mrk> <mrk mtype="seg" mid="2">B</mrk></seg-source><target><mrk mtype="seg" mid="1">a</mrk></target></trans-unit>'),
  );
  assert.deepEqual(partial.segments.map((s) => [s.id, s.target?.text]), [['1', 'a'], ['2', undefined]]);
});

test('1.2: seg mrk inside g (as SDL XLIFF writes them); not inside another segment, native code or another namespace', async () => {
  const unit = await one(
    doc12(
      '<trans-unit id="1"><source><g id="1">A B</g> C</source>' +
        '<seg-source><g id="1"><mrk mtype="seg" mid="1">A <mrk mtype="seg" mid="x">B</mrk></mrk></g> <my:mrk xmlns:my="urn:my" mtype="seg" mid="y">no</my:mrk><ph id="2">&lt;<sub><mrk mtype="seg" mid="z">no</mrk></sub>&gt;</ph><mrk mtype="seg" mid="2">C</mrk></seg-source>' +
        '<target><g id="1"><mrk mtype="seg" mid="1">a b</mrk></g> <mrk mtype="seg" mid="2"/></target></trans-unit>',
    ),
  );
  assert.deepEqual(
    unit.segments.map((s) => [s.id, s.source.text, s.source.xml, s.target?.text, s.target?.xml]),
    [
      ['1', 'A B', 'A <mrk mtype="seg" mid="x">B</mrk>', 'a b', 'a b'],
      ['2', 'C', 'C', '', ''],
    ],
  );
  assert.deepEqual(unit.segments[0]!.source.parts, [T('A '), S('mrk', '<mrk mtype="seg" mid="x">', { mtype: 'seg', mid: 'x' }), T('B'), E('mrk', '</mrk>', { mtype: 'seg', mid: 'x' })]);
});

test('1.2: a seg-source without seg mrk gives one segment', async () => {
  const unit = await one(doc12('<trans-unit id="1"><source>A</source><seg-source><mrk mtype="term">A</mrk></seg-source><target>B</target></trans-unit>'));
  assert.equal(unit.segments.length, 1);
  assert.equal(unit.segments[0]!.id, undefined);
  assert.equal(unit.segments[0]!.source.text, 'A');
  assert.equal(unit.segments[0]!.target?.text, 'B');
});

interface TranslateCase {
  readonly name: string;
  readonly xml: string;
  /** `translate` of the units, in document order. */
  readonly expect: boolean[];
}

const TU = (attributes = ''): string => `<trans-unit id="t"${attributes}><source>s</source></trans-unit>`;
const U2 = (attributes = ''): string => `<unit id="u"${attributes}><segment><source>s</source></segment></unit>`;

const TRANSLATE: TranslateCase[] = [
  { name: '1.2 default yes', xml: doc12(TU()), expect: [true] },
  { name: '1.2 trans-unit no', xml: doc12(TU(' translate="no"') + TU(' translate="yes"')), expect: [false, true] },
  { name: '1.2 group no is inherited', xml: doc12(`<group translate="no">${TU()}</group>${TU()}`), expect: [false, true] },
  { name: '1.2 trans-unit yes overrides its group', xml: doc12(`<group translate="no">${TU(' translate="yes"')}</group>`), expect: [true] },
  { name: '1.2 the nearest group wins', xml: doc12(`<group translate="no"><group translate="yes">${TU()}</group>${TU()}</group>`), expect: [true, false] },
  { name: '1.2 group yes inside group no, no inside yes', xml: doc12(`<group translate="yes"><group translate="no"><group>${TU()}</group></group></group>`), expect: [false] },
  { name: '2.x default yes', xml: doc2(U2()), expect: [true] },
  { name: '2.x file no is inherited', xml: doc2(U2() + `<group id="g">${U2()}</group>`, 'id="f1" translate="no"'), expect: [false, false] },
  { name: '2.x group yes inside file no', xml: doc2(`<group id="g" translate="yes">${U2()}</group>`, 'id="f1" translate="no"'), expect: [true] },
  { name: '2.x unit yes inside group no', xml: doc2(`<group id="g" translate="no">${U2(' translate="yes"')}${U2()}</group>${U2()}`), expect: [true, false, true] },
  { name: '2.x unit no', xml: doc2(U2(' translate="no"')), expect: [false] },
  {
    name: '2.x a second file does not inherit the first',
    xml: `<xliff version="2.0" xmlns="${NS20}" srcLang="en"><file id="a" translate="no">${U2()}</file><file id="b">${U2()}</file></xliff>`,
    expect: [false, true],
  },
];

for (const c of TRANSLATE) {
  test(`translate: ${c.name}`, async () => {
    assert.deepEqual((await units(c.xml)).map((u) => u.translate), c.expect);
  });
}

test('1.2: state, state-qualifier, approved', async () => {
  const all = await units(
    doc12(
      '<trans-unit id="a" approved="yes"><source>s</source><target state="signed-off" state-qualifier="leveraged-tm">t</target></trans-unit>' +
        '<trans-unit id="b" approved="no"><source>s</source><target>t</target></trans-unit>' +
        '<trans-unit id="c"><source>s</source></trans-unit>',
    ),
  );
  assert.deepEqual(
    all.map((u) => [u.id, u.state, u.subState, u.approved]),
    [
      ['a', 'signed-off', 'leveraged-tm', true],
      ['b', undefined, undefined, false],
      ['c', undefined, undefined, undefined],
    ],
  );
});

test('1.2 notes: from, priority, annotates; notes of alt-trans and groups are not the unit\'s; alt-trans source/target neither', async () => {
  const unit = await one(
    doc12(
      '<group id="g"><note>group note</note><trans-unit id="1"><source>a</source>' +
        '<note from="dev" priority="2" annotates="source" xml:lang="en">Mind &amp; the\r\ngap</note><note><![CDATA[<plain>]]></note><note priority=""/><note priority="high">x</note>' +
        '<alt-trans match-quality="90"><source>x</source><target state="final">y</target><note>alt note</note></alt-trans></trans-unit></group>',
    ),
  );
  assert.deepEqual(unit.notes, [
    { text: 'Mind & the\ngap', id: undefined, from: 'dev', category: undefined, priority: 2, appliesTo: 'source', attributes: { from: 'dev', priority: '2', annotates: 'source', 'xml:lang': 'en' } },
    { text: '<plain>', id: undefined, from: undefined, category: undefined, priority: undefined, appliesTo: undefined, attributes: {} },
    { text: '', id: undefined, from: undefined, category: undefined, priority: undefined, appliesTo: undefined, attributes: { priority: '' } },
    { text: 'x', id: undefined, from: undefined, category: undefined, priority: undefined, appliesTo: undefined, attributes: { priority: 'high' } },
  ]);
  assert.equal(unit.source.text, 'a');
  assert.equal(unit.target, undefined);
  assert.equal(unit.state, undefined);
  assert.equal(unit.segments.length, 1);
});

test('2.x notes: id, category, priority, appliesTo; file and group notes and mtc:match are not the unit\'s', async () => {
  const unit = await one(
    `<xliff version="2.0" xmlns="${NS20}" xmlns:mtc="urn:oasis:names:tc:xliff:matches:2.0" srcLang="en" trgLang="fr"><file id="f"><notes><note>file note</note></notes>` +
      '<group id="g"><notes><note>group note</note></notes><unit id="1">' +
      '<mtc:matches><mtc:match ref="#1"><source>m</source><target>n</target></mtc:match></mtc:matches>' +
      '<notes><note id="n1" category="dev" priority="1" appliesTo="target">Check &lt;this&gt;</note><note>Plain</note></notes>' +
      '<segment><source>a</source></segment></unit></group></file></xliff>',
  );
  assert.deepEqual(unit.notes, [
    { text: 'Check <this>', id: 'n1', from: 'dev', category: 'dev', priority: 1, appliesTo: 'target', attributes: { id: 'n1', category: 'dev', priority: '1', appliesTo: 'target' } },
    { text: 'Plain', id: undefined, from: undefined, category: undefined, priority: undefined, appliesTo: undefined, attributes: {} },
  ]);
  assert.equal(unit.source.text, 'a');
  assert.equal(unit.target, undefined);
  assert.equal(unit.segments.length, 1);
});

test('groups: outermost first, id and resname (1.2) / name (2.x); popped when they close', async () => {
  const all12 = await units(doc12(`<group id="g1" resname="outer"><group id="g2" resname="inner" restype="x-menu">${TU()}</group>${TU()}</group>${TU()}`));
  assert.deepEqual(all12.map((u) => u.groups), [
    [
      { id: 'g1', name: 'outer', attributes: { id: 'g1', resname: 'outer' } },
      { id: 'g2', name: 'inner', attributes: { id: 'g2', resname: 'inner', restype: 'x-menu' } },
    ],
    [{ id: 'g1', name: 'outer', attributes: { id: 'g1', resname: 'outer' } }],
    [],
  ]);
  const all2 = await units(doc2(`<group id="a" name="menu"><group id="b">${U2()}</group></group>${U2()}`));
  assert.deepEqual(all2.map((u) => u.groups), [
    [
      { id: 'a', name: 'menu', attributes: { id: 'a', name: 'menu' } },
      { id: 'b', name: undefined, attributes: { id: 'b' } },
    ],
    [],
  ]);
});

test('file context: 1.2 file attributes; 2.x srcLang/trgLang from the root; index across files', async () => {
  const xml12 = `<xliff version="1.2" xmlns="${NS12}"><file original="a.txt" source-language="en-US" target-language="fr-FR" datatype="plaintext" tool-id="t"><body>${TU()}</body></file><file original="b.html" source-language="en" datatype="html"><body>${TU()}</body></file></xliff>`;
  const [a, b] = await units(xml12);
  assert.deepEqual(a!.file, {
    index: 0,
    id: undefined,
    original: 'a.txt',
    sourceLanguage: 'en-US',
    targetLanguage: 'fr-FR',
    datatype: 'plaintext',
    attributes: { original: 'a.txt', 'source-language': 'en-US', 'target-language': 'fr-FR', datatype: 'plaintext', 'tool-id': 't' },
  });
  assert.deepEqual([b!.file.index, b!.file.original, b!.file.sourceLanguage, b!.file.targetLanguage, b!.file.datatype], [1, 'b.html', 'en', undefined, 'html']);
  assert.deepEqual([a!.index, b!.index], [0, 1]);
  const xml2 = `<xliff version="2.0" xmlns="${NS20}" srcLang="en" trgLang="de"><file id="f1" original="x.json">${U2()}</file><file id="f2">${U2()}${U2()}</file></xliff>`;
  const all2 = await units(xml2);
  assert.deepEqual(all2[0]!.file, { index: 0, id: 'f1', original: 'x.json', sourceLanguage: 'en', targetLanguage: 'de', datatype: undefined, attributes: { id: 'f1', original: 'x.json' } });
  assert.deepEqual(all2.map((u) => [u.index, u.file.index, u.file.id]), [[0, 0, 'f1'], [1, 1, 'f2'], [2, 1, 'f2']]);
});

test('id as written, undefined when missing; attributes as written (entities decoded); raw exact', async () => {
  const first = '<trans-unit id="a&amp;b" resname="k" my:flag="yes">\r\n  <source>s</source>\n</trans-unit>';
  const second = '<trans-unit><source>t</source></trans-unit>';
  const third = '<trans-unit id="z"/>';
  const xml = `<xliff version="1.2" xmlns="${NS12}" xmlns:my="urn:my"><file original="f" source-language="en" datatype="plaintext"><body>${first}${second}\n${third}</body></file></xliff>`;
  const all = await units(xml);
  assert.deepEqual(all.map((u) => [u.id, u.index]), [['a&b', 0], [undefined, 1], ['z', 2]]);
  assert.deepEqual(all[0]!.attributes, { id: 'a&b', resname: 'k', 'my:flag': 'yes' });
  assert.deepEqual(all[1]!.attributes, {});
  assert.deepEqual(all.map((u) => u.raw), [first, second, third]);
  assert.equal(all[2]!.source.text, '');
  assert.equal(all[2]!.target, undefined);
  assert.equal(all[2]!.segments.length, 1);
  const secondAt = xml.indexOf(second);
  assert.deepEqual(all[1]!.location, { line: 3, column: secondAt - xml.lastIndexOf('\n', secondAt), offset: secondAt, length: second.length });
});

test('location counts bytes and lines of the input', async () => {
  const head = `<xliff version="1.2" xmlns="${NS12}">\n<file original="é" source-language="en" datatype="plaintext"><body>\n  `;
  const tu = '<trans-unit id="1"><source>ü</source></trans-unit>';
  const unit = await one(`${head}${tu}</body></file></xliff>`);
  assert.deepEqual(unit.location, { line: 3, column: 3, offset: Buffer.byteLength(head), length: Buffer.byteLength(tu) });
});

const VERSIONS: { name: string; root: string; unit: 'trans-unit' | 'unit'; expect: string }[] = [
  { name: '1.2 namespace', root: `<xliff version="1.2" xmlns="${NS12}">`, unit: 'trans-unit', expect: '1.2' },
  { name: '1.1 namespace', root: `<xliff version="1.1" xmlns="${NS10}">`, unit: 'trans-unit', expect: '1.1' },
  { name: 'no namespace, 1.0', root: '<xliff version="1.0">', unit: 'trans-unit', expect: '1.0' },
  { name: 'no namespace, 1.2', root: '<xliff version="1.2">', unit: 'trans-unit', expect: '1.2' },
  { name: '2.0', root: `<xliff version="2.0" xmlns="${NS20}" srcLang="en">`, unit: 'unit', expect: '2.0' },
  { name: '2.1 in the 2.0 namespace', root: `<xliff version="2.1" xmlns="${NS20}" srcLang="en">`, unit: 'unit', expect: '2.1' },
  { name: 'no namespace, 2.0', root: '<xliff version="2.0" srcLang="en">', unit: 'unit', expect: '2.0' },
  { name: '2.2', root: `<xliff version="2.2" xmlns="${NS22}" srcLang="en">`, unit: 'unit', expect: '2.2' },
];

for (const c of VERSIONS) {
  test(`version: ${c.name}`, async () => {
    const inner = c.unit === 'unit' ? '<unit id="1"><segment><source>s</source></segment></unit>' : '<body><trans-unit id="1"><source>s</source></trans-unit></body>';
    const unit = await one(`${c.root}<file id="f" original="o" source-language="en" datatype="plaintext">${inner}</file></xliff>`);
    assert.equal(unit.version, c.expect);
    assert.equal(unit.source.text, 's');
  });
}

interface NamespaceCase {
  readonly name: string;
  readonly xml: string;
  /** ids of the units read, and their source text. */
  readonly expect: [string | undefined, string][];
}

const NAMESPACES: NamespaceCase[] = [
  {
    name: 'prefixed XLIFF 1.2 elements throughout',
    xml: `<x:xliff xmlns:x="${NS12}" version="1.2"><x:file original="f" source-language="en" datatype="plaintext"><x:body><x:trans-unit id="1"><x:source>a<x:g id="1">b</x:g><x:ph id="2">c</x:ph></x:source></x:trans-unit></x:body></x:file></x:xliff>`,
    expect: [['1', 'ab']],
  },
  {
    name: 'an x:trans-unit bound to XLIFF 1.2 inside a default-namespace document',
    xml: doc12(`<x:trans-unit xmlns:x="${NS12}" id="1"><x:source>p</x:source></x:trans-unit><trans-unit id="2"><source>q</source></trans-unit>`),
    expect: [['1', 'p'], ['2', 'q']],
  },
  {
    name: 'a trans-unit of another namespace is not a unit',
    xml: doc12('<my:trans-unit xmlns:my="urn:my" id="n"><source>no</source></my:trans-unit><trans-unit id="y"><source>yes</source></trans-unit>'),
    expect: [['y', 'yes']],
  },
  {
    name: 'an un-namespaced trans-unit in a namespaced document is not a unit',
    xml: doc12('<trans-unit xmlns="" id="n"><source>no</source></trans-unit><trans-unit id="y"><source>yes</source></trans-unit>'),
    expect: [['y', 'yes']],
  },
  {
    name: 'a body in another default namespace hides its trans-units',
    xml: `<xliff version="1.2" xmlns="${NS12}"><file original="f" source-language="en" datatype="plaintext"><body xmlns="urn:other"><trans-unit id="n"><source>no</source></trans-unit></body></file></xliff>`,
    expect: [],
  },
  {
    name: 'no namespace on the root: un-namespaced elements are XLIFF',
    xml: '<xliff version="1.2"><file original="f" source-language="en" datatype="plaintext"><body><trans-unit id="1"><source>a<g id="1">b</g><ph id="2">c</ph></source></trans-unit></body></file></xliff>',
    expect: [['1', 'ab']],
  },
  {
    name: 'a source of another namespace is not the unit\'s source',
    xml: doc12('<trans-unit id="1"><my:source xmlns:my="urn:my">decoy</my:source><source>real</source></trans-unit>'),
    expect: [['1', 'real']],
  },
  {
    name: '2.x: a unit of another namespace is not a unit; prefixed 2.x elements are',
    xml: `<xliff version="2.0" xmlns="${NS20}" xmlns:my="urn:my" xmlns:x="${NS20}" srcLang="en"><file id="f"><my:unit id="n"><segment><source>no</source></segment></my:unit><x:unit id="y"><x:segment><x:source>yes<x:ph id="1"/></x:source></x:segment></x:unit></file></xliff>`,
    expect: [['y', 'yes']],
  },
  {
    name: '2.2 namespace',
    xml: `<xliff version="2.2" xmlns="${NS22}" srcLang="en"><file id="f"><unit id="1"><segment><source>a<pc id="1">b</pc></source></segment></unit></file></xliff>`,
    expect: [['1', 'ab']],
  },
];

for (const c of NAMESPACES) {
  test(`namespaces: ${c.name}`, async () => {
    assert.deepEqual((await units(c.xml)).map((u) => [u.id, u.source.text]), c.expect);
  });
}

test('namespaces: prefixed inline elements are known by their namespace', async () => {
  const unit = await one(`<x:xliff xmlns:x="${NS12}" version="1.2"><x:file original="f" source-language="en" datatype="plaintext"><x:body><x:trans-unit id="1"><x:source>a<x:g id="1">b</x:g><x:ph id="2">c</x:ph></x:source></x:trans-unit></x:body></x:file></x:xliff>`);
  assert.deepEqual(unit.source.parts, [T('a'), S('g', '<x:g id="1">', { id: '1' }), T('b'), E('g', '</x:g>', { id: '1' }), C('ph', '<x:ph id="2">c</x:ph>', 'c', { id: '2' })]);
});

// --- Real files of the corpus: expectations read from the files themselves. ---

function corpusText(path: string): string {
  return readFileSync(join(CORPUS_DIR, path), 'utf8');
}

async function corpusUnits(path: string): Promise<Unit[]> {
  const out: Unit[] = [];
  for await (const unit of readUnits(join(CORPUS_DIR, path))) out.push(unit);
  return out;
}

const SPEC12 = 'xliff12-spec-samples/Sample_AlmostEverything_1.2_strict.xlf';

test('corpus: 1.2 spec sample, the unit with every inline element (g, bpt+sub, ept, ph, it, mrk, x, bx, ex)', async () => {
  const file = corpusText(SPEC12);
  const all = await corpusUnits(SPEC12);
  const unit = all[0]!;
  assert.equal(unit.id, '_1_ski_041');
  assert.equal(unit.version, '1.2');
  // The file has CRLF line ends: xml keeps them, text has LF.
  const sourceOpen = '<source xml:lang="en-us">';
  const from = file.indexOf(sourceOpen) + sourceOpen.length;
  assert.equal(unit.source.xml, file.slice(from, file.indexOf('</source>', from)));
  assert.ok(unit.source.xml.includes('\r\n'));
  assert.equal(unit.source.text, 'Text textTEXTTextTEXTTEXTTEXTTEXTtext\n               TEXTTEXTTEXT.');
  assert.equal(unit.target?.text, 'Text textTEXTTEXTTEXTTEXTTEXTtext\n               TEXTTEXTTEXT.');
  assert.deepEqual(
    unit.source.parts.map((p) => (p.type === 'text' ? 'text' : `${p.type}:${p.name}`)),
    ['text', 'start:g', 'text', 'end:g', 'text', 'code:bpt', 'start:sub', 'text', 'end:sub', 'text', 'code:ept', 'text', 'code:ph', 'text', 'code:it', 'text', 'start:mrk', 'text', 'end:mrk', 'text', 'code:x', 'text', 'code:bx', 'text', 'code:ex', 'text'],
  );
  const codes = unit.source.parts.filter((p) => p.type === 'code');
  assert.deepEqual(
    codes.map((p) => [p.name, p.id, p.code]),
    [
      ['bpt', '_1_ski_139', 'code\n               '],
      ['ept', '_1_ski_238', 'code'],
      ['ph', '_1_ski_337', ''],
      ['it', '_1_ski_436', 'code'],
      ['x', '_1_ski_535', ''],
      ['bx', '_1_ski_634', ''],
      ['ex', '_1_ski_733', ''],
    ],
  );
  assert.equal(codes[0]!.xml, '<bpt id="_1_ski_139">code<sub>Text</sub>\r\n               </bpt>');
  assert.equal(unit.state, 'needs-translation');
  assert.equal(unit.approved, true);
  assert.equal(unit.translate, true);
  assert.deepEqual(unit.groups, []);
  assert.deepEqual([unit.file.index, unit.file.original, unit.file.sourceLanguage, unit.file.targetLanguage, unit.file.datatype], [0, 'String', 'en-us', 'en-us', 'plaintext']);
  // Two notes of its own; the four in its alt-trans are not the unit's.
  assert.deepEqual(unit.notes.map((n) => [n.text, n.from, n.priority, n.attributes['xml:lang']]), [
    ['String', 'String', 1, 'en-us'],
    ['String', 'String', 1, 'en-us'],
  ]);
  const rawStart = file.indexOf('<trans-unit id="_1_ski_041"');
  const rawEnd = file.indexOf('</trans-unit>', rawStart) + '</trans-unit>'.length;
  assert.equal(unit.raw, file.slice(rawStart, rawEnd));
});

test('corpus: 1.2 spec sample, protected mrk, seg-source, alt-trans, empty target', async () => {
  const all = await corpusUnits(SPEC12);
  const byId = new Map(all.map((u) => [u.id, u]));
  const protectedMrk = byId.get('_1_ski_2203')!;
  const i = '\n               ';
  assert.equal(protectedMrk.source.text, `${i}XLIFF${i}stands for${i}XML Localisation Interchange File Format${i}.\n            `);
  assert.equal(protectedMrk.source.parts.filter((p) => p.type === 'start').length, 2);

  const segmented = byId.get('_1_ski_355')!;
  assert.deepEqual(segmented.groups.map((g) => [g.id, g.name]), [['_1_ski_356', 'String']]);
  assert.equal(segmented.source.text, 'First  sentence.Second sentence.');
  assert.deepEqual(segmented.segments.map((s) => [s.id, s.source.text, s.target]), [['1', 'First sentence.', undefined], ['2', 'Second  sentence.', undefined]]);
  assert.equal(segmented.target, undefined, 'the alt-trans target is not the unit\'s');

  const altSegmented = byId.get('_1_ski_392')!;
  assert.deepEqual(altSegmented.segments.map((s) => [s.id, s.source.text, s.target]), [[undefined, 'First sentence.  Second sentence.', undefined]]);
  assert.equal(altSegmented.target, undefined);

  const paired = byId.get('_1_ski_410')!;
  assert.deepEqual(paired.segments.map((s) => [s.id, s.source.text, s.target?.text]), [
    ['1', 'First sentence.', 'Translated first sentence.'],
    ['2', 'Second  sentence.', 'Translated second  sentence.'],
  ]);
  const j = '\n                  ';
  assert.equal(paired.target?.text, `${j}Translated first sentence.${j}Translated second  sentence.\n               `);

  const emptyTarget = byId.get('_1_ski_383')!;
  assert.deepEqual([emptyTarget.target?.text, emptyTarget.target?.xml, emptyTarget.target?.attributes], ['', '', { 'equiv-trans': 'no' }]);
  assert.deepEqual(all.map((u) => u.groups.length > 0 ? u.groups[0]!.id : undefined).filter((g) => g !== undefined).length > 0, true);
});

test('corpus: SDL XLIFF, seg-source mrk segments inside g', async () => {
  const path = 'okapi-sdlxliff/TeacherXpress15981.sdlxliff';
  const file = corpusText(path);
  const all = await corpusUnits(path);
  assert.equal(all.length, (file.match(/<trans-unit[\s>]/g) ?? []).length);
  // Line 39 of the file: <seg-source><g id="39" ...><mrk mtype="seg" mid="5">Set my Homepage</mrk></g><x id="40" /></seg-source>
  // and <target><g id="39" ...><mrk mtype="seg" mid="5" /></g><x id="40" /></target>.
  const unit = all.find((u) => u.id === 'b0723037-fdfa-4715-991f-17c3a7b0a511')!;
  assert.equal(unit.source.text, 'Set my Homepage');
  assert.deepEqual(unit.segments.map((s) => [s.id, s.source.text, s.target?.text, s.target?.xml]), [['5', 'Set my Homepage', '', '']]);
  assert.deepEqual(unit.groups.length, 1);
  // A seg-source with no seg mrk (line 32): one segment, the whole unit.
  const unsegmented = all.find((u) => u.id === '6b093d68-c2da-47f3-bd16-8c59b52604d6')!;
  assert.deepEqual(unsegmented.segments.map((s) => [s.id, s.source.xml]), [[undefined, '<g id="22"><x id="25" xid="59aeadfc-7da1-47b5-bdf3-ca1a55370769" /></g>']]);
  // Every segmented unit of the file has as many segments as its seg-source has seg mrk.
  for (const u of all) {
    const segSource = /<seg-source>([\s\S]*?)<\/seg-source>/.exec(u.raw)?.[1];
    const marks = segSource === undefined ? 0 : (segSource.match(/<mrk mtype="seg"/g) ?? []).length;
    assert.equal(u.segments.length, Math.max(1, marks), `unit ${u.id}`);
    if (marks > 0) assert.ok(u.segments.every((s) => s.id !== undefined), `unit ${u.id}`);
  }
});

test('corpus: 2.2 allExtensions.xlf, every 2.x inline element', async () => {
  const all = await corpusUnits('oasis-xliff22-ts/allExtensions.xlf');
  assert.deepEqual(all.map((u) => u.id), ['1', '2', '3']);
  const [first, second, third] = all as [Unit, Unit, Unit];
  assert.equal(first.version, '2.2');
  assert.deepEqual([first.file.id, first.file.sourceLanguage, first.file.targetLanguage], ['f1', 'en', 'fr']);
  assert.deepEqual(first.groups.map((g) => g.id), ['g123']);
  assert.equal(first.source.text, '\n\t  \n\t  text\n\t  \n\t   \n\t    text\n\t\t\u0001\n\t   \n\t  \n\t  text\n\t ');
  assert.deepEqual(
    first.source.parts.filter((p) => p.type !== 'text').map((p) => `${p.type}:${p.name}`),
    ['code:ph', 'start:pc', 'end:pc', 'code:sc', 'code:sm', 'code:cp', 'code:ec', 'code:em', 'start:mrk', 'end:mrk'],
  );
  const cp = first.source.parts.find((p) => p.type === 'code' && p.name === 'cp');
  assert.deepEqual(cp, { type: 'code', name: 'cp', id: undefined, attributes: { hex: '0001' }, code: '\u0001', xml: '<cp hex="0001"/>' });
  const sm = first.source.parts.find((p) => p.type === 'code' && p.name === 'sm');
  assert.deepEqual(sm, { type: 'code', name: 'sm', id: 'm1', attributes: { id: 'm1', translate: 'yes', 'my:attr': 'val' }, code: '', xml: '<sm id="m1" translate="yes" my:attr="val"/>' });
  // Only the unit's own note: not the file's, not the group's.
  assert.deepEqual(first.notes.map((n) => [n.id, n.text]), [['n1', 'note-unit']]);
  assert.equal(first.target, undefined);
  assert.equal(first.state, 'initial');

  assert.equal(second.source.text, 'text');
  assert.equal(second.target?.text, 'texte');
  assert.equal(second.target?.xml, "texte<ec id='1' isolated='yes' fs:fs='b'/><ph id='trgOnly'/>");
  assert.deepEqual(second.target?.parts, [
    T('texte'),
    C('ec', "<ec id='1' isolated='yes' fs:fs='b'/>", '', { id: '1', isolated: 'yes', 'fs:fs': 'b' }),
    C('ph', "<ph id='trgOnly'/>", '', { id: 'trgOnly' }),
  ]);
  assert.deepEqual(second.notes.map((n) => n.text), ['note']);
  assert.deepEqual(third.segments.map((s) => [s.kind, s.id, s.source.text]), [['segment', '1', 'Choose a store option in the online store.']]);
});

test('corpus: 2.2 withCDataSections.xlf, CDATA in segments and ignorables', async () => {
  const [unit] = await corpusUnits('oasis-xliff22-ts/withCDataSections.xlf');
  assert.equal(unit!.source.text, 'source & and < etc.  & and < etc.');
  assert.equal(unit!.target?.text, 'target & and < etc.  & and < etc.');
  assert.equal(unit!.source.xml, 'source<![CDATA[ & and < etc.]]> <![CDATA[ & and < etc.]]>');
  assert.deepEqual(unit!.segments.map((s) => s.kind), ['segment', 'ignorable']);
});

test('corpus: 2.2 toSegmentAndOrder.xlf, target order', async () => {
  const [unit] = await corpusUnits('oasis-xliff22-ts/toSegmentAndOrder.xlf');
  assert.equal(unit!.source.text, 'Sentence 1-t7. Sentence 2-t8. Sentence 3-t1. Sentence 4-t2. Sentence 5-t5. Sentence 6-t6. Sentence 7-t3. Sentence 8-t4.');
  // Positions: s2 (order 1), the first ignorable (2, empty target), s4 (order 3), s3 (4, no target),
  // the second ignorable (5, no target: its source), s1 (order 6).
  assert.equal(unit!.target?.text, 'Phrase 3-t1. Phrase 4-t2. Phrase 7-t3. Phrase 8-t4.  Phrase 1-t7. Phrase 2-t8.');
  assert.deepEqual(unit!.segments.map((s) => [s.kind, s.id]), [
    ['segment', 's1'],
    ['ignorable', undefined],
    ['segment', 's2'],
    ['segment', 's3'],
    ['ignorable', undefined],
    ['segment', 's4'],
  ]);
});
