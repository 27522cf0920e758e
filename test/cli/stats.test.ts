import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { computeStats } from '../../src/index.js';
import { ANGULAR, REJECTED, SPOTCHECK, generated, run, spawnCli, tempFolder } from './helpers.js';

const { out } = tempFolder();

test('stats: the table, and --json with the figures of computeStats', async () => {
  const json = await run(['stats', ANGULAR, '--json']);
  assert.equal(json.code, 0);
  assert.equal(json.stderr, '');
  const figures = JSON.parse(json.stdout) as Record<string, unknown>;
  assert.deepEqual(figures, { file: ANGULAR, ...(await computeStats(ANGULAR)) });
  assert.equal(figures['units'], 766);
  assert.equal(figures['words'], 5045);
  assert.equal(json.stdout.trim().split('\n').length, 1);
  const table = await run(['stats', SPOTCHECK, '-q']);
  assert.equal(table.code, 0);
  assert.match(table.stdout, /^units {15}225$/m);
  assert.match(table.stdout, /^segments {12}237$/m);
  assert.match(table.stdout, /^units by state\n {2}initial +225 units/m);
});

test('stats - reads standard input: the same figures, named <stdin>, progress without percent', async () => {
  const big = generated('1.2', '2M');
  const piped = await spawnCli(['stats', '-', '--json'], { stdinFile: SPOTCHECK });
  assert.equal(piped.code, 0, piped.stderr);
  assert.equal(piped.stderr, '', '--json: no progress');
  const figures = JSON.parse(piped.stdout) as Record<string, unknown>;
  assert.deepEqual(figures, { ...(await computeStats(SPOTCHECK)), file: '<stdin>' });
  const table = await spawnCli(['stats', '-', '--progress-interval', '1'], { stdinFile: big });
  assert.equal(table.code, 0, table.stderr);
  assert.match(table.stdout, /^file {16}<stdin>$/m);
  const progress = table.stderr.trimEnd().split('\n');
  assert.ok(progress.some((line) => /^stats <stdin>: \d+ units {2}\d+ units\/s {2}[\d.]+ (KiB|MiB) read$/.test(line)), table.stderr);
  assert.match(progress.at(-1)!, /^stats <stdin>: \d+ units in [\d.]+s \(\d+ units\/s\)$/);
  assert.ok(!table.stderr.includes('%'), 'no percent for standard input');
  // An error in it is placed in <stdin>.
  const bad = await run(['stats', '-'], { stdinFile: REJECTED });
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /^<stdin>:\d+:\d+: /m);
});

test('stats --threads: the figures of one thread, read on worker threads; a bad value is a usage error', async () => {
  const path = generated('1.2', '400K');
  const one = await run(['stats', path, '--json']);
  const two = await run(['stats', path, '--json', '--threads', '2']);
  assert.equal(two.code, 0, two.stderr);
  assert.deepEqual(JSON.parse(two.stdout), JSON.parse(one.stdout));
  const auto = await run(['stats', path, '--json', '--threads', 'auto']);
  assert.deepEqual(JSON.parse(auto.stdout), JSON.parse(one.stdout));
  const bad = await run(['stats', path, '--threads', 'many']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /expected --threads to be a whole number from 1 and up, got "many"/);
});

test('stats and validate --threads: read on one thread, they say why on stderr (not with --json or --quiet); on threads, nothing', async () => {
  const small = generated('1.2', '400K');
  const big = generated('1.2', '9M');
  const gz = out('small.xlf.gz');
  writeFileSync(gz, gzipSync(readFileSync(small)));
  for (const command of ['stats', 'validate']) {
    const tooSmall = await run([command, small, '--threads', '2']);
    assert.equal(tooSmall.code, 0, tooSmall.stderr);
    assert.match(tooSmall.stderr, new RegExp(`^${command}: --threads: read on one thread: the file is too small to share`, 'm'));
    const gzipped = await run([command, gz, '--threads', 'auto']);
    assert.match(gzipped.stderr, new RegExp(`^${command}: --threads: read on one thread: the input is gzip-compressed`, 'm'));
    for (const flag of ['--json', '--quiet']) assert.doesNotMatch((await run([command, gz, '--threads', '2', flag])).stderr, /read on one thread/, `${command} ${flag}`);
    const threaded = await run([command, big, '--threads', '2']);
    assert.equal(threaded.code, 0, threaded.stderr);
    assert.doesNotMatch(threaded.stderr, /read on one thread/, command);
  }
});
