/**
 * validateUpdate: an update of the wrong shape, with characters XML cannot hold or with XML
 * that is not well-formed fails with XLIFF_BAD_UPDATE, naming the unit and what is wrong.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { XliffError } from '../../src/index.js';
import { applyUpdate } from '../../src/write/unit-writer.js';
import { validateUpdate } from '../../src/write/update-check.js';
import type { UnitUpdate } from '../../src/write/update.js';
import { doc12, doc2, events, MULTI, TU, type Piece } from './documents.js';

test('updates of the wrong shape: XLIFF_BAD_UPDATE naming the unit and what is wrong', async () => {
  const [u12] = (await events(doc12(`    ${TU('      <source>Hello</source>')}`))).filter((p) => p.kind === 'unit');
  const [u2] = (await events(doc2(`    ${MULTI}`))).filter((p) => p.kind === 'unit');
  const [noId] = (await events(doc12('<trans-unit><source>a</source></trans-unit>'))).filter((p) => p.kind === 'unit');
  const cases: [Piece & { kind: 'unit' }, unknown, RegExp][] = [
    [u12!, null, /unit "1": expected an object or undefined, got null/],
    [u12!, 42, /expected an object or undefined, got number 42/],
    [u12!, 'Salut', /expected an object or undefined, got "Salut"/],
    [u12!, ['Salut'], /got an array/],
    [u12!, { target: 5 }, /target: expected a string, \{ xml: string \} or \{ parts: Part\[\] \}, got number 5/],
    [u12!, { target: null }, /target: expected .* got null/],
    [u12!, { target: {} }, /target: .*neither xml nor parts/],
    [u12!, { target: { xml: 'a', parts: [] } }, /target: .*both xml and parts/],
    [u12!, { target: { xml: 1 } }, /target\.xml: expected a string, got number 1/],
    [u12!, { target: { parts: 'a' } }, /target\.parts: expected an array of parts/],
    [u12!, { target: { parts: [{ type: 'bold', xml: '' }] } }, /target\.parts\[0\]\.type: expected 'text', 'start', 'end' or 'code', got "bold"/],
    [u12!, { target: { parts: [{ type: 'text' }] } }, /target\.parts\[0\]\.text: expected a string, got undefined/],
    [u12!, { target: { parts: [{ type: 'text', text: '' }, { type: 'code', code: '' }] } }, /target\.parts\[1\]\.xml: expected a string/],
    [u12!, { target: 'a\u0001b' }, /target: U\+0001 at 1 cannot be written in XML/],
    [u12!, { target: 'a\uD800' }, /target: U\+D800 at 1 cannot be written in XML/],
    [u12!, { state: 3 }, /state: expected a non-empty string, got number 3/],
    [u12!, { state: '' }, /state: expected a non-empty string/],
    [u12!, { subState: true }, /subState: expected a non-empty string, got boolean true/],
    [u12!, { text: 'Salut' }, /text: unknown key \(expected target, state, subState, segments\)/],
    [u12!, { segments: [{ index: 1, target: 'x' }] }, /segments\[0\]\.index: expected an integer from 0 to 0 \(the unit has 1 segment\), got number 1/],
    [u12!, { segments: [{ id: 'x', target: 'x' }] }, /segments\[0\]\.id: the unit has no segment with id "x"/],
    [u2!, { segments: 'x' }, /unit "u1": segments: expected an array/],
    [u2!, { segments: [{ index: 4 }] }, /segments\[0\]\.index: expected an integer from 0 to 3 .* got number 4/],
    [u2!, { segments: [{ index: -1 }] }, /segments\[0\]\.index: .* got number -1/],
    [u2!, { segments: [{ index: 1.5 }] }, /segments\[0\]\.index: .* got number 1\.5/],
    [u2!, { segments: [{ target: 'x' }] }, /segments\[0\]: give the segment's `index` \(in unit.segments\) or its `id`/],
    [u2!, { segments: [{ index: 0 }, { index: 0 }] }, /segments\[1\]: segment 0 is updated twice/],
    [u2!, { segments: [{ index: 0 }, { id: 's1' }] }, /segments\[1\]: segment 0 is updated twice/],
    [u2!, { segments: [{ index: 2, id: 's1' }] }, /segments\[0\]: index 2 and id "s1" name two segments \(id "s1" is segment 0\)/],
    [u2!, { segments: [{ id: 3 }] }, /segments\[0\]\.id: expected a string, got number 3/],
    [u2!, { target: 'x' }, /unit "u1": the unit has 3 segments, and one `target` for all of them would lose them: give `segments`/],
    [u2!, { segments: [null] }, /segments\[0\]: expected an object, got null/],
    [u2!, { segments: [{ index: 0, targte: 'x' }] }, /segments\[0\]\.targte: unknown key/],
    [u2!, { segments: [{ index: 0, target: 7 }] }, /segments\[0\]\.target: expected a string/],
    [u2!, { segments: [{ index: 1, state: 'final' }] }, /segments\[0\]: segment 1 is an ignorable, which has no state/],
    [u2!, { target: 'x', segments: [{ index: 0, target: 'y' }] }, /give either `target` or `segments`, not both/],
    [noId!, { target: 1 }, /unit 0 \(no id\): target/],
  ];
  // XML written as it is must be what the reader reads where it goes: else the output would not
  // be XML. It is checked when written (applyUpdate), where the namespaces in scope are known.
  const xmlCases: [Piece & { kind: 'unit' }, unknown, RegExp][] = [
    [u12!, { target: { xml: 'Salut <b>monde' } }, /target\.xml: not well-formed XML at character 14 \(it leaves an element, a tag or a reference open\): "Salut <b>monde"$/],
    [u12!, { target: { xml: 'a </i> b' } }, /target\.xml: not well-formed XML at character 5 \(unexpected close tag\)/],
    [u12!, { target: { xml: '</xliff-stream-fragment><xliff-stream-fragment>' } }, /target\.xml: not well-formed XML at character 0 \(it closes an element it did not open\)/],
    [u12!, { target: { xml: 'Tom & Jerry' } }, /target\.xml: not well-formed XML at character [45] /],
    [u12!, { target: { xml: 'caf&eacute;' } }, /target\.xml: not well-formed XML at character \d+ \(invalid character entity/],
    [u12!, { target: { xml: '<?xml version="1.0"?>x' } }, /target\.xml: not well-formed XML at character 0 \(an XML declaration/],
    [u12!, { target: { xml: '<a b="1>x</a>' } }, /target\.xml: not well-formed XML/],
    [u12!, { target: { xml: '<!-- x' } }, /target\.xml: not well-formed XML at character 6 \(it leaves a comment, a CDATA section or a processing instruction open\)/],
    [u12!, { target: { parts: [{ type: 'start', name: 'g', xml: '<g id="1">' }, { type: 'text', text: 'x' }] } }, /target\.parts: not well-formed XML at character 11 \(it leaves/],
    [u12!, { target: { parts: [{ type: 'code', name: 'ph', code: '', xml: '<ph id="1">' }] } }, /target\.parts: not well-formed XML/],
    [u2!, { segments: [{ index: 0, target: { xml: '<pc id="1">x' } }] }, /segments\[0\]\.target\.xml: not well-formed XML/],
    [u2!, { segments: [{ index: 2, target: 'ok' }, { index: 3, target: { xml: '<x:pc/>' } }] }, /segments\[1\]\.target\.xml: not well-formed XML at character 0 \(unbound namespace prefix "x" in <x:pc>\)/],
  ];
  const runs = (xml: boolean, { unit, layout }: Piece & { kind: 'unit' }, update: unknown) => [...(xml ? [] : [() => validateUpdate(unit, update)]), () => applyUpdate(unit, layout, update as UnitUpdate)];
  for (const [xml, piece, update, pattern] of [...cases.map((c) => [false, ...c] as const), ...xmlCases.map((c) => [true, ...c] as const)]) {
    const { unit } = piece;
    for (const run of runs(xml, piece, update)) {
      assert.throws(run, (e: unknown) => {
        assert.ok(e instanceof XliffError, String(e));
        assert.equal(e.code, 'XLIFF_BAD_UPDATE');
        assert.equal(e.unitId, unit.id);
        assert.equal(e.line, unit.location.line);
        assert.match(e.message, pattern);
        return true;
      }, JSON.stringify(update));
    }
  }
  validateUpdate(u12!.unit, undefined);
  validateUpdate(u2!.unit, { target: undefined, segments: [] });
  // Well-formed XML passes, and a failed check does not spoil the next one.
  for (const xml of ['Salut <g id="1">le <x id="2"/> monde</g> &amp; &#x41;&lt;', '<!-- note --><![CDATA[ <> & ]]><?pi x?>', 'plain', 'a > b', '<!-- </xliff-stream-fragment> --><![CDATA[</xliff-stream-fragment>]]>']) {
    applyUpdate(u12!.unit, u12!.layout, { target: { xml } });
  }
  applyUpdate(u12!.unit, u12!.layout, { target: { parts: [{ type: 'start', name: 'g', id: '1', attributes: {}, xml: '<g id="1">' }, { type: 'text', text: 'x < y' }, { type: 'end', name: 'g', id: '1', attributes: {}, xml: '</g>' }] } });
});
