/**
 * Reading on worker threads gives what one thread gives: the same units (deep-equal, in
 * order, with their positions, indexes and files), the same statistics, the same error
 * (code, message, position, unit) on bad input, whatever the threads and the range size.
 * Real worker threads, real files.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { XliffError, computeStats, readUnits, validate, type Unit } from '../../src/index.js';
import type { RangeResult } from '../../src/threads/range-task.js';
import { threadedBatches, threadedReadReport, type RangeRunner, type ThreadedReadReport } from '../../src/threads/threaded-read.js';
import { createPool, watchPool, workerFlags } from '../../src/threads/thread-pool.js';
import { corpus } from '../helpers/corpus.js';
import { applyDamage, damage } from '../helpers/damage.js';
import { unitHoldingItsName, unitsAmongOtherNamespace, xliff12 } from '../helpers/read.js';

const GEN = fileURLToPath(new URL('../../scripts/gen-xliff.cjs', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'xliff-threads-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

interface Threads {
  readonly threads?: number | 'auto';
  readonly threadRangeBytes?: number;
}

/** What the threaded read takes to give units, `threads` workers reading ranges of `rangeBytes`. */
const unitOptions = (threads: number | 'auto', rangeBytes: number) => ({ kind: 'units', xliff: true, signal: undefined, fileName: undefined, maxUnitBytes: 64 * 1024 * 1024, maxDepth: 256, threads, rangeBytes }) as const;

/** Counts the units of `path` read on 2 workers in ranges of `rangeBytes` (none read on this thread), and how the read went. */
async function countOnThreads(path: string, rangeBytes: number): Promise<{ read: number; report: ThreadedReadReport }> {
  const report = threadedReadReport();
  let read = 0;
  for await (const batch of threadedBatches(path, unitOptions(2, rangeBytes), () => { throw new Error('read on this thread'); }, undefined, report)) read += batch.length;
  return { read, report };
}

/**
 * The units of `path` and the error, if any: by `readUnits`, or with `threads` on worker
 * threads (the path computeStats and validate take, giving units: the strictest comparison).
 */
async function outcome(path: string, options?: Threads, report?: ThreadedReadReport): Promise<{ units: Unit[]; error: unknown }> {
  const units: Unit[] = [];
  try {
    if (options === undefined) for await (const unit of readUnits(path)) units.push(unit);
    else {
      const sequential = async function* (pieces: AsyncIterable<Uint8Array | string>): AsyncGenerator<Unit[]> {
        for await (const unit of readUnits(pieces, { fileName: path })) yield [unit];
      };
      const resolved = unitOptions(options.threads ?? 1, options.threadRangeBytes ?? 4 * 1024 * 1024);
      for await (const batch of threadedBatches<Unit>(path, resolved, sequential, undefined, report)) units.push(...batch);
    }
    return { units, error: undefined };
  } catch (error) {
    return { units, error };
  }
}

function errorFields(error: unknown): unknown {
  if (!(error instanceof XliffError)) return error;
  const { code, message, line, column, offset, unitId } = error;
  return { code, message, line, column, offset, unitId };
}

async function assertSame(path: string, options: Threads, where: string): Promise<void> {
  const one = await outcome(path);
  const many = await outcome(path, options);
  assert.deepEqual(errorFields(many.error), errorFields(one.error), `${where}: the error`);
  assert.equal(many.units.length, one.units.length, `${where}: units`);
  assert.deepEqual(many.units, one.units, where);
}

function generated(format: string, size: string, seed: string): string {
  const out = join(dir, `gen-${format}-${size}-${seed}.xlf`);
  execFileSync(process.execPath, [GEN, '--format', format, '--size', size, '--seed', seed, '--out', out]);
  return out;
}

test('threads: generated 1.2 and 2.0 files, 2 and 3 threads, ranges of 8 KiB to 256 KiB: the units of one thread', async () => {
  for (const format of ['1.2', '2.0']) {
    const path = generated(format, '600K', '3');
    for (const [threads, threadRangeBytes] of [[2, 8 * 1024], [3, 50_000], [2, 256 * 1024]] as const) {
      await assertSame(path, { threads, threadRangeBytes }, `${format}, ${threads} threads, ranges of ${threadRangeBytes}`);
    }
  }
});

test('threads: corpus files with the most units, ranges of 2000 bytes', async () => {
  // The files with the most units, and some in other encodings.
  const entries = corpus().filter((e) => e.expect === 'read' && e.transUnits + e.units >= 20);
  const picked = entries.sort((a, b) => b.transUnits + b.units - (a.transUnits + a.units)).filter((_, i) => i % 4 === 0).slice(0, 10);
  assert.ok(picked.length >= 8);
  for (const entry of picked) await assertSame(entry.file, { threads: 2, threadRangeBytes: 2000 }, entry.path);
});

test('threads: damaged corpus files (bytes truncated, flipped, inserted, deleted), 2 and 3 threads, ranges of 16 bytes to 4 KiB: the units and the error of one thread', async () => {
  const files = corpus()
    .filter((e) => e.expect === 'read' && e.transUnits + e.units >= 3)
    .map((e) => readFileSync(e.file));
  assert.ok(files.length > 80);
  const path = join(dir, 'damaged.xlf');
  let errors = 0;
  let split = 0;
  await fc.assert(
    fc.asyncProperty(fc.nat({ max: files.length - 1 }), fc.array(damage, { minLength: 1, maxLength: 3 }), fc.constantFrom(2, 3), fc.integer({ min: 16, max: 4096 }), async (fileIndex, list, threads, threadRangeBytes) => {
      writeFileSync(path, applyDamage(files[fileIndex]!, list));
      const report = threadedReadReport();
      const one = await outcome(path);
      const many = await outcome(path, { threads, threadRangeBytes }, report);
      assert.deepEqual(errorFields(many.error), errorFields(one.error), 'the error');
      assert.deepEqual(many.units, one.units);
      if (one.error !== undefined) errors++;
      if (report.ranges > 1) split++;
    }),
    { numRuns: 50, seed: 20261208 },
  );
  // Most damage breaks the document; most documents are read in several ranges.
  assert.ok(errors > 15 && split > 15, `${errors} of the damaged files failed, ${split} were read in several ranges`);
});

test('threads: ranges submitted are at most twice the threads, also for ranges much smaller than a piece of the scan', async () => {
  // Ranges of 8 KiB: a piece of the scan (1 MiB) plans a hundred of them at once.
  const path = generated('1.2', '2M', '9');
  const pool = createPool(2, true);
  let inFlight = 0;
  let most = 0;
  let tasks = 0;
  const runner: RangeRunner = {
    slots: 2,
    ahead: 4,
    run: (task, { signal }) => {
      tasks++;
      most = Math.max(most, ++inFlight);
      return (pool.run(task, { signal }) as Promise<RangeResult>).finally(() => inFlight--);
    },
    close: () => pool.destroy(),
  };
  const options = { ...unitOptions(2, 8 * 1024), runner: { open: async () => runner, cannotCut: () => new XliffError('XLIFF_IO', 'cannot cut') } };
  const units: Unit[] = [];
  for await (const batch of threadedBatches<Unit>(path, options, () => { throw new Error('read on this thread'); })) units.push(...batch);
  const one: Unit[] = [];
  for await (const unit of readUnits(path)) one.push(unit);
  assert.deepEqual(units, one);
  assert.ok(tasks > 150, `${tasks} ranges`);
  assert.ok(most <= 4, `at most ${most} ranges submitted at once`);
});

test("threads: the pool's error events (what no task carries) are no uncaught exception: a task's late answer after an abort is ignored, a worker dead while idle fails the read (XLIFF_WORKER)", async () => {
  const path = generated('1.2', '600K', '9');
  const one: Unit[] = [];
  for await (const unit of readUnits(path)) one.push(unit);
  /** Reads on a pool that emits `error` once its third range is submitted. */
  const readWith = async (error: Error): Promise<Unit[]> => {
    const pool = createPool(2, true);
    let tasks = 0;
    let failed: ((error: unknown) => void) | undefined;
    watchPool(pool, (e) => failed?.(e));
    const runner: RangeRunner = {
      slots: 2,
      run: (task, { signal }) => {
        if (++tasks === 3) pool.emit('error', error);
        return pool.run(task, { signal }) as Promise<RangeResult>;
      },
      close: () => pool.destroy(),
      onFailure: (listener) => (failed = listener),
    };
    const options = { ...unitOptions(2, 16 * 1024), runner: { open: async () => runner, cannotCut: () => new XliffError('XLIFF_IO', 'cannot cut') } };
    const units: Unit[] = [];
    for await (const batch of threadedBatches<Unit>(path, options, () => { throw new Error('read on this thread'); })) units.push(...batch);
    return units;
  };
  assert.deepEqual(await readWith(new Error('Unexpected message from Worker: { taskId: 7 }')), one);
  await assert.rejects(readWith(new Error('worker died while idle')), (error: XliffError) => error.code === 'XLIFF_WORKER' && /worker died while idle/.test(error.message));
  // Without a listener, the pool throws where it emits.
  const bare = createPool(1, true);
  assert.throws(() => bare.emit('error', new Error('Unexpected message from Worker: { taskId: 1 }')), /Unexpected message/);
  await bare.destroy();
});

test('threads: computeStats adds up the parts to the figures of one thread (repeated sources across ranges)', async () => {
  for (const format of ['1.2', '2.0']) {
    const path = generated(format, '600K', '5');
    const one = await computeStats(path);
    assert.ok(one.repeatedUnits > 0);
    for (const [threads, threadRangeBytes] of [[2, 16 * 1024], [3, 100_000]] as const) {
      assert.deepEqual(await computeStats(path, { threads, threadRangeBytes }), one, `${format}, ${threads} threads`);
    }
  }
});

test('threads: bad input gives the error of one thread, in the skeleton, in a unit, at the end, after many ranges', async () => {
  const unit = (i: number) => `<trans-unit id="${i}"><source>text ${i}</source></trans-unit>\n`;
  const many = (n: number) => Array.from({ length: n }, (_, i) => unit(i)).join('');
  const cases: [string, string][] = [
    ['a mismatched end tag deep in', xliff12(`${many(300)}<trans-unit id="x"><source>a</sourc></trans-unit>${many(50)}`)],
    ['"]]>" in the skeleton between units', xliff12(`${many(300)} ]]> ${many(50)}`)],
    ['a duplicate attribute', xliff12(`${many(200)}<trans-unit id="d" id="e"><source>a</source></trans-unit>${many(200)}`)],
    ['an unclosed root', xliff12(many(300)).replace('</xliff>', '')],
    ['a unit too deep', xliff12(`${many(300)}${'<group>'.repeat(300)}${unit(1)}${'</group>'.repeat(300)}`)],
    ['an unbound prefix on an ancestor\'s child', xliff12(`<group id="g">${many(300)}<x:a/>${many(10)}</group>`)],
  ];
  for (const [what, doc] of cases) {
    const path = join(dir, 'bad.xlf');
    writeFileSync(path, doc);
    const one = await outcome(path);
    assert.ok(one.error instanceof XliffError, what);
    await assertSame(path, { threads: 2, threadRangeBytes: 2000 }, what);
    for (const xml of [false, true]) assert.deepEqual(await validate(path, { xml, threads: 2, threadRangeBytes: 2000 }), await validate(path, { xml }), `validate ${what}, xml: ${xml}`);
  }
});

test('threads: validate gives the result of one thread: units counted, an XLIFF problem of the root, none', async () => {
  const path = generated('2.0', '300K', '4');
  const one = await validate(path);
  assert.equal(one.valid, true);
  assert.deepEqual(await validate(path, { threads: 2, threadRangeBytes: 4096 }), one);
  const odd = join(dir, 'odd-version.xlf');
  writeFileSync(odd, readFileSync(path, 'utf8').replace('version="2.0"', 'version="2.7"'));
  const problems = await validate(odd);
  assert.equal(problems.problems.length, 1);
  assert.deepEqual(await validate(odd, { threads: 3, threadRangeBytes: 4096 }), problems);
});

test('threads: trans-units of another namespace are no seams; a guess the scanner gets wrong (a unit holding an element of its name, of another namespace) is read again, to the same units', async () => {
  const units = unitsAmongOtherNamespace(200);
  const path = join(dir, 'other-ns.xlf');
  writeFileSync(path, xliff12(units));
  await assertSame(path, { threads: 2, threadRangeBytes: 500 }, 'other namespace');
  const known = await countOnThreads(path, 500);
  assert.equal(known.read, 200 - Math.ceil((200 - 3) / 7));
  assert.ok(known.report.ranges > 20, `${known.report.ranges} ranges`);
  assert.equal(known.report.reread, 0, 'the scanner knows units by namespace');
  // The scanner takes the inner end tag for the unit's, and the end tags after for its ancestors': too few ancestors at every seam.
  const misled = join(dir, 'nested-unit.xlf');
  writeFileSync(misled, xliff12(`${unitHoldingItsName('y')}\n${units}`));
  await assertSame(misled, { threads: 2, threadRangeBytes: 500 }, 'a unit holding an element of its name');
  const { read, report } = await countOnThreads(misled, 500);
  assert.equal(read, known.read + 1);
  assert.ok(report.reread > 10, `${report.reread} ranges read again, of ${report.ranges}`);
});

test('threads: a seam the reader cannot stop at (inside a unit holding elements of its name, of another namespace) joins two ranges, to the same units', async () => {
  // The scanner takes the inner "</trans-unit>" for the end of "y" and proposes a seam at "c", inside "y" for the reader.
  const units = Array.from({ length: 50 }, (_, i) => `<trans-unit id="${i}"><source>t ${i}</source></trans-unit>\n`).join('');
  const doc = xliff12(units + unitHoldingItsName('y', ['b', 'c']));
  const path = join(dir, 'nested-units.xlf');
  writeFileSync(path, doc);
  await assertSame(path, { threads: 2, threadRangeBytes: 1 }, 'a unit holding elements of its name');
  const { read, report } = await countOnThreads(path, 1);
  assert.equal(read, 51);
  // 53 ranges proposed (the head, and one at each of the 52 units the scanner sees): the one at "c" never read, y's read again as far as the end.
  assert.deepEqual({ ranges: report.ranges, reread: report.reread }, { ranges: 53, reread: 1 }, 'the seam inside "y" dropped, its range and the next read as one');
});

test('threads: inputs read on the calling thread (a buffer, gzip, UTF-16, a small file with auto) give the same units', async () => {
  const path = generated('1.2', '200K', '9');
  const bytes = readFileSync(path);
  const one = await outcome(path);
  assert.deepEqual(await computeStats(bytes, { threads: 2 }), await computeStats(path), 'a buffer');
  const gz = join(dir, 'doc.xlf.gz');
  writeFileSync(gz, (await import('node:zlib')).gzipSync(bytes));
  assert.deepEqual((await outcome(gz, { threads: 2 })).units, one.units, 'gzip');
  const utf16 = join(dir, 'utf16.xlf');
  writeFileSync(utf16, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(bytes.toString('utf8').replace('encoding="UTF-8"', 'encoding="UTF-16"'), 'utf16le')]));
  const utf16One = await outcome(utf16);
  assert.equal(utf16One.error, undefined);
  assert.deepEqual((await outcome(utf16, { threads: 2 })).units, utf16One.units, 'UTF-16');
  assert.deepEqual((await outcome(path, { threads: 'auto' })).units, one.units, 'auto on a small file');
});

test('threads: options are checked', async () => {
  await assert.rejects(computeStats('x.xlf', { threads: 0 }), /Expected `threads` to be a whole number from 1 and up \(or 'auto'\), got 0/);
  await assert.rejects(validate('x.xlf', { threads: 1.5 }), RangeError);
  // A string other than 'auto' (a JavaScript caller, or JSON): the message names 'auto' too.
  await assert.rejects(computeStats('x.xlf', { threads: 'all' as 'auto' }), { name: 'TypeError', message: "Expected `threads` to be a number from 1 and up (or 'auto'), got \"all\"" });
  await assert.rejects(computeStats('x.xlf', { threadRangeBytes: 0 }), /threadRangeBytes/);
});

test('threads: aborted, or left early, the read leaves no worker behind (the process exits)', () => {
  const path = generated('1.2', '8M', '11');
  const script = `
    import { validate } from ${JSON.stringify(new URL('../../src/index.ts', import.meta.url).href)};
    import { threadedBatches } from ${JSON.stringify(new URL('../../src/threads/threaded-read.ts', import.meta.url).href)};
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    try {
      await validate(${JSON.stringify(path)}, { threads: 2, threadRangeBytes: 64 * 1024, signal: controller.signal });
      console.log('done before the abort');
    } catch (error) { console.log(error.code); }
    const options = { kind: 'units', xliff: true, maxUnitBytes: 1 << 26, maxDepth: 256, threads: 2, rangeBytes: 64 * 1024 };
    let n = 0;
    for await (const batch of threadedBatches(${JSON.stringify(path)}, options)) if ((n += batch.length) >= 300) break;
    console.log('left after', n >= 300);
  `;
  const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(out, 'XLIFF_ABORTED\nleft after true\n');
});

test('threads: a process started with V8 flags (--max-old-space-size) still gets its workers: they take the flags they can, and its heap limit', () => {
  const path = generated('1.2', '300K', '12');
  const script = `
    import { computeStats } from ${JSON.stringify(new URL('../../src/index.ts', import.meta.url).href)};
    import { isDeepStrictEqual } from 'node:util';
    const one = await computeStats(${JSON.stringify(path)});
    const two = await computeStats(${JSON.stringify(path)}, { threads: 2, threadRangeBytes: 16 * 1024 });
    console.log(isDeepStrictEqual(one, two), one.units > 0);
  `;
  const out = execFileSync(process.execPath, ['--max-old-space-size=256', '--expose-gc', '--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(out, 'true true\n');
  assert.deepEqual(workerFlags(['--max-old-space-size=256', '--import', 'tsx', '--expose-gc', '--input-type=module', '--conditions=dev', '-r', 'x.cjs', '--stack-size', '2000']), ['--import', 'tsx', '--conditions=dev', '-r', 'x.cjs']);
});

test('threads: a worker that runs out of memory fails the call with XLIFF_WORKER (computeStats and validate), and the process exits', () => {
  // Workers get this process's heap limit: 48 MB, and one unit of 60 MiB to read.
  const path = join(dir, 'huge-unit.xlf');
  const unit = (i: number, text: string) => `<trans-unit id="${i}"><source>${text}</source></trans-unit>\n`;
  writeFileSync(path, xliff12(`${Array.from({ length: 500 }, (_, i) => unit(i, `text ${i}`)).join('')}${unit(9999, 'x'.repeat(60 * 1024 * 1024))}`));
  const script = `
    import { computeStats, validate } from ${JSON.stringify(new URL('../../src/index.ts', import.meta.url).href)};
    for (const call of [() => computeStats(${JSON.stringify(path)}, { threads: 2, threadRangeBytes: 8192 }), () => validate(${JSON.stringify(path)}, { threads: 2, threadRangeBytes: 8192 })]) {
      try { await call(); console.log('no error'); } catch (error) { console.log(error.code, /memory/.test(error.message)); }
    }
  `;
  const out = execFileSync(process.execPath, ['--max-old-space-size=48', '--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 120_000 });
  assert.equal(out, 'XLIFF_WORKER true\nXLIFF_WORKER true\n');
});

test('threads: how many workers a memory budget and the free memory allow', async () => {
  const { threadCount, WORKER_MEMORY_BYTES, MAIN_MEMORY_BYTES } = await import('../../src/threads/thread-pool.js');
  const MiB = 1024 * 1024;
  const range = 4 * MiB;
  const perThread = WORKER_MEMORY_BYTES + 3 * range;
  const big = 1024 * MiB;
  assert.equal(threadCount(8, big, range), 8);
  assert.equal(threadCount(8, big, range, MAIN_MEMORY_BYTES + 3 * perThread), 3, 'three fit');
  assert.equal(threadCount(8, big, range, MAIN_MEMORY_BYTES + 3 * perThread - 1), 2);
  assert.equal(threadCount(8, big, range, MAIN_MEMORY_BYTES + perThread), 1, 'one worker only adds a copy: none');
  assert.equal(threadCount(8, 10 * MiB, range), 3, 'no more threads than ranges');
  // 'auto': the cores, and half the memory free.
  assert.equal(threadCount('auto', big, range, undefined, 64 * 1024 * MiB), availableParallelism() < 2 ? 1 : availableParallelism());
  assert.equal(threadCount('auto', big, range, undefined, 2 * (MAIN_MEMORY_BYTES + perThread)), 1, 'little memory free: one thread');
  assert.equal(threadCount('auto', 8 * MiB, range, undefined, 64 * 1024 * MiB), 1, 'a small file: one thread');
  assert.equal(threadCount('auto', 64 * MiB - 1, range, undefined, 64 * 1024 * MiB), 1, 'under 64 MiB: one thread');
  assert.equal(threadCount('auto', 64 * MiB, range, undefined, 64 * 1024 * MiB), availableParallelism() < 2 ? 1 : 2, 'a worker per 32 MiB');
  assert.equal(threadCount('auto', 96 * MiB, range, undefined, 64 * 1024 * MiB), Math.min(3, availableParallelism() < 2 ? 1 : availableParallelism()));
  // The option, as computeStats takes it: the figures of one thread either way.
  const path = generated('1.2', '300K', '6');
  assert.deepEqual(await computeStats(path, { threads: 2, threadRangeBytes: 8192, maxMemory: '150MB' }), await computeStats(path));
  await assert.rejects(computeStats(path, { threads: 2, maxMemory: 'lots' }), /Expected `maxMemory` to be a number of bytes or a size such as '300MB'/);
});
