/**
 * The unit writer: an update edits only the target and state of a unit, every other byte of
 * `raw` stays. Small documents written here, with the exact new raw for each case.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { XliffError } from '../../src/index.js';
import { applyUpdate, type UnitWriteOptions } from '../../src/write/unit-writer.js';
import type { UnitUpdate } from '../../src/write/update.js';
import { doc12, doc2, events, MULTI, NS12, NS20, TU, upper, write } from './documents.js';

interface Case {
  readonly name: string;
  readonly doc: string;
  readonly update: UnitUpdate;
  /** The unit's raw before and after, exactly. */
  readonly before: string;
  readonly after: string;
  readonly options?: UnitWriteOptions;
  /** What reading the new document back gives for the unit's target text (and state). */
  readonly target?: string | undefined;
  readonly state?: string | undefined;
}


function case12(name: string, inner: string, update: UnitUpdate, innerAfter: string, extra: Partial<Case> = {}): Case {
  return { name, doc: doc12(`    ${TU(inner)}`), update, before: TU(inner), after: TU(innerAfter), ...extra };
}

const CASES12: Case[] = [
  case12(
    'replaces the inner XML of a target, keeping its attributes',
    '      <source>Hello</source>\n      <target xml:lang="fr" state="new">Bonjour</target>',
    { target: 'Salut' },
    '      <source>Hello</source>\n      <target xml:lang="fr" state="new">Salut</target>',
    { target: 'Salut', state: 'new' },
  ),
  case12(
    'replaces a target that has inline codes and a comment',
    '      <source>a<x id="1"/>b</source>\n      <target>A<x id="1"/><!-- c -->B</target>',
    { target: { xml: 'Z<x id="1"/>' } },
    '      <source>a<x id="1"/>b</source>\n      <target>Z<x id="1"/></target>',
    { target: 'Z' },
  ),
  case12(
    'opens a self-closing target',
    '      <source>Hello</source>\n      <target xml:lang="fr"/>',
    { target: 'Salut' },
    '      <source>Hello</source>\n      <target xml:lang="fr">Salut</target>',
    { target: 'Salut' },
  ),
  case12(
    'opens a self-closing target with white space before />',
    '      <source>Hello</source>\n      <target xml:lang="fr" />',
    { target: 'Salut', state: 'translated' },
    '      <source>Hello</source>\n      <target xml:lang="fr" state="translated">Salut</target>',
    { target: 'Salut', state: 'translated' },
  ),
  case12(
    'an empty target leaves a self-closing target as it is',
    '      <source>Hello</source>\n      <target/>',
    { target: '' },
    '      <source>Hello</source>\n      <target/>',
    { target: '' },
  ),
  case12(
    'empties a target',
    '      <source>Hello</source>\n      <target>Bonjour</target>',
    { target: '' },
    '      <source>Hello</source>\n      <target></target>',
    { target: '' },
  ),
  case12(
    'inserts a target right after the source, with its indentation',
    '      <source>Hello</source>\n      <note>n</note>',
    { target: 'Salut' },
    '      <source>Hello</source>\n      <target>Salut</target>\n      <note>n</note>',
    { target: 'Salut' },
  ),
  case12(
    'inserts with tab indentation',
    '\t\t<source>Hello</source>',
    { target: 'Salut' },
    '\t\t<source>Hello</source>\n\t\t<target>Salut</target>',
    { target: 'Salut' },
  ),
  case12(
    'inserts on the same line when the source shares its line',
    '      <note>n</note><source>Hello</source><note>m</note>',
    { target: 'Salut' },
    '      <note>n</note><source>Hello</source><target>Salut</target><note>m</note>',
    { target: 'Salut' },
  ),
  case12(
    'inserts an empty target as an empty element, with its state',
    '      <source>Hello</source>',
    { target: '', state: 'needs-translation' },
    '      <source>Hello</source>\n      <target state="needs-translation"/>',
    { target: '', state: 'needs-translation' },
  ),
  case12(
    'inserts after seg-source when there is one',
    '      <source>Hi. Bye.</source>\n      <seg-source><mrk mtype="seg" mid="1">Hi.</mrk> <mrk mtype="seg" mid="2">Bye.</mrk></seg-source>\n      <note>n</note>',
    { target: { xml: '<mrk mtype="seg" mid="1">Salut.</mrk> <mrk mtype="seg" mid="2">Au revoir.</mrk>' } },
    '      <source>Hi. Bye.</source>\n      <seg-source><mrk mtype="seg" mid="1">Hi.</mrk> <mrk mtype="seg" mid="2">Bye.</mrk></seg-source>\n      <target><mrk mtype="seg" mid="1">Salut.</mrk> <mrk mtype="seg" mid="2">Au revoir.</mrk></target>\n      <note>n</note>',
    { target: 'Salut. Au revoir.' },
  ),
  case12(
    'copies xml:space from the source into an inserted target',
    '      <source xml:space="preserve" xml:lang="en">  Hello  </source>',
    { target: '  Salut  ' },
    '      <source xml:space="preserve" xml:lang="en">  Hello  </source>\n      <target xml:space="preserve">  Salut  </target>',
    { target: '  Salut  ' },
  ),
  case12(
    'adds state to a target',
    '      <source>Hello</source>\n      <target>Bonjour</target>',
    { state: 'translated' },
    '      <source>Hello</source>\n      <target state="translated">Bonjour</target>',
    { target: 'Bonjour', state: 'translated' },
  ),
  case12(
    'replaces a state value in place, keeping its quotes and the attribute order',
    "      <source>Hello</source>\n      <target state='new' xml:lang=\"fr\">Bonjour</target>",
    { target: 'Salut', state: "it's" },
    "      <source>Hello</source>\n      <target state='it&apos;s' xml:lang=\"fr\">Salut</target>",
    { target: 'Salut', state: "it's" },
  ),
  case12(
    'escapes a state value',
    '      <source>Hello</source>\n      <target>Bonjour</target>',
    { state: 'x-a"b<c&d>e\tf' },
    '      <source>Hello</source>\n      <target state="x-a&quot;b&lt;c&amp;d&gt;e&#9;f">Bonjour</target>',
    { state: 'x-a"b<c&d>e\tf' },
  ),
  case12(
    'sets state-qualifier on a self-closing target without opening it',
    '      <source>Hello</source>\n      <target state="new"/>',
    { state: 'translated', subState: 'exact-match' },
    '      <source>Hello</source>\n      <target state="translated" state-qualifier="exact-match"/>',
    { target: '', state: 'translated' },
  ),
  case12(
    'replaces state-qualifier and keeps it when only state changes',
    '      <source>Hello</source>\n      <target state-qualifier="exact-match" state="new">Bonjour</target>',
    { subState: 'fuzzy-match' },
    '      <source>Hello</source>\n      <target state-qualifier="fuzzy-match" state="new">Bonjour</target>',
  ),
  case12(
    'ignores a state when there is no target and the update gives none',
    '      <source>Hello</source>',
    { state: 'translated' },
    '      <source>Hello</source>',
  ),
  case12(
    'escapes <, & and > in a text target',
    '      <source>a</source>',
    { target: 'a < b & c > d ]]>' },
    '      <source>a</source>\n      <target>a &lt; b &amp; c &gt; d ]]&gt;</target>',
    { target: 'a < b & c > d ]]>' },
  ),
  case12(
    'writes an { xml } target as given',
    '      <source>Hello <g id="1">world</g></source>',
    { target: { xml: 'Salut <g id="1">le &amp; monde</g><![CDATA[<&>]]>' } },
    '      <source>Hello <g id="1">world</g></source>\n      <target>Salut <g id="1">le &amp; monde</g><![CDATA[<&>]]></target>',
    { target: 'Salut le & monde<&>' },
  ),
  case12(
    'writes a { parts } target: text escaped, codes as written',
    '      <source>Hello <g id="1">world</g><x id="2"/></source>',
    {
      target: {
        parts: [
          { type: 'text', text: 'Salut & ' },
          { type: 'start', name: 'g', id: '1', attributes: { id: '1' }, xml: '<g id="1">' },
          { type: 'text', text: 'monde' },
          { type: 'end', name: 'g', id: '1', attributes: { id: '1' }, xml: '</g>' },
          { type: 'code', name: 'x', id: '2', attributes: { id: '2' }, code: '', xml: '<x id="2"/>' },
        ],
      },
    },
    '      <source>Hello <g id="1">world</g><x id="2"/></source>\n      <target>Salut &amp; <g id="1">monde</g><x id="2"/></target>',
    { target: 'Salut & monde' },
  ),
  case12(
    'replaces with an identical target: raw unchanged',
    '      <source>Hello</source>\n      <target state="new">Bonjour</target>',
    { target: 'Bonjour', state: 'new' },
    '      <source>Hello</source>\n      <target state="new">Bonjour</target>',
  ),
  case12('an empty update changes nothing', '      <source>Hello</source>', {}, '      <source>Hello</source>'),
  case12(
    'writes characters the encoding cannot hold as character references',
    '      <source>café</source>',
    { target: { xml: 'café €→😀 <ph id="1" x="€">€<sub>€</sub></ph><![CDATA[a€b]]>' }, state: 'x-€' },
    '      <source>café</source>\n      <target state="x-&#x20AC;">café &#x20AC;&#x2192;&#x1F600; <ph id="1" x="&#x20AC;">&#x20AC;<sub>&#x20AC;</sub></ph><![CDATA[a]]>&#x20AC;<![CDATA[b]]></target>',
    { options: { canEncode: (cp) => cp < 0x100 }, target: 'café €→😀 €a€b' },
  ),
];

// The cases that do not fit the template of `case12`.
const OTHER_CASES: Case[] = [
  (() => {
    const before = TU('      <source>Hello</source>\r\n      <note>n</note>', '\r\n');
    return {
      name: 'inserts with the unit\'s CRLF line ends',
      doc: doc12(`    ${before}`, '\r\n'),
      update: { target: 'Salut' },
      before,
      after: TU('      <source>Hello</source>\r\n      <target>Salut</target>\r\n      <note>n</note>', '\r\n'),
      target: 'Salut',
    };
  })(),
  {
    name: 'same line: a trans-unit on one line',
    doc: doc12('<trans-unit id="1"><source>Hello</source></trans-unit>'),
    update: { target: 'Salut' },
    before: '<trans-unit id="1"><source>Hello</source></trans-unit>',
    after: '<trans-unit id="1"><source>Hello</source><target>Salut</target></trans-unit>',
    target: 'Salut',
  },
  {
    name: 'prefixed elements: x:target after x:source',
    doc: `<x:xliff xmlns:x="${NS12}" version="1.2">\n <x:file original="a" source-language="en" datatype="plaintext">\n  <x:body>\n   <x:trans-unit id="1">\n    <x:source>Hello</x:source>\n   </x:trans-unit>\n  </x:body>\n </x:file>\n</x:xliff>\n`,
    update: { target: 'Salut', state: 'translated' },
    before: '<x:trans-unit id="1">\n    <x:source>Hello</x:source>\n   </x:trans-unit>',
    after: '<x:trans-unit id="1">\n    <x:source>Hello</x:source>\n    <x:target state="translated">Salut</x:target>\n   </x:trans-unit>',
    target: 'Salut',
    state: 'translated',
  },
  {
    name: 'prefixed source that declares its own prefix: the declaration is copied',
    doc: doc12(`    ${TU(`      <s:source xmlns:s="${NS12}">Hello</s:source>`)}`),
    update: { target: 'Salut' },
    before: TU(`      <s:source xmlns:s="${NS12}">Hello</s:source>`),
    after: TU(`      <s:source xmlns:s="${NS12}">Hello</s:source>\n      <s:target xmlns:s="${NS12}">Salut</s:target>`),
    target: 'Salut',
  },
  {
    name: 'a trans-unit with no namespace at all',
    doc: '<xliff version="1.2"><file original="a" source-language="en" datatype="plaintext"><body>\n<trans-unit id="1">\n<source>Hello</source>\n</trans-unit>\n</body></file></xliff>',
    update: { target: 'Salut' },
    before: '<trans-unit id="1">\n<source>Hello</source>\n</trans-unit>',
    after: '<trans-unit id="1">\n<source>Hello</source>\n<target>Salut</target>\n</trans-unit>',
    target: 'Salut',
  },
];

const SEG1 = `<unit id="u1">\n      <segment>\n        <source>Hello</source>\n      </segment>\n    </unit>`;
const edit = (text: string, ...pairs: [string, string][]): string => pairs.reduce((t, [a, b]) => (assert.ok(t.includes(a), a), t.replace(a, b)), text);

const CASES2: Case[] = [
  {
    name: '2.x: inserts a target after the segment\'s source',
    doc: doc2(`    ${SEG1}`),
    update: { target: 'Salut' },
    before: SEG1,
    after: edit(SEG1, ['<source>Hello</source>', '<source>Hello</source>\n        <target>Salut</target>']),
    target: 'Salut',
  },
  {
    name: '2.x: state and subState go on the segment',
    doc: doc2(`    ${SEG1}`),
    update: { target: 'Salut', state: 'translated', subState: 'my:mt' },
    before: SEG1,
    after: edit(SEG1, ['<segment>', '<segment state="translated" subState="my:mt">'], ['<source>Hello</source>', '<source>Hello</source>\n        <target>Salut</target>']),
    target: 'Salut',
    state: 'translated',
  },
  {
    name: '2.x: per-segment targets by index, an ignorable included',
    doc: doc2(`    ${MULTI}`),
    update: { segments: [{ index: 0, target: 'Salut.', state: 'translated' }, { index: 1, target: ' ' }, { index: 2, target: 'Au revoir.' }] },
    before: MULTI,
    after: edit(
      MULTI,
      ['<segment id="s1" state="initial">', '<segment id="s1" state="translated">'],
      ['<source>Hello.</source>', '<source>Hello.</source>\n        <target>Salut.</target>'],
      ['<source> </source>', '<source> </source>\n        <target> </target>'],
      ['<target>Old.</target>', '<target>Au revoir.</target>'],
    ),
    target: 'Salut. Au revoir.',
    state: 'initial',
  },
  {
    name: '2.x: a segment state alone replaces state and drops the old subState',
    doc: doc2(`    ${MULTI}`),
    update: { segments: [{ index: 2, state: 'final' }] },
    before: MULTI,
    after: edit(MULTI, ['<segment id="s2" state="translated" subState="my:x">', '<segment id="s2" state="final">']),
    target: ' Old.',
    state: 'initial',
  },
  {
    name: '2.x: a unit state applies to the segments listed in segments',
    doc: doc2(`    ${MULTI}`),
    update: { state: 'translated', subState: 'my:y', segments: [{ index: 3, target: 'Fin.' }, { index: 1, target: '' }] },
    before: MULTI,
    after: edit(
      MULTI,
      ['<source> </source>', '<source> </source>\n        <target/>'],
      ['<segment id="s3">', '<segment id="s3" state="translated" subState="my:y">'],
      ['<source>End.</source>', '<source>End.</source>\n        <target>Fin.</target>'],
    ),
    target: 'Old.Fin.',
  },
  {
    name: '2.x: a segment on one line with a prefixed source',
    doc: `<xliff version="2.0" xmlns:x="${NS20}" xmlns="${NS20}" srcLang="en"><file id="f"><unit id="u"><segment><x:source>Hi</x:source></segment></unit></file></xliff>`,
    update: { target: 'Salut' },
    before: '<unit id="u"><segment><x:source>Hi</x:source></segment></unit>',
    after: '<unit id="u"><segment><x:source>Hi</x:source><x:target>Salut</x:target></segment></unit>',
    target: 'Salut',
  },
  {
    name: '2.x: { parts } copied from the source keep the inline codes',
    doc: doc2('    <unit id="u1">\n      <segment>\n        <source>Press <pc id="1">Save</pc> &amp; <ph id="2"/>.</source>\n      </segment>\n    </unit>'),
    update: { target: 'placeholder' }, // replaced in the test: parts of the source, text upper-cased
    before: '<unit id="u1">\n      <segment>\n        <source>Press <pc id="1">Save</pc> &amp; <ph id="2"/>.</source>\n      </segment>\n    </unit>',
    after: '<unit id="u1">\n      <segment>\n        <source>Press <pc id="1">Save</pc> &amp; <ph id="2"/>.</source>\n        <target>PRESS <pc id="1">SAVE</pc> &amp; <ph id="2"/>.</target>\n      </segment>\n    </unit>',
    target: 'PRESS SAVE & .',
  },
];

for (const c of [...CASES12, ...OTHER_CASES, ...CASES2]) {
  test(c.name, async () => {
    let update = c.update;
    if (c.name.includes('{ parts } copied')) {
      const [first] = (await events(c.doc)).filter((p) => p.kind === 'unit');
      update = { target: { parts: upper(first!.unit.segments[0]!.source.parts) } };
    }
    const { raw, before, after } = await write(c.doc, update, c.options);
    assert.equal(before.raw, c.before);
    assert.equal(raw, c.after);
    if (c.target !== undefined) assert.equal(after.target?.text, c.target);
    if (c.state !== undefined) assert.equal(after.state, c.state);
  });
}

test('a 1.2 trans-unit without source: the target goes right after the start tag', async () => {
  const doc = doc12('<trans-unit id="1">\n<note>n</note></trans-unit>');
  const { raw } = await write(doc, { target: 'x' });
  assert.equal(raw, '<trans-unit id="1"><target>x</target>\n<note>n</note></trans-unit>');
});

test('2.x: a segment without source gets its target right after its start tag', async () => {
  const doc = doc2('<unit id="u"><segment state="initial"></segment></unit>');
  const { raw } = await write(doc, { target: 'x', state: 'translated' });
  assert.equal(raw, '<unit id="u"><segment state="translated"><target>x</target></segment></unit>');
});

test('an update that changes nothing gives back unit.raw', async () => {
  for (const [doc, update] of [
    [doc12(`    ${TU('      <source>Hello</source>\n      <target state="new">Bonjour</target>')}`), { target: { xml: 'Bonjour' }, state: 'new' }],
    [doc12(`    ${TU('      <source>Hello</source>')}`), {}],
    [doc2(`    ${MULTI}`), { segments: [] }],
    [doc2(`    ${MULTI}`), { segments: [{ index: 2, target: 'Old.', state: 'translated', subState: 'my:x' }] }],
  ] as const) {
    const { raw, before } = await write(doc, update);
    assert.equal(raw, before.raw);
  }
});

test('a character with no spelling in the encoding fails the unit with XLIFF_BAD_UPDATE', async () => {
  const doc = doc12(`    ${TU('      <source>Hello</source>')}`);
  const [first] = (await events(doc)).filter((p) => p.kind === 'unit');
  assert.throws(
    () => applyUpdate(first!.unit, first!.layout, { target: { xml: '<!-- € -->' } }, { canEncode: (cp) => cp < 0x100, fileName: 'a.xlf' }),
    (e: unknown) => e instanceof XliffError && e.code === 'XLIFF_BAD_UPDATE' && e.unitId === '1' && e.message === 'a.xlf:5:5: the update of unit "1": U+20AC in a comment cannot be written in the output encoding',
  );
});

test('2.x: a unit target needs a segment', async () => {
  const [u] = (await events(doc2('<unit id="u"><ignorable><source> </source></ignorable></unit>'))).filter((p) => p.kind === 'unit');
  assert.throws(() => applyUpdate(u!.unit, u!.layout, { target: 'x' }), (e: unknown) => e instanceof XliffError && e.code === 'XLIFF_BAD_UPDATE' && /no segment to hold the target/.test(e.message));
});
