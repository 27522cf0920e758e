/**
 * The writer's byte pass-through: ByteWindow (the input bytes the reader still holds) and
 * OutputAssembler (copied bytes and encoded text put together), checked against plain
 * Buffer slicing and encoding; then processXliff's identity pass over inputs cut into
 * pieces at random points, which makes units and skeleton span pieces.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { ByteWindow } from '../../src/read/byte-window.js';
import { OutputAssembler } from '../../src/write/output-assembler.js';
import { CORPUS_DIR } from '../helpers/corpus.js';
import { inPieces, processedBytes } from '../helpers/read.js';

const cut = (bytes: Uint8Array, points: number[]): Uint8Array[] => {
  const sorted = [...new Set(points.map((p) => p % (bytes.length + 1)))].sort((a, b) => a - b);
  const pieces: Uint8Array[] = [];
  let from = 0;
  for (const point of [...sorted, bytes.length]) {
    pieces.push(bytes.subarray(from, point));
    from = point;
  }
  return pieces;
};

test('ByteWindow: any range of the pieces it holds, a view inside one piece, a copy across pieces', () => {
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 1, maxLength: 300 }), fc.array(fc.nat(), { maxLength: 20 }), fc.nat(), fc.nat(), fc.nat(), (bytes, points, a, b, r) => {
      const window = new ByteWindow();
      const pieces = cut(bytes, points);
      for (const piece of pieces) window.push(piece);
      const released = r % (bytes.length + 1);
      window.release(released);
      // The piece holding `released` is kept: its start is the first byte held.
      let heldFrom = 0;
      for (const piece of pieces) {
        if (heldFrom + piece.length > released) break;
        heldFrom += piece.length;
      }
      const [from, to] = [a % (bytes.length + 1), b % (bytes.length + 1)].sort((x, y) => x - y) as [number, number];
      const got = window.slice(from, to);
      if (from < heldFrom) assert.equal(got, undefined);
      else assert.deepEqual(got && Buffer.from(got), Buffer.from(bytes.subarray(from, to)));
    }),
    { numRuns: 500 },
  );
  const window = new ByteWindow();
  const piece = Buffer.from('<a>bc</a>');
  window.push(piece);
  const view = window.slice(3, 5)!;
  assert.equal(view.buffer, piece.buffer, 'inside one piece: a view, no copy');
  assert.equal(window.slice(3, 20), undefined, 'past what it holds');
});

test('OutputAssembler: copied bytes and encoded text come out in order; adjacent views join without a copy', () => {
  const encode = (text: string): Uint8Array => Buffer.from(text, 'utf8');
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.string({ unit: 'grapheme', maxLength: 400 }), fc.boolean()), { maxLength: 30 }), (pieces) => {
      const output = new OutputAssembler(encode);
      for (const [text, copy] of pieces) output.add(text, copy ? encode(text) : undefined);
      assert.equal(Buffer.from(output.finish()).toString('utf8'), pieces.map(([text]) => text).join(''));
    }),
    { numRuns: 300 },
  );
  const input = Buffer.from('x'.repeat(1000));
  const output = new OutputAssembler(encode);
  output.add('', input.subarray(0, 400));
  output.add('', input.subarray(400, 1000));
  const out = output.finish();
  assert.equal(out.buffer, input.buffer, 'one view of the input piece');
  assert.equal(out.byteOffset, input.byteOffset);
  assert.equal(out.length, 1000);
});

// UTF-8 with CRLF and a BOM, UTF-16 LE, windows-1252 high bytes, 4-byte UTF-8 in a 110 kB unit.
const files = ['oasis-xliff21-ts/withNotes.xlf', 'okapi-sdlxliff/FFFEBOM15992.sdlxliff', 'okapi-xliff12/SF-12-Test03.xlf', 'matecat/xliff12-with-emoji.xliff', 'okapi-xliff2/en-es-newline.xliff'];

test('processXliff identity over inputs cut at random points (units and skeleton across pieces): the input back, byte for byte', async () => {
  for (const file of files) {
    const bytes = readFileSync(CORPUS_DIR + file);
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat(), { maxLength: 300 }), fc.integer({ min: 1, max: 50 }), async (points, chunkUnits) => {
        const out = await processedBytes(cut(bytes, points), { process: () => undefined, chunkUnits });
        assert.ok(out.equals(bytes), `${file}: ${out.length} bytes written for ${bytes.length}`);
      }),
      { numRuns: 15 },
    );
  }
});

test('processXliff over pieces of 1 and 7 bytes: unchanged units copied, changed ones encoded, the same bytes as one piece', async () => {
  // Every other unit changed: copied and encoded stretches alternate.
  const options = { process: (unit: { index: number; source: { text: string } }) => (unit.index % 2 === 0 ? { target: `«${unit.source.text}»` } : undefined) };
  for (const file of ['okapi-sdlxliff/FFFEBOM15992.sdlxliff', 'okapi-xliff12/SF-12-Test03.xlf', 'oasis-xliff21-ts/withNotes.xlf']) {
    const bytes = readFileSync(CORPUS_DIR + file);
    const whole = await processedBytes([bytes], options as never);
    assert.ok(!whole.equals(bytes), `${file}: some units changed`);
    for (const size of [1, 7]) {
      assert.ok((await processedBytes(inPieces(bytes, size), options as never)).equals(whole), `${file} in ${size}-byte pieces`);
    }
  }
});
