import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, ftruncateSync, mkdirSync, openSync, readdirSync, readFileSync, statSync, statfsSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { documentSize } from '../../src/cli/files.js';
import { ANGULAR, literally, run, tempFolder } from './helpers.js';

const { dir, out } = tempFolder();

/** A file of `size` bytes that takes no room (a hole after `head`). */
function sparse(path: string, size: number, head: Uint8Array = new Uint8Array()): string {
  const fd = openSync(path, 'w');
  writeSync(fd, head);
  ftruncateSync(fd, size);
  closeSync(fd);
  assert.ok(statSync(path).blocks * 512 < 1024 * 1024, 'the file system keeps holes');
  return path;
}

test('an output path that is a folder is refused before any work', async () => {
  const folder = join(dir, 'a-folder');
  mkdirSync(folder);
  for (const args of [['pseudo', ANGULAR, folder], ['merge', ANGULAR, ANGULAR, folder], ['extract', ANGULAR, '--out', folder]]) {
    const result = await run(args);
    assert.equal(result.code, 1, args.join(' '));
    assert.equal(result.stderr, `${folder}: is a folder: give the output a file name\n`, args[0]);
    assert.deepEqual(readdirSync(folder), []);
    assert.deepEqual(readdirSync(dir).filter((name) => name.endsWith('.tmp')), []);
  }
});

test('an output disk without room for about the input (and the journal) is refused before any work', async () => {
  const disk = statfsSync(dir);
  const free = disk.bavail * disk.bsize;
  const huge = sparse(out('huge.xlf'), Math.round(free * 1.5));
  const started = performance.now();
  const refused = await run(['pseudo', huge, out('huge.qps.xlf')]);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, new RegExp(`^${literally(out('huge.qps.xlf'))}: not enough room on its disk: the output need about [\\d.]+ [GT]iB, [\\d.]+ [GT]iB free in ${literally(dir)}\\n$`));
  assert.ok(performance.now() - started < 2000, 'refused before reading the input');
  assert.deepEqual(readdirSync(dir).filter((name) => name.startsWith('huge') || name.includes('.huge')), ['huge.xlf']);
  // Room for the output, not for its journal too: the check passes without --checkpoint (and
  // the job then fails on the content: zeros are not XML), and refuses with it.
  const half = sparse(out('half.xlf'), Math.round(free * 0.6));
  const withoutJournal = await run(['pseudo', half, out('half.qps.xlf'), '-q']);
  assert.equal(withoutJournal.code, 1);
  assert.doesNotMatch(withoutJournal.stderr, /room/);
  assert.match(withoutJournal.stderr, /^.*half\.xlf:\d+:\d+: /);
  const withJournal = await run(['pseudo', half, out('half.qps.xlf'), '--checkpoint', '-q']);
  assert.equal(withJournal.code, 1);
  assert.match(withJournal.stderr, /: not enough room on its disk: the output and its journal need about /);
  assert.deepEqual(readdirSync(dir).filter((name) => name.startsWith('half.qps') || name.endsWith('.tmp')), []);
});

test('the size of a gzip input: what its trailer records, or 4 times the compressed size past 256 MiB', async () => {
  const plain = readFileSync(ANGULAR);
  writeFileSync(out('a.xlf.gz'), gzipSync(plain));
  assert.deepEqual(await documentSize(out('a.xlf.gz')), { bytes: plain.length, gzipped: true });
  assert.deepEqual(await documentSize(ANGULAR), { bytes: plain.length, gzipped: false });
  const big = sparse(out('big.xlf.gz'), 300 * 1024 * 1024, new Uint8Array([0x1f, 0x8b, 8, 0]));
  assert.deepEqual(await documentSize(big), { bytes: 4 * 300 * 1024 * 1024, gzipped: true });
  assert.equal(await documentSize('-'), undefined);
});
