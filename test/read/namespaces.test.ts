/**
 * Namespaces in XML 1.0: what a namespace-aware reader (Xerces, .NET) refuses, refused here
 * with XLIFF_PARSE at the start tag, by readUnits and by validate({ xml: true }) alike.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readUnits, validate, type XliffError } from '../../src/index.js';
import { collect, enc, readError, xliff12 } from '../helpers/read.js';

const XML_NS = 'http://www.w3.org/XML/1998/namespace';
const XMLNS_NS = 'http://www.w3.org/2000/xmlns/';

interface Case {
  readonly name: string;
  /** One element, put inside a unit (after its source) and inside a plain XML root. */
  readonly tag: string;
  readonly reason: RegExp;
}

const cases: Case[] = [
  { name: 'the xml prefix bound to another namespace', tag: '<x xmlns:xml="urn:x"/>', reason: /xmlns:xml="urn:x": the prefix "xml" can be bound only to http:\/\/www\.w3\.org\/XML\/1998\/namespace/ },
  { name: 'the xml namespace bound to another prefix', tag: `<x xmlns:x="${XML_NS}"/>`, reason: /the xml namespace can be bound only to the prefix "xml"/ },
  { name: 'the xml namespace as the default', tag: `<x xmlns="${XML_NS}"/>`, reason: /the xml namespace cannot be the default namespace/ },
  { name: 'the xmlns prefix declared (with its own namespace)', tag: `<x xmlns:xmlns="${XMLNS_NS}"/>`, reason: /the prefix "xmlns" is reserved and cannot be declared/ },
  { name: 'the xmlns prefix declared (another namespace)', tag: '<x xmlns:xmlns="urn:x"/>', reason: /the prefix "xmlns" is reserved/ },
  { name: 'the xmlns namespace bound to a prefix', tag: `<x xmlns:ymlns="${XMLNS_NS}"/>`, reason: /the xmlns namespace cannot be declared/ },
  { name: 'the xmlns namespace as the default', tag: `<x xmlns="${XMLNS_NS}"/>`, reason: /the xmlns namespace cannot be the default namespace/ },
  { name: 'an element with the xmlns prefix', tag: '<xmlns:x/>', reason: /element name <xmlns:x>: the prefix "xmlns" is reserved/ },
  { name: 'a prefix undeclared (xmlns:p="")', tag: '<x xmlns:p=""/>', reason: /xmlns:p="": a prefix cannot be undeclared in XML 1\.0/ },
  { name: 'an empty prefix declared (xmlns:="...")', tag: '<x xmlns:="urn:x"/>', reason: /attribute name xmlns: declares an empty prefix/ },
  { name: 'a declared prefix that is not an NCName', tag: '<x xmlns:a:b="urn:x"/>', reason: /attribute name xmlns:a:b is not a QName: it has more than one colon/ },
  { name: 'a declared prefix starting with a digit', tag: '<x xmlns:1a="urn:x"/>', reason: /attribute name xmlns:1a is not a QName: "1a" does not start/ },
  { name: 'an element name with two colons', tag: '<a:b:c xmlns:a="urn:a"/>', reason: /element name <a:b:c> is not a QName: it has more than one colon/ },
  { name: 'an element name starting with a colon', tag: '<:a/>', reason: /element name <:a> is not a QName: it starts with a colon/ },
  { name: 'an element name ending with a colon', tag: '<a: xmlns:a="urn:a"/>', reason: /element name <a:> is not a QName: it ends with a colon/ },
  { name: 'an element local part that is not an NCName', tag: '<a:-b xmlns:a="urn:a"/>', reason: /element name <a:-b> is not a QName: "-b" does not start/ },
  { name: 'an attribute name with two colons', tag: '<x xmlns:a="urn:a" a:b:c="1"/>', reason: /attribute name a:b:c is not a QName: it has more than one colon/ },
  { name: 'an attribute name starting with a colon', tag: '<x :a="1"/>', reason: /attribute name :a is not a QName: it starts with a colon/ },
  { name: 'an attribute name ending with a colon', tag: '<x xmlns:a="urn:a" a:="1"/>', reason: /attribute name a: is not a QName: it ends with a colon/ },
  { name: 'an attribute local part that is not an NCName', tag: '<x xmlns:a="urn:a" a:1="1"/>', reason: /attribute name a:1 is not a QName: "1" does not start/ },
  { name: 'an xml: attribute name with two colons', tag: '<x xml:a:b="1"/>', reason: /attribute name xml:a:b is not a QName: it has more than one colon/ },
  { name: 'an xml: attribute name ending with the colon', tag: '<x xml:="1"/>', reason: /attribute name xml: is not a QName: it ends with a colon/ },
  { name: 'an xml: attribute local part that is not an NCName', tag: '<x xml:-lang="1"/>', reason: /attribute name xml:-lang is not a QName: "-lang" does not start/ },
  { name: 'two attributes with one expanded name', tag: '<x xmlns:p="urn:a" xmlns:q="urn:a" p:x="1" q:x="2"/>', reason: /attributes p:x and q:x have the same expanded name \(\{urn:a\}x\)/ },
  { name: 'one expanded name through the xml prefix', tag: `<x xmlns:p="urn:a" p:lang="fr" xml:lang="fr" xmlns:q="urn:a" q:lang="de"/>`, reason: /attributes p:lang and q:lang/ },
  { name: 'an unbound element prefix', tag: '<sdl:seg/>', reason: /unbound namespace prefix "sdl" in <sdl:seg>/ },
  { name: 'an unbound attribute prefix', tag: '<x okp:x="1"/>', reason: /unbound namespace prefix "okp" in attribute okp:x/ },
];

// In a unit: `<trans-unit id="1"><source>a</source>` takes columns 1 to 37 of line 5.
const inUnit = (tag: string) => xliff12(`<trans-unit id="1"><source>a</source>${tag}</trans-unit>`);
const inXml = (tag: string) => `<?xml version="1.0"?>\n<root>\n  ${tag}\n</root>\n`;

for (const c of cases) {
  test(`namespaces: ${c.name} -> XLIFF_PARSE at the tag (readUnits)`, async () => {
    const error = await readError([enc(inUnit(c.tag))], { fileName: 'ns.xlf' });
    assert.equal(error.code, 'XLIFF_PARSE', error.message);
    assert.match(error.reason, c.reason);
    assert.deepEqual([error.line, error.column, error.offset], [5, 38, inUnit(c.tag).indexOf(c.tag)], error.message);
    assert.equal(error.unitId, '1');
    assert.equal(error.message, `ns.xlf:5:38: ${error.reason}`);
  });

  test(`namespaces: ${c.name} -> XLIFF_PARSE at the tag (validate, xml: true)`, async () => {
    const result = await validate(enc(inXml(c.tag)), { xml: true });
    assert.equal(result.valid, false);
    assert.equal(result.problems.length, 1);
    const [problem] = result.problems;
    assert.equal(problem!.code, 'XLIFF_PARSE', problem!.message);
    assert.match(problem!.reason, c.reason);
    assert.equal(problem!.fatal, true);
    assert.deepEqual([problem!.line, problem!.column, problem!.offset], [3, 3, inXml(c.tag).indexOf(c.tag)], problem!.message);
  });
}

test('namespaces: xmlns:="..." does not rebind the default namespace (the second unit vanished): one unit, then the error at its tag', async () => {
  const doc = xliff12('<trans-unit id="1"><source>a</source></trans-unit>\n<trans-unit id="2" xmlns:="urn:x"><source>b</source></trans-unit>');
  const ids: (string | undefined)[] = [];
  await assert.rejects(
    async () => {
      for await (const unit of readUnits(enc(doc))) ids.push(unit.id);
    },
    (error: XliffError) => {
      assert.equal(error.code, 'XLIFF_PARSE');
      assert.match(error.reason, /attribute name xmlns: declares an empty prefix/);
      assert.deepEqual([error.line, error.column, error.offset, error.unitId], [6, 1, doc.indexOf('<trans-unit id="2"'), undefined]);
      return true;
    },
  );
  assert.deepEqual(ids, ['1'], 'the unit before the bad tag, and no other');
  const result = await validate(enc(doc));
  assert.equal(result.units, 1);
  assert.deepEqual(result.problems.map((p) => [p.code, p.line, p.column, p.fatal]), [['XLIFF_PARSE', 6, 1, true]]);
});

test('namespaces: a bad declaration on a file element (outside units) is refused at its tag', async () => {
  const doc = xliff12('<trans-unit id="1"><source>a</source></trans-unit>', 'xmlns:p="" original="a.txt" source-language="en"');
  const error = await readError([enc(doc)]);
  assert.equal(error.code, 'XLIFF_PARSE');
  assert.match(error.reason, /xmlns:p=""/);
  assert.deepEqual([error.line, error.column, error.unitId], [3, 1, undefined]);
});

test('namespaces: a colon in a processing instruction target is refused', async () => {
  const doc = '<?xml version="1.0"?>\n<?a:b bogus?>\n<root/>\n';
  const result = await validate(enc(doc), { xml: true });
  assert.equal(result.problems[0]?.code, 'XLIFF_PARSE');
  assert.match(result.problems[0]!.reason, /processing instruction target "a:b" has a colon: namespaces forbid it/);
  assert.deepEqual([result.problems[0]!.line, result.problems[0]!.column], [2, 4]);
});

test('namespaces: what the constraints allow is read', async () => {
  const allowed = [
    `<x xmlns:xml="${XML_NS}" xml:lang="fr"/>`,
    '<x xmlns=""/>',
    '<x xmlns:p="urn:a" xmlns:q="urn:b" p:x="1" q:x="2"/>',
    '<x xmlns:p="urn:a" p:lang="fr" xml:lang="fr"/>',
    '<xml:x/>',
    '<x xmlnsx="1" xmlns.a="2"/>',
    '<p:x xmlns:p="urn:a"><p:y xmlns:p="urn:b" p:a="1"/></p:x>',
    '<x xmlns:é="urn:a" é:b="1"/>',
    '<p:_x xmlns:p="urn:a"/>',
  ];
  for (const tag of allowed) {
    const result = await validate(enc(inXml(tag)), { xml: true });
    assert.deepEqual(result.problems, [], tag);
    const units = await collect(enc(inUnit(tag)));
    assert.equal(units.length, 1, tag);
  }
});
