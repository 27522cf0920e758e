import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { join } from 'node:path';
import { readChunks, readUnits, XliffError } from '../../src/index.js';
import { CORPUS_DIR } from '../helpers/corpus.js';
import { collect, enc, xliff12 } from '../helpers/read.js';

const many = (n: number) => xliff12(Array.from({ length: n }, (_, i) => `<trans-unit id="u${i}"><source>Text ${i}</source></trans-unit>`).join('\n'));
const ANGULAR = join(CORPUS_DIR, 'angular-apps/messages.de.xlf');

/** Byte pieces of `text`, counting how many were pulled and whether the source was closed. */
function tracked(text: string, pieceSize: number) {
  const bytes = enc(text);
  const state = { pulled: 0, closed: false, total: Math.ceil(bytes.length / pieceSize) };
  async function* pieces() {
    try {
      for (let i = 0; i < bytes.length; i += pieceSize) {
        state.pulled++;
        yield bytes.subarray(i, i + pieceSize);
      }
    } finally {
      state.closed = true;
    }
  }
  return { state, pieces: pieces() };
}

test('readUnits: units in document order with their index, from a path, a URL, bytes, a Readable and string pieces', async () => {
  const fromPath = await collect(ANGULAR);
  assert.equal(fromPath.length, 1312);
  assert.deepEqual(fromPath.map((u) => u.index), fromPath.map((_, i) => i));
  const { readFile } = await import('node:fs/promises');
  const bytes = await readFile(ANGULAR);
  const inputs = {
    url: new URL(`file://${ANGULAR}`),
    bytes: new Uint8Array(bytes),
    readable: Readable.from([bytes.subarray(0, 1000), bytes.subarray(1000)]),
    strings: [bytes.toString('utf8').slice(0, 5000), bytes.toString('utf8').slice(5000)],
  };
  for (const [name, input] of Object.entries(inputs)) {
    const units = await collect(input);
    assert.deepEqual(units.map((u) => [u.id, u.raw]), fromPath.map((u) => [u.id, u.raw]), name);
  }
});

test('readChunks: at most chunkUnits units a chunk, indexed, covering every unit once', async () => {
  const all = await collect([enc(many(45))]);
  const chunks = [];
  for await (const chunk of readChunks([enc(many(45))], { chunkUnits: 10 })) chunks.push(chunk);
  assert.deepEqual(chunks.map((c) => c.index), [0, 1, 2, 3, 4]);
  assert.deepEqual(chunks.map((c) => c.units.length), [10, 10, 10, 10, 5]);
  assert.deepEqual(chunks.flatMap((c) => c.units.map((u) => u.id)), all.map((u) => u.id));
  for (const chunk of chunks) assert.equal(chunk.bytes, chunk.units.reduce((sum, u) => sum + u.location.length, 0));
});

test('readChunks: chunkBytes cuts before the unit that would pass it, and a larger unit gets a chunk of its own', async () => {
  const doc = xliff12(['a', 'b', 'c'].map((id) => `<trans-unit id="${id}"><source>${id.repeat(id === 'b' ? 500 : 10)}</source></trans-unit>`).join(''));
  const chunks = [];
  for await (const chunk of readChunks([enc(doc)], { chunkBytes: 200 })) chunks.push(chunk.units.map((u) => u.id));
  assert.deepEqual(chunks, [['a'], ['b'], ['c']]);
  const together = [];
  for await (const chunk of readChunks([enc(doc)], { chunkBytes: 10_000 })) together.push(chunk.units.map((u) => u.id));
  assert.deepEqual(together, [['a', 'b', 'c']]);
});

test('readChunks: default chunkUnits is 200', async () => {
  const sizes = [];
  for await (const chunk of readChunks(ANGULAR)) sizes.push(chunk.units.length);
  assert.deepEqual(sizes, [200, 200, 200, 200, 200, 200, 112]);
});

test('pull-based: taking the first unit reads only the first pieces of the input', async () => {
  const { state, pieces } = tracked(many(5000), 4096);
  for await (const unit of readUnits(pieces)) {
    assert.equal(unit.id, 'u0');
    break;
  }
  assert.ok(state.total > 50);
  assert.ok(state.pulled <= 2, `pulled ${state.pulled} of ${state.total} pieces`);
  assert.equal(state.closed, true, 'breaking out of for await closes the input');
});

test('breaking out of readChunks closes the input too', async () => {
  const { state, pieces } = tracked(many(2000), 4096);
  for await (const chunk of readChunks(pieces, { chunkUnits: 5 })) {
    assert.equal(chunk.index, 0);
    break;
  }
  assert.equal(state.closed, true);
});

test('abort: a signal aborted before reading rejects at once with XLIFF_ABORTED and the reason as cause', async () => {
  const reason = new Error('user stop');
  await assert.rejects(collect(ANGULAR, { signal: AbortSignal.abort(reason) }), (error: unknown) => {
    assert.ok(error instanceof XliffError);
    assert.equal(error.code, 'XLIFF_ABORTED');
    assert.equal(error.cause, reason);
    return true;
  });
});

test('abort: aborting midway stops reading, closes the input and throws XLIFF_ABORTED', async () => {
  const { state, pieces } = tracked(many(5000), 4096);
  const controller = new AbortController();
  let seen = 0;
  await assert.rejects(
    (async () => {
      for await (const unit of readUnits(pieces, { signal: controller.signal })) {
        void unit;
        if (++seen === 100) controller.abort();
      }
    })(),
    (error: unknown) => error instanceof XliffError && error.code === 'XLIFF_ABORTED',
  );
  assert.equal(seen, 100);
  assert.equal(state.closed, true);
  assert.ok(state.pulled < state.total);
});

test('abort: a file read is stopped through the stream', async () => {
  const controller = new AbortController();
  const iterator = readUnits(ANGULAR, { signal: controller.signal });
  const first = await iterator.next();
  assert.equal(first.done, false);
  controller.abort();
  await assert.rejects(iterator.next(), (error: unknown) => error instanceof XliffError && error.code === 'XLIFF_ABORTED');
});

test('a missing file is an XLIFF_IO error naming the path', async () => {
  await assert.rejects(collect('/nonexistent/dir/file.xlf'), (error: unknown) => {
    assert.ok(error instanceof XliffError);
    assert.equal(error.code, 'XLIFF_IO');
    assert.match(error.message, /^\/nonexistent\/dir\/file\.xlf: cannot read the input \(ENOENT\)/);
    return true;
  });
});

test('options are checked: what was expected and what was given', async () => {
  const cases: Array<[object, ErrorConstructor, RegExp]> = [
    [{ maxUnitBytes: 0 }, RangeError, /Expected `maxUnitBytes` to be a whole number from 1 and up, got 0/],
    [{ maxUnitBytes: '10' }, TypeError, /Expected `maxUnitBytes` to be a number from 1 and up, got "10"/],
    [{ chunkUnits: 2.5 }, RangeError, /`chunkUnits`.*got 2.5/],
    [{ chunkBytes: -1 }, RangeError, /`chunkBytes`.*or Infinity.*got -1/],
    [{ signal: {} }, TypeError, /Expected `signal` to be an AbortSignal, got an object/],
  ];
  for (const [options, type, message] of cases) {
    await assert.rejects(async () => {
      for await (const chunk of readChunks([enc(many(1))], options)) void chunk;
    }, (error: unknown) => error instanceof type && message.test((error as Error).message));
  }
  await assert.rejects(async () => {
    for await (const unit of readUnits(42 as never)) void unit;
  }, /Expected `input` to be a path, a URL, a Readable or an async iterable/);
});
