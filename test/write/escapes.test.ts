/**
 * escapeForEncoding: characters the output encoding cannot hold become character references
 * where one can stand, and fail where none can.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { XliffError } from '../../src/index.js';
import { escapeForEncoding } from '../../src/write/escapes.js';

test('escapeForEncoding: only what the encoding cannot hold, and only where a reference can stand', () => {
  const latin1 = (cp: number): boolean => cp < 0x100;
  const ascii = (): boolean => false;
  assert.equal(escapeForEncoding('plain é', latin1), 'plain é');
  assert.equal(escapeForEncoding('é€', ascii), '&#xE9;&#x20AC;');
  assert.equal(escapeForEncoding('😀x', ascii), '&#x1F600;x');
  assert.equal(escapeForEncoding('<g a="€" b=\'€\'>€</g>', latin1), '<g a="&#x20AC;" b=\'&#x20AC;\'>&#x20AC;</g>');
  assert.equal(escapeForEncoding('<![CDATA[€€]]>', latin1), '<![CDATA[]]>&#x20AC;<![CDATA[]]>&#x20AC;<![CDATA[]]>');
  assert.equal(escapeForEncoding('<!-- é --><?pi é?>é', latin1), '<!-- é --><?pi é?>é');
  for (const bad of ['<!-- € -->', '<?pi €?>', '<g€/>', '<g a€="1"/>']) {
    assert.throws(() => escapeForEncoding(bad, latin1), (e: unknown) => e instanceof XliffError && e.code === 'XLIFF_BAD_UPDATE' && /U\+20AC/.test(e.message), bad);
  }
});

test('escapeForEncoding: unterminated constructs and quotes', () => {
  const latin1 = (cp: number): boolean => cp < 0x100;
  assert.equal(escapeForEncoding('<![CDATA[€', latin1), '<![CDATA[]]>&#x20AC;<![CDATA[');
  assert.equal(escapeForEncoding('<![CDATA[😀]]>', latin1), '<![CDATA[]]>&#x1F600;<![CDATA[]]>');
  assert.equal(escapeForEncoding('<g a="€', latin1), '<g a="&#x20AC;');
  // Inside quotes, `>` does not end the tag, and the other quote does not end the value.
  assert.equal(escapeForEncoding('<g a="x>€">€</g>', latin1), '<g a="x>&#x20AC;">&#x20AC;</g>');
  assert.equal(escapeForEncoding('<g a=\'"€\' b="\'€">', latin1), '<g a=\'"&#x20AC;\' b="\'&#x20AC;">');
  assert.throws(() => escapeForEncoding('</g€>', latin1), (e: unknown) => e instanceof XliffError && e.message === 'U+20AC in a name cannot be written in the output encoding');
});
