/**
 * The disk level on its own (LMDB in a folder): what it writes reads back, in this job and
 * the next; a job that opened an empty folder still finds what it wrote; an entry past its
 * TTL is a miss and leaves the file; an entry it cannot read (another format) is a miss.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { open } from 'lmdb';
import { openDiskLevel } from '../../src/cache/disk-level.js';

const dir = mkdtempSync(join(tmpdir(), 'xliff-stream-disk-level-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

test('what a job writes reads back now (an empty folder at its start) and in the next job; the rest misses', async () => {
  const path = join(dir, 'a');
  const first = await openDiskLevel({ path });
  await first.setMany([
    ['k1', 'one'],
    ['k2', 'two: with a colon'],
  ]);
  assert.equal(first.getSync!('k1'), 'one');
  assert.equal(first.getSync!('k2'), 'two: with a colon');
  assert.equal(first.getSync!('k3'), undefined);
  assert.deepEqual(await first.getMany(['k3', 'k2', 'k1']), [undefined, 'two: with a colon', 'one']);
  await first.close!();
  const second = await openDiskLevel({ path });
  assert.deepEqual(await second.getMany(['k1', 'k2', 'k3']), ['one', 'two: with a colon', undefined]);
  await second.setMany([['k3', 'three']]);
  assert.equal(second.getSync!('k3'), 'three');
  await second.close!();
});

test('an entry past its ttlMs is a miss, and is removed from the file', async () => {
  const path = join(dir, 'ttl');
  const level = await openDiskLevel({ path, ttlMs: 1 });
  await level.setMany([['k', 'v']]);
  await sleep(10);
  assert.equal(level.getSync!('k'), undefined);
  assert.deepEqual(await level.getMany(['k']), [undefined]);
  await level.close!();
  const db = open({ path: join(path, 'results.lmdb'), encoding: 'string' });
  assert.equal(db.getKeysCount(), 0);
  await db.close();
});

test('an entry it cannot read (written in another format) is a miss, not a failure', async () => {
  const path = join(dir, 'other');
  rmSync(path, { recursive: true, force: true });
  mkdirSync(path, { recursive: true });
  const db = open({ path: join(path, 'results.lmdb'), compression: false });
  await db.put('old', { v: 'x', e: 0 });
  await db.put('text', 'no expiry here');
  await db.close();
  const level = await openDiskLevel({ path });
  assert.deepEqual(await level.getMany(['old', 'text']), [undefined, undefined]);
  assert.equal(level.getSync!('old'), undefined);
  await level.close!();
});
