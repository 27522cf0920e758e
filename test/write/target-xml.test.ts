/**
 * targetXml: the inner XML of a new target, from text, `{ xml }` or `{ parts }`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { targetXml } from '../../src/write/target-xml.js';
import { doc12, events, TU, upper, write } from './documents.js';

test('targetXml: text, { xml } and { parts }', () => {
  assert.equal(targetXml('a<b>&c'), 'a&lt;b&gt;&amp;c');
  assert.equal(targetXml({ xml: 'a<b/>&amp;' }), 'a<b/>&amp;');
  assert.equal(targetXml({ parts: [] }), '');
  assert.equal(targetXml({ parts: [{ type: 'text', text: '<&>' }, { type: 'code', name: 'x', id: '1', attributes: {}, code: '', xml: '<x id="1"/>' }] }), '&lt;&amp;&gt;<x id="1"/>');
});

test('{ parts } of a 1.2 code with sub elements: the sub text is written once, inside the code', async () => {
  const source = 'Click <ph id="1">&lt;a title="<sub>Home</sub>"&gt;</ph>here<bpt id="2">&lt;b <sub>x<ph id="3">&lt;i <sub>deep</sub>&gt;</ph></sub>&gt;</bpt>bold<ept id="2">&lt;/b&gt;</ept><ph id="4"><sub/></ph>';
  const doc = doc12(`    ${TU(`      <source>${source}</source>`)}`);
  const [first] = (await events(doc)).filter((p) => p.kind === 'unit');
  const unit = first!.unit;
  assert.equal(unit.source.text, 'Click Homeherexdeepbold');
  assert.equal(targetXml({ parts: unit.source.parts }), source);
  const { raw, after } = await write(doc, { target: { parts: upper(unit.source.parts) } });
  assert.ok(raw.includes('<target>CLICK <ph id="1">&lt;a title="<sub>HOME</sub>"&gt;</ph>HERE<bpt id="2">&lt;b <sub>X<ph id="3">&lt;i <sub>DEEP</sub>&gt;</ph></sub>&gt;</bpt>BOLD<ept id="2">&lt;/b&gt;</ept><ph id="4"><sub/></ph></target>'), raw);
  assert.equal(after.target?.text, 'CLICK HOMEHEREXDEEPBOLD');
});
