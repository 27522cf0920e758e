/**
 * Byte helpers of the seam scanner: copies that are not views.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyBytes } from '../../src/read/bytes.js';

test('copyBytes: a copy, not a view (a Buffer\'s slice is a view)', () => {
  const piece = Buffer.from('<group id="g">');
  const copy = copyBytes(piece.subarray(1, 6));
  piece.fill(0);
  assert.equal(Buffer.from(copy).toString(), 'group');
});
