import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { appendFileSync, copyFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { processXliff, XliffError, type ProcessOptions, type Unit } from '../../src/index.js';
import { pseudoTarget } from '../helpers/checkpoint-processor.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const GEN = join(root, 'scripts/gen-xliff.cjs');
const work = mkdtempSync(join(tmpdir(), 'xliff-stream-checkpoint-'));
test.after(() => rmSync(work, { recursive: true, force: true }));

const generated = new Map<string, string>();
/** A generated XLIFF file of this format and size (made once per run). */
function generate(format: '1.2' | '2.0', size: string): string {
  const key = `${format}-${size}`;
  let file = generated.get(key);
  if (!file) {
    file = join(work, `gen-${key}.xlf`);
    execFileSync(process.execPath, [GEN, '--format', format, '--size', size, '--seed', '7', '--out', file], { stdio: 'ignore' });
    generated.set(key, file);
  }
  return file;
}

interface Run {
  readonly calls: number[];
  readonly error: XliffError | undefined;
  readonly units: Unit[];
}

/** Runs a checkpointed job; `abortAfterChunks` aborts it once that many chunks are done. */
async function run(input: string, output: string, options: Partial<ProcessOptions> & { abortAfterChunks?: number; failAt?: number } = {}): Promise<Run> {
  const { abortAfterChunks, failAt, ...rest } = options;
  const calls: number[] = [];
  const controller = new AbortController();
  const units: Unit[] = [];
  const job = processXliff(input, {
    output,
    checkpoint: true,
    chunkUnits: 20,
    cache: false,
    signal: controller.signal,
    process: (unit) => {
      calls.push(unit.index);
      if (unit.index === failAt) throw Object.assign(new Error('quota exceeded'), { retryable: false });
      return pseudoTarget(unit);
    },
    ...rest,
  });
  let done = 0;
  job.on('chunk', (event) => {
    if (event.state === 'done' && ++done === abortAfterChunks) controller.abort(new Error('stop'));
  });
  job.on('unitError', ({ unit }) => units.push(unit));
  try {
    await job.done;
    return { calls, error: undefined, units };
  } catch (error) {
    assert.ok(error instanceof XliffError, String(error));
    return { calls, error, units };
  }
}

/** The unit indexes a journal holds (units the filter left out aside), and its chunk count; a torn last line is left out. */
function journaled(path: string, chunkUnits = 20): { indexes: Set<number>; chunks: number } {
  const indexes = new Set<number>();
  let chunks = 0;
  for (const line of readFileSync(path, 'utf8').split('\n').slice(1)) {
    let record: { c: number; u: unknown[] };
    try {
      record = JSON.parse(line) as typeof record;
    } catch {
      continue;
    }
    chunks++;
    record.u.forEach((entry, i) => entry !== 1 && indexes.add(record.c * chunkUnits + i));
  }
  return { indexes, chunks };
}

const tmpFiles = (folder: string) => readdirSync(folder).filter((f) => f.endsWith('.tmp'));

test('checkpoint: an aborted job keeps its journal and no output; the rerun replays it and calls the processor only for the rest', async () => {
  const input = generate('1.2', '400K');
  const dir = mkdtempSync(join(work, 'resume-'));
  const reference = join(dir, 'reference.xlf');
  const full = await run(input, reference);
  assert.equal(full.error, undefined);
  assert.ok(!existsSync(`${reference}.journal`), 'the journal is removed on success');

  const output = join(dir, 'out.xlf');
  const first = await run(input, output, { abortAfterChunks: 15 });
  assert.equal(first.error?.code, 'XLIFF_ABORTED');
  assert.ok(!existsSync(output), 'no output file');
  assert.deepEqual(tmpFiles(dir), []);
  const { indexes, chunks } = journaled(`${output}.journal`);
  assert.ok(chunks >= 10 && chunks <= 15, `${chunks} chunks journaled`);

  const second = await run(input, output);
  assert.equal(second.error, undefined);
  assert.deepEqual(readFileSync(output), readFileSync(reference), 'the resumed output is the uninterrupted one, byte for byte');
  assert.ok(!existsSync(`${output}.journal`));
  // The processor saw exactly the units the journal did not hold.
  assert.deepEqual(
    second.calls,
    full.calls.filter((i) => !indexes.has(i)),
  );
  assert.ok(second.calls.length < full.calls.length - 150);
});

test('checkpoint: the summary counts replayed units; a torn last line is cut off, not an error', async () => {
  const input = generate('2.0', '300K');
  const dir = mkdtempSync(join(work, 'torn-'));
  const reference = join(dir, 'reference.xlf');
  await run(input, reference);
  const output = join(dir, 'out.xlf');
  await run(input, output, { abortAfterChunks: 8 });
  const journal = `${output}.journal`;
  const { indexes } = journaled(journal);
  appendFileSync(journal, '{"c":99,"n":20,"u":[0,{"u":{"target":"half');
  const replayed: number[] = [];
  const job = processXliff(input, { output, checkpoint: true, chunkUnits: 20, cache: false, process: pseudoTarget });
  for await (const chunk of job) {
    for (const result of chunk.results) if (result.replayed) replayed.push(result.unit.index);
  }
  const summary = await job.done;
  assert.deepEqual(readFileSync(output), readFileSync(reference));
  assert.equal(summary.unitsReplayed, indexes.size);
  assert.ok(replayed.length >= indexes.size && replayed.every((i) => i < 20 * 8 + 20));
});

test('checkpoint: a journal of another input or other options fails with XLIFF_CHECKPOINT_MISMATCH; restart starts over', async () => {
  const dir = mkdtempSync(join(work, 'mismatch-'));
  const input = join(dir, 'in.xlf');
  copyFileSync(generate('1.2', '400K'), input);
  const output = join(dir, 'out.xlf');
  await run(input, output, { abortAfterChunks: 5 });
  const journal = `${output}.journal`;
  const kept = readFileSync(journal);

  const otherChunks = await run(input, output, { chunkUnits: 30 });
  assert.equal(otherChunks.error?.code, 'XLIFF_CHECKPOINT_MISMATCH');
  assert.match(otherChunks.error.message, /options that change the output/);
  assert.deepEqual(otherChunks.calls, [], 'nothing processed');
  assert.ok(!existsSync(output));
  assert.deepEqual(readFileSync(journal), kept, 'the journal is left as it was');

  const otherLanguage = await run(input, output, { targetLanguage: 'de' });
  assert.equal(otherLanguage.error?.code, 'XLIFF_CHECKPOINT_MISMATCH');
  const otherFilter = await run(input, output, { filter: (unit) => unit.id !== '3' });
  assert.equal(otherFilter.error?.code, 'XLIFF_CHECKPOINT_MISMATCH');

  const later = new Date(Date.now() + 60_000);
  utimesSync(input, later, later);
  const touched = await run(input, output);
  assert.equal(touched.error?.code, 'XLIFF_CHECKPOINT_MISMATCH');
  assert.match(touched.error.message, /modified since/);

  const restarted = await run(input, output, { checkpoint: { restart: true } });
  assert.equal(restarted.error, undefined);
  assert.ok(existsSync(output) && !existsSync(journal));
  const reference = join(dir, 'reference.xlf');
  const full = await run(input, reference);
  assert.deepEqual(restarted.calls, full.calls, 'restart processes every unit');
  assert.deepEqual(readFileSync(output), readFileSync(reference));
});

test('checkpoint: a failed job keeps the journal (failures of onError: skip are replayed as failures)', async () => {
  const input = generate('1.2', '400K');
  const dir = mkdtempSync(join(work, 'fail-'));
  const output = join(dir, 'out.xlf');
  const failed = await run(input, output, { failAt: 300 });
  assert.equal(failed.error?.code, 'XLIFF_PROCESS');
  assert.equal(failed.error.unitId !== undefined, true);
  assert.ok(!existsSync(output));
  assert.deepEqual(tmpFiles(dir), []);
  assert.ok(existsSync(`${output}.journal`));
  assert.ok(journaled(`${output}.journal`).chunks > 0);

  const skipping = await run(input, join(dir, 'skip.xlf'), { failAt: 5, onError: 'skip', abortAfterChunks: 4 });
  assert.equal(skipping.error?.code, 'XLIFF_ABORTED');
  assert.deepEqual(skipping.units.map((u) => u.index), [5]);
  const resumed = await run(input, join(dir, 'skip.xlf'), { onError: 'skip' });
  assert.equal(resumed.error, undefined);
  assert.ok(!resumed.calls.includes(5), 'the failed unit is not called again');
  assert.deepEqual(resumed.units.map((u) => u.index), [5], 'its failure is reported again');
});

test('checkpoint: options and inputs it cannot work with are refused up front', () => {
  assert.throws(() => processXliff(Buffer.from('<xliff/>'), { output: join(work, 'x.xlf'), checkpoint: true }), /Expected the input to be a file path with `checkpoint`/);
  assert.throws(() => processXliff(generate('1.2', '400K'), { checkpoint: true }), /Expected `output` to be a file path with `checkpoint: true`/);
  assert.throws(() => processXliff(generate('1.2', '400K'), { output: 'x.xlf', checkpoint: 'yes' as never }), TypeError);
  assert.throws(() => processXliff(generate('1.2', '400K'), { output: 'x.xlf', checkpoint: { syncIntervalMs: 0 } }), RangeError);
});

test('checkpoint: a journal path of a file that is not a journal is refused, not overwritten', async () => {
  const dir = mkdtempSync(join(work, 'notjournal-'));
  const output = join(dir, 'out.xlf');
  writeFileSync(`${output}.journal`, 'precious data\n');
  const result = await run(generate('1.2', '400K'), output, { checkpoint: { restart: true } });
  assert.equal(result.error?.code, 'XLIFF_CHECKPOINT_MISMATCH');
  assert.equal(readFileSync(`${output}.journal`, 'utf8'), 'precious data\n');
});

test('checkpoint: temporary outputs of killed runs are removed; those of live processes are not', async () => {
  const dir = mkdtempSync(join(work, 'stale-'));
  const output = join(dir, 'out.xlf');
  const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
  const stale = join(dir, `.out.xlf.${dead}.abc123.tmp`);
  const live = join(dir, `.out.xlf.${process.pid}.abc123.tmp`);
  writeFileSync(stale, 'x');
  writeFileSync(live, 'x');
  const result = await run(generate('1.2', '400K'), output);
  assert.equal(result.error, undefined);
  assert.ok(!existsSync(stale));
  assert.ok(existsSync(live));
});

/** Runs the child job; kills it with SIGKILL once it has made `killAfterCalls` calls (never, when undefined). */
function runChild(input: string, output: string, killAfterCalls: number | undefined, threads?: number): Promise<{ calls: number[]; killed: boolean; stdout: string }> {
  return new Promise((resolve, reject) => {
    const args = ['--import', 'tsx', join(root, 'test/helpers/checkpoint-child.ts'), input, output, ...(threads ? [String(threads)] : [])];
    const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    const calls: number[] = [];
    let pending = '';
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (data: Buffer) => (stderr += data.toString()));
    child.stdout.on('data', (data: Buffer) => {
      stdout += data.toString();
      pending += data.toString();
      const lines = pending.split('\n');
      pending = lines.pop()!;
      for (const line of lines) if (/^\d+$/.test(line)) calls.push(Number(line));
      if (killAfterCalls !== undefined && calls.length >= killAfterCalls) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (signal === 'SIGKILL') resolve({ calls, killed: true, stdout });
      else if (code === 0) resolve({ calls, killed: false, stdout });
      else reject(new Error(`child exited with ${code}: ${stderr}`));
    });
  });
}

test('checkpoint: a job killed with SIGKILL at random moments resumes to exactly the bytes of an uninterrupted run', { timeout: 180_000 }, async () => {
  const input = generate('1.2', '20M');
  const dir = mkdtempSync(join(work, 'kill-'));
  const reference = join(dir, 'reference.xlf');
  const calls: number[] = [];
  const job = processXliff(input, { output: reference, cache: false, chunkUnits: 50, concurrency: 4, process: (unit) => (calls.push(unit.index), pseudoTarget(unit)) });
  const { units } = await job.done;
  const expected = readFileSync(reference);

  // Random kill points, reproducible: a fraction of the processor calls of a whole run.
  let seed = 20261122;
  const random = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const killPoints = [0.05 + random() * 0.25, 0.35 + random() * 0.3, 0.7 + random() * 0.25].map((f) => Math.floor(f * calls.length));
  for (const killAfter of killPoints) {
    const output = join(dir, `out-${killAfter}.xlf`);
    const killed = await runChild(input, output, killAfter);
    assert.ok(killed.killed, `killed after ${killAfter} calls`);
    assert.ok(!existsSync(output), 'no output file after the kill');
    const journal = `${output}.journal`;
    const held = existsSync(journal) ? journaled(journal, 50).indexes : new Set<number>();
    const rerun = await runChild(input, output, undefined);
    assert.deepEqual(readFileSync(output), expected, `the rerun after a kill at call ${killAfter} writes the uninterrupted run's bytes`);
    assert.ok(!existsSync(journal), 'the journal is removed on success');
    assert.deepEqual(tmpFiles(dir), [], 'no temporary file left');
    // The rerun called the processor for exactly the units the journal did not hold.
    assert.deepEqual(rerun.calls.toSorted((a, b) => a - b), calls.filter((i) => !held.has(i)).toSorted((a, b) => a - b));
    const summary = JSON.parse(rerun.stdout.slice(rerun.stdout.indexOf('done ') + 5)) as { units: number; replayed: number };
    assert.equal(summary.units, units);
    assert.ok(held.size > 0 && summary.replayed === held.size, `${held.size} units replayed`);
  }
});


test('checkpoint: a job on 2 worker threads killed with SIGKILL mid-run resumes, on threads or not, to exactly the bytes of an uninterrupted run', { timeout: 180_000 }, async () => {
  const input = generate('1.2', '6M');
  const dir = mkdtempSync(join(work, 'kill-threads-'));
  const reference = join(dir, 'reference.xlf');
  await processXliff(input, { output: reference, cache: false, chunkUnits: 50, process: pseudoTarget }).done;
  const expected = readFileSync(reference);
  for (const [killAfter, rerunThreads] of [[3000, 2], [9000, undefined]] as const) {
    const output = join(dir, `out-${killAfter}.xlf`);
    const killed = await runChild(input, output, killAfter, 2);
    assert.ok(killed.killed, `killed after ${killAfter} calls`);
    assert.ok(!existsSync(output), 'no output file after the kill');
    const journal = `${output}.journal`;
    assert.ok(existsSync(journal) && journaled(journal, 50).chunks > 0, 'chunks journaled before the kill');
    const rerun = await runChild(input, output, undefined, rerunThreads);
    const done = JSON.parse(/^done (.*)$/m.exec(rerun.stdout)![1]!) as { replayed: number };
    assert.ok(done.replayed > 0, 'the rerun replayed the journal');
    assert.deepEqual(readFileSync(output), expected, `killed after ${killAfter} calls, rerun on ${rerunThreads ?? 1} threads`);
    assert.ok(!existsSync(journal), 'the journal is removed on success');
    assert.deepEqual(tmpFiles(dir), [], 'no temporary file left');
  }
});
