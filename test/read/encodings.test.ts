/**
 * The decoder (bytes -> text) and the input edge (path, URL, buffer, Readable, iterables of
 * bytes or strings, gzip). Legacy encodings are checked against libxml2 (`xmllint --encode
 * UTF-8`), an independent decoder; errors must be typed and placed at the exact byte.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createReadStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { readUnits, readChunks, XliffError, type XliffInput } from '../../src/index.js';
import { createDecoder, DecodeFault } from '../../src/read/decoder.js';
import { firstInvalidUtf8 } from '../../src/read/utf8.js';
import { CORPUS_DIR } from '../helpers/corpus.js';
import { inPieces, readSeen as read, seen, type Seen } from '../helpers/read.js';

const FIXTURES = new URL('../fixtures/encodings/', import.meta.url);
const fixture = (name: string): string => new URL(name, FIXTURES).pathname;
const corpusFile = (path: string): string => join(CORPUS_DIR, path);


/** Reads until the error; returns the units read before it and the error (which must be an XliffError). */
async function readToError(input: XliffInput): Promise<{ units: Seen[]; error: XliffError }> {
  const units: Seen[] = [];
  try {
    for await (const unit of readUnits(input)) units.push(seen(unit));
  } catch (error) {
    assert.ok(error instanceof XliffError, `not an XliffError: ${String(error)}`);
    return { units, error };
  }
  assert.fail(`read ${units.length} units without an error`);
}

/** Texts as libxml2 reads them: the file converted to UTF-8 by xmllint, then read. */
async function libxml2Texts(path: string): Promise<Array<[string | undefined, string, string | undefined]>> {
  const utf8 = execFileSync('xmllint', ['--encode', 'UTF-8', path]);
  return (await read(utf8)).map((u) => [u.id, u.source, u.target]);
}

const xliff12 = 'urn:oasis:names:tc:xliff:document:1.2';
/** A small 1.2 document; `source2` is the source of the second unit, on line 5. */
function doc12(source2: string, declaration = '<?xml version="1.0" encoding="UTF-8"?>'): string {
  return (
    `${declaration}\n<xliff version="1.2" xmlns="${xliff12}">\n<file source-language="en" target-language="de" datatype="plaintext" original="o"><body>\n` +
    '<trans-unit id="1"><source>first</source><target>erste</target></trans-unit>\n' +
    `<trans-unit id="2"><source>${source2}</source></trans-unit>\n` +
    '</body></file></xliff>\n'
  );
}
const DOC_UNICODE = doc12('Grüße 😀 中文 € &amp; x');

function utf16(text: string, endian: 'le' | 'be', bom: boolean): Buffer {
  const bytes = Buffer.from(bom ? `\uFEFF${text}` : text, 'utf16le');
  return endian === 'be' ? bytes.swap16() : bytes;
}

// ---------------------------------------------------------------------------------------------
// UTF-8 and UTF-16

test('UTF-8 with and without a BOM: same units; the BOM is not unit text but counts 3 bytes in offsets', async () => {
  const plain = Buffer.from(DOC_UNICODE);
  const withBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), plain]);
  const a = await read(plain);
  const b = await read(withBom);
  assert.deepEqual(
    a.map((u) => [u.id, u.source, u.target]),
    [
      ['1', 'first', 'erste'],
      ['2', 'Grüße 😀 中文 € & x', undefined],
    ],
  );
  assert.deepEqual(
    b.map((u) => [u.id, u.source, u.target, u.raw, u.location.line, u.location.column]),
    a.map((u) => [u.id, u.source, u.target, u.raw, u.location.line, u.location.column]),
  );
  assert.deepEqual(
    b.map((u) => u.location.offset),
    a.map((u) => u.location.offset + 3),
  );
  for (const u of a) assert.equal(plain.subarray(u.location.offset, u.location.offset + u.location.length).toString('utf8'), u.raw);
  // The BOM is no character a user sees: columns on its line start after it, in every encoding.
  const oneLine = `<xliff version="1.2" xmlns="${xliff12}"><file source-language="en" datatype="plaintext" original="o"><body><trans-unit id="x"><source>a</source></trans-unit></body></file></xliff>`;
  const column = oneLine.indexOf('<trans-unit') + 1;
  assert.deepEqual((await read(Buffer.from(oneLine))).map((u) => [u.location.line, u.location.column]), [[1, column]]);
  for (const input of [Buffer.from(`\uFEFF${oneLine}`), utf16(oneLine, 'le', true), utf16(oneLine, 'be', true), [`\uFEFF${oneLine}`]]) {
    assert.deepEqual((await read(input)).map((u) => [u.location.line, u.location.column]), [[1, column]]);
  }
  // The second unit: 'ü' 'ß' take 2 bytes, '😀' 4, '中' '文' '€' 3 each.
  const raw = '<trans-unit id="2"><source>Grüße 😀 中文 € &amp; x</source></trans-unit>';
  assert.equal(a[1]!.raw, raw);
  assert.equal(a[1]!.location.length, Buffer.byteLength(raw));
  assert.equal(a[1]!.location.offset, plain.indexOf('<trans-unit id="2">'));
});

for (const endian of ['le', 'be'] as const) {
  test(`UTF-16${endian.toUpperCase()} by BOM and by the "<?xml" pattern without one: same units, offsets in UTF-16 bytes`, async () => {
    const expected = await read(Buffer.from(DOC_UNICODE));
    const declared = DOC_UNICODE.replace('encoding="UTF-8"', 'encoding="UTF-16"');
    for (const bom of [true, false]) {
      const bytes = utf16(declared, endian, bom);
      for (const input of [bytes, inPieces(bytes, 1), inPieces(bytes, 3), inPieces(bytes, 4096)]) {
        const units = await read(input);
        assert.deepEqual(
          units.map((u) => [u.id, u.source, u.target, u.raw, u.location.line, u.location.column]),
          expected.map((u) => [u.id, u.source, u.target, u.raw, u.location.line, u.location.column]),
        );
        const decoder = new TextDecoder(`utf-16${endian}`);
        for (const u of units) {
          assert.equal(u.location.offset, (bom ? 2 : 0) + 2 * declared.indexOf(u.raw));
          assert.equal(u.location.length, 2 * u.raw.length);
          assert.equal(decoder.decode(bytes.subarray(u.location.offset, u.location.offset + u.location.length)), u.raw);
        }
      }
    }
  });
}

test('a declared encoding the first bytes contradict is an XLIFF_ENCODING error at the label (as the XML spec says; libxml2 refuses the UTF-16 ones)', async () => {
  const utf16Declared = DOC_UNICODE.replace('encoding="UTF-8"', 'encoding="UTF-16"');
  const latin1Declared = DOC_UNICODE.replace('encoding="UTF-8"', 'encoding="ISO-8859-1"');
  const at = '<?xml version="1.0" encoding="'.length;
  for (const [bytes, offset, reason] of [
    [utf16(DOC_UNICODE, 'le', true), 2 + 2 * at, /^the document is UTF-16LE \(by its byte order mark\) but its XML declaration says encoding="UTF-8"$/],
    [utf16(DOC_UNICODE, 'be', true), 2 + 2 * at, /^the document is UTF-16BE \(by its byte order mark\)/],
    [utf16(DOC_UNICODE, 'le', false), 2 * at, /^the document is UTF-16LE \(by its first bytes\)/],
    [utf16(DOC_UNICODE.replace('"UTF-8"', '"UTF-16BE"'), 'le', true), 2 + 2 * at, /UTF-16LE .* encoding="UTF-16BE"$/],
    [Buffer.from(utf16Declared), at, /^the XML declaration says encoding="UTF-16" but the document is not UTF-16/],
    [Buffer.from(`\uFEFF${utf16Declared}`), 3 + at, /^the document starts with a UTF-8 byte order mark but its XML declaration says encoding="UTF-16"$/],
    [Buffer.from(DOC_UNICODE.replace('"UTF-8"', '"utf-16le"')), at, /encoding="utf-16le" but the document is not UTF-16/],
    [Buffer.from(`\uFEFF${latin1Declared}`), 3 + at, /UTF-8 byte order mark but its XML declaration says encoding="ISO-8859-1"$/],
  ] as const) {
    for (const input of [bytes, inPieces(bytes, 1)]) {
      const { error, units } = await readToError(input);
      assert.equal(error.code, 'XLIFF_ENCODING', error.message);
      assert.match(error.reason, reason);
      assert.equal(error.offset, offset);
      assert.deepEqual([error.line, error.column], [1, at + 1]);
      assert.deepEqual(units, []);
    }
  }
  // What agrees: "UTF-16" on either byte order, the byte order's own name, no encoding at all.
  const expected = (await read(Buffer.from(DOC_UNICODE))).map((u) => u.source);
  for (const label of ['UTF-16', 'utf16']) {
    for (const endian of ['le', 'be'] as const) {
      for (const bom of [true, false]) {
        const text = DOC_UNICODE.replace('"UTF-8"', `"${label}"`);
        assert.deepEqual((await read(utf16(text, endian, bom))).map((u) => u.source), expected);
      }
    }
  }
  assert.deepEqual((await read(utf16(DOC_UNICODE.replace('"UTF-8"', '"UTF-16BE"'), 'be', false))).map((u) => u.source), expected);
  assert.deepEqual((await read(utf16(DOC_UNICODE.replace(' encoding="UTF-8"', ''), 'le', false))).map((u) => u.source), expected);
});

test('a lone UTF-16 surrogate is an XLIFF_ENCODING error at its byte offset, with a line and column', async () => {
  // U+D83D (a high surrogate) followed by "x", then a lone low surrogate U+DE00.
  for (const [bad, what] of [
    ['\uD83Dx', 'high'],
    ['a\uDE00', 'low'],
  ] as const) {
    const text = doc12(`ok ${bad}`, '<?xml version="1.0" encoding="UTF-16"?>');
    for (const endian of ['le', 'be'] as const) {
      const bytes = utf16(text, endian, true);
      const at = 2 + 2 * text.indexOf(bad) + (what === 'low' ? 2 : 0);
      for (const input of [bytes, inPieces(bytes, 1), inPieces(bytes, 3), inPieces(bytes, 7)]) {
        const { error, units } = await readToError(input);
        assert.equal(error.code, 'XLIFF_ENCODING', error.message);
        assert.equal(error.offset, at, `${what} ${endian}: ${error.message}`);
        assert.match(error.reason, new RegExp(`invalid UTF-16${endian.toUpperCase()} at byte ${at}: a lone surrogate`));
        assert.equal(error.line, 5);
        assert.equal(error.column, '<trans-unit id="2"><source>ok '.length + (what === 'low' ? 2 : 1));
        assert.deepEqual(units.map((u) => u.id), ['1'], 'the unit before the bad bytes is handed out');
      }
    }
  }
});

test('UTF-16 that ends inside a code unit or after a high surrogate is an XLIFF_ENCODING error', async () => {
  const bytes = utf16(doc12('x', '<?xml version="1.0"?>'), 'le', true);
  const odd = bytes.subarray(0, bytes.length - 1);
  const oddError = (await readToError(odd)).error;
  assert.equal(oddError.code, 'XLIFF_ENCODING');
  assert.equal(oddError.offset, bytes.length - 2);
  assert.match(oddError.reason, /ends in the middle of a character/);
  const highAtEnd = Buffer.concat([bytes, Buffer.from([0x3d, 0xd8])]);
  for (const input of [highAtEnd, inPieces(highAtEnd, 1)]) {
    const { error } = await readToError(input);
    assert.equal(error.code, 'XLIFF_ENCODING');
    assert.equal(error.offset, bytes.length);
    assert.match(error.reason, /ends with a lone surrogate/);
  }
});

// ---------------------------------------------------------------------------------------------
// Invalid UTF-8

test('an invalid UTF-8 byte is an XLIFF_ENCODING error with its exact byte offset, line and column, whatever the pieces', async () => {
  const prefix = Buffer.from(doc12('').split('<source></source>')[0]! + '<source>ab é ');
  const bytes = Buffer.concat([prefix, Buffer.from([0xff]), Buffer.from('cd</source></trans-unit>\n</body></file></xliff>\n')]);
  const column = '<trans-unit id="2"><source>ab é '.length + 1;
  const outcomes = new Set<string>();
  for (const size of [bytes.length, 4096, 1, 2, 3, 4, 5, 7]) {
    const { error, units } = await readToError(inPieces(bytes, size));
    assert.deepEqual(units.map((u) => u.id), ['1'], `pieces of ${size}: the unit before the bad byte is handed out`);
    assert.equal(error.code, 'XLIFF_ENCODING');
    assert.equal(error.offset, prefix.length, `pieces of ${size}: ${error.message}`);
    assert.equal(error.line, 5, `pieces of ${size}: ${error.message}`);
    assert.equal(error.column, column, `pieces of ${size}: ${error.message}`);
    assert.equal(error.reason, `invalid UTF-8 at byte ${prefix.length} (FF)`);
    assert.ok(error.message.startsWith(`<stream>:5:${column}: invalid UTF-8 at byte ${prefix.length}`), error.message);
    outcomes.add(error.message);
  }
  assert.equal(outcomes.size, 1);
});

test('an invalid UTF-8 sequence cut across pieces is placed at its first byte, at every cut', async () => {
  const cases: Array<[string, number[]]> = [
    ['a lead byte without its continuation', [0xc3, 0x28]],
    ['a 3-byte sequence broken at its third byte', [0xe2, 0x82, 0x41]],
    ['a 4-byte sequence broken at its fourth byte', [0xf0, 0x9f, 0x98, 0x41]],
    ['an overlong encoding', [0xc0, 0xaf]],
    ['a surrogate encoded in UTF-8', [0xed, 0xa0, 0x80]],
    ['a code point above U+10FFFF', [0xf4, 0x90, 0x80, 0x80]],
    ['a stray continuation byte', [0x80]],
  ];
  for (const [what, bad] of cases) {
    const head = Buffer.from(doc12('').split('<source></source>')[0]! + '<source>€😀');
    const bytes = Buffer.concat([head, Buffer.from(bad), Buffer.from('z</source></trans-unit></body></file></xliff>')]);
    const at = head.length;
    const column = '<trans-unit id="2"><source>€😀'.length + 1;
    const inputs: Array<[string, Uint8Array[]]> = [['whole', [bytes]]];
    // Every cut from inside the emoji before the bad bytes to past them, and runs of 1-byte pieces.
    for (let cut = at - 5; cut <= at + bad.length + 1; cut++) inputs.push([`cut at ${cut}`, [bytes.subarray(0, cut), bytes.subarray(cut)]]);
    inputs.push(['1-byte pieces', inPieces(bytes, 1)], ['3-byte pieces', inPieces(bytes, 3)]);
    for (const [how, input] of inputs) {
      const { error, units } = await readToError(input);
      assert.deepEqual(units.map((u) => u.id), ['1'], `${what}, ${how}`);
      assert.equal(error.code, 'XLIFF_ENCODING', `${what}, ${how}: ${error.message}`);
      assert.equal(error.offset, at, `${what}, ${how}: ${error.message}`);
      assert.equal(error.line, 5, `${what}, ${how}: ${error.message}`);
      assert.equal(error.column, column, `${what}, ${how}: ${error.message}`);
      assert.match(error.reason, new RegExp(`^invalid UTF-8 at byte ${at} \\(${bad[0]!.toString(16).toUpperCase()}`), `${what}, ${how}`);
    }
  }
});

test('UTF-8 truncated inside a multi-byte character is an XLIFF_ENCODING error at the character\'s first byte', async () => {
  const full = Buffer.from(doc12('x 😀'));
  const emoji = full.indexOf('😀');
  for (const keep of [1, 2, 3]) {
    const bytes = full.subarray(0, emoji + keep);
    for (const input of [bytes, inPieces(bytes, 1), inPieces(bytes, 2)]) {
      const { error, units } = await readToError(input);
      assert.equal(error.code, 'XLIFF_ENCODING', error.message);
      assert.equal(error.offset, emoji);
      assert.match(error.reason, new RegExp(`^invalid UTF-8 at byte ${emoji}: the input ends inside a character$`));
      assert.equal(error.line, 5);
      assert.equal(error.column, '<trans-unit id="2"><source>x '.length + 1);
      assert.deepEqual(units.map((u) => u.id), ['1'], 'the unit before the bad bytes is handed out');
    }
  }
});

test('firstInvalidUtf8 finds the first byte of the first bad sequence', () => {
  assert.equal(firstInvalidUtf8(Buffer.from('abc')), 3);
  assert.equal(firstInvalidUtf8(Buffer.from('a€😀é')), Buffer.byteLength('a€😀é'));
  assert.equal(firstInvalidUtf8(Uint8Array.of(0x61, 0xff)), 1);
  assert.equal(firstInvalidUtf8(Uint8Array.of(0x61, 0xe2, 0x82)), 1); // ends inside a character
  assert.equal(firstInvalidUtf8(Uint8Array.of(0xe0, 0x80, 0x80)), 0); // overlong
  assert.equal(firstInvalidUtf8(Uint8Array.of(0x41, 0xed, 0xbf, 0xbf)), 1); // surrogate
  assert.equal(firstInvalidUtf8(Uint8Array.of(0xf4, 0x8f, 0xbf, 0xbf, 0xf5)), 4); // U+10FFFF then a bad lead
});

// ---------------------------------------------------------------------------------------------
// Single-byte encodings

test('windows-1252 (corpus): 0x93 0x94 0x96 are “ ” –, as libxml2 reads them, whatever the pieces', async () => {
  const path = corpusFile('okapi-xliff12/SF-12-Test03.xlf');
  const bytes = readFileSync(path);
  assert.ok(bytes.includes(0x93) && bytes.includes(0x94) && bytes.includes(0x96));
  const units = await read(bytes);
  assert.equal(units.length, 944);
  const texts = units.flatMap((u) => [u.source, u.target ?? '']).join('');
  assert.match(texts, /[“”–]/);
  assert.doesNotMatch(texts, /[\u0080-\u009f]/, 'C1 controls: windows-1252 decoded without streaming (Node pitfall)');
  assert.deepEqual(
    units.map((u) => [u.id, u.source, u.target]),
    await libxml2Texts(path),
  );
  for (const u of units) assert.equal(new TextDecoder('windows-1252').decode(bytes.subarray(u.location.offset, u.location.offset + u.location.length), { stream: true }), u.raw);
  // 1-, 3- and 7-byte pieces of this file: chunk-invariance.test.ts.
  assert.deepEqual(await read(inPieces(bytes, 64)), units);
});

test('windows-1252 fixture: 0x80 is €, 0x80-0x9F are the windows-1252 letters, not C1 controls', async () => {
  const path = fixture('windows-1252.xlf');
  const bytes = readFileSync(path);
  const expected = [
    ['euro', 'Price: 5 €', 'Prix\u00a0: 5 €'],
    ['c1-range', '€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ', undefined],
    ['latin', 'café naïve ÿ', '« café »'],
  ];
  for (const input of [path, bytes, inPieces(bytes, 1), inPieces(bytes, 2)]) assert.deepEqual((await read(input)).map((u) => [u.id, u.source, u.target]), expected);
  assert.deepEqual(await libxml2Texts(path), expected);
  // One byte per character: offsets and lengths count characters.
  for (const u of await read(bytes)) {
    assert.equal(u.location.length, u.raw.length);
    assert.equal(bytes.subarray(u.location.offset, u.location.offset + 11).toString('latin1'), '<trans-unit');
  }
});

test('windows-1251 fixture and corpus file: Cyrillic as libxml2 reads it', async () => {
  const path = fixture('windows-1251.xlf');
  const bytes = readFileSync(path);
  const expected = [
    ['hello', 'Hello world', 'Привет, мир'],
    ['specials', 'Ђ € Ё ё Ая', 'Ёлка'],
  ];
  for (const input of [path, inPieces(bytes, 1)]) assert.deepEqual((await read(input)).map((u) => [u.id, u.source, u.target]), expected);
  assert.deepEqual(await libxml2Texts(path), expected);
  const corpusPath = corpusFile('okapi-misc/test1.out.xlf');
  assert.deepEqual(
    (await read(corpusPath)).map((u) => [u.id, u.source, u.target]),
    await libxml2Texts(corpusPath),
  );
});

test('ISO-8859-1 is true Latin-1: 0x80-0x9F are U+0080-U+009F (as libxml2), not windows-1252', async () => {
  const path = fixture('iso-8859-1.xlf');
  const bytes = readFileSync(path);
  const expected = [
    ['c1', '\u0080\u0085\u009f', '\u0080'],
    ['umlauts', 'Bär ö ü ß ÿ', '© ® °'],
  ];
  for (const input of [path, bytes, inPieces(bytes, 1), inPieces(bytes, 3)]) assert.deepEqual((await read(input)).map((u) => [u.id, u.source, u.target]), expected);
  assert.deepEqual(await libxml2Texts(path), expected);
  for (const u of await read(bytes)) assert.equal(bytes.subarray(u.location.offset, u.location.offset + u.location.length).toString('latin1'), u.raw);
  // Other labels of the same encoding, and the corpus file.
  for (const label of ['latin1', 'iso_8859-1', 'ISO8859-1']) {
    const relabelled = Buffer.from(bytes.toString('latin1').replace('ISO-8859-1', label), 'latin1');
    assert.deepEqual((await read(relabelled)).map((u) => [u.id, u.source, u.target]), expected, label);
  }
  const corpusPath = corpusFile('symfony-translation/encoding.xlf');
  const corpusUnits = await read(corpusPath);
  assert.deepEqual(
    corpusUnits.map((u) => [u.id, u.source, u.target]),
    [
      ['1', 'foo', 'bär'],
      ['2', 'bar', 'föö'],
    ],
  );
  // The declaration is found when it arrives a byte at a time ("<?xm" is not yet "no declaration").
  assert.deepEqual(await read(inPieces(readFileSync(corpusPath), 1)), corpusUnits);
});

test('US-ASCII: a byte above 0x7F is an XLIFF_ENCODING error at its offset', async () => {
  const text = doc12('caf\u00e9', '<?xml version="1.0" encoding="US-ASCII"?>');
  const bytes = Buffer.from(text, 'latin1');
  const { error } = await readToError(inPieces(bytes, 5));
  assert.equal(error.code, 'XLIFF_ENCODING');
  assert.equal(error.offset, text.indexOf('\u00e9'));
  assert.equal(error.line, 5);
  assert.equal(error.column, '<trans-unit id="2"><source>caf'.length + 1);
  assert.match(error.reason, /byte 0xE9 .* is not defined in us-ascii/);
});

test('an unknown or unsupported encoding label is an XLIFF_ENCODING error at the label', async () => {
  for (const [label, reason] of [
    ['x-klingon', /^unknown encoding "x-klingon" in the XML declaration$/],
    ['Shift_JIS', /^unsupported encoding "Shift_JIS"/],
    ['UTF-32', /encoding "UTF-32"/],
  ] as const) {
    const bytes = Buffer.from(doc12('x', `<?xml version="1.0" encoding="${label}"?>`));
    for (const input of [bytes, inPieces(bytes, 1)]) {
      const { error, units } = await readToError(input);
      assert.equal(error.code, 'XLIFF_ENCODING', error.message);
      assert.match(error.reason, reason);
      assert.equal(error.offset, 30);
      assert.equal(error.line, 1);
      assert.equal(error.column, 31);
      assert.deepEqual(units, []);
    }
  }
});

test('input that is not XML at all says what it looks like', async () => {
  const zip = Buffer.from('PK\x03\x04 not really a zip', 'latin1');
  const { error } = await readToError(zip);
  assert.equal(error.code, 'XLIFF_PARSE');
  assert.match(error.reason, /not XML: .*50 4B 03 04 \(a ZIP archive\)/);
  assert.equal(error.offset, 0);
});

test('createDecoder reports the encoding, the BOM and byte lengths', () => {
  const cases: Array<[Uint8Array, string, boolean, string]> = [
    [Buffer.from('<a>é</a>'), 'utf-8', false, 'é'],
    [Buffer.from('\uFEFF<a>é</a>'), 'utf-8', true, 'é'],
    [utf16('<a>é</a>', 'le', true), 'utf-16le', true, 'é'],
    [utf16('<?xml version="1.0"?><a>é</a>', 'be', false), 'utf-16be', false, 'é'],
    [Buffer.from('<?xml version="1.0" encoding="windows-1252"?><a>\x80</a>', 'latin1'), 'windows-1252', false, '€'],
    [Buffer.from("<?xml version='1.0' encoding='ISO-8859-1'?><a>\x80</a>", 'latin1'), 'iso-8859-1', false, '\u0080'],
    [Buffer.from('<?xml version="1.0" encoding="cp1251"?><a>\xc0</a>', 'latin1'), 'windows-1251', false, 'А'],
  ];
  for (const [bytes, encoding, bom, char] of cases) {
    for (const size of [bytes.length, 1]) {
      const decoder = createDecoder();
      let text = '';
      for (const piece of inPieces(bytes, size)) text += decoder.write(piece);
      text += decoder.end();
      assert.equal(decoder.encoding, encoding);
      assert.equal(decoder.bom, bom);
      assert.ok(text.includes(`<a>${char}</a>`), `${encoding}: ${JSON.stringify(text)}`);
      assert.equal(text.startsWith('\uFEFF'), bom, 'the BOM stays in the text as U+FEFF');
      assert.equal(decoder.byteLength(text), bytes.length, `${encoding}: byteLength of the whole text is the input size`);
    }
  }
  const decoder = createDecoder();
  assert.throws(
    () => decoder.write(Uint8Array.of(0x3c, 0x61, 0x3e, 0xe2, 0x28, 0xa1)),
    (error: unknown) => error instanceof DecodeFault && error.kind === 'encoding' && error.offset === 3 && error.text === '<a>',
  );
});

// ---------------------------------------------------------------------------------------------
// Input kinds

const GZIP_SAMPLE = 'okapi-xliff12/SF-12-Test03.xlf';
const UTF8_SAMPLE = 'netresearch-xliff-streaming/unicode-complex.xlf';

test('gzip input (buffer, 1-byte pieces, path, stream) gives the same units as the plain file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'xliff-enc-'));
  try {
    for (const path of [UTF8_SAMPLE, GZIP_SAMPLE, 'angular-apps/messages.fr.xlf']) {
      const plain = readFileSync(corpusFile(path));
      const expected = await read(plain);
      assert.ok(expected.length > 0);
      const gz = gzipSync(plain);
      assert.deepEqual(await read(gz), expected, `${path} gzip buffer`);
      const gzPath = join(dir, 'sample.xlf.gz');
      writeFileSync(gzPath, gz);
      assert.deepEqual(await read(gzPath), expected, `${path} gzip path`);
      assert.deepEqual(await read(createReadStream(gzPath, { highWaterMark: 1000 })), expected, `${path} gzip stream`);
      if (gz.length < 5_000) assert.deepEqual(await read(inPieces(gz, 1)), expected, `${path} gzip in 1-byte pieces`);
      // Offsets are in the decompressed input.
      for (const u of expected.slice(0, 50)) assert.equal(plain.subarray(u.location.offset, u.location.offset + 11).toString('latin1'), '<trans-unit');
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('truncated or corrupt gzip is an XliffError', async () => {
  const gz = gzipSync(readFileSync(corpusFile(UTF8_SAMPLE)));
  for (const broken of [gz.subarray(0, gz.length - 20), Buffer.concat([gz.subarray(0, 20), Buffer.alloc(40, 0xff)])]) {
    for (const input of [broken, inPieces(broken, 1)]) {
      const { error } = await readToError(input);
      assert.equal(error.code, 'XLIFF_PARSE', error.message);
      assert.match(error.reason, /gzip/);
    }
  }
});

test('Node Readable input (file stream, Readable.from, a stream of strings) gives the same units', async () => {
  const path = corpusFile(UTF8_SAMPLE);
  const bytes = readFileSync(path);
  const expected = await read(bytes);
  assert.deepEqual(await read(createReadStream(path, { highWaterMark: 7 })), expected);
  assert.deepEqual(await read(Readable.from(inPieces(bytes, 5))), expected);
  assert.deepEqual(await read(createReadStream(path, { encoding: 'utf8', highWaterMark: 3 })), expected);
  assert.deepEqual(await read(pathToFileURL(path)), expected);
  assert.deepEqual(await read(path), expected);
});

test('string pieces (AsyncIterable<string>, surrogate pairs split) give the same units, offsets in UTF-8 bytes', async () => {
  const bytes = Buffer.from(DOC_UNICODE);
  const expected = await read(bytes);
  async function* strings(size: number): AsyncGenerator<string> {
    for (let i = 0; i < DOC_UNICODE.length; i += size) yield DOC_UNICODE.slice(i, i + size);
  }
  for (const size of [1, 2, 3, 5, DOC_UNICODE.length]) assert.deepEqual(await read(strings(size)), expected, `pieces of ${size}`);
  // A sync iterable of strings, and a BOM in text input.
  assert.deepEqual(await read([DOC_UNICODE]), expected);
  const withBom = await read([`\uFEFF${DOC_UNICODE}`]);
  assert.deepEqual(
    withBom.map((u) => u.location.offset),
    expected.map((u) => u.location.offset + 3),
  );
});

test('string input with a lone surrogate is an XLIFF_ENCODING error at its UTF-8 byte offset', async () => {
  for (const [bad, what] of [
    ['\uD83Dx', 'a high surrogate before "x"'],
    ['a\uDE00', 'a low surrogate after "a"'],
  ] as const) {
    const text = doc12(`é ${bad}`);
    const at = Buffer.byteLength(text.slice(0, text.indexOf(bad))) + (bad.startsWith('a') ? 1 : 0);
    for (const size of [text.length, 1, 3]) {
      const strings: string[] = [];
      for (let i = 0; i < text.length; i += size) strings.push(text.slice(i, i + size));
      const { error, units } = await readToError(strings);
      assert.equal(error.code, 'XLIFF_ENCODING', `${what}, pieces of ${size}: ${error.message}`);
      assert.equal(error.offset, at, `${what}, pieces of ${size}`);
      assert.equal(error.line, 5);
      assert.equal(error.column, '<trans-unit id="2"><source>é '.length + (bad.startsWith('a') ? 2 : 1));
      assert.match(error.reason, /lone surrogate/);
      assert.deepEqual(units.map((u) => u.id), ['1']);
    }
  }
  // A high surrogate as the very last character.
  const { error } = await readToError([doc12('x'), '\uD83D']);
  assert.equal(error.code, 'XLIFF_ENCODING');
  assert.equal(error.offset, Buffer.byteLength(doc12('x')));
});

test('an input that mixes strings and bytes is an XliffError; a bad input is a TypeError', async () => {
  const { error } = await readToError(['<xliff version="1.2">', Buffer.from('</xliff>')]);
  assert.equal(error.code, 'XLIFF_PARSE');
  assert.match(error.reason, /mixes text and byte pieces/);
  await assert.rejects(readUnits(42 as unknown as XliffInput).next(), (e: unknown) => e instanceof TypeError && /path, a URL, a Readable/.test(e.message));
});

test('breaking out of the loop early closes the input, plain or gzip, and reads only what it needed', async () => {
  const plain = readFileSync(corpusFile('angular-apps/messages.fr.xlf'));
  for (const [name, bytes] of [
    ['plain', plain],
    ['gzip', gzipSync(plain)],
  ] as const) {
    for (const kind of ['async iterable', 'Readable'] as const) {
      let closed = false;
      let pulled = 0;
      const total = Math.ceil(bytes.length / 1000);
      async function* source(): AsyncGenerator<Uint8Array> {
        try {
          for (let i = 0; i < bytes.length; i += 1000) {
            pulled++;
            yield bytes.subarray(i, i + 1000);
          }
        } finally {
          closed = true;
        }
      }
      const input = kind === 'Readable' ? Readable.from(source(), { objectMode: false }) : source();
      const ids: Array<string | undefined> = [];
      for await (const unit of readUnits(input)) {
        ids.push(unit.id);
        if (ids.length === 2) break;
      }
      assert.equal(ids.length, 2);
      await new Promise((resolve) => setImmediate(resolve));
      assert.ok(closed, `${name} ${kind}: the source was not closed`);
      assert.ok(pulled < total / 2, `${name} ${kind}: ${pulled} of ${total} pieces read for 2 units`);
    }
  }
});

test('a missing file is XLIFF_IO', async () => {
  const { error } = await readToError(join(tmpdir(), 'no-such-dir-xliff', 'missing.xlf'));
  assert.equal(error.code, 'XLIFF_IO');
  assert.match(error.reason, /ENOENT/);
});

test('readChunks: chunk bytes are input bytes in the input encoding (UTF-16 counts 2 per code unit)', async () => {
  const declared = DOC_UNICODE.replace('encoding="UTF-8"', 'encoding="UTF-16"');
  const chunks8 = [];
  for await (const chunk of readChunks(Buffer.from(DOC_UNICODE), { chunkUnits: 10 })) chunks8.push(chunk);
  const chunks16 = [];
  for await (const chunk of readChunks(utf16(declared, 'le', true), { chunkUnits: 10 })) chunks16.push(chunk);
  assert.equal(chunks8.length, 1);
  assert.equal(chunks16.length, 1);
  const raws = chunks8[0]!.units.map((u) => u.raw);
  assert.equal(chunks8[0]!.bytes, raws.reduce((n, r) => n + Buffer.byteLength(r), 0));
  assert.equal(chunks16[0]!.bytes, raws.reduce((n, r) => n + 2 * r.length, 0));
});
