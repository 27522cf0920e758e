/**
 * One chunk rule: `readChunks` and `processXliff` cut the same document at the same units,
 * for `chunkUnits` and for `chunkBytes` (a unit that would take a chunk past `chunkBytes`
 * starts the next one; the text between units does not count).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { processXliff, readChunks, type ChunkOptions } from '../../src/index.js';
import { CORPUS_DIR } from '../helpers/corpus.js';

const FILES = ['angular-apps/messages.de.xlf', 'matecat/calibre.docx.xliff', 'okapi-sdlxliff/TeacherXpress15981.sdlxliff'];

async function readerChunks(file: string, options: ChunkOptions): Promise<number[]> {
  const sizes: number[] = [];
  for await (const chunk of readChunks(file, options)) {
    assert.equal(chunk.index, sizes.length);
    assert.equal(chunk.bytes, chunk.units.reduce((sum, unit) => sum + unit.location.length, 0));
    if (options.chunkBytes !== undefined && chunk.units.length > 1) assert.ok(chunk.bytes <= options.chunkBytes, `chunk ${chunk.index} holds ${chunk.bytes} bytes`);
    sizes.push(chunk.units.length);
  }
  return sizes;
}

async function jobChunks(file: string, options: ChunkOptions): Promise<number[]> {
  const sizes: number[] = [];
  const job = processXliff(file, { ...options, per: 'segment', process: (segment) => ({ target: segment.source.text }) });
  job.on('chunk', (event) => {
    if (event.state === 'done') sizes[event.index] = event.units;
  });
  const summary = await job.done;
  assert.equal(summary.chunks, sizes.length);
  return sizes;
}

for (const name of FILES) {
  for (const options of [{ chunkUnits: 7 }, { chunkBytes: 4096 }, { chunkUnits: 5, chunkBytes: 2000 }, { chunkBytes: 1 }]) {
    test(`${name} ${JSON.stringify(options)}: readChunks and processXliff cut at the same units`, async () => {
      const file = join(CORPUS_DIR, name);
      const fromReader = await readerChunks(file, options);
      assert.ok(fromReader.length > 2, `only ${fromReader.length} chunks`);
      assert.deepEqual(await jobChunks(file, options), fromReader);
    });
  }
}
