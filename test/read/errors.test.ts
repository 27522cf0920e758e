import { test } from 'node:test';
import assert from 'node:assert/strict';
import { XliffError, XLIFF_ERROR_CODES, readUnits } from '../../src/index.js';
import { collect, enc, readError, xliff12 } from '../helpers/read.js';

const unit = (id: string, text = 'Hello') => `<trans-unit id="${id}"><source>${text}</source></trans-unit>`;

interface Case {
  readonly name: string;
  readonly input: string | Uint8Array;
  readonly code: XliffError['code'];
  readonly line: number;
  readonly column: number;
  readonly reason?: RegExp;
}

const cases: Case[] = [
  { name: 'no bytes at all', input: '', code: 'XLIFF_EMPTY', line: 1, column: 1 },
  { name: 'only white space', input: ' \n\t\n', code: 'XLIFF_EMPTY', line: 3, column: 1 },
  { name: 'only a BOM', input: '\uFEFF', code: 'XLIFF_EMPTY', line: 1, column: 1 },
  { name: 'an XML declaration and nothing else', input: '<?xml version="1.0"?>\n', code: 'XLIFF_PARSE', line: 2, column: 1, reason: /no root element/ },
  { name: 'a ZIP archive', input: Uint8Array.of(0x50, 0x4b, 0x03, 0x04, 0x0a, 0, 0, 0, 0xff, 0xfe), code: 'XLIFF_PARSE', line: 1, column: 1, reason: /not XML.*ZIP/ },
  { name: 'XML that is not XLIFF', input: '<?xml version="1.0"?>\n<html><body/></html>', code: 'XLIFF_NOT_XLIFF', line: 2, column: 1, reason: /root element is <html>/ },
  { name: 'an xliff root of another namespace', input: '<xliff xmlns="urn:example:other" version="1.2"/>', code: 'XLIFF_NOT_XLIFF', line: 1, column: 1, reason: /urn:example:other/ },
  { name: 'a truncated file', input: xliff12(unit('1')).slice(0, xliff12(unit('1')).indexOf('Hello') + 2), code: 'XLIFF_PARSE', line: 5, column: 30, reason: /unclosed root tag/i },
  { name: 'a mismatched end tag', input: xliff12(`<trans-unit id="1"><source>a</target></trans-unit>`), code: 'XLIFF_PARSE', line: 5, column: 37, reason: /unexpected close tag/i },
  { name: 'an unclosed element', input: xliff12(`<trans-unit id="1"><source>a</trans-unit>`), code: 'XLIFF_PARSE', line: 5, column: 41 },
  { name: 'an invalid character reference', input: xliff12(`<trans-unit id="1"><source>a &#1; b</source></trans-unit>`), code: 'XLIFF_PARSE', line: 5, column: 30, reason: /character reference &#1; to a character XML does not allow/ },
  { name: 'an undefined entity', input: xliff12(`<trans-unit id="1"><source>&nbsp;</source></trans-unit>`), code: 'XLIFF_PARSE', line: 5, column: 33 },
  { name: 'a raw control character', input: xliff12(`<trans-unit id="1"><source>a\u0003b</source></trans-unit>`), code: 'XLIFF_PARSE', line: 5, column: 29, reason: /U\+0003/ },
  { name: 'an unbound element prefix', input: xliff12(`<trans-unit id="1"><source>a</source><sdl:seg/></trans-unit>`), code: 'XLIFF_PARSE', line: 5, column: 38, reason: /unbound namespace prefix "sdl"/ },
  { name: 'an unbound attribute prefix', input: xliff12(`<trans-unit id="1" okp:x="1"><source>a</source></trans-unit>`), code: 'XLIFF_PARSE', line: 5, column: 1, reason: /prefix "okp" in attribute okp:x/ },
  { name: 'a DOCTYPE that declares entities', input: `<?xml version="1.0"?>\n<!DOCTYPE xliff [\n<!ENTITY lol "lol">\n]>\n<xliff version="1.2"/>`, code: 'XLIFF_ENTITY', line: 3, column: 1 },
  { name: 'an external entity (XXE)', input: `<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n<xliff version="1.2"><file><body>${unit('1', '&xxe;')}</body></file></xliff>`, code: 'XLIFF_ENTITY', line: 1, column: 14 },
  { name: 'a malformed XML declaration', input: `<?xml version="1.0 encoding="UTF-8"?>\n<xliff version="1.2"/>`, code: 'XLIFF_PARSE', line: 1, column: 1, reason: /malformed XML declaration/ },
  { name: 'an XML declaration after the start', input: `\n<?xml version="1.0"?>\n<xliff version="1.2"/>`, code: 'XLIFF_PARSE', line: 2, column: 1, reason: /only at the very start/ },
  { name: 'text after the root', input: `<xliff version="1.2"/>\noops`, code: 'XLIFF_PARSE', line: 2, column: 1 },
];

for (const c of cases) {
  test(`bad input: ${c.name} -> ${c.code} at ${c.line}:${c.column}`, async () => {
    const bytes = typeof c.input === 'string' ? enc(c.input) : c.input;
    const error = await readError([bytes], { fileName: 'bad.xlf' });
    assert.equal(error.code, c.code, error.message);
    assert.deepEqual([error.line, error.column], [c.line, c.column], error.message);
    assert.equal(error.message, `bad.xlf:${c.line}:${c.column}: ${error.reason}`);
    assert.equal(typeof error.offset, 'number');
    if (c.reason) assert.match(error.reason, c.reason);
  });
}

test('bad input: the error offset is the byte offset of the position, past multi-byte characters', async () => {
  const doc = xliff12(`<trans-unit id="1"><source>日本語\u0003</source></trans-unit>`);
  const error = await readError([enc(doc)]);
  const charIndex = doc.indexOf('\u0003');
  assert.equal(error.offset, enc(doc.slice(0, charIndex)).length);
});

test('bad input: units before the error are handed out, then the error', async () => {
  const doc = xliff12(unit('1') + unit('2') + `<trans-unit id="3"><source>a</target></trans-unit>`);
  const seen: string[] = [];
  await assert.rejects(
    (async () => {
      for await (const u of readUnits([enc(doc)])) seen.push(u.id!);
    })(),
    (error: unknown) => error instanceof XliffError && error.code === 'XLIFF_PARSE' && error.unitId === '3',
  );
  assert.deepEqual(seen, ['1', '2']);
});

test('a DOCTYPE without entity declarations is read, and nothing is fetched', async () => {
  const doc = `<?xml version="1.0"?>\n<!DOCTYPE xliff PUBLIC "-//XLIFF//DTD XLIFF//EN" "http://www.oasis-open.org/committees/xliff/documents/xliff.dtd">\n<xliff version="1.0"><file original="a" source-language="en" datatype="plaintext"><body>${unit('1')}</body></file></xliff>`;
  const units = await collect([enc(doc)]);
  assert.deepEqual(units.map((u) => [u.id, u.version, u.source.text]), [['1', '1.0', 'Hello']]);
});

test('a unit larger than maxUnitBytes fails with its id and position, without reading much past the limit', async () => {
  const limit = 100_000;
  let pulled = 0;
  async function* endless() {
    const doc = xliff12('');
    const head = enc(`${doc.slice(0, doc.indexOf('</body>'))}${unit('small')}\n<trans-unit id="huge"><source>`);
    yield head;
    const filler = enc('x'.repeat(16 * 1024));
    for (;;) {
      pulled += filler.length;
      yield filler;
    }
  }
  const seen: string[] = [];
  const error = await (async () => {
    try {
      for await (const u of readUnits(endless(), { maxUnitBytes: limit })) seen.push(u.id!);
    } catch (e) {
      return e as XliffError;
    }
    throw new Error('no error');
  })();
  assert.ok(error instanceof XliffError);
  assert.equal(error.code, 'XLIFF_UNIT_TOO_LARGE');
  assert.equal(error.unitId, 'huge');
  assert.deepEqual([error.line, error.column], [7, 1]);
  assert.deepEqual(seen, ['small']);
  assert.ok(pulled <= limit + 2 * 16 * 1024, `read ${pulled} bytes past the head for a limit of ${limit}`);
});

test('a whole unit just over maxUnitBytes fails; one at the limit reads', async () => {
  const body = unit('u', 'a'.repeat(100));
  const size = enc(body).length;
  assert.equal((await collect([enc(xliff12(body))], { maxUnitBytes: size })).length, 1);
  const error = await readError([enc(xliff12(body))], { maxUnitBytes: size - 1 });
  assert.equal(error.code, 'XLIFF_UNIT_TOO_LARGE');
});

test('every code is documented in the README', async () => {
  const { readFile } = await import('node:fs/promises');
  const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');
  for (const code of XLIFF_ERROR_CODES) assert.ok(readme.includes(`\`${code}\``), `${code} is not in the README`);
});

test('XliffError: code, reason, position, cause and message format', () => {
  const cause = new Error('root');
  const error = new XliffError('XLIFF_PARSE', 'what happened', { file: 'a.xlf', line: 3, column: 7, offset: 40, unitId: 'u1', cause });
  assert.ok(error instanceof Error);
  assert.equal(error.name, 'XliffError');
  assert.equal(error.message, 'a.xlf:3:7: what happened');
  assert.deepEqual([error.code, error.reason, error.line, error.column, error.offset, error.unitId, error.cause], ['XLIFF_PARSE', 'what happened', 3, 7, 40, 'u1', cause]);
  assert.equal(new XliffError('XLIFF_ABORTED', 'stopped').message, 'stopped');
});

test('a byte order mark is not a column: positions on the first line are those of the same document without it', async () => {
  const doc = '<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2"><file source-language="en" datatype="plaintext" original="a"><body><trans-unit id="a"><source>A</source></trans-unit></body></file></xliff>';
  const broken = doc.replace('</source>', '</sourc>');
  const withBom = (text: string) => new Uint8Array([0xef, 0xbb, 0xbf, ...enc(text)]);
  const [plain] = await collect(enc(doc));
  const [bommed] = await collect(withBom(doc));
  assert.equal(bommed!.location.line, 1);
  assert.equal(bommed!.location.column, plain!.location.column);
  assert.equal(bommed!.location.offset, plain!.location.offset + 3, 'offsets count the BOM bytes');
  const expected = await readError(enc(broken));
  const error = await readError(withBom(broken));
  assert.equal(error.code, expected.code);
  assert.deepEqual([error.line, error.column], [expected.line, expected.column]);
  assert.equal(error.offset, expected.offset! + 3);
  // UTF-16: the BOM is one character; the column still does not count it.
  const utf16 = new Uint8Array(Buffer.from(`\uFEFF${broken}`, 'utf16le'));
  const error16 = await readError(utf16);
  assert.deepEqual([error16.line, error16.column], [expected.line, expected.column]);
});
