/**
 * The encoder writes raw only the characters libxml2 (xmllint, through iconv) reads back as
 * the same characters; the rest of the table becomes character references.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { SINGLE_BYTE_ENCODINGS, decodingTable } from '../../src/charsets.js';
import { createEncoder } from '../../src/write/encoder.js';
import { escapeForEncoding } from '../../src/write/escapes.js';

const run = promisify(execFile);

function supported(encoding: string): boolean {
  try {
    decodingTable(encoding);
    return true;
  } catch {
    return false;
  }
}

test('every single-byte encoding: what canEncode allows, xmllint reads back as written; the rest of the table is written as references', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'xliff-encoder-'));
  try {
    const encodings = ['iso-8859-1', 'us-ascii', ...SINGLE_BYTE_ENCODINGS].filter(supported);
    await Promise.all(
      encodings.map(async (encoding) => {
        const encoder = createEncoder(encoding);
        const table = decodingTable(encoding);
        const characters = [...new Set([...table].filter((c) => c >= 0x80 && c !== 0xffff))];
        const text = characters.map((c) => String.fromCharCode(c)).join('');
        const written = escapeForEncoding(text, encoder.canEncode);
        const file = join(dir, `${encoding}.xml`);
        writeFileSync(file, encoder.encode(`<?xml version="1.0" encoding="${encoding}"?>\n<a>${written}</a>\n`));
        const { stdout } = await run('xmllint', ['--encode', 'utf-8', file], { encoding: 'buffer' });
        const read = /<a>([\s\S]*)<\/a>|<a\/>/.exec(Buffer.from(stdout).toString('utf8'))?.[1] ?? '';
        // xmllint writes back as references only what it cannot write: decode them.
        const decoded = read.replace(/&#(x?)([0-9A-Fa-f]+);/g, (_, hex: string, n: string) => String.fromCodePoint(parseInt(n, hex ? 16 : 10)));
        assert.equal(decoded, text, encoding);
      }),
    );
    const windows1252 = createEncoder('windows-1252');
    for (const c of [0x81, 0x8d, 0x8f, 0x90, 0x9d, 0x80, 0x85]) assert.equal(windows1252.canEncode(c), false, c.toString(16));
    assert.equal(escapeForEncoding('\u0081\u20AC\u008D', windows1252.canEncode), '&#x81;\u20AC&#x8D;');
    assert.equal(createEncoder('windows-1251').canEncode(0x98), false);
    assert.equal(createEncoder('iso-8859-1').canEncode(0x81), true);
    // Text read from the input still encodes back as it came: an ISO-8859-7 file's C1 control too.
    assert.deepEqual([...createEncoder('iso-8859-7').encode('\u0085\u03A9')], [0x85, 0xd9]);
    assert.equal(createEncoder('iso-8859-7').canEncode(0x85), false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
