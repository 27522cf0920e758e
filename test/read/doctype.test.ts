/**
 * The DOCTYPE: XML 1.0 [28] doctypedecl checked, an internal subset of nothing but comments and
 * PIs read, markup declarations refused (XLIFF_ENTITY for entities, XLIFF_DTD for the rest),
 * external DTDs never fetched. Each case runs through readUnits (in an XLIFF document, in one
 * piece and one byte at a time) and through validate({ xml: true }).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { processXliff, validate, type XliffErrorCode } from '../../src/index.js';
import { doctypeProblem } from '../../src/read/doctype.js';
import { collect, enc, inPieces, readError } from '../helpers/read.js';

const XLIFF_10_DOCTYPE = '<!DOCTYPE xliff PUBLIC "-//XLIFF//DTD XLIFF//EN" "http://www.oasis-open.org/committees/xliff/documents/xliff.dtd">';
const unit = (id: string) => `<trans-unit id="${id}"><source>Hello ${id}</source><target>Bonjour ${id}</target></trans-unit>`;

/** An XLIFF 1.x document after `prolog` (an XML declaration, then `prolog` on a line of its own). */
function doc(prolog: string, version = '1.2'): string {
  const ns = version === '1.2' ? ' xmlns="urn:oasis:names:tc:xliff:document:1.2"' : '';
  return `<?xml version="1.0"?>\n${prolog}\n<xliff version="${version}"${ns}><file original="a" source-language="en" target-language="fr" datatype="plaintext"><body>${unit('1')}${unit('2')}</body></file></xliff>\n`;
}

/** Where character `index` of `text` is: line and column from 1, as errors count them. */
function place(text: string, index: number): { line: number; column: number; offset: number } {
  const before = text.slice(0, index);
  const line = before.split('\n').length;
  return { line, column: index - before.lastIndexOf('\n'), offset: enc(before).length };
}

interface Refused {
  readonly name: string;
  /** What stands between the XML declaration and the root. */
  readonly prolog: string;
  readonly code: XliffErrorCode;
  readonly reason: string;
  /** What the error points at: the first occurrence of this text in the prolog (`at` characters into it). */
  readonly marker: string;
  readonly at?: number;
}

const SUBSET = "the DOCTYPE's internal subset";
const UNSAFE = 'refused (entity expansion and external entities are unsafe)';

const refused: Refused[] = [
  // Each kind of markup declaration.
  { name: 'an element declaration', prolog: '<!DOCTYPE xliff [\n  <!ELEMENT xliff ANY>\n]>', code: 'XLIFF_DTD', reason: `${SUBSET} declares element "xliff": refused (XLIFF needs no DTD)`, marker: '<!ELEMENT' },
  { name: 'an attribute-list declaration', prolog: '<!DOCTYPE xliff [ <!ATTLIST xliff version CDATA #FIXED "1.2"> ]>', code: 'XLIFF_DTD', reason: `${SUBSET} declares the attributes of element "xliff": refused (XLIFF needs no DTD)`, marker: '<!ATTLIST' },
  { name: 'a notation declaration', prolog: '<!DOCTYPE xliff [<!NOTATION gif SYSTEM "image/gif">]>', code: 'XLIFF_DTD', reason: `${SUBSET} declares notation "gif": refused (XLIFF needs no DTD)`, marker: '<!NOTATION' },
  { name: 'an entity declaration', prolog: '<!DOCTYPE xliff [<!ENTITY lol "lol">]>', code: 'XLIFF_ENTITY', reason: `the DOCTYPE declares entity "lol": ${UNSAFE}`, marker: '<!ENTITY' },
  { name: 'a parameter-entity declaration', prolog: '<!DOCTYPE xliff [<!ENTITY % pe SYSTEM "http://example.com/x.dtd">]>', code: 'XLIFF_ENTITY', reason: `the DOCTYPE declares parameter entity "pe": ${UNSAFE}`, marker: '<!ENTITY' },
  {
    name: 'an entity after an element declaration (the entity wins)',
    prolog: '<!DOCTYPE xliff [ <!ELEMENT xliff ANY > <!ENTITY xxe SYSTEM "file:///etc/passwd" >]>',
    code: 'XLIFF_ENTITY',
    reason: `the DOCTYPE declares entity "xxe": ${UNSAFE}`,
    marker: '<!ENTITY',
  },
  { name: 'a declaration whose literal holds "]>"', prolog: '<!DOCTYPE xliff [<!ATTLIST xliff a CDATA "]>"><!ELEMENT b ANY>]>', code: 'XLIFF_DTD', reason: `${SUBSET} declares the attributes of element "xliff": refused (XLIFF needs no DTD)`, marker: '<!ATTLIST' },
  { name: 'a parameter-entity reference', prolog: '<!DOCTYPE xliff [ %external; ]>', code: 'XLIFF_ENTITY', reason: `the DOCTYPE references parameter entity "%external;": ${UNSAFE}`, marker: '%' },
  { name: 'a "%" that is no reference', prolog: '<!DOCTYPE xliff [ % ]>', code: 'XLIFF_PARSE', reason: `malformed parameter-entity reference in ${SUBSET}: expected %name;`, marker: '%' },
  // The declaration itself.
  { name: 'a lowercase doctype', prolog: '<!doctype xliff>', code: 'XLIFF_PARSE', reason: 'malformed DOCTYPE: <!doctype must be written <!DOCTYPE (upper case)', marker: 'doctype' },
  { name: 'no space after <!DOCTYPE', prolog: '<!DOCTYPExliff>', code: 'XLIFF_PARSE', reason: 'malformed DOCTYPE: white space is required after <!DOCTYPE, found "x"', marker: 'xliff' },
  { name: 'no name', prolog: '<!DOCTYPE [ ]>', code: 'XLIFF_PARSE', reason: 'malformed DOCTYPE: expected the root element\'s name after <!DOCTYPE, found "["', marker: '[' },
  { name: 'a lowercase system', prolog: '<!DOCTYPE xliff system "xliff.dtd">', code: 'XLIFF_PARSE', reason: 'malformed DOCTYPE: expected SYSTEM or PUBLIC (upper case), [ or > after the name, found "system"', marker: 'system' },
  { name: 'a lowercase public', prolog: '<!DOCTYPE xliff public "-//XLIFF//DTD XLIFF//EN" "xliff.dtd">', code: 'XLIFF_PARSE', reason: 'malformed DOCTYPE: expected SYSTEM or PUBLIC (upper case), [ or > after the name, found "public"', marker: 'public' },
  { name: 'SYSTEM without its literal', prolog: '<!DOCTYPE xliff SYSTEM>', code: 'XLIFF_PARSE', reason: 'malformed DOCTYPE: expected a quoted system literal after SYSTEM, found ">"', marker: '>' },
  { name: 'an unquoted system literal', prolog: '<!DOCTYPE xliff SYSTEM xliff.dtd>', code: 'XLIFF_PARSE', reason: 'malformed DOCTYPE: expected a quoted system literal after SYSTEM, found "x"', marker: 'xliff.dtd' },
  { name: 'no space before the system literal', prolog: '<!DOCTYPE xliff SYSTEM"xliff.dtd">', code: 'XLIFF_PARSE', reason: 'malformed DOCTYPE: white space is required between SYSTEM and the system literal', marker: '"' },
  { name: 'PUBLIC without a system literal', prolog: '<!DOCTYPE xliff PUBLIC "-//XLIFF//DTD XLIFF//EN">', code: 'XLIFF_PARSE', reason: 'malformed DOCTYPE: expected a quoted system literal after the public identifier, found ">"', marker: '">', at: 1 },
  {
    name: 'no space between the two literals',
    prolog: '<!DOCTYPE xliff PUBLIC "-//XLIFF//DTD XLIFF//EN""xliff.dtd">',
    code: 'XLIFF_PARSE',
    reason: 'malformed DOCTYPE: white space is required between the public identifier and the system literal',
    marker: '"xliff.dtd"',
  },
  { name: 'a "[" in a public identifier', prolog: '<!DOCTYPE xliff PUBLIC "-//XLIFF[//EN" "xliff.dtd">', code: 'XLIFF_PARSE', reason: 'malformed DOCTYPE: character "[" is not allowed in a public identifier', marker: '[' },
  { name: 'a tab in a public identifier', prolog: '<!DOCTYPE xliff PUBLIC "-//XLIFF\t//EN" "xliff.dtd">', code: 'XLIFF_PARSE', reason: 'malformed DOCTYPE: character U+0009 is not allowed in a public identifier', marker: '\t' },
  { name: 'something after the external ID', prolog: '<!DOCTYPE xliff SYSTEM "xliff.dtd" junk>', code: 'XLIFF_PARSE', reason: 'malformed DOCTYPE: expected [ or > to end the DOCTYPE, found "j"', marker: 'junk' },
  { name: 'something after the internal subset', prolog: '<!DOCTYPE xliff [ ] xliff>', code: 'XLIFF_PARSE', reason: 'malformed DOCTYPE: expected > after the internal subset, found "x"', marker: 'xliff>' },
  { name: 'a second DOCTYPE', prolog: '<!DOCTYPE xliff>\n<!DOCTYPE xliff>', code: 'XLIFF_PARSE', reason: 'inappropriately located doctype declaration', marker: 'E xliff>\n<', at: 0 },
  // What the subset may hold, malformed.
  { name: 'a comment holding "--"', prolog: '<!DOCTYPE xliff [\n<!-- one -- two -->\n]>', code: 'XLIFF_PARSE', reason: `malformed comment in ${SUBSET}: "--" is not allowed inside a comment`, marker: '-- two' },
  { name: 'a comment ending in "--->"', prolog: '<!DOCTYPE xliff [<!-- a --->]>', code: 'XLIFF_PARSE', reason: `malformed comment in ${SUBSET}: "--" is not allowed inside a comment`, marker: '--->' },
  { name: 'a PI without a target', prolog: '<!DOCTYPE xliff [<? x?>]>', code: 'XLIFF_PARSE', reason: `malformed processing instruction in ${SUBSET}: expected its target, found U+0020`, marker: ' x?>' },
  { name: 'a PI named xml', prolog: '<!DOCTYPE xliff [<?xml version="1.0"?>]>', code: 'XLIFF_PARSE', reason: 'an XML declaration is allowed only at the very start of the document', marker: 'xml version' },
  { name: 'a PI named XmL', prolog: '<!DOCTYPE xliff [<?XmL a?>]>', code: 'XLIFF_PARSE', reason: `malformed processing instruction in ${SUBSET}: the target "XmL" is reserved`, marker: 'XmL' },
  { name: 'a PI target with a colon', prolog: '<!DOCTYPE xliff [<?a:b c?>]>', code: 'XLIFF_PARSE', reason: 'processing instruction target "a:b" contains a colon (not allowed with namespaces)', marker: 'a:b' },
  { name: 'a PI target followed by no space', prolog: '<!DOCTYPE xliff [<?pi]>?>]>', code: 'XLIFF_PARSE', reason: `malformed processing instruction in ${SUBSET}: expected white space or ?> after its target, found "]"`, marker: ']' },
  { name: 'an element in the subset', prolog: '<!DOCTYPE xliff [<xliff>]>', code: 'XLIFF_PARSE', reason: `unexpected "<x" in ${SUBSET}: only declarations, comments and processing instructions stand there`, marker: '<xliff>' },
  { name: 'a CDATA section in the subset', prolog: '<!DOCTYPE xliff [<![CDATA[x]]>]>', code: 'XLIFF_PARSE', reason: `unexpected "<![" in ${SUBSET}: not a markup declaration`, marker: '<![' },
  { name: 'a lowercase declaration', prolog: '<!DOCTYPE xliff [<!element xliff ANY>]>', code: 'XLIFF_PARSE', reason: `unexpected "<!element" in ${SUBSET}: not a markup declaration`, marker: '<!element' },
  { name: 'text in the subset', prolog: '<!DOCTYPE xliff [ hello ]>', code: 'XLIFF_PARSE', reason: `unexpected character "h" in ${SUBSET}`, marker: 'hello' },
  // "]" or ">" inside a comment: they do not end the subset, so a bad subset after them is still found.
  { name: 'a "]>" in a comment, then a declaration', prolog: '<!DOCTYPE xliff [ <!-- ]> --> <!ELEMENT xliff ANY> ]>', code: 'XLIFF_DTD', reason: `${SUBSET} declares element "xliff": refused (XLIFF needs no DTD)`, marker: '<!ELEMENT' },
  { name: 'a "]>" in a PI, then text', prolog: '<!DOCTYPE xliff [ <?pi ]> ?> oops ]>', code: 'XLIFF_PARSE', reason: `unexpected character "o" in ${SUBSET}`, marker: 'oops' },
];

/** The error each way of reading gives, with the place it gives. */
async function errorsOf(text: string): Promise<{ code: string; reason: string; line?: number; column?: number; offset?: number }[]> {
  const whole = await readError([enc(text)], { fileName: 'dt.xlf' });
  const bytes = await readError(inPieces(enc(text), 1), { fileName: 'dt.xlf' });
  assert.equal(whole.message, `dt.xlf:${whole.line}:${whole.column}: ${whole.reason}`);
  const result = await validate(enc(text), { xml: true });
  assert.equal(result.valid, false);
  const problem = result.problems.at(-1)!;
  assert.equal(problem.fatal, true);
  return [whole, bytes, problem].map(({ code, reason, line, column, offset }) => ({ code, reason, line, column, offset }));
}

for (const c of refused) {
  test(`DOCTYPE refused: ${c.name} -> ${c.code}`, async () => {
    const text = doc(c.prolog);
    const markerAt = text.indexOf(c.marker, text.indexOf(c.prolog));
    assert.notEqual(markerAt, -1, 'marker not found');
    const expected = { code: c.code, reason: c.reason, ...place(text, markerAt + (c.at ?? 0)) };
    // A second DOCTYPE is found where sax finds it: at the last letter of its keyword.
    if (c.name === 'a second DOCTYPE') Object.assign(expected, place(text, text.lastIndexOf('<!DOCTYPE') + 8));
    for (const error of await errorsOf(text)) assert.deepEqual(error, expected);
  });
}

test('DOCTYPE refused: the input ending inside it is placed at what it left open', async () => {
  const cases: [string, string, string][] = [
    ['<!DOCTYPE xliff [ <!-- not closed', '<!--', `the input ends inside a comment in ${SUBSET}: it is not closed`],
    ['<!DOCTYPE xliff [ <?pi not closed', '<?pi', `the input ends inside a processing instruction in ${SUBSET}: it is not closed`],
    ['<!DOCTYPE xliff SYSTEM "xliff.dtd', '"xliff', 'the input ends inside a system literal in the DOCTYPE: it is not closed'],
    ['<!DOCTYPE xliff [ ', '<!DOCTYPE', 'the input ends inside the DOCTYPE: it is not closed'],
    ['<!DOCTYPE xliff', '<!DOCTYPE', 'the input ends inside the DOCTYPE: it is not closed'],
  ];
  for (const [text, marker, reason] of cases) {
    const expected = { code: 'XLIFF_PARSE', reason, ...place(text, text.indexOf(marker)) };
    for (const error of await errorsOf(text)) assert.deepEqual(error, expected, text);
  }
});

test('DOCTYPE read: an internal subset of white space, comments and PIs, with "]" and ">" inside them', async () => {
  const prologs = [
    '<!DOCTYPE xliff>',
    '<!DOCTYPE xliff >',
    '<!DOCTYPE xliff []>',
    '<!DOCTYPE xliff [ ] >',
    '<!DOCTYPE xliff SYSTEM "xliff.dtd#frag">',
    "<!DOCTYPE xliff SYSTEM 'it\"s.dtd'[]>",
    '<!DOCTYPE xliff PUBLIC "-//X//DTD \'a\' (1.0);+,./:=?!*#@$_%//EN" \'x.dtd\'>',
    '<!DOCTYPE xliff [\n  <!-- a comment with ] and > and ]> and - -->\n  <?pi body with ]> and <!ELEMENT x ANY> ?>\n  <?target?>\n  <!---->\n]>',
    '<!-- before --><?pi before?>\n<!DOCTYPE xliff [<!-- <!DOCTYPE x [ --><?xml-stylesheet href="a.xsl"?>]><!-- after -->\n<?pi after?>',
  ];
  for (const prolog of prologs) {
    const text = doc(prolog);
    const units = await collect([enc(text)]);
    assert.deepEqual(
      units.map((u) => [u.id, u.source.text, u.target?.text]),
      [
        ['1', 'Hello 1', 'Bonjour 1'],
        ['2', 'Hello 2', 'Bonjour 2'],
      ],
      prolog,
    );
    // The same units in pieces of one byte; their places too.
    const places = (list: typeof units) => list.map((u) => [u.id, u.raw, u.location]);
    assert.deepEqual(places(await collect(inPieces(enc(text), 1))), places(units), prolog);
    const result = await validate(enc(text), { xml: true });
    assert.deepEqual(result.problems, [], prolog);
  }
});

test('DOCTYPE read: the XLIFF 1.0 and 1.1 PUBLIC DOCTYPE reads, nothing is fetched, and a pass that changes nothing writes it back', async () => {
  const work = mkdtempSync(join(tmpdir(), 'xliff-stream-doctype-'));
  try {
    for (const version of ['1.0', '1.1']) {
      const text = doc(XLIFF_10_DOCTYPE, version);
      const units = await collect([enc(text)]);
      assert.deepEqual(
        units.map((u) => u.id),
        ['1', '2'],
      );
      assert.equal((await validate(enc(text))).valid, true);
      const input = join(work, `in-${version}.xlf`);
      const output = join(work, `out-${version}.xlf`);
      writeFileSync(input, text);
      await processXliff(input, { output, process: () => undefined }).done;
      assert.equal(readFileSync(output, 'utf8'), text);
      // A changed target leaves the DOCTYPE as it was.
      await processXliff(input, { output, process: (u) => ({ target: `[${u.source.text}]` }) }).done;
      const written = readFileSync(output, 'utf8');
      assert.ok(written.startsWith(`<?xml version="1.0"?>\n${XLIFF_10_DOCTYPE}\n<xliff`), written.slice(0, 200));
      assert.match(written, /<target>\[Hello 1\]<\/target>/);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});

test('doctypeProblem: a declaration checked alone, index from its "<"', () => {
  assert.equal(doctypeProblem(XLIFF_10_DOCTYPE), undefined);
  assert.equal(doctypeProblem('<!DOCTYPE x [ <!-- c --> <?p?> ]>'), undefined);
  assert.deepEqual(doctypeProblem('<!DOCTYPE x [<!NOTATION n SYSTEM "n">]>'), { code: 'XLIFF_DTD', index: 13, reason: `${SUBSET} declares notation "n": refused (XLIFF needs no DTD)` });
  assert.deepEqual(doctypeProblem('<!DOCTYPE x SYSTEM "a"', false), { code: 'XLIFF_PARSE', index: 0, reason: 'the input ends inside the DOCTYPE: it is not closed' });
  // An element declaration, then the input ends: the declaration is the first problem.
  assert.equal(doctypeProblem('<!DOCTYPE x [<!ELEMENT x ANY> <!-- ', false)?.code, 'XLIFF_DTD');
});
