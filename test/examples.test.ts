import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CORPUS_DIR, corpus } from './helpers/corpus.js';
import { collect } from './helpers/read.js';
import type { Content, Part } from '../src/index.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const ANGULAR = join(CORPUS_DIR, 'angular-apps/messages.fr.xlf');

/** Runs an example in a child process (the tests run at the same time): its output and exit code. */
function runExample(script: string, ...args: string[]): Promise<{ stdout: string; lines: string[]; stderr: string; status: number }> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--import', 'tsx', join(root, 'examples', script), ...args], { cwd: root, encoding: 'utf8' }, (error, stdout, stderr) => {
      if (error && typeof error.code !== 'number') reject(error);
      else resolve({ stdout, lines: stdout.trimEnd().split('\n'), stderr, status: typeof error?.code === 'number' ? error.code : 0 });
    });
  });
}
/** Runs an example that must succeed: its stdout. */
async function run(script: string, ...args: string[]): Promise<string> {
  const { stdout, stderr, status } = await runExample(script, ...args);
  assert.equal(status, 0, `${script} exited with ${status}: ${stderr}`);
  return stdout;
}

test('examples import the package by its name, so that each can be copied into a project as it is', () => {
  for (const name of readdirSync(join(root, 'examples')).filter((file) => file.endsWith('.ts'))) {
    const source = readFileSync(join(root, 'examples', name), 'utf8');
    assert.doesNotMatch(source, /from '\.\.?\//, `${name} imports a relative path`);
    assert.match(source, /from 'xliff-stream'/, name);
  }
});

// The examples run in child processes, two at a time.
describe('examples', { concurrency: 2 }, () => {
  test('examples/word-count.ts counts the words of the translatable units', async () => {
    const result = JSON.parse(await run('word-count.ts', ANGULAR)) as { units: number; words: number };
    const units = (await collect(ANGULAR)).filter((u) => u.translate);
    assert.equal(result.units, units.length);
    const segmenter = new Intl.Segmenter(undefined, { granularity: 'word' });
    const words = units.reduce((n, u) => n + [...segmenter.segment(u.source.text)].filter((s) => s.isWordLike).length, 0);
    assert.equal(result.words, words);
    assert.ok(words > 5000);
  });

  test('examples/pseudo-translate.ts writes accented targets and keeps the inline codes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xliff-stream-example-'));
    try {
      const output = join(dir, 'out.xlf');
      const { stdout, stderr, status } = await runExample('pseudo-translate.ts', ANGULAR, output);
      assert.equal(status, 0, stderr);
      const result = JSON.parse(stdout) as { units: number; changed: number };
      // Not a terminal here: progress comes a line at a time, no carriage returns running together.
      assert.doesNotMatch(stderr, /\r/);
      for (const line of stderr.trimEnd().split('\n').filter(Boolean)) assert.match(line, /^\d+ units$/);
      const before = await collect(ANGULAR);
      const after = await collect(output);
      assert.equal(result.units, before.length);
      assert.equal(after.length, before.length);
      after.forEach((unit, i) => {
        const source = before[i]!.source;
        assert.ok(unit.target!.text.startsWith('['), unit.id);
        assert.ok(unit.target!.text.endsWith(']'), unit.id);
        const codes = (parts: readonly Part[]) => parts.flatMap((p) => (p.type === 'text' ? [] : [p.xml]));
        assert.deepEqual(codes(unit.target!.parts), codes(source.parts));
        assert.doesNotMatch(unit.target!.text, /[aeiou]/);
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  // What the fake endpoint of examples/translate-http.ts does to a text.
  const PLACEHOLDER = /(\{\{?[\w.\s]+\}\}?|%(?:\d+\$)?[sd@])/;
  const fakeTranslation = (text: string) => text.split(PLACEHOLDER).map((s, i) => (i % 2 ? s : s.toUpperCase())).join('');
  /** Text parts as text, codes by their XML: what a target must equal. */
  const shape = (content: Content | undefined) => content?.parts.map((p) => (p.type === 'text' ? `text:${p.text}` : p.xml));

  for (const [name, version, minCacheHits] of [
    ['matecat/SpotCheck-en_us-es_419-H.xlf', '2.0', 20],
    ['okapi-xliff12/MQ-12-Test01.xlf', '1.2', 1],
    ['okapi-sdlxliff/TeacherXpress15981.sdlxliff', '1.2', 1],
  ] as const) {
    test(`examples/translate-http.ts translates ${name} (${version}) over two endpoints (an outage failed over, 429 retries, rate limits), and a rerun with the disk cache sends nothing`, async () => {
      const input = join(CORPUS_DIR, name);
      const dir = mkdtempSync(join(tmpdir(), 'xliff-stream-example-'));
      try {
        const output = join(dir, 'out.xlf');
        const cache = join(dir, 'cache');
        type Result = Record<'units' | 'changed' | 'retries' | 'failovers' | 'cacheHits' | 'diskHits' | 'elapsedMs', number> &
          Record<'requests' | 'failed', Record<'eu' | 'us', number>> & { endpoints: Array<{ name: string; state: string; done: number; failed: number; opened: number }> };
        const result = JSON.parse(await run('translate-http.ts', input, output, cache)) as Result;
        execFileSync('xmllint', ['--noout', output]);
        const before = await collect(input);
        const after = await collect(output);
        assert.equal(result.units, before.length);
        assert.equal(after.length, before.length);
        let translated = 0;
        before.forEach((unit, i) => {
          const out = after[i]!;
          assert.equal(out.id, unit.id);
          if (!unit.translate) return assert.equal(out.raw, unit.raw);
          translated++;
          const expected = (source: Content) => source.parts.map((p) => (p.type === 'text' ? `text:${fakeTranslation(p.text)}` : p.xml));
          if (version === '1.2' && unit.segments.length === 1 && unit.segments[0]!.id === undefined) {
            assert.deepEqual(shape(out.target), expected(unit.source), unit.id);
            assert.equal(out.state, 'translated', unit.id);
          } else {
            unit.segments.forEach((segment, k) => {
              if (segment.kind === 'segment') assert.deepEqual(shape(out.segments[k]!.target), expected(segment.source), `${unit.id} segment ${k}`);
              assert.equal(out.segments[k]!.state, segment.kind === 'segment' ? 'translated' : undefined);
            });
          }
        });
        assert.ok(translated > 100);
        // Every target differs from the input's (empty in SpotCheck; in MQ-12 not in upper case).
        assert.equal(result.changed, translated);
        const [eu, us] = result.endpoints;
        // eu's outage (its requests 2 to 4) opened its breaker once; its trial succeeded and it took requests again.
        assert.equal(result.failed.eu, 3);
        assert.deepEqual([eu!.name, eu!.opened, eu!.state, eu!.failed], ['eu', 1, 'closed', 3]);
        assert.ok(result.requests.eu > 4, `eu took ${result.requests.eu} requests`);
        assert.equal(eu!.done, result.requests.eu - 3);
        // us answered every 5th request with a 429.
        assert.equal(result.failed.us, Math.floor(result.requests.us / 5));
        assert.deepEqual([us!.name, us!.failed, us!.done], ['us', result.failed.us, result.requests.us - result.failed.us]);
        // Each failed request went to the other endpoint (a failover) or, with none to go to, was retried: the job succeeded.
        assert.equal(result.failovers + result.retries, result.failed.eu + result.failed.us);
        assert.ok(result.failovers >= 1);
        // 10 requests per 100 ms at most per endpoint (a sliding window): in T ms, 10 * (floor(T / 100) + 1) at most.
        for (const endpoint of ['eu', 'us'] as const) {
          assert.ok(result.requests[endpoint] <= 10 * (Math.floor(result.elapsedMs / 100) + 1), `${endpoint}: ${result.requests[endpoint]} requests in ${result.elapsedMs} ms`);
        }
        // Repeated sources came from the cache instead of the endpoints.
        assert.ok(result.cacheHits >= minCacheHits, `${result.cacheHits} cache hits`);
        // One good request per chunk of 10 units at most (a chunk whose units all come from the cache makes none).
        assert.ok(eu!.done + us!.done <= Math.ceil(before.length / 10));
        // The same job again, with the same cache folder: every result from disk, no request, the same bytes.
        const again = join(dir, 'again.xlf');
        const rerun = JSON.parse(await run('translate-http.ts', input, again, cache)) as Result;
        assert.deepEqual(rerun.requests, { eu: 0, us: 0 });
        assert.ok(rerun.diskHits > 0);
        assert.equal(rerun.cacheHits, translated, 'every translatable unit from the cache');
        assert.deepEqual(readFileSync(again), readFileSync(output));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }

  test('examples/qa-check.ts reports the placeholders and inline codes a target lost or added', async () => {
    const fixture = join(root, 'test/fixtures/qa-problems.xlf');
    const fixture2 = join(root, 'test/fixtures/qa-problems.xlf2');
    const { lines, stderr, status } = await runExample('qa-check.ts', fixture, fixture2);
    assert.deepEqual(lines, [
      `${fixture}:9:7 lost-brace: missing {0}`,
      `${fixture}:13:7 printf: missing %2$d`,
      `${fixture}:13:7 printf: added %d`,
      `${fixture}:25:7 codes: missing <x id="2"/>`,
      `${fixture}:25:7 codes: added <ph id="9"/>`,
      `${fixture}:29:7 renumbered: missing <g id="2">`,
      `${fixture}:29:7 renumbered: added <g id="3">`,
      `${fixture2}:4:5 two-segments (segment s2): missing <ph id="1"/>`,
      `${fixture2}:23:5 segment-without-id (segment 2): added {{user}}`,
      '9 problems',
    ]);
    assert.equal(status, 1, stderr);
  });

  test('examples/qa-check.ts on corpus files: the real problems, no false alarm on ICU messages and plural forms', async () => {
    const de = join(CORPUS_DIR, 'angular-apps/messages.de.xlf');
    const ar = join(CORPUS_DIR, 'symfony-validator/validators.ar.xlf');
    const { lines, stderr, status } = await runExample('qa-check.ts', de, ar);
    assert.deepEqual(lines, [
      `${de}:3028:7 8476438488721160420: missing <x id="INTERPOLATION"/>`,
      `${ar}:285:13 74: missing {{ min_ratio }}`,
      `${ar}:285:13 74: added {{ max_ratio }}`,
      '3 problems',
    ]);
    assert.equal(status, 1, stderr);
    // 764 targets with inline codes, placeholders and ICU plurals, all consistent.
    const clean = await runExample('qa-check.ts', ANGULAR);
    assert.deepEqual([clean.lines, clean.status], [['0 problems'], 0]);
  });

  test('examples/progress.ts prints progress lines, a retried chunk and the summary', async () => {
    const input = join(CORPUS_DIR, 'angular-apps/messages.de.xlf');
    const { lines } = await runExample('progress.ts', input);
    const units = corpus().find((entry) => entry.file === input)!.transUnits;
    const progress = lines.filter((line) => /^\d+\.\d% {2}\d+\/\d+ units {2}\d+ units\/s {2}ETA (\d+\.\d s|\?) {2}\d+ chunks in flight$/.test(line));
    assert.ok(progress.length >= 1, lines.join('\n'));
    // The last one comes at the end.
    assert.match(progress.at(-1)!, new RegExp(`^100\\.0% {2}${units}/${units} units {2}\\d+ units/s {2}ETA 0\\.0 s {2}0 chunks in flight$`));
    assert.ok(lines.includes('chunk 2 (50 units): retrying, attempt 2'), lines.join('\n'));
    const summary = lines.at(-1)!;
    assert.match(summary, new RegExp(`^done: ${units} units in \\d+\\.\\d s: \\d+ processed, \\d+ from the cache, 0 not translatable, 0 failed; retries: 1, chunks: ${Math.ceil(units / 50)}$`));
    assert.equal(units, 1312);
  });
});
