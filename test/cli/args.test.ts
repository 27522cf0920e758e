import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ANGULAR, REJECTED, literally, root, run, spawnCli, tempFolder } from './helpers.js';

const { out } = tempFolder();

test('the process: --help exits 0, a usage error 2, bad input 1 with file:line:column', async () => {
  const [help, usage, bad] = await Promise.all([spawnCli(['--help']), spawnCli(['bogus', 'x.xlf']), spawnCli(['stats', REJECTED])]);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /^Usage: xliff-stream <command>/);
  for (const listed of ['stats', 'pseudo', 'extract', 'merge', '--quiet', '--progress-interval', '--version', 'Exit codes', '143 SIGTERM']) assert.ok(help.stdout.includes(listed), listed);
  assert.equal(usage.code, 2);
  assert.match(usage.stderr, /unknown command "bogus"[\s\S]*Try 'xliff-stream --help'/);
  assert.equal(bad.code, 1);
  assert.equal(bad.stdout, '');
  assert.match(bad.stderr, new RegExp(`^${literally(REJECTED)}:\\d+:\\d+: \\S`, 'm'));
});

test('--max-depth goes to the reader: a file deeper than it exits 1, XLIFF_TOO_DEEP at the start tag', async () => {
  for (const args of [['stats', ANGULAR], ['extract', ANGULAR], ['pseudo', ANGULAR, out('deep.xlf')]]) {
    const result = await run([...args, '--max-depth', '2', '-q']);
    assert.equal(result.code, 1, args.join(' '));
    assert.match(result.stderr, /:\d+:\d+: elements nested deeper than maxDepth \(2\)/, args.join(' '));
  }
  assert.equal((await run(['stats', ANGULAR, '--max-depth', '64', '-q'])).code, 0);
});

test('usage errors exit 2 and say what is wrong', async () => {
  const cases: Array<[string[], RegExp]> = [
    [[], /expected a command/],
    [['stats'], /missing <file>/],
    [['pseudo', ANGULAR], /missing <out>/],
    [['extract', ANGULAR, 'extra'], /unexpected argument "extra"/],
    [['pseudo', ANGULAR, out('x.xlf'), '--mode', 'wobbly'], /unknown --mode "wobbly"/],
    [['pseudo', ANGULAR, out('x.xlf'), '--concurrency', '0'], /--concurrency to be a whole number/],
    [['stats', ANGULAR, '--max-depth', 'deep'], /--max-depth to be a whole number/],
    [['pseudo', ANGULAR, out('x.xlf'), '--restart'], /--restart goes with --checkpoint/],
    [['help', 'nope'], /unknown command "nope"/],
    [['psuedo', ANGULAR, out('x.xlf')], /unknown command "psuedo" \(did you mean pseudo\?/],
    [['pseudo', '-', out('x.xlf'), '--checkpoint'], /--checkpoint needs the input as a file, not standard input/],
    [['pseudo', ANGULAR, '-', '--checkpoint'], /--checkpoint needs the output as a file, not standard output/],
    [['merge', ANGULAR, '-', out('x.xlf')], /<translations.jsonl> must be a file/],
    [['pseudo', ANGULAR, out('x.xlf'), '--queue', 'mt'], /pseudo: expected --redis <url>, the Redis server of the queue/],
    [['pseudo', ANGULAR, out('x.xlf'), '--redis', 'redis://localhost:6379'], /pseudo: expected --queue <name>, the name its workers were given/],
    [['pseudo', ANGULAR, out('x.xlf'), '--redis', 'localhost:6379', '--queue', 'mt'], /pseudo: --redis takes a URL redis:\/\/host:port/],
    [['pseudo', '-', out('x.xlf'), '--redis', 'redis://localhost:6379', '--queue', 'mt'], /--queue needs the input as a file the workers can read, not standard input/],
    [['pseudo', ANGULAR, out('x.xlf'), '--redis', 'redis://localhost:6379', '--queue', 'mt', '--threads', '2'], /--threads and --queue do not go together/],
    [['worker', '--queue', 'mt'], /worker: expected --redis <url>/],
    [['worker', '--redis', 'redis://localhost:6379'], /worker: expected --queue <name>, the name the coordinator gave the queue/],
  ];
  for (const [args, message] of cases) {
    const result = await run(args);
    assert.equal(result.code, 2, args.join(' '));
    assert.match(result.stderr, message, args.join(' '));
  }
});

test('each command takes only its own options, and an unknown one gets the nearest', async () => {
  const cases: Array<[string[], string]> = [
    // Options of other commands are refused, naming who takes them (stats took --concurrency silently).
    [['stats', ANGULAR, '--concurrency', '4'], 'stats: --concurrency is not an option of stats (it is one of pseudo, merge, worker)'],
    [['stats', ANGULAR, '--checkpoint'], 'stats: --checkpoint is not an option of stats (it is one of pseudo, merge)'],
    [['extract', ANGULAR, '--mode', 'accents'], 'extract: --mode is not an option of extract (it is one of pseudo)'],
    [['merge', ANGULAR, 'a.jsonl', 'b.xlf', '--json'], 'merge: --json is not an option of merge (it is one of stats, validate)'],
    // Misspelt: Levenshtein distance up to 2.
    [['pseudo', ANGULAR, 'x.xlf', '--concurency', '4'], 'pseudo: unknown option --concurency: did you mean --concurrency? (see xliff-stream pseudo --help)'],
    [['pseudo', ANGULAR, 'x.xlf', '--chekpoint'], 'pseudo: unknown option --chekpoint: did you mean --checkpoint?'],
    [['stats', ANGULAR, '--jsno'], 'stats: unknown option --jsno: did you mean --json?'],
    [['extract', ANGULAR, '--quite'], 'extract: unknown option --quite: did you mean --quiet?'],
    [['stats', ANGULAR, '--concurency', '4'], 'stats: unknown option --concurency: did you mean --concurrency? (an option of pseudo, merge, worker, not of stats)'],
    [['stats', ANGULAR, '--frobnicate'], 'stats: unknown option --frobnicate (see xliff-stream stats --help)'],
    [['stats', ANGULAR, '-x'], 'stats: unknown option -x (see'],
  ];
  for (const [args, message] of cases) {
    const result = await run(args);
    assert.equal(result.code, 2, args.join(' '));
    assert.ok(result.stderr.startsWith(`xliff-stream: ${message}`), `${args.join(' ')}: ${result.stderr}`);
  }
  // The help of a command lists its options and no other.
  const listed = (text: string): string[] => [...text.matchAll(/^ {2}(?:-\w, )?(--[\w-]+)/gm)].map((m) => m[1]!);
  const helps = Object.fromEntries(await Promise.all(['stats', 'pseudo', 'extract', 'merge'].map(async (c) => [c, (await run([c, '--help'])).stdout] as const)));
  assert.deepEqual(listed(helps['stats']!), ['--json', '--threads', '--max-depth', '--quiet', '--progress-interval', '--help']);
  assert.deepEqual(listed(helps['pseudo']!), ['--mode', '--cache', '--cache-redis', '--threads', '--redis', '--queue', '--concurrency', '--checkpoint', '--restart', '--max-depth', '--quiet', '--progress-interval', '--help']);
  assert.deepEqual(listed(helps['extract']!), ['--out', '--max-depth', '--quiet', '--progress-interval', '--help']);
  assert.deepEqual(listed(helps['merge']!), ['--concurrency', '--checkpoint', '--restart', '--max-depth', '--quiet', '--progress-interval', '--help']);
  for (const [command, help] of Object.entries(helps)) assert.match(help, new RegExp(`^Usage: xliff-stream ${command} `));
  assert.deepEqual(listed((await run(['--help'])).stdout), ['--quiet', '--progress-interval', '--help', '--version']);
  assert.match((await run(['pseudo', '-h'])).stdout, /accents +letters as accented/);
  assert.equal((await run(['--version'])).stdout, `${(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version}\n`);
  // Options that are theirs still work.
  writeFileSync(out('one.jsonl'), '');
  assert.equal((await run(['merge', ANGULAR, out('one.jsonl'), out('m.xlf'), '--concurrency', '2', '-q'])).code, 0);
});

test('errors exit 1: a missing input, a missing output folder, a document that is not XLIFF', async () => {
  const missing = await run(['stats', out('nope.xlf')]);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /nope\.xlf: cannot read the input \(ENOENT\)/);
  const folder = await run(['pseudo', ANGULAR, out('no/such/folder/out.xlf'), '-q']);
  assert.equal(folder.code, 1);
  assert.match(folder.stderr, /the output folder .* does not exist/);
  writeFileSync(out('not-xliff.xml'), '<?xml version="1.0"?>\n<html/>\n');
  const notXliff = await run(['extract', out('not-xliff.xml')]);
  assert.equal(notXliff.code, 1);
  assert.match(notXliff.stderr, /not-xliff\.xml:2:1: /);
});
