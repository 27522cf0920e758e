import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { collect } from '../helpers/read.js';
import { generated, run, tempFolder } from './helpers.js';

const { dir, out } = tempFolder();

test('--checkpoint: an interrupted pseudo keeps its journal, and the next run resumes to the same output', async () => {
  const big = generated('1.2', '6M');
  const reference = out('big.pseudo.xlf'); // without --checkpoint
  assert.equal((await run(['pseudo', big, reference, '-q'])).code, 0);
  const folder = mkdtempSync(join(dir, 'checkpoint-'));
  const output = join(folder, 'out.xlf');
  const controller = new AbortController();
  const interrupted = await run(['pseudo', big, output, '--checkpoint', '--progress-interval', '1'], {
    signal: controller.signal,
    onStderr: (text) => {
      if (/units\/s/.test(text) && !/ 0 units/.test(text)) controller.abort();
    },
  });
  assert.equal(interrupted.code, 130, interrupted.stderr);
  assert.equal(existsSync(output), false);
  assert.ok(existsSync(`${output}.journal`), `no journal: ${readdirSync(folder).join(', ')}`);
  // Another --mode would write another output: the journal is not replayed.
  const other = await run(['pseudo', big, output, '--checkpoint', '--mode', 'brackets', '-q']);
  assert.equal(other.code, 1);
  // In the command line's words: the option that differs, and --restart.
  assert.match(other.stderr, /^.*out\.xlf\.journal: the journal .* belongs to another job: it was written with another --mode than this run's \(brackets\)\nxliff-stream: to start over, run the command again with --restart \(or remove the journal\)\n$/);
  assert.doesNotMatch(other.stderr, /checkpoint: \{/);
  assert.equal(existsSync(output), false);
  const journal = readFileSync(`${output}.journal`);
  // The same modes in another order are the same job; the run says it resumed, and how far.
  const resumed = await run(['pseudo', big, output, '--checkpoint', '--mode', 'brackets,accents']);
  assert.equal(resumed.code, 0, resumed.stderr);
  const [, replayed] = /^pseudo: resumed: (\d+) of 14499 units from the journal .*out\.xlf\.journal, \d+ processed now$/m.exec(resumed.stderr) ?? [];
  assert.ok(Number(replayed) > 0, resumed.stderr);
  assert.ok(readFileSync(output).equals(readFileSync(reference)), 'the resumed output differs from an uninterrupted run');
  assert.equal(existsSync(`${output}.journal`), false);
  // --restart: the other mode's run starts over instead of failing.
  writeFileSync(`${output}.journal`, journal);
  const restarted = await run(['pseudo', big, output, '--checkpoint', '--restart', '--mode', 'brackets', '-q']);
  assert.equal(restarted.code, 0, restarted.stderr);
  assert.equal(existsSync(`${output}.journal`), false);
  const first = (await collect(output)).find((u) => u.translate)!;
  assert.equal(first.target?.text.trim(), `[${first.source.text.trim()}]`, 'brackets only, no accents');
});

test('--checkpoint: a journal of another job, or no journal at all, in the command line\'s words', async () => {
  const folder = mkdtempSync(join(dir, 'mismatch-'));
  const input = generated('1.2', '2M');
  const output = join(folder, 'out.xlf');
  const jsonl = join(folder, 'units.jsonl');
  writeFileSync(jsonl, '{"id":"u1","target":"x"}\n');
  // A header of another job: what pseudo writes (its key is not merge's).
  writeFileSync(`${output}.journal`, `${JSON.stringify({ journal: 'xliff-stream', version: 1, input: { size: 1, mtimeMs: 0, head: '', tail: '' }, options: 'x' })}\n`);
  const merge = await run(['merge', input, jsonl, output, '--checkpoint', '-q']);
  assert.equal(merge.code, 1);
  assert.match(merge.stderr, /belongs to another job: the input's size was 1 bytes, it is \d+\nxliff-stream: to start over, run the command again with --restart/);
  // Not a journal: --restart does not apply; removing it does.
  writeFileSync(`${output}.journal`, 'not a journal\n');
  const damaged = await run(['merge', input, jsonl, output, '--checkpoint', '--restart', '-q']);
  assert.equal(damaged.code, 1);
  assert.match(damaged.stderr, /is not an xliff-stream journal[^\n]*\nxliff-stream: remove the journal \(.*out\.xlf\.journal\) to start over\n$/);
  assert.deepEqual(readdirSync(folder).sort(), ['out.xlf.journal', 'units.jsonl']);
  // A merge interrupted, then run with other translations: they are what differs. The larger
  // input, so that progress is reported before the end on a fast machine.
  const big = generated('1.2', '6M');
  writeFileSync(`${output}.journal`, '');
  const controller = new AbortController();
  const interrupted = await run(['merge', big, jsonl, output, '--checkpoint', '--progress-interval', '1'], {
    signal: controller.signal,
    onStderr: (text) => /units\/s/.test(text) && controller.abort(),
  });
  assert.equal(interrupted.code, 130, interrupted.stderr);
  assert.ok(existsSync(`${output}.journal`));
  // Resumed with the same lines: those of the replayed units are not reported as not found.
  const journal = readFileSync(`${output}.journal`);
  const resumed = await run(['merge', big, jsonl, output, '--checkpoint']);
  assert.equal(resumed.code, 0, resumed.stderr);
  assert.match(resumed.stderr, /^merge: resumed: [1-9]\d* of \d+ units from the journal /m);
  assert.match(resumed.stderr, /, \? \(units replayed from the journal did not look\) not found, 0 without id/);
  assert.equal((await collect(output))[0]!.target?.text, 'x');
  writeFileSync(`${output}.journal`, journal);
  writeFileSync(jsonl, '{"id":"u1","target":"y"}\n');
  const other = await run(['merge', big, jsonl, output, '--checkpoint', '-q']);
  assert.equal(other.code, 1);
  assert.match(other.stderr, new RegExp(`belongs to another job: it was written with other translations than ${jsonl.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} holds now\\n`));
  const restarted = await run(['merge', big, jsonl, output, '--checkpoint', '--restart', '-q']);
  assert.equal(restarted.code, 0, restarted.stderr);
  assert.equal((await collect(output))[0]!.target?.text, 'y');
});
