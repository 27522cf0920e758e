import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { barLine } from '../../src/cli/progress-bar.js';
import { ANGULAR, generated, run, spawnCli, tempFolder } from './helpers.js';

const { out } = tempFolder();

/** What a terminal shows of a bar's output: the lines drawn, control sequences taken out. */
const drawn = (text: string): string[] =>
  text
    .replace(/\u001b[78]|\u001b\[[?\d;]*[A-Za-z]/g, '\n')
    .split('\n')
    .filter(Boolean);

test('progress: plain lines naming the command and file on a stderr that is not a terminal, nothing with --quiet', async () => {
  const big = generated('1.2', '6M');
  const result = await spawnCli(['pseudo', big, out('big.pseudo.xlf'), '--progress-interval', '1']);
  assert.equal(result.code, 0, result.stderr);
  const lines = result.stderr.trimEnd().split('\n');
  const periodic = lines.filter((line) => /^pseudo gen-1\.2-6M\.xlf: \d+\.\d% {2}\d+ units {2}\d+ units\/s {2}ETA [\d.]+s$/.test(line));
  assert.ok(periodic.length >= 2, result.stderr);
  assert.match(lines.at(-2)!, /^pseudo gen-1\.2-6M\.xlf: 100% {2}\d+ units in [\d.]+s \(\d+ units\/s\)$/);
  assert.match(lines.at(-1)!, /^pseudo: \d+ of \d+ units changed/);
  for (const args of [['pseudo', ANGULAR, out('quiet.xlf')], ['stats', ANGULAR], ['extract', ANGULAR, '--out', out('quiet.jsonl')]]) {
    const quiet = await run([...args, '--quiet', '--progress-interval', '1'], { tty: true });
    assert.equal(quiet.code, 0);
    assert.equal(quiet.stderr, '', args[0]);
  }
});

test('progress on a terminal: a bar with the command and file that fits 60 columns, the elapsed time at the end', async () => {
  const big = generated('1.2', '6M');
  const result = await run(['pseudo', big, out('bar.xlf')], { tty: true, columns: 60 });
  assert.equal(result.code, 0, result.stderr);
  assert.ok(result.stderr.includes('\u001b['), 'terminal control sequences');
  const lines = drawn(result.stderr);
  const bars = lines.slice(0, -1);
  assert.ok(bars.length >= 2, result.stderr);
  for (const line of bars) {
    assert.ok(line.length <= 59, `${line.length} columns: ${line}`);
    assert.ok(line.startsWith('pseudo gen-1.2-6M.xlf '), line);
  }
  assert.ok(bars.slice(0, -1).some((line) => /[█░]{10,} +\d+\.\d% \d+ units ETA /.test(line)), bars.join('\n'));
  assert.match(bars.at(-1)!, /^pseudo gen-1\.2-6M\.xlf █{10,} 100% 14499 units in [\d.]+s/);
  assert.match(lines.at(-1)!, /^pseudo: \d+ of 14499 units changed/);
  // Wide, with the rate; narrow, the file name shortened from its start, the command kept.
  const figures = { percent: 42.5, units: 1234, unitsPerSecond: 5678, etaMs: 3000, bytes: 0 };
  assert.equal(barLine('stats', 'messages.fr.xlf', figures, 100), `stats messages.fr.xlf ${'█'.repeat(13)}${'░'.repeat(17)} 42.5% 1234 units 5678/s ETA 3.0s`);
  const narrow = barLine('stats', 'a-very-long-file-name-indeed.xlf', figures, 60);
  assert.ok(narrow.length <= 59 && narrow.startsWith('stats …') && narrow.includes('indeed.xlf ') && narrow.includes('42.5% 1234 units'), narrow);
  // Standard input: no percent, no bar.
  assert.equal(barLine('stats', '<stdin>', { ...figures, percent: undefined, bytes: 3 * 1024 * 1024 }, 60), 'stats <stdin> 1234 units 5678/s 3.0 MiB');
  // The table of stats goes to stdout, the bar to stderr.
  const stats = await run(['stats', ANGULAR], { tty: true, columns: 60 });
  assert.match(drawn(stats.stderr).at(-1)!, /^stats messages\.fr\.xlf █+ 100% 766 units in [\d.]+s/);
});

test('no progress for a file of one unit, nor with --json', async () => {
  const one = out('one.xlf');
  writeFileSync(
    one,
    '<?xml version="1.0"?>\n<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2"><file original="f" source-language="en" datatype="plaintext"><body>\n<trans-unit id="a"><source>Hello</source></trans-unit>\n</body></file></xliff>\n',
  );
  for (const tty of [false, true]) {
    const pseudo = await run(['pseudo', one, out('one.qps.xlf')], { tty, columns: 60 });
    assert.equal(pseudo.code, 0, pseudo.stderr);
    assert.equal(pseudo.stderr, `pseudo: 1 of 1 units changed (0 not translatable) -> ${out('one.qps.xlf')}\n`, `tty: ${tty}`);
    const stats = await run(['stats', one], { tty });
    assert.equal(stats.stderr, '', `tty: ${tty}`);
    assert.match(stats.stdout, /^units {15}1$/m);
    const json = await run(['stats', ANGULAR, '--json'], { tty });
    assert.equal(json.stderr, '', `--json, tty: ${tty}`);
  }
});

test('--progress-interval shorter than the bar\'s 100 ms: lines as often as asked (a short job is not silent)', async () => {
  const input = generated('1.2', '2M');
  const jsonl = out('short.jsonl');
  writeFileSync(jsonl, '{"id":"u1","target":"x"}\n');
  const result = await spawnCli(['merge', input, jsonl, out('short.xlf'), '--progress-interval', '1']);
  assert.equal(result.code, 0, result.stderr);
  const periodic = result.stderr.split('\n').filter((line) => /^merge gen-1\.2-2M\.xlf: \d+\.\d% {2}\d+ units /.test(line));
  const elapsed = Number(/ in ([\d.]+)s /.exec(result.stderr)?.[1]);
  // One line per 100 ms of the run at the least; events every millisecond give many more.
  assert.ok(periodic.length >= 3 && periodic.length > 2 * elapsed * 10, `${periodic.length} lines in ${elapsed}s:\n${result.stderr}`);
});

test('--progress-interval shorter than the 100 ms a bar needs: reading commands (extract, stats, validate, split) and join print lines as often as asked', async () => {
  const input = generated('1.2', '2M');
  const parts = out('parts');
  const commands = [['extract', input, '--out', out('often.jsonl')], ['stats', input], ['validate', input], ['split', input, '--parts', '2', '--out', parts]];
  for (const args of commands) {
    const result = await spawnCli([...args, '--progress-interval', '1']);
    assert.equal(result.code, 0, result.stderr);
    const periodic = result.stderr.split('\n').filter((line) => new RegExp(`^${args[0]} gen-1\\.2-2M\\.xlf: \\d+\\.\\d% {2}\\d+ units `).test(line));
    const elapsed = Number(/ in ([\d.]+)s /.exec(result.stderr)?.[1]);
    // A line every 100 ms gives 10 a second at most; reports every millisecond give many more.
    assert.ok(periodic.length >= 3 && periodic.length > 25 * elapsed, `${args[0]}: ${periodic.length} lines in ${elapsed}s:\n${result.stderr}`);
  }
  const joined = await spawnCli(['join', input, join(parts, 'gen-1.2-2M.part001.xlf'), join(parts, 'gen-1.2-2M.part002.xlf'), out('joined.xlf'), '--progress-interval', '1']);
  assert.equal(joined.code, 0, joined.stderr);
  const periodic = joined.stderr.split('\n').filter((line) => /^join gen-1\.2-2M\.xlf: \d+\.\d% {2}\d+ units /.test(line));
  const elapsed = Number(/ in ([\d.]+)s /.exec(joined.stderr)?.[1]);
  assert.ok(periodic.length >= 3 && periodic.length > 25 * elapsed, `join: ${periodic.length} lines in ${elapsed}s:\n${joined.stderr}`);
  assert.deepEqual(readFileSync(out('joined.xlf')), readFileSync(input));
});
