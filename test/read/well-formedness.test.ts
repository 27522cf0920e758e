/**
 * XML 1.0 (5th edition) well-formedness that sax lets through, outside DTDs: refused by
 * readUnits and by validate({ xml: true }) alike, with the same code, reason and position
 * (at the offending character), whatever the pieces the input comes in.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { XliffError, validate } from '../../src/index.js';
import { collect, enc, inPieces, readError, xliff12 } from '../helpers/read.js';

/** Marks where the error is expected; taken out of the document. */
const HERE = '\u2038';

interface Case {
  readonly name: string;
  /** The document, with HERE where the error is. */
  readonly doc: string;
  readonly reason: RegExp;
}

const unit = (id: string, source = 'Hello', attributes = '') => `<trans-unit id="${id}"${attributes}><source>${source}</source></trans-unit>`;
/** An XLIFF document with `body` in its <body> (HERE in `body`). */
const inBody = (body: string) => xliff12(body);

const cases: Case[] = [
  // Tags
  { name: '"<" in an attribute value', doc: inBody(unit('1', 'x', ` resname="a ${HERE}< b"`)), reason: /^"<" in an attribute value \(write &lt;\)$/ },
  { name: '"<" in an attribute value outside a unit', doc: inBody(`<group id="g" resname='${HERE}<'>${unit('1')}</group>`), reason: /^"<" in an attribute value/ },
  { name: 'a duplicate attribute', doc: inBody(unit('1', 'x', ` resname="a" ${HERE}resname="b"`)), reason: /^attribute "resname" given twice in <trans-unit>$/ },
  { name: 'a duplicate attribute with "=" in values', doc: inBody(`<group id="a=b" x="c=d"\n   ${HERE}id="e">${unit('1')}</group>`), reason: /^attribute "id" given twice in <group>$/ },
  { name: '"<" at the end of a value longer than what sax is let hold', doc: inBody(unit('1', 'x', ` resname="${'a'.repeat(10_000)}${HERE}<"`)), reason: /^"<" in an attribute value/ },
  { name: 'a duplicate of an attribute with a long value', doc: inBody(unit('1', 'x', ` resname="${'a'.repeat(10_000)}" ${HERE}resname="b"`)), reason: /^attribute "resname" given twice in <trans-unit>$/ },
  { name: 'a duplicate with a long value', doc: inBody(unit('1', 'x', ` resname="a" ${HERE}resname="${'b'.repeat(10_000)}"`)), reason: /^attribute "resname" given twice in <trans-unit>$/ },
  { name: 'a duplicate prefixed attribute', doc: inBody(unit('1', 'x', ` xml:lang="en" ${HERE}xml:lang="fr"`)), reason: /^attribute "xml:lang" given twice/ },
  { name: 'whitespace after "<"', doc: inBody(`<trans-unit id="1"><${HERE} source>x</source></trans-unit>`), reason: /^whitespace after "<": a name, "\/", "\?" or "!" must follow it$/ },
  { name: 'whitespace after "<" of an empty element', doc: inBody(`<${HERE}\ngroup id="g"/>`), reason: /^whitespace after "<"/ },
  { name: 'whitespace after "</"', doc: inBody(`<trans-unit id="1"><source>x</${HERE} source></trans-unit>`), reason: /^whitespace after "<\/": the element name must follow it$/ },
  { name: 'whitespace after "<" of an end tag', doc: inBody(`<trans-unit id="1"><source>x<${HERE} /source></trans-unit>`), reason: /^whitespace after "<"/ },
  { name: 'whitespace after "<" of a comment', doc: inBody(`<${HERE} !-- c -->`), reason: /^whitespace after "<"/ },
  // ]]> in text
  { name: '"]]>" in a unit\'s text', doc: inBody(unit('1', `a${HERE}]]>b`)), reason: /^"]]>" in text: it may only end a CDATA section \(write ]]&gt;\)$/ },
  { name: '"]]>" after more "]"', doc: inBody(unit('1', `a]${HERE}]]>b`)), reason: /^"]]>" in text/ },
  { name: '"]]>" in the skeleton between units', doc: inBody(`${unit('1')}\n  ${HERE}]]>\n${unit('2')}`), reason: /^"]]>" in text/ },
  { name: '"]]>" after a nested CDATA section', doc: inBody(unit('1', `<![CDATA[ <![CDATA[x]]> ${HERE}]]>`)), reason: /^"]]>" in text/ },
  // References
  { name: '&#X41; in text', doc: inBody(unit('1', `a ${HERE}&#X41; b`)), reason: /^character reference with an uppercase "X": XML writes "&#x"$/ },
  { name: '&#X41; in an attribute value', doc: inBody(unit('1', 'x', ` resname="${HERE}&#X41;"`)), reason: /^character reference with an uppercase "X"/ },
  { name: '&AMP; in text', doc: inBody(unit('1', `${HERE}&AMP;`)), reason: /^entity reference "&AMP;": entity names are case-sensitive \("&amp;"\)$/ },
  { name: '&qUOT; in an attribute value', doc: inBody(unit('1', 'x', ` resname="x${HERE}&qUOT;"`)), reason: /^entity reference "&qUOT;"/ },
  { name: '&#0; in text', doc: inBody(unit('1', `a${HERE}&#0;`)), reason: /^character reference &#0; to a character XML does not allow$/ },
  { name: '&#xFFFE; in text', doc: inBody(unit('1', `${HERE}&#xFFFE;`)), reason: /^character reference &#xFFFE; to a character XML does not allow$/ },
  { name: '&#xD800; in an attribute value', doc: inBody(unit('1', 'x', ` resname="${HERE}&#xD800;"`)), reason: /^character reference &#xD800; to a character XML does not allow$/ },
  { name: '&#x110000; in text', doc: inBody(unit('1', `${HERE}&#x110000;`)), reason: /^character reference &#x110000; to a character XML does not allow$/ },
  { name: '&#1e2; in text', doc: inBody(unit('1', `${HERE}&#1e2;`)), reason: /^malformed character reference &#1e2;$/ },
  // Processing instructions
  { name: 'a PI without a target', doc: inBody(unit('1', `a<?${HERE} foo?>`)), reason: /^a processing instruction without a target: a name must follow "<\?"$/ },
  { name: 'an empty PI', doc: `<?${HERE}?>\n<xliff version="1.2"/>`, reason: /^a processing instruction without a target/ },
  { name: 'a PI target that is not a name', doc: inBody(`<?${HERE}123?>`), reason: /^processing instruction target "123" is not a name: it cannot start with "1"$/ },
  { name: 'a PI target without a space after it', doc: inBody(`<?target${HERE}+++?>`), reason: /^processing instruction target "target\+\+\+" is not a name: a name cannot go on with "\+" \(a space must separate/ },
  { name: 'a PI target with a colon', doc: inBody(`<?a${HERE}:b x?>`), reason: /^processing instruction target "a:b" has a colon: namespaces forbid it$/ },
  // Named "xml" in any case, it is taken for a misplaced XML declaration (decoder's checks come first).
  { name: 'a PI target "XML"', doc: inBody(unit('1', `${HERE}<?XML x?>`)), reason: /^an XML declaration is allowed only at the very start of the document$/ },
  // <! constructs
  { name: 'an unknown <! construct', doc: inBody(`<!${HERE}FOO bar>`), reason: /^unknown markup "<!FOO bar>": after "<!", XML has only "--" \(a comment\), "\[CDATA\[" and DOCTYPE$/ },
  { name: 'a malformed comment', doc: inBody(unit('1', `<!-${HERE}x>`)), reason: /^malformed comment: it starts "<!--"$/ },
  { name: '<!ELEMENT outside a DOCTYPE', doc: inBody(`${HERE}<!ELEMENT a ANY>`), reason: /^<!ELEMENT outside a DOCTYPE: markup declarations belong in its internal subset$/ },
  { name: '<![cdata[', doc: inBody(unit('1', `<![${HERE}cdata[x]]>`)), reason: /^malformed CDATA section: it starts "<!\[CDATA\[", not "<!\[cdata\["$/ },
  { name: '<! [CDATA[', doc: inBody(unit('1', `<!${HERE} [CDATA[x]]>`)), reason: /^malformed CDATA section: it starts "<!\[CDATA\["$/ },
  { name: '<![CDATA [', doc: inBody(unit('1', `<![CDATA${HERE} [x]]>`)), reason: /^malformed CDATA section/ },
  // The root
  { name: 'CDATA before the root', doc: `<?xml version="1.0"?>\n${HERE}<![CDATA[x]]>\n<xliff version="1.2"/>`, reason: /^a CDATA section outside the root element$/ },
  { name: 'CDATA after the root', doc: `${xliff12(unit('1'))}${HERE}<![CDATA[x]]>`, reason: /^a CDATA section outside the root element$/ },
  { name: 'a second root element', doc: `${xliff12(unit('1'))}<!-- c -->\n${HERE}<xliff version="1.2"/>`, reason: /^a second root element: the document has one, and it has ended$/ },
  { name: 'no root element', doc: `<?xml version="1.0"?>\n<!-- only a comment -->\n${HERE}`, reason: /^no root element/ },
];

/** The document without its marker, and the line, column and offset (UTF-8 bytes) of the marker. */
function expected(doc: string): { text: string; line: number; column: number; offset: number } {
  const at = doc.indexOf(HERE);
  assert.notEqual(at, -1, 'the case marks where its error is');
  const before = doc.slice(0, at);
  const lineStart = before.lastIndexOf('\n') + 1;
  return { text: before + doc.slice(at + 1), line: before.split('\n').length, column: at - lineStart + 1, offset: enc(before).length };
}

function assertAt(error: { code: string; reason: string; line?: number | undefined; column?: number | undefined; offset?: number | undefined }, c: Case, where: string): void {
  const { line, column, offset } = expected(c.doc);
  assert.equal(error.code, 'XLIFF_PARSE', `${where}: code (${error.reason})`);
  assert.match(error.reason, c.reason, where);
  assert.deepEqual({ line: error.line, column: error.column, offset: error.offset }, { line, column, offset }, `${where}: position of "${error.reason}"`);
}

for (const c of cases) {
  test(`refused: ${c.name}`, async () => {
    const { text } = expected(c.doc);
    const error = await readError(enc(text));
    assertAt(error, c, 'readUnits');
    const result = await validate(enc(text), { xml: true });
    assert.equal(result.valid, false);
    const fatal = result.problems.at(-1)!;
    assert.equal(fatal.fatal, true);
    assertAt(fatal, c, 'validate');
    assert.equal(fatal.message, error.message);
  });
}

test('chunk invariance: the same bytes in pieces of any size give the same error', async () => {
  for (const c of cases) {
    const { text } = expected(c.doc);
    const bytes = enc(text);
    for (const size of [1, 2, 3, 5, 7, 64]) {
      assertAt(await readError(inPieces(bytes, size)), c, `${c.name}, bytes in pieces of ${size}`);
    }
    const pieces: string[] = [];
    for (let i = 0; i < text.length; i += 2) pieces.push(text.slice(i, i + 2));
    assertAt(await readError(pieces), c, `${c.name}, text in pieces of 2`);
  }
});

test('across the 64 KiB slices the reader feeds sax: "]]>", "&#X" and "&AMP;" placed whatever slice they straddle', async () => {
  const head = xliff12('').indexOf('\n</body>') + 1;
  for (const [what, reason] of [
    [']]>', /^"]]>" in text/],
    ['&#X41;', /^character reference with an uppercase "X"/],
    ['&QUOT;', /^entity reference "&QUOT;"/],
  ] as const) {
    for (let shift = -6; shift <= 1; shift++) {
      // Text in the body (skeleton), then in a unit: `what` starts `shift` characters from the 64 Ki-th.
      const padding = ' '.repeat(64 * 1024 + shift - head);
      for (const doc of [inBody(`${padding}${HERE}${what}${unit('1')}`), inBody(unit('1', `${'x'.repeat(64 * 1024 + shift - head - 27)}${HERE}${what}`))]) {
        const c = { name: `${what} at ${shift}`, doc, reason };
        const { text } = expected(doc);
        assertAt(await readError(enc(text)), c, c.name);
        assertAt(await readError([text]), c, `${c.name}, as text`);
      }
    }
  }
});

test('accepted: what XML allows where the checks look', async () => {
  const source = 'a ]] b ]]&gt; c ] ]> &#x41;&#65;&amp;&lt;&gt;&quot;&apos; <![CDATA[ ]]]> <!-- &#X41; &AMP; ]]> <x> --><?pi &#X41; ]]> ?>';
  const doc = xliff12(
    `<?xml-stylesheet href="a.xsl"?>\n<!-- ]]> &#X41; -->\n<group id="g" resname="]]> a=b &#x41;" extradata='x="y"'>${unit('1', source, ' resname="1 > 0" xml:lang="en"')}</group>`,
  );
  const units = await collect(enc(doc));
  assert.equal(units.length, 1);
  assert.equal(units[0]!.source.text, 'a ]] b ]]> c ] ]> AA&<>"\'  ] ');
  assert.equal(units[0]!.attributes['resname'], '1 > 0');
  for (const size of [1, 3]) assert.equal((await collect(inPieces(enc(doc), size))).length, 1);
  const result = await validate(enc(doc), { xml: true });
  assert.deepEqual(result.problems, []);
});

test('an error is an XliffError of code XLIFF_PARSE with the file name in its message', async () => {
  const error = await readError(enc(inBody(unit('1', 'x', ' a="1" a="2"'))));
  assert.ok(error instanceof XliffError);
  assert.match(error.message, /:5:26: attribute "a" given twice in <trans-unit>$/);
});

test('a long comment full of "]]>" and "&#X" is read (what is queued stays small), and the first "]]>" after it is placed', async () => {
  const comment = `<!-- ${']]> &#X41; '.repeat(200_000)} -->`;
  const doc = inBody(`${unit('1')}\n${comment}\n${unit('2', `a${HERE}]]>`)}`);
  const { text } = expected(doc);
  assert.equal((await collect(enc(inBody(`${unit('1')}\n${comment}\n${unit('2')}`)))).length, 2);
  assertAt(await readError(enc(text)), { name: 'after a long comment', doc, reason: /^"]]>" in text/ }, 'after a long comment');
});

test('an empty comment (<!---->, of which sax tells nothing) is no text in a unit; raw keeps it', async () => {
  const source = 'a<!---->b<!--x-->c<!----><g id="1">d<!---->e</g>';
  const units = await collect(enc(xliff12(unit('1', source))));
  assert.equal(units[0]!.source.text, 'abcde');
  assert.deepEqual(units[0]!.source.parts.map((part) => (part.type === 'text' ? part.text : part.type)), ['abc', 'start', 'de', 'end']);
  assert.ok(units[0]!.raw.includes(source));
  // Across the seams of pieces of any size; in CDATA, the characters are text.
  const cdata = 'x<![CDATA[<!---->]]>y<!---->z';
  const doc = enc(xliff12(`<!----><!---->${unit('1', source)}${unit('2', cdata)}`));
  for (const size of [1, 3, 5, 7, 64 * 1024]) {
    const [first, second] = await collect(inPieces(doc, size));
    assert.equal(first!.source.text, 'abcde', `pieces of ${size}`);
    assert.equal(second!.source.text, 'x<!---->yz', `pieces of ${size}`);
  }
});
