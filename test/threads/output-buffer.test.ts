/**
 * A range's output buffer on a worker thread: it writes into a buffer given back by the
 * calling thread when that one has room for the range, and into a new one otherwise.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OutputBuffer } from '../../src/threads/output-buffer.js';

const bytes = (length: number, fill: number): Uint8Array => new Uint8Array(length).fill(fill);

test('OutputBuffer: a given buffer with room for the range is the one written, its old bytes overwritten', () => {
  const given = new ArrayBuffer(8 * 1024 * 1024);
  new Uint8Array(given).fill(7);
  const output = new OutputBuffer(4 * 1024 * 1024, given);
  output.add(bytes(10, 1));
  output.add(bytes(5, 2));
  const held = output.bytes();
  assert.equal(held.buffer, given, 'the given buffer holds the output');
  assert.deepEqual([...held], [...bytes(10, 1), ...bytes(5, 2)]);
});

test('OutputBuffer: a given buffer without room for a quarter more than the range is left, a new one taken', () => {
  const given = new ArrayBuffer(4 * 1024 * 1024);
  const output = new OutputBuffer(4 * 1024 * 1024, given);
  output.add(bytes(3, 9));
  assert.notEqual(output.bytes().buffer, given);
  // New buffers are rounded up to a MiB, so that the next range, a chunk longer, fits in it.
  assert.equal(output.bytes().buffer.byteLength, 5 * 1024 * 1024);
  assert.equal(new OutputBuffer(4 * 1024 * 1024 + 100_000).bytes().buffer.byteLength, 6 * 1024 * 1024);
  assert.equal(new OutputBuffer(100).bytes().buffer.byteLength, 1024);
});

test('OutputBuffer: an output larger than its buffer grows it, every byte kept in order', () => {
  const output = new OutputBuffer(1000, new ArrayBuffer(2000));
  const written: number[] = [];
  for (let i = 0; i < 50; i++) {
    const piece = bytes(97, i);
    output.add(piece);
    written.push(...piece);
  }
  assert.equal(output.bytes().length, 50 * 97);
  assert.deepEqual([...output.bytes()], written);
});
