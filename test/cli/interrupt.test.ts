import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ANGULAR, MAIN, generated, root, run, spawnCli, tempFolder } from './helpers.js';

const { dir } = tempFolder();

/** Pseudo-translates a 6 MB file in a child and sends it `signal` once it has made progress. */
async function interrupted(signal: NodeJS.Signals): Promise<{ code: number | null; stderr: string; left: string[] }> {
  const folder = mkdtempSync(join(dir, `${signal}-`));
  let sent = false;
  const result = await spawnCli(['pseudo', generated('1.2', '6M'), join(folder, 'out.xlf'), '--progress-interval', '1'], {
    onStderr: (stderr, child) => {
      if (!sent && /units\/s/.test(stderr)) {
        sent = true;
        child.kill(signal);
      }
    },
  });
  assert.ok(sent, result.stderr);
  return { code: result.code, stderr: result.stderr, left: readdirSync(folder) };
}

test('Ctrl-C, SIGTERM and SIGHUP abort the job: exit code 128 + the signal, no output and no temporary file', async () => {
  const results = await Promise.all((['SIGINT', 'SIGTERM', 'SIGHUP'] as const).map(async (signal) => [signal, await interrupted(signal)] as const));
  const codes = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };
  for (const [signal, result] of results) {
    assert.equal(result.code, codes[signal], `${signal}: ${result.stderr}`);
    assert.match(result.stderr, new RegExp(`^xliff-stream: interrupted \\(${signal}\\)$`, 'm'));
    assert.deepEqual(result.left, [], `${signal}: files left`);
  }
});

test('a closed output pipe aborts quietly: exit code 141, no temporary file', async () => {
  const big = generated('1.2', '6M');
  // A real pipe that its reader closes: `| head -1`.
  const status = execFileSync('bash', ['-c', `set -o pipefail; "${process.execPath}" --import tsx "${MAIN}" extract "${big}" | head -1 > /dev/null; echo "\${PIPESTATUS[0]}"`], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  assert.equal(status.trim(), '141');
  // stdout to a reader that goes away; the job writes the XLIFF there.
  const stdout = await spawnCli(['pseudo', big, '-'], { onStdout: (bytes, child) => bytes > 100_000 && child.stdout?.destroy() });
  assert.equal(stdout.code, 141, stdout.stderr);
  assert.doesNotMatch(stdout.stderr, /interrupted|EPIPE|Error/);
  // stderr closed, the output a file: the job stops (as a process a SIGPIPE ends), its temporary file goes.
  const folder = mkdtempSync(join(dir, 'epipe-'));
  const stderr = await spawnCli(['pseudo', big, join(folder, 'out.xlf'), '--progress-interval', '1'], { onStderr: (text, child) => /units\/s/.test(text) && child.stderr?.destroy() });
  assert.equal(stderr.code, 141);
  assert.deepEqual(readdirSync(folder), []);
});

test('the temporary files of dead runs are removed, with or without --checkpoint; those of live runs stay', async () => {
  const folder = mkdtempSync(join(dir, 'stale-'));
  const dead = spawnSync(process.execPath, ['-e', '']).pid!;
  const names = {
    dead: `.out.xlf.${dead}.m1abc.tmp`,
    live: `.out.xlf.${process.pid}.m1abd.tmp`, // this test's process: alive
    other: `.other.xlf.${dead}.m1abe.tmp`, // another output's
    notOurs: '.out.xlf.backup.tmp',
  };
  for (const name of Object.values(names)) writeFileSync(join(folder, name), 'partial');
  const result = await run(['pseudo', ANGULAR, join(folder, 'out.xlf'), '-q']);
  assert.equal(result.code, 0, result.stderr);
  assert.deepEqual(readdirSync(folder).sort(), [names.live, names.notOurs, names.other, 'out.xlf'].sort());
  // extract --out too.
  writeFileSync(join(folder, `.units.jsonl.${dead}.m1abf.tmp`), 'partial');
  assert.equal((await run(['extract', ANGULAR, '--out', join(folder, 'units.jsonl'), '-q'])).code, 0);
  assert.ok(!readdirSync(folder).some((name) => name.startsWith('.units.jsonl.')));
});
