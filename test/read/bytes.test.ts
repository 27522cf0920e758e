/**
 * Byte helpers of the seam scanner: counting a byte four at a time (aligned or not, any
 * length), and copies that are not views.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyBytes, countByte } from '../../src/read/bytes.js';

/** A deterministic generator (mulberry32), so that a failure can be replayed. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

test('countByte: what a byte-by-byte count gives, at every alignment, length and density', () => {
  const next = random(15);
  // Bytes near the one counted (0x0a) and with the high bit set: where a word-wise test could carry or borrow.
  const alphabet = [0x0a, 0x0b, 0x09, 0x8a, 0x0d, 0x20, 0xff, 0x00, 0x41];
  for (let round = 0; round < 400; round++) {
    const length = Math.floor(next() * 300);
    const backing = new Uint8Array(length + 8);
    const buffer = backing.subarray(Math.floor(next() * 4), Math.floor(next() * 4) + length);
    const density = next();
    for (let i = 0; i < buffer.length; i++) buffer[i] = next() < density ? 0x0a : alphabet[Math.floor(next() * alphabet.length)]!;
    const from = Math.floor(next() * (buffer.length + 1));
    const to = from + Math.floor(next() * (buffer.length - from + 1));
    for (const byte of [0x0a, 0x0d, 0x3c]) {
      let expected = 0;
      for (let i = from; i < to; i++) if (buffer[i] === byte) expected++;
      assert.equal(countByte(buffer, from, to, byte), expected, `round ${round}: byte ${byte}, ${from}..${to} of ${buffer.length} at offset ${buffer.byteOffset}`);
    }
  }
  const all = new Uint8Array(1000).fill(0x0a);
  assert.equal(countByte(all, 1, 999, 0x0a), 998);
});

test('copyBytes: a copy, not a view (a Buffer\'s slice is a view)', () => {
  const piece = Buffer.from('<group id="g">');
  const copy = copyBytes(piece.subarray(1, 6));
  piece.fill(0);
  assert.equal(Buffer.from(copy).toString(), 'group');
});
