/**
 * What the output sink tells of a chunk written: once it holds nothing of it (written to the
 * file, or compressed), for the library's own files; never for a user's Writable, which may
 * keep the chunk after its callback.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import { openOutput } from '../../src/io/output.js';

const dir = mkdtempSync(join(tmpdir(), 'xliff-output-sink-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

/** Writes 3 chunks of 1 MiB (one written over once released, as a reused buffer is), then commits; the order of releases. */
async function writeThree(output: string | Writable): Promise<number[]> {
  const released: number[] = [];
  const sink = openOutput(output);
  const chunk = new Uint8Array(1024 * 1024);
  for (let i = 0; i < 3; i++) {
    chunk.fill(65 + i);
    let freed!: () => void;
    const isFree = new Promise<void>((resolve) => (freed = resolve));
    await sink.write(chunk, () => {
      released.push(i);
      freed();
    });
    // The next bytes go into the same memory only once it is released.
    if (typeof output === 'string') await isFree;
  }
  await sink.commit();
  return released;
}

const expected = Buffer.concat([Buffer.alloc(1024 * 1024, 'A'), Buffer.alloc(1024 * 1024, 'B'), Buffer.alloc(1024 * 1024, 'C')]);

test('a file sink releases each chunk once written: memory written over then changes nothing in the file', async () => {
  const path = join(dir, 'plain.xlf');
  assert.deepEqual(await writeThree(path), [0, 1, 2]);
  assert.ok(readFileSync(path).equals(expected));
});

test('a gzip file sink releases each chunk once compressed', async () => {
  const path = join(dir, 'packed.xlf.gz');
  assert.deepEqual(await writeThree(path), [0, 1, 2]);
  assert.ok(gunzipSync(readFileSync(path)).equals(expected));
});

test("a user's Writable never releases a chunk (it may keep it)", async () => {
  const kept: Uint8Array[] = [];
  const writable = new Writable({
    write(chunk: Uint8Array, _encoding, done) {
      kept.push(chunk);
      done();
    },
  });
  assert.deepEqual(await writeThree(writable), []);
  assert.equal(kept.length, 3);
});
