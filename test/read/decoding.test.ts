/**
 * Decoding as libxml2 (`xmllint`) does it: every byte an encoding does not define is a fatal,
 * positioned `XLIFF_ENCODING` (never a U+FFFD), for every encoding read; the single-byte
 * tables are the ones xmllint decodes through; the declared encoding and the BOM / first bytes
 * must agree; the XML declaration is checked as XML (and libxml2) reads it. Each case is
 * read through `readUnits` (whole and in pieces) and `validate`, and checked against xmllint.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { validate } from '../../src/index.js';
import { SINGLE_BYTE_ENCODINGS, decodingTable } from '../../src/charsets.js';
import { createDecoder } from '../../src/read/decoder.js';
import { inPieces, readError } from '../helpers/read.js';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'xliff-decoding-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;

/** What xmllint says of the bytes: `undefined` if it reads them, else its first error line. */
async function xmllint(bytes: Uint8Array, ...args: string[]): Promise<{ error: string | undefined; stdout: string }> {
  const file = join(dir, `${files++}.xml`);
  writeFileSync(file, bytes);
  try {
    const { stdout } = await run('xmllint', [...args, file], { encoding: 'buffer', maxBuffer: 1 << 24 });
    return { error: undefined, stdout: stdout.toString('utf8') };
  } catch (error) {
    const stderr = String((error as { stderr?: Buffer }).stderr ?? error);
    return { error: stderr.split('\n')[0] || 'failed', stdout: '' };
  }
}

/** Runs `task` over `items`, `limit` at a time. */
async function each<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: limit }, async () => {
    while (next < items.length) await task(items[next++]!);
  }));
}

interface Expected {
  readonly code: string;
  readonly reason: RegExp;
  readonly line: number;
  readonly column: number;
  readonly offset?: number;
}

/** The bytes fail with `expected`, read whole, in pieces of 1, 2, 3 and 7 bytes, and through `validate`; xmllint refuses them too. */
async function assertRefused(name: string, bytes: Uint8Array, expected: Expected, libxml2 = true): Promise<void> {
  for (const input of [bytes, inPieces(bytes, 1), inPieces(bytes, 2), inPieces(bytes, 3), inPieces(bytes, 7)]) {
    const error = await readError(input);
    assert.equal(error.code, expected.code, `${name}: ${error.message}`);
    assert.match(error.reason, expected.reason, name);
    assert.deepEqual([error.line, error.column], [expected.line, expected.column], `${name}: ${error.message}`);
    if (expected.offset !== undefined) assert.equal(error.offset, expected.offset, `${name}: ${error.message}`);
  }
  const result = await validate(bytes, { xml: true });
  assert.equal(result.valid, false, name);
  const problem = result.problems[0]!;
  assert.deepEqual([problem.code, problem.line, problem.column], [expected.code, expected.line, expected.column], `${name}: ${problem.message}`);
  assert.match(problem.reason, expected.reason, name);
  if (libxml2) assert.notEqual((await xmllint(bytes, '--noout')).error, undefined, `${name}: xmllint reads it`);
}

const utf16 = (text: string, endian: 'le' | 'be'): Buffer => {
  const b = Buffer.from(text, 'utf16le');
  return endian === 'be' ? b.swap16() : b;
};
const cat = (...parts: Array<string | number[] | Uint8Array>): Uint8Array =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : Uint8Array.from(p))));

// ---------------------------------------------------------------------------------------------
// Invalid bytes, every encoding

/** readUnits refuses a root that is not XLIFF before it reads on: the cases are XLIFF. */
const ROOT = '<xliff version="2.0" xmlns="urn:oasis:names:tc:xliff:document:2.0" srcLang="en">';
const END = '</xliff>\n';
const UTF8_HEAD = `<?xml version="1.0" encoding="UTF-8"?>\n${ROOT}`;
const UTF8_BAD: ReadonlyArray<readonly [string, number[], RegExp]> = [
  ['a lone continuation byte', [0x80], /invalid UTF-8 at byte \d+ \(80\)/],
  ['a byte that never starts a sequence', [0xff], /\(FF\)/],
  ['an overlong 2-byte form', [0xc0, 0x80], /\(C0\)/],
  ['an overlong 3-byte form', [0xe0, 0x80, 0x80], /\(E0 80\)/],
  ['an overlong 4-byte form', [0xf0, 0x80, 0x80, 0x80], /\(F0 80\)/],
  ['a surrogate (U+D800)', [0xed, 0xa0, 0x80], /\(ED A0\)/],
  ['above U+10FFFF', [0xf4, 0x90, 0x80, 0x80], /\(F4 90\)/],
  ['a 5-byte form', [0xf8, 0x88, 0x80, 0x80, 0x80], /\(F8\)/],
  ['a sequence cut by ASCII', [0xe2, 0x82, 0x41], /\(E2 82 41\)/],
];

test('UTF-8: each kind of invalid sequence, at the start of the text, in the middle, split over pieces', async () => {
  for (const [what, bad, reason] of UTF8_BAD) {
    for (const before of ['', 'héllo € ']) {
      const bytes = cat(UTF8_HEAD, before, bad, `z${END}`);
      const offset = Buffer.byteLength(UTF8_HEAD + before);
      await assertRefused(`${what} after "${before}"`, bytes, { code: 'XLIFF_ENCODING', reason, line: 2, column: ROOT.length + 1 + before.length, offset });
    }
  }
});

test('UTF-8: a sequence the input ends inside is an error at its first byte', async () => {
  for (const bad of [[0xc3], [0xe2, 0x82], [0xf0, 0x9f, 0x98]]) {
    const bytes = cat(UTF8_HEAD, `x${END}`, bad);
    await assertRefused(`ends in ${bad.length + 1}-byte form`, bytes, { code: 'XLIFF_ENCODING', reason: /the input ends inside a character/, line: 3, column: 1, offset: bytes.length - bad.length });
  }
});

test('UTF-16 LE and BE: lone surrogates, and input that ends inside a code unit or after a high surrogate', async () => {
  for (const endian of ['le', 'be'] as const) {
    const name = `UTF-16${endian.toUpperCase()}`;
    const head = `\uFEFF<?xml version="1.0" encoding="UTF-16"?>\n${ROOT}`;
    for (const [what, bad, skip] of [
      ['a lone high surrogate', '\uD800z', 0],
      ['a lone low surrogate', '\uDC00z', 0],
      ['a high surrogate before another', '\uD83D\uD83D\uDE00', 0],
      ['a low surrogate after a pair', '\uD83D\uDE00\uDE00', 2],
    ] as const) {
      for (const before of ['', 'héllo € ']) {
        const bytes = utf16(`${head}${before}${bad}${END}`, endian);
        const offset = 2 * (head.length + before.length + skip);
        await assertRefused(`${name} ${what}`, bytes, { code: 'XLIFF_ENCODING', reason: new RegExp(`invalid ${name} at byte ${offset}: a lone surrogate`), line: 2, column: ROOT.length + 1 + before.length + skip, offset });
      }
    }
    const whole = utf16(`${head}x${END}`, endian);
    // libxml2 drops a last odd byte without a word; it is not UTF-16.
    await assertRefused(`${name} odd byte count`, cat(whole, [0x41]), { code: 'XLIFF_ENCODING', reason: /ends in the middle of a character/, line: 3, column: 1, offset: whole.length }, false);
    const high = endian === 'le' ? [0x3d, 0xd8] : [0xd8, 0x3d];
    // So does it a last high surrogate.
    await assertRefused(`${name} ends after a high surrogate`, cat(whole, high), { code: 'XLIFF_ENCODING', reason: /ends with a lone surrogate/, line: 3, column: 1, offset: whole.length }, false);
  }
});

/** Every encoding name the decoder reads through a table. */
const TABLES = ['us-ascii', 'iso-8859-1', 'iso-8859-9', 'iso-8859-11', 'tis-620', ...SINGLE_BYTE_ENCODINGS];
const undefinedBytes = (table: Uint16Array): number[] => [...table.keys()].filter((b) => table[b] === 0xffff);

test('windows-1252 leaves 0x81, 0x8D, 0x8F, 0x90 and 0x9D undefined, as libxml2 (iconv) does, not C1 controls as WHATWG', async () => {
  assert.deepEqual(undefinedBytes(decodingTable('windows-1252')), [0x81, 0x8d, 0x8f, 0x90, 0x9d]);
  for (const b of [0x81, 0x8d, 0x8f, 0x90, 0x9d]) {
    const head = `<?xml version="1.0" encoding="windows-1252"?>\n${ROOT}caf\xe9 \x80 `;
    const bytes = Buffer.concat([Buffer.from(head, 'latin1'), Buffer.from([b]), Buffer.from(END)]);
    await assertRefused(`windows-1252 0x${b.toString(16)}`, bytes, {
      code: 'XLIFF_ENCODING',
      reason: new RegExp(`byte 0x${b.toString(16).toUpperCase()} at offset ${head.length} is not defined in windows-1252`),
      line: 2,
      column: head.length - head.indexOf('\n'),
      offset: head.length,
    });
  }
});

test('a byte a single-byte table does not define is an error at that byte, at the start and across pieces', async () => {
  for (const encoding of ['us-ascii', 'iso-8859-6', 'iso-8859-8', 'windows-874', 'windows-1253', 'windows-1255', 'tis-620']) {
    const bad = undefinedBytes(decodingTable(encoding)).at(-1)!;
    const head = `<?xml version="1.0" encoding="${encoding}"?>\n${ROOT}`;
    for (const before of ['', 'ab ']) {
      const bytes = cat(head, before, [bad], END);
      await assertRefused(`${encoding} 0x${bad.toString(16)}`, bytes, { code: 'XLIFF_ENCODING', reason: new RegExp(`is not defined in ${encoding}$`), line: 2, column: ROOT.length + 1 + before.length, offset: head.length + before.length });
    }
  }
});

test('each single-byte table is the one xmllint decodes through: the same characters, the same undefined bytes', async () => {
  await each(TABLES, 4, async (encoding) => {
    const table = decodingTable(encoding);
    const defined = [...table.keys()].filter((b) => b >= 0x80 && table[b] !== 0xffff);
    const head = `<?xml version="1.0" encoding="${encoding}"?><a>`;
    if (defined.length > 0) {
      const bytes = cat(head, defined, '</a>');
      const decoder = createDecoder();
      const ours = (decoder.write(bytes) + decoder.end()).slice(head.length, -4);
      const { error, stdout } = await xmllint(bytes, '--encode', 'UTF-8');
      assert.equal(error, undefined, `${encoding}: ${error}`);
      const theirs = /<a>([\s\S]*)<\/a>/.exec(stdout)![1]!.replace(/&#(x?)([0-9A-Fa-f]+);/g, (_, x: string, n: string) => String.fromCodePoint(parseInt(n, x ? 16 : 10)));
      // glibc's CP1258 composes a letter and the combining mark after it (U+01AF U+0303 -> U+1EEE):
      // the same text up to composition; the reader keeps one character a byte (the round trip needs it).
      assert.equal(ours.normalize('NFC'), theirs.normalize('NFC'), encoding);
    }
    // The first and the last of each table's (xmllint stops at the first; windows-1252's are all tested above).
    const all = undefinedBytes(table);
    const holes = [...new Set([all[0], all.at(-1)])].filter((b) => b !== undefined);
    for (const b of holes) {
      const { error } = await xmllint(cat(head, [b], '</a>'), '--noout');
      assert.notEqual(error, undefined, `${encoding} 0x${b.toString(16)}: xmllint reads it`);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// The declared encoding against the BOM and the first bytes

test('encodings the declaration names that xmllint refuses too: unknown names, labels libxml2 does not know, UTF-16 on 8-bit bytes', async () => {
  const at = '<?xml version="1.0" encoding="'.length;
  for (const [label, reason] of [
    ['x-klingon', /^unknown encoding "x-klingon"/],
    ['UTF-16', /encoding="UTF-16" but the document is not UTF-16/],
    ['utf-16BE', /encoding="utf-16BE" but the document is not UTF-16/],
    ['x-mac-ukrainian', /^unsupported encoding "x-mac-ukrainian"/],
    ['dos-874', /^unsupported encoding "dos-874"/],
    ['logical', /^unsupported encoding "logical"/],
  ] as const) {
    const bytes = cat(`<?xml version="1.0" encoding="${label}"?>\n<a>x</a>\n`);
    await assertRefused(label, bytes, { code: 'XLIFF_ENCODING', reason, line: 1, column: at + 1, offset: at });
  }
});

test('a BOM or UTF-16 first bytes that contradict the declared encoding are refused; xmllint refuses the UTF-8 BOM with UTF-16, and reads the others (the XML spec does not)', async () => {
  const doc = (label: string): string => `<?xml version="1.0" encoding="${label}"?>\n<a>x</a>\n`;
  const at = '<?xml version="1.0" encoding="'.length;
  const cases: ReadonlyArray<readonly [string, Uint8Array, number, RegExp, boolean]> = [
    ['UTF-8 BOM, UTF-16', cat([0xef, 0xbb, 0xbf], doc('UTF-16')), 3 + at, /UTF-8 byte order mark but its XML declaration says encoding="UTF-16"/, true],
    ['UTF-8 BOM, ISO-8859-1', cat([0xef, 0xbb, 0xbf], doc('ISO-8859-1')), 3 + at, /UTF-8 byte order mark .* encoding="ISO-8859-1"/, false],
    ['UTF-16LE BOM, UTF-8', utf16(`\uFEFF${doc('UTF-8')}`, 'le'), 2 + 2 * at, /UTF-16LE \(by its byte order mark\) .* encoding="UTF-8"/, false],
    ['UTF-16BE, no BOM, UTF-8', utf16(doc('UTF-8'), 'be'), 2 * at, /UTF-16BE \(by its first bytes\)/, false],
    ['UTF-16LE BOM, UTF-16BE', utf16(`\uFEFF${doc('UTF-16BE')}`, 'le'), 2 + 2 * at, /UTF-16LE .* encoding="UTF-16BE"/, true],
    ['UTF-16BE BOM, windows-1252', utf16(`\uFEFF${doc('windows-1252')}`, 'be'), 2 + 2 * at, /UTF-16BE .* encoding="windows-1252"/, true],
  ];
  for (const [name, bytes, offset, reason, libxml2Refuses] of cases) {
    await assertRefused(name, bytes, { code: 'XLIFF_ENCODING', reason, line: 1, column: at + 1, offset }, libxml2Refuses);
    if (!libxml2Refuses) assert.equal((await xmllint(bytes, '--noout')).error, undefined, `${name}: xmllint now refuses it`);
  }
  // What agrees is read, by both.
  for (const bytes of [utf16(`\uFEFF${doc('UTF-16')}`, 'be'), utf16(doc('utf-16le'), 'le'), cat([0xef, 0xbb, 0xbf], doc('utf-8'))]) {
    assert.equal((await validate(bytes, { xml: true })).valid, true);
    assert.equal((await xmllint(bytes, '--noout')).error, undefined);
  }
});

// ---------------------------------------------------------------------------------------------
// The XML declaration

test('malformed and misplaced XML declarations are XLIFF_PARSE at the declaration, as xmllint refuses them', async () => {
  const cases: ReadonlyArray<readonly [string, string, RegExp, number, number]> = [
    ['no space before encoding', '<?xml version="1.0"encoding="UTF-8"?>', /malformed XML declaration/, 1, 1],
    ['wrong order', '<?xml version="1.0" standalone="yes" encoding="UTF-8"?>', /malformed XML declaration/, 1, 1],
    ['encoding before version', '<?xml encoding="UTF-8" version="1.0"?>', /version must come first/, 1, 1],
    ['mismatched quotes', `<?xml version='1.0" encoding="UTF-8"?>`, /malformed XML declaration/, 1, 1],
    ['missing version', '<?xml encoding="UTF-8"?>', /version must come first/, 1, 1],
    ['empty', '<?xml ?>', /version must come first/, 1, 1],
    ['standalone="maybe"', '<?xml version="1.0" standalone="maybe"?>', /malformed XML declaration/, 1, 1],
    ['U+00A0 as white space', '<?xml version="1.0"\u00A0encoding="UTF-8"?>', /U\+00A0 is not XML white space/, 1, 1],
    ['U+2028 as white space', '<?xml version="1.0"\u2028encoding="UTF-8"?>', /U\+2028 is not XML white space/, 1, 1],
    ['U+00A0 after <?xml', '<?xml\u00A0version="1.0"?>', /U\+00A0 is not XML white space/, 1, 1],
    ['an encoding name that is not one', '<?xml version="1.0" encoding="8859-1"?>', /malformed XML declaration/, 1, 1],
    ['version 2.0', '<?xml version="2.0"?>', /unsupported XML version "2.0"/, 1, 1],
    ['version 10.0', '<?xml version="10.0"?>', /unsupported XML version "10.0"/, 1, 1],
    ['<?XML', '<?XML version="1.0"?>', /must be written "<\?xml", in lower case/, 1, 1],
    ['after white space', ' <?xml version="1.0"?>', /allowed only at the very start/, 1, 2],
    ['after a line end', '\n<?xml version="1.0"?>', /allowed only at the very start/, 2, 1],
    ['after a comment', '<!-- c --><?xml version="1.0"?>', /allowed only at the very start/, 1, 11],
  ];
  for (const [name, declaration, reason, line, column] of cases) {
    await assertRefused(name, cat(`${declaration}\n<a>x</a>\n`), { code: 'XLIFF_PARSE', reason, line, column });
  }
  // The BOM takes no column.
  await assertRefused('after a BOM and a space', cat([0xef, 0xbb, 0xbf], ' <?xml version="1.0"?><a/>'), { code: 'XLIFF_PARSE', reason: /allowed only at the very start/, line: 1, column: 2 });
  await assertRefused('inside the root', cat(`${ROOT}<?xml version="1.0"?>${END}`), { code: 'XLIFF_PARSE', reason: /allowed only at the very start/, line: 1, column: ROOT.length + 1 });
});

test('what libxml2 lets through in a declaration and XML does not: version="1." and no space after encoding="UTF-8" (refused)', async () => {
  for (const [declaration, reason] of [
    ['<?xml version="1."?>', /unsupported XML version "1\."/],
    ['<?xml version="1.0" encoding="UTF-8"standalone="yes"?>', /malformed XML declaration/],
  ] as const) {
    const bytes = cat(`${declaration}\n<a>x</a>\n`);
    await assertRefused(declaration, bytes, { code: 'XLIFF_PARSE', reason, line: 1, column: 1 }, false);
    assert.equal((await xmllint(bytes, '--noout')).error, undefined, `${declaration}: xmllint now refuses it`);
  }
});

test('declarations XML allows are read: both quotes, XML white space around "=", 1.1, standalone', async () => {
  for (const declaration of [
    `<?xml version='1.0' encoding='utf-8' standalone='no' ?>`,
    '<?xml\tversion = "1.0"\r\nencoding = "UTF-8"\n?>',
    '<?xml version="1.1"?>',
    '<?xml version="1.0" standalone="yes"?>',
  ]) {
    const bytes = cat(`${declaration}\n<a>x</a>\n`);
    assert.equal((await validate(bytes, { xml: true })).valid, true, declaration);
    assert.equal((await xmllint(bytes, '--noout')).error, undefined, declaration);
  }
});
