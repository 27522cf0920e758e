/**
 * processXliff on worker threads (`threads` with a `processModule`) writes what one thread
 * writes: the same bytes, the same summary, the same chunks and events, the same results to
 * the iterator, the same error on bad input; its journal resumes with or without threads.
 * Real worker threads, real files, the library's own pseudo-translation module.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { XliffError, processXliff, type ChunkEvent, type ChunkResult, type ProcessOptions, type SegmentProcessOptions, type Summary, type ThreadOptions, type ThreadsSummary } from '../../src/index.js';
import { loadProcessModule } from '../../src/job/process-module.js';
import { corpus } from '../helpers/corpus.js';
import { unitHoldingItsName, unitsAmongOtherNamespace, xliff12 } from '../helpers/read.js';

const GEN = fileURLToPath(new URL('../../scripts/gen-xliff.cjs', import.meta.url));
const PSEUDO = new URL('../../src/pseudo-module.ts', import.meta.url);
const MARKER = new URL('../fixtures/modules/marker.ts', import.meta.url);
const BATCH = new URL('../fixtures/modules/batch.ts', import.meta.url);
const GROW = new URL('../fixtures/modules/grow-input.ts', import.meta.url);
const dir = mkdtempSync(join(tmpdir(), 'xliff-threads-job-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

function generated(format: string, size: string, seed: string): string {
  const out = join(dir, `gen-${format}-${size}-${seed}.xlf`);
  if (!existsSync(out)) execFileSync(process.execPath, [GEN, '--format', format, '--size', size, '--seed', seed, '--out', out]);
  return out;
}

interface Run {
  readonly bytes: Buffer | undefined;
  readonly summary: Partial<Summary> | undefined;
  /** How it was read (apart from the summary: one thread's and the threads' differ). */
  readonly threads: ThreadsSummary | undefined;
  readonly error: unknown;
  readonly chunks: ChunkEvent[];
  /** The `unitError` and `warning` events, in order. */
  readonly unitEvents: string[];
  readonly results: ChunkResult[] | undefined;
}

let runs = 0;
/** Runs the job over `path`, its output to a file of its own; what it wrote, said and gave. */
async function run(path: string, options: ProcessOptions | SegmentProcessOptions, iterate = false): Promise<Run> {
  const output = join(dir, `out-${runs++}.xlf`);
  const job = processXliff(path, { output, ...options });
  const chunks: ChunkEvent[] = [];
  job.on('chunk', (event) => chunks.push(event));
  const unitEvents: string[] = [];
  job.on('unitError', ({ unit, error }) => unitEvents.push(`unitError ${unit.id} at ${unit.location.offset}: ${error.code}`));
  job.on('warning', (warning) => unitEvents.push(`warning ${warning.code} at ${warning.unit?.location.offset}`));
  let results: ChunkResult[] | undefined;
  try {
    if (iterate) {
      results = [];
      for await (const chunk of job) results.push(chunk);
    }
    const { elapsedMs: _elapsed, output: _output, threads, ...summary } = await job.done;
    return { bytes: readFileSync(output), summary, threads, error: undefined, chunks, unitEvents, results };
  } catch (error) {
    assert.equal(existsSync(output), false, 'no output after a failure');
    return { bytes: undefined, summary: undefined, threads: undefined, error, chunks, unitEvents, results };
  }
}

function errorFields(error: unknown): unknown {
  if (!(error instanceof XliffError)) return error;
  const { code, message, line, column, offset, unitId } = error;
  return { code, message, line, column, offset, unitId };
}

/** The chunk events by chunk, in the order each chunk went through its states. */
function byChunk(events: readonly ChunkEvent[]): Map<number, string> {
  const states = new Map<number, string>();
  for (const { index, state, units } of events) states.set(index, `${states.get(index) ?? ''}${state}:${units} `);
  return new Map([...states].sort(([a], [b]) => a - b));
}

/** One thread, then `threads`: the same output bytes, summary, chunks, error. Without a cache, so that every count is the same. */
async function assertSame(path: string, options: ProcessOptions | SegmentProcessOptions, threads: ThreadOptions, where: string): Promise<Run> {
  const one = await run(path, { cache: false, ...options });
  const many = await run(path, { cache: false, ...options, ...threads });
  assert.deepEqual(errorFields(many.error), errorFields(one.error), `${where}: the error`);
  assert.ok(one.bytes === undefined || many.bytes!.equals(one.bytes), `${where}: the output bytes`);
  assert.deepEqual(many.summary, one.summary, `${where}: the summary`);
  if (one.threads) {
    assert.deepEqual(one.threads, { workers: 0, ranges: 0, rangesReadAgain: 0, sequential: undefined }, `${where}: one thread`);
    const { workers, ranges, sequential } = many.threads!;
    assert.ok(sequential === undefined ? workers >= 2 && ranges >= 2 : workers === 0 && ranges === 0, `${where}: threads ${JSON.stringify(many.threads)}`);
  }
  if (!one.error) {
    assert.deepEqual(byChunk(many.chunks), byChunk(one.chunks), `${where}: the chunks`);
    assert.deepEqual(many.unitEvents, one.unitEvents, `${where}: the unit events`);
  }
  return many;
}

test('threads job: corpus files, pseudo-translated on 2 threads in ranges of a chunk of 3 units: the bytes and summary of one thread', async () => {
  const entries = corpus().filter((e) => e.expect === 'read' && e.transUnits + e.units >= 12);
  // Spread over the tools and versions: every fifth file by unit count, with the largest.
  const picked = entries.sort((a, b) => b.transUnits + b.units - (a.transUnits + a.units)).filter((_, i) => i % 5 === 0).slice(0, 12);
  assert.ok(picked.length >= 10);
  for (const entry of picked) {
    const many = await assertSame(entry.file, { per: 'segment', processModule: PSEUDO, chunkUnits: 3 }, { threads: 2, threadRangeBytes: 1 }, entry.path);
    assert.ok((many.summary?.chunks ?? 0) >= 4, `${entry.path}: several ranges`);
    assert.ok((many.summary?.unitsChanged ?? 0) > 0, `${entry.path}: targets written`);
  }
});

test('threads job: generated 1.2 and 2.0 files, 2 and 3 threads, chunks by count and by bytes (processBatch), the iterator\'s results', async () => {
  for (const format of ['1.2', '2.0']) {
    const path = generated(format, '400K', '7');
    await assertSame(path, { per: 'segment', processModule: PSEUDO }, { threads: 2, threadRangeBytes: 16 * 1024 }, `${format}, 2 threads`);
    await assertSame(path, { per: 'segment', processModule: PSEUDO, chunkUnits: 7 }, { threads: 3, threadRangeBytes: 5000 }, `${format}, 3 threads`);
    // Chunks cut by their bytes: a seam waits for the unit that starts a chunk.
    const batch = await assertSame(path, { processModule: BATCH, chunkBytes: 3000 }, { threads: 2, threadRangeBytes: 4000 }, `${format}, processBatch`);
    assert.ok((batch.summary?.unitsSkipped ?? 0) > 0, 'the module\'s filter');
    const one = await run(path, { processModule: MARKER, cache: false, chunkUnits: 50 }, true);
    const many = await run(path, { processModule: MARKER, cache: false, chunkUnits: 50, threads: 2, threadRangeBytes: 8192 }, true);
    assert.deepEqual(many.results, one.results, `${format}: the results iterated`);
    assert.ok(many.results!.length > 5);
  }
});

test('threads job: seams the scanner misjudges (after a unit holding an element of its name) join ranges, and after two the rest is one range: the summary, chunks, unit errors and warnings of one thread, each once', async () => {
  // The scanner takes the inner end tag for the unit's, and counts the unit after it as the chunk's next: its chunks are not the reader's. Every seventh a trans-unit of another namespace: no unit.
  const units = `${unitHoldingItsName('y', ['b', 'c'])}\n${unitsAmongOtherNamespace(200, (i) => (i % 50 === 10 ? 'twice' : `u${i}`))}`;
  const path = join(dir, 'nested-unit.xlf');
  writeFileSync(path, xliff12(units));
  const options: ProcessOptions = { processModule: MARKER, processModuleData: { failOn: 'u120' }, retry: 0, onError: 'skip', chunkUnits: 3 };
  const many = await assertSame(path, options, { threads: 2, threadRangeBytes: 500 }, 'a unit holding elements of its name');
  // Every seam after the first misjudged one fails: two joins, then the rest of the file as one range (not a join at each seam, which read 22 ranges again here).
  assert.equal(many.threads!.rangesReadAgain, 3, `ranges read again: ${JSON.stringify(many.threads)}`);
  assert.ok(many.threads!.ranges <= 4, `ranges read: ${JSON.stringify(many.threads)}`);
  assert.equal(many.summary?.units, 1 + 200 - 29);
  assert.deepEqual(many.unitEvents.filter((event) => event.startsWith('unitError')).length, 1);
  assert.equal(many.unitEvents.filter((event) => event.startsWith('warning XLIFF_DUPLICATE_ID')).length, 2);
});

test('threads job: bad input fails with the error of one thread and writes nothing', async () => {
  const unit = (i: number) => `<trans-unit id="${i}"><source>text ${i}</source></trans-unit>\n`;
  const many = (n: number) => Array.from({ length: n }, (_, i) => unit(i)).join('');
  const cases: [string, string][] = [
    ['a mismatched end tag deep in', xliff12(`${many(300)}<trans-unit id="x"><source>a</sourc></trans-unit>${many(50)}`)],
    ['"]]>" in the skeleton between units', xliff12(`${many(300)} ]]> ${many(50)}`)],
    ['an unclosed root', xliff12(many(300)).replace('</xliff>', '')],
    ['an unbound prefix on an ancestor\'s child', xliff12(`<group id="g">${many(300)}<x:a/>${many(10)}</group>`)],
  ];
  for (const [what, doc] of cases) {
    const path = join(dir, 'bad.xlf');
    writeFileSync(path, doc);
    const many = await assertSame(path, { per: 'segment', processModule: PSEUDO, chunkUnits: 10 }, { threads: 2, threadRangeBytes: 2000 }, what);
    assert.ok(many.error instanceof XliffError, what);
  }
  assert.deepEqual(readdirSync(dir).filter((name) => name.endsWith('.tmp')), [], 'no temporary file left');
});

test('threads job: a processor failure, with onError abort (no output) and skip (unitError, the unit as it was)', async () => {
  const path = generated('1.2', '200K', '8');
  const failOn = 'u150';
  const aborted = await assertSame(path, { processModule: MARKER, processModuleData: { failOn }, retry: 0 }, { threads: 2, threadRangeBytes: 8192 }, 'abort');
  assert.equal((aborted.error as XliffError).code, 'XLIFF_PROCESS');
  assert.match((aborted.error as XliffError).message, /refused unit u150/);
  const options: ProcessOptions = { processModule: MARKER, processModuleData: { failOn }, retry: 0, onError: 'skip' };
  const errors: string[] = [];
  const job = processXliff(path, { ...options, threads: 2, threadRangeBytes: 8192, output: join(dir, 'skip.xlf') });
  job.on('unitError', ({ unit, error }) => errors.push(`${unit.id}: ${error.code}`));
  const summary = await job.done;
  assert.deepEqual(errors, ['u150: XLIFF_PROCESS']);
  assert.equal(summary.unitsFailed, 1);
  await assertSame(path, options, { threads: 2, threadRangeBytes: 8192 }, 'skip');
});

test('threads job: a journal written on threads resumes on one thread, and the other way round, into the bytes of an uninterrupted run', async () => {
  const path = generated('2.0', '300K', '9');
  const whole = await run(path, { processModule: MARKER });
  for (const [first, second] of [[{ threads: 2, threadRangeBytes: 8192 }, {}], [{}, { threads: 2, threadRangeBytes: 8192 }], [{ threads: 2, threadRangeBytes: 8192 }, { threads: 3, threadRangeBytes: 20_000 }]] as const) {
    const output = join(dir, `resumed-${runs++}.xlf`);
    const common: ProcessOptions = { processModule: MARKER, output, checkpoint: { syncIntervalMs: 1 }, retry: 0 };
    // The first run stops at a unit half way: the journal keeps the chunks written before it.
    await assert.rejects(processXliff(path, { ...common, ...first, processModuleData: { failOn: 'u300' } }).done, /refused unit u300/);
    assert.ok(existsSync(`${output}.journal`));
    const summary = await processXliff(path, { ...common, ...second }).done;
    assert.ok(summary.unitsReplayed > 100, `replayed ${summary.unitsReplayed}`);
    assert.ok(readFileSync(output).equals(whole.bytes!), `${JSON.stringify(first)} then ${JSON.stringify(second)}`);
    assert.equal(existsSync(`${output}.journal`), false);
  }
});

test('threads job: each source is processed once across the worker threads, as on one thread (the workers share their cache); setup once per thread', async () => {
  for (const options of [{ processModule: MARKER }, { processModule: BATCH, chunkUnits: 20 }] as const) {
    const path = generated('1.2', '400K', '10');
    const calls = new SharedArrayBuffer(4);
    const one = await run(path, { ...options, processModuleData: { calls } });
    const oneCalls = new Int32Array(calls)[0]!;
    if (options.processModule === MARKER) assert.equal(oneCalls, one.summary!.unitsProcessed);
    assert.ok(one.summary!.unitsCached! > 50, 'repeated sources');
    new Int32Array(calls)[0] = 0;
    for (const threads of [2, 3]) {
      const many = await run(path, { ...options, processModuleData: { calls }, threads, threadRangeBytes: 16 * 1024 });
      assert.ok(many.bytes!.equals(one.bytes!));
      assert.deepEqual(many.summary, one.summary, `${threads} threads: the summary (processed, cached)`);
    }
  }
});

test('threads job: the buffers of outputs written go back to the workers for later ranges, and the bytes are the same (a file, a gzip file)', async () => {
  // Ranges of 1 MiB, as the scan reads: one range submitted a piece, so each takes the buffer last written.
  const input = generated('1.2', '16M', '7');
  for (const name of ['reused.xlf', 'reused.xlf.gz']) {
    const output = join(dir, name);
    const job = processXliff(input, { output, threads: 2, threadRangeBytes: 1024 * 1024 });
    await job.done;
    const bytes = name.endsWith('.gz') ? gunzipSync(readFileSync(output)) : readFileSync(output);
    assert.ok(bytes.equals(readFileSync(input)), `${name}: the identity pass gives the input back`);
    // 16 ranges: all but the first ones submitted (before any output was written) write into a buffer given back.
    const reused = (job as unknown as { rangeParts: { outputsReused: number } }).rangeParts.outputsReused;
    assert.ok(reused >= 8, `${name}: ${reused} outputs written into a buffer given back`);
  }
});

test("threads job: to a user's Writable that keeps the chunks it is given, no buffer goes back (its bytes stay the same)", async () => {
  const path = generated('1.2', '3M', '13');
  const one = await run(path, { per: 'segment', processModule: PSEUDO });
  const kept: Uint8Array[] = [];
  const output = new Writable({
    write(chunk: Uint8Array, _encoding, done) {
      kept.push(chunk);
      done();
    },
  });
  const job = processXliff(path, { per: 'segment', processModule: PSEUDO, output, threads: 2, threadRangeBytes: 64 * 1024 });
  await job.done;
  assert.ok(Buffer.concat(kept).equals(one.bytes!), 'the chunks as kept are the bytes of one thread');
  assert.equal((job as unknown as { rangeParts: { outputsReused: number } }).rangeParts.outputsReused, 0);
});

test('threads job: inputs the workers cannot cut run on this thread, with the module, and the summary says why (gzip, UTF-16, a buffer, a small file, little memory)', async () => {
  const path = generated('1.2', '100K', '11');
  const one = await run(path, { per: 'segment', processModule: PSEUDO });
  const gz = join(dir, 'in.xlf.gz');
  execFileSync('sh', ['-c', `gzip -c '${path}' > '${gz}'`]);
  const utf16 = join(dir, 'in-utf16.xlf');
  writeFileSync(utf16, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(readFileSync(path, 'utf8').replace('encoding="UTF-8"', 'encoding="UTF-16"'), 'utf16le')]));
  const utf16One = await run(utf16, { per: 'segment', processModule: PSEUDO });
  const cases = [
    { input: gz, options: { threads: 2 }, sequential: 'gzip', bytes: one.bytes },
    { input: utf16, options: { threads: 2 }, sequential: 'encoding', bytes: utf16One.bytes },
    { input: readFileSync(path) as unknown as string, options: { threads: 2 }, sequential: 'not-a-file', bytes: one.bytes },
    { input: path, options: { threads: 'auto' }, sequential: 'small', bytes: one.bytes },
    { input: path, options: { threads: 2 }, sequential: 'small', bytes: one.bytes },
    { input: path, options: { threads: 2, threadRangeBytes: 8192, maxMemory: '100MB' }, sequential: 'memory', bytes: one.bytes },
  ] as const;
  for (const { input, options, sequential, bytes } of cases) {
    const result = await run(input, { per: 'segment', processModule: PSEUDO, ...options });
    assert.ok(result.bytes!.equals(bytes!), `${sequential}: the bytes of one thread`);
    assert.deepEqual(result.threads, { workers: 0, ranges: 0, rangesReadAgain: 0, sequential }, sequential);
  }
  const threaded = await run(path, { per: 'segment', processModule: PSEUDO, threads: 2, threadRangeBytes: 8192, chunkUnits: 10 });
  assert.ok(threaded.bytes!.equals(one.bytes!));
  assert.equal(threaded.threads!.workers, 2);
  assert.ok(threaded.threads!.ranges >= 10, `${threaded.threads!.ranges} ranges of 8 KiB in 100 KB`);
  assert.equal(threaded.threads!.sequential, undefined);
});

test('threads job: an abort stops the workers and writes nothing', async () => {
  const path = generated('1.2', '2M', '12');
  const controller = new AbortController();
  const output = join(dir, 'aborted.xlf');
  const job = processXliff(path, { per: 'segment', processModule: PSEUDO, output, threads: 2, threadRangeBytes: 64 * 1024, signal: controller.signal });
  job.once('chunk', () => controller.abort());
  await assert.rejects(job.done, (error: XliffError) => error.code === 'XLIFF_ABORTED');
  assert.equal(existsSync(output), false);
  assert.deepEqual(readdirSync(dir).filter((name) => name.startsWith('.aborted')), []);
});

test('threads job: what cannot cross to a worker thread is refused before any work', () => {
  const path = generated('1.2', '100K', '11');
  const refused: [ProcessOptions | SegmentProcessOptions, RegExp][] = [
    [{ process: (unit) => ({ target: unit.source.text }), threads: 2 }, /processModule.*threads/],
    [{ per: 'segment', processModule: PSEUDO, filter: () => true, threads: 2 }, /`filter` to be exported by `processModule`/],
    [{ per: 'segment', processModule: PSEUDO, rateLimit: { limit: 1, intervalMs: 10 }, threads: 2 }, /rateLimit/],
    [{ per: 'segment', processModule: PSEUDO, process: (segment) => ({ target: segment.source.text }) }, /one of `processModule` and `process`/],
    [{ processModule: new URL('https://example.com/m.js') }, /processModule.*file: URL/],
    [{ processModule: 'xliff-stream:translate' }, /`processModule` to be a path, a file: URL or a built-in module \(xliff-stream:pseudo\), got "xliff-stream:translate"/],
    [{ processModule: 'xliff-stream:pseudo' }, /Expected `per: 'segment'` with `processModule: 'xliff-stream:pseudo'`: its functions take segments/],
  ];
  for (const [options, message] of refused) assert.throws(() => processXliff(path, { output: join(dir, 'x.xlf'), ...options }), message);
});

test("threads job: the built-in module 'xliff-stream:pseudo', on this thread and on 2 threads, is the library's pseudo module: the same bytes", async () => {
  const path = generated('1.2', '400K', '14');
  const data = { modes: ['accents', 'expand'] };
  const byUrl = await run(path, { per: 'segment', processModule: PSEUDO, processModuleData: data });
  assert.ok(byUrl.summary!.unitsChanged! > 100, 'the module changes the file');
  const here = await run(path, { per: 'segment', processModule: 'xliff-stream:pseudo', processModuleData: data });
  assert.ok(here.bytes!.equals(byUrl.bytes!), 'on this thread');
  const output = join(dir, 'built-in-threads.xlf');
  const job = processXliff(path, { per: 'segment', processModule: 'xliff-stream:pseudo', processModuleData: data, output, threads: 2, threadRangeBytes: 32 * 1024 });
  const summary = await job.done;
  assert.ok(readFileSync(output).equals(byUrl.bytes!), 'on 2 threads');
  assert.equal(summary.threads.workers, 2);
  assert.ok(summary.threads.ranges > 2, `${summary.threads.ranges} ranges`);
});

test('threads job: a module that cannot be loaded, or exports no processor, fails with XLIFF_PROCESS', async () => {
  const path = generated('1.2', '100K', '11');
  const empty = join(dir, 'empty-module.mjs');
  writeFileSync(empty, 'export const nothing = 1;\n');
  for (const threads of [1, 2]) {
    await assert.rejects(run(path, { processModule: join(dir, 'missing.mjs'), threads, threadRangeBytes: 8192 }).then((r) => Promise.reject(r.error)), /XLIFF_PROCESS|cannot be loaded/);
    await assert.rejects(run(path, { processModule: empty, threads, threadRangeBytes: 8192 }).then((r) => Promise.reject(r.error)), /must export one of `process` and `processBatch`/);
  }
  // A name the options refuse can still reach a queue's worker (from a coordinator of a later version).
  await assert.rejects(loadProcessModule('xliff-stream:translate'), (error: XliffError) => error.code === 'XLIFF_PROCESS' && /no built-in module has that name \(xliff-stream:pseudo\)/.test(error.message));
});

test('threads job: a worker thread that dies mid-run fails the job with XLIFF_WORKER: no output, no temporary file, no worker left', async () => {
  const path = generated('1.2', '400K', '13');
  const output = join(dir, 'crashed.xlf');
  // libuv starts its threads at the first asynchronous file call: they are there before the count.
  await stat(path);
  const threadsBefore = readdirSync('/proc/self/task').length;
  const job = processXliff(path, { processModule: new URL('../helpers/checkpoint-module.ts', import.meta.url), processModuleData: { crashAt: 500 }, output, threads: 2, threadRangeBytes: 16 * 1024 });
  await assert.rejects(job.done, (error: XliffError) => error.code === 'XLIFF_WORKER' && /worker/.test(error.message));
  assert.equal(existsSync(output), false);
  assert.deepEqual(readdirSync(dir).filter((name) => name.startsWith('.crashed')), []);
  // No worker outlives the job: the process is back to the threads it had (a worker's thread ends soon after it is terminated).
  for (let i = 0; i < 500 && readdirSync('/proc/self/task').length > threadsBefore; i++) await new Promise((resolve) => setTimeout(resolve, 20));
  assert.ok(readdirSync('/proc/self/task').length <= threadsBefore, 'no worker thread left');
});

test('threads job: a worker that dies while the range awaited is still under way fails the job at once (the range before it is not waited for)', { timeout: 60_000 }, async () => {
  const path = generated('1.2', '400K', '13');
  const output = join(dir, 'crashed-ahead.xlf');
  // The first range stalls on its first unit; the other worker goes on to the ranges after it (two
  // are read ahead) and dies in the second. No cache: a shared one could make that worker wait
  // for the stalled unit's result, if a later unit had its source.
  const job = processXliff(path, { processModule: new URL('../helpers/checkpoint-module.ts', import.meta.url), processModuleData: { crashAt: 90, stallAt: 0 }, output, threads: 2, threadRangeBytes: 16 * 1024, chunkUnits: 20, cache: false });
  const started = Date.now();
  await assert.rejects(job.done, (error: XliffError) => error.code === 'XLIFF_WORKER' && /exited with code: 3/.test(error.message));
  assert.ok(Date.now() - started < 60_000, 'failed before the stalled range ended');
  assert.equal(existsSync(output), false);
  assert.deepEqual(readdirSync(dir).filter((name) => name.startsWith('.crashed-ahead')), []);
});

test('threads job: what the calling thread keeps of the ranges written is collectable (memory does not grow with the file)', async () => {
  // 16 MiB in ranges of 128 KiB: some 130 outputs moved to this thread. Kept until the end, they would be 16 MiB and more
  // outside the heap (24 MiB when each range's result stayed in the reactions of a promise that never settled).
  const input = generated('1.2', '16M', '7');
  const output = join(dir, 'memory.xlf');
  const child = fileURLToPath(new URL('../helpers/threads-memory-child.ts', import.meta.url));
  const report = JSON.parse(execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', child, input, output, String(128 * 1024)], { encoding: 'utf8' })) as { units: number; samples: number; maxExternalMiB: number; lastExternalMiB: number };
  assert.ok(report.units > 10_000 && report.samples >= 10, JSON.stringify(report));
  // Measured: 5.5-6 MiB (buffers of the ranges in flight, the input's pieces).
  assert.ok(report.maxExternalMiB < 12, `memory outside the heap after a GC: ${JSON.stringify(report)}`);
  assert.ok(readFileSync(output).equals(readFileSync(input)), 'the identity pass gives the input back');
});

test('threads job: an input that grows while it is read fails with XLIFF_IO, and leaves no output', async () => {
  // The scan reads the file as the ranges need it (1 MiB at a time), so the module's line end,
  // appended at the first unit, comes before the scan reaches the file's end.
  const path = join(dir, 'growing.xlf');
  writeFileSync(path, readFileSync(generated('1.2', '3M', '31')));
  const { error } = await run(path, { threads: 2, threadRangeBytes: 64 * 1024, processModule: GROW, processModuleData: { path } });
  assert.ok(error instanceof XliffError, String(error));
  assert.equal(error.code, 'XLIFF_IO');
  assert.match(error.message, /the input changed while it was read \(\d+ bytes, then \d+\)/);
  assert.ok(readFileSync(path).length > (await stat(generated('1.2', '3M', '31'))).size, 'the module grew the input');
  assert.deepEqual(readdirSync(dir).filter((name) => name.endsWith('.tmp')), [], 'no temporary file left');
});

test('threads job: unit ids used twice in a file, within a range or across ranges, warned of as one thread does; the same id in another file is no duplicate', async () => {
  const units = (from: number, count: number, text: string): string => Array.from({ length: count }, (_, i) => `<trans-unit id="u${from + i}"><source>${text} ${from + i}</source></trans-unit>`).join('\n');
  const file = (name: string, body: string): string => `<file original="${name}" source-language="en" datatype="plaintext"><body>\n${body}\n</body></file>`;
  // a.txt: u0-u39, u5 again at once, u30-u34 again far later; b.txt: u0-u39 again (another file), u7 twice.
  const a = `${units(0, 40, 'A')}\n${units(5, 1, 'again')}\n${units(40, 60, 'A')}\n${units(30, 5, 'later')}`;
  const b = `${units(0, 40, 'B')}\n${units(7, 1, 'again')}`;
  const path = join(dir, 'duplicate-ids.xlf');
  writeFileSync(path, `<?xml version="1.0" encoding="UTF-8"?>\n<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">\n${file('a.txt', a)}\n${file('b.txt', b)}\n</xliff>\n`);
  const warned = async (options: ProcessOptions): Promise<{ messages: string[]; ranges: number }> => {
    const job = processXliff(path, { output: join(dir, `out-${runs++}.xlf`), processModule: PSEUDO, cache: false, chunkUnits: 3, ...options });
    const messages: string[] = [];
    job.on('warning', (warning) => messages.push(`${warning.code} ${warning.unit?.source.text} ${warning.message}`));
    const summary = await job.done;
    assert.equal(summary.warnings, messages.length);
    return { messages, ranges: summary.threads.ranges };
  };
  const one = (await warned({})).messages;
  assert.equal(one.length, 7, one.join('\n'));
  assert.equal(one.filter((message) => message.includes('file #2')).length, 1);
  for (const threads of [2, 3]) {
    const many = await warned({ threads, threadRangeBytes: 1 });
    assert.ok(many.ranges >= 10, `${many.ranges} ranges`);
    assert.deepEqual(many.messages, one, `${threads} threads`);
  }
});
