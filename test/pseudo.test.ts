import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { UNACCENTS, pseudoParts, pseudoText, pseudoUpdate, type PseudoMode } from '../src/pseudo.js';
import type { Part } from '../src/index.js';
import { collect, enc, xliff12 } from './helpers/read.js';

const unaccent = (text: string): string => [...text].map((c) => UNACCENTS.get(c) ?? c).join('');

test('pseudoText: letters accented, placeholders and ICU syntax kept', () => {
  const cases: Array<[string, string]> = [
    ['Save', '[Šáṽé]'],
    ['  Hello world \n', '  [Ĥéļļö ŵöŕļð] \n'],
    ['Delete {0} files?', '[Ðéļéţé {0} ƒîļéš?]'],
    ['Hi {name}, {{ user.name }} has %d new %1$s %(count)s %{total} ${place} %@', '[Ĥî {name}, {{ user.name }} ĥáš %d ñéŵ %1$s %(count)s %{total} ${place} %@]'],
    ['{count, plural, =0 {No file} one {# file} other {# files}}', '[{count, plural, =0 {Ñö ƒîļé} one {# ƒîļé} other {# ƒîļéš}}]'],
    ['{gender, select, male {He} other {They}} wrote {n, number, integer} on {d, date, short}', '[{gender, select, male {Ĥé} other {Ţĥéý}} ŵŕöţé {n, number, integer} öñ {d, date, short}]'],
    ['Press <b>OK</b> &amp; go\\n', '[Þŕéšš <b>ÖĶ</b> &amp; ĝö\\n]'],
    ['{0,-10:N2} and { not an argument', '[{0,-10:N2} áñð { ñöţ áñ árĝûɱéñţ]'.replace('r', 'ŕ')],
    ['50% off', '[50% öƒƒ]'],
    ['   ', '   '],
    ['', ''],
  ];
  for (const [input, expected] of cases) assert.equal(pseudoText(input), expected, input);
});

test('pseudoText: modes alone and together', () => {
  assert.equal(pseudoText('Open file', ['accents']), 'Öþéñ ƒîļé');
  assert.equal(pseudoText('Open file', ['brackets']), '[Open file]');
  assert.equal(pseudoText('Open file', ['expand']), 'Open file~~~');
  assert.equal(pseudoText(' Open file ', ['accents', 'brackets', 'expand']), ' [Öþéñ ƒîļé~~~~] '); // 30% of 11 characters
  assert.equal(pseudoText('OK', ['expand']), 'OK~~');
});

test('pseudoText: accents are reversible outside placeholders; expand adds at least 30%', () => {
  const word = fc.stringMatching(/^[A-Za-z0-9 .,!?'-]{0,40}$/);
  fc.assert(
    fc.property(word, (text) => {
      const modes: PseudoMode[] = ['accents', 'brackets', 'expand'];
      const out = pseudoText(text, modes);
      if (text.trim() === '') return assert.equal(out, text);
      assert.doesNotMatch(out, /[A-Za-z]/);
      const start = text.length - text.trimStart().length;
      const end = text.trimEnd().length;
      const padding = Math.max(2, Math.ceil(text.length * 0.3));
      assert.equal(unaccent(out), `${text.slice(0, start)}[${text.slice(start, end)}${'~'.repeat(padding)}]${text.slice(end)}`);
    }),
    { numRuns: 2000 },
  );
});

test('pseudoParts: inline codes and tags kept in order, text around them transformed', () => {
  const g = (type: 'start' | 'end', xml: string): Part => ({ type, name: 'g', id: '1', attributes: { id: '1' }, xml });
  const x: Part = { type: 'code', name: 'x', id: '2', attributes: { id: '2' }, code: '', xml: '<x id="2"/>' };
  const parts: Part[] = [{ type: 'text', text: 'Click ' }, g('start', '<g id="1">'), { type: 'text', text: 'here' }, g('end', '</g>'), x, { type: 'text', text: ' now' }];
  const out = pseudoParts(parts);
  assert.deepEqual(
    out.map((p) => (p.type === 'text' ? p.text : p)),
    ['[Çļîçķ ', parts[1], 'ĥéŕé', parts[3], parts[4], ' ñöŵ]'],
  );
  // Only codes: copied as they are.
  assert.deepEqual(pseudoParts([x]), [x]);
  assert.deepEqual(pseudoParts([{ type: 'text', text: ' ' }, x]), [{ type: 'text', text: ' ' }, x]);
});

test('pseudoUpdate: one target per segment for a 2.x unit of several segments; unit target otherwise', async () => {
  const doc2 = `<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="en" trgLang="fr"><file id="f"><unit id="u">
<segment id="s1"><source>One.</source></segment><ignorable><source> </source></ignorable><segment id="s2"><source>Two <ph id="1"/>.</source><target>Old</target></segment>
</unit></file></xliff>`;
  const [unit] = await collect(enc(doc2));
  const update = pseudoUpdate(unit!);
  assert.equal(update.target, undefined);
  assert.deepEqual(
    update.segments!.map((s) => [s.index, s.state, (s.target as { parts: Part[] }).parts.map((p) => (p.type === 'text' ? p.text : p.xml))]),
    [
      [0, 'translated', ['[Öñé.]']],
      [2, 'translated', ['[Ţŵö ', '<ph id="1"/>', '.]']],
    ],
  );
  const [unit12] = await collect(enc(xliff12('<trans-unit id="a"><source>Yes</source></trans-unit>')));
  assert.deepEqual(pseudoUpdate(unit12!, { modes: ['brackets'], state: 'needs-review-translation' }), {
    target: { parts: [{ type: 'text', text: '[Yes]' }] },
    state: 'needs-review-translation',
  });
});
