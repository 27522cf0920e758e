import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { setTimeout as sleep } from 'node:timers/promises';
import { LRUCache } from 'lru-cache';
import { processXliff, readChunks, readUnits, XliffError, type ChunkEvent, type ProcessOptions, type Progress, type Unit, type UnitUpdate } from '../../src/index.js';
import { normalizeRetry } from '../../src/job/retry-options.js';
import { normalizeCache } from '../../src/options.js';
import { normalizeChunkOptions } from '../../src/normalize-options.js';
import { corpus, CORPUS_DIR } from '../helpers/corpus.js';
import { collect, enc, xliff12 } from '../helpers/read.js';

const work = mkdtempSync(join(tmpdir(), 'xliff-stream-process-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));
let counter = 0;
const outPath = (name = 'out.xlf') => join(work, `${counter++}-${name}`);

const ANGULAR = join(CORPUS_DIR, 'angular-apps/messages.fr.xlf');
const XLIFF2 = join(CORPUS_DIR, 'oasis-xliff22-ts/allExtensions.xlf');

/** A document whose units have the given sources, in order. */
function docWith(sources: readonly string[]): string {
  return xliff12(sources.map((s, i) => `<trans-unit id="u${i}">\n  <source>${s}</source>\n</trans-unit>`).join('\n'));
}
function inputFile(text: string | Uint8Array, name = 'in.xlf'): string {
  const path = join(work, `${counter++}-${name}`);
  writeFileSync(path, text);
  return path;
}
/** The words of a text (its control characters, such as a 2.x `cp`, left out: XML cannot hold them). */
const words = (text: string) => text.split(/[^\p{L}\p{N}]+/u).filter(Boolean).join(' ');
const pseudo = (unit: Unit): UnitUpdate => ({ target: `[${unit.source.text}]`, state: 'translated' });

test('identity: a job that changes nothing writes every `read` corpus file back byte for byte', async () => {
  const failures: string[] = [];
  for (const entry of corpus().filter((e) => e.expect === 'read')) {
    const output = outPath('identity.xlf');
    try {
      const summary = await processXliff(entry.file, { output, process: () => undefined }).done;
      if (!readFileSync(output).equals(readFileSync(entry.file))) failures.push(`${entry.path}: output differs`);
      if (summary.unitsChanged !== 0) failures.push(`${entry.path}: ${summary.unitsChanged} units changed`);
    } catch (error) {
      failures.push(`${entry.path}: ${(error as Error).message}`);
    }
  }
  assert.deepEqual(failures, []);
});

test('identity: UTF-16 LE / BE (with BOM) and UTF-8 with BOM come back byte for byte', async () => {
  const text = readFileSync(ANGULAR, 'utf8').replace('encoding="UTF-8"', 'encoding="UTF-16"');
  const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
  const be = Buffer.from(le).swap16();
  const bom8 = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(readFileSync(ANGULAR))]);
  for (const [name, bytes] of [['le', le], ['be', be], ['utf8-bom', bom8]] as const) {
    const input = inputFile(bytes, `${name}.xlf`);
    const output = outPath(`${name}.xlf`);
    await processXliff(input, { output, process: () => undefined }).done;
    assert.ok(readFileSync(output).equals(bytes), name);
  }
});

test('write-back: targets land in order whatever order the processor finishes in; everything else stays', async () => {
  const output = outPath();
  const summary = await processXliff(ANGULAR, {
    output,
    concurrency: 16,
    chunkUnits: 25,
    cache: false,
    process: async (unit) => {
      await sleep(Math.floor(Math.random() * 4));
      return pseudo(unit);
    },
  }).done;
  const before = await collect(ANGULAR);
  const after = await collect(output);
  assert.equal(summary.units, before.length);
  assert.equal(summary.unitsChanged, before.length);
  assert.deepEqual(
    after.map((u) => [u.id, u.target?.text, u.state]),
    before.map((u) => [u.id, `[${u.source.text}]`, 'translated']),
  );
  // Outside the targets (replaced where they stood), the units are as they were.
  const strip = (raw: string) => raw.replace(/<target[^>]*>[\s\S]*?<\/target>|<target[^>]*\/>/, '<target/>');
  const hadTarget = before.map((u) => u.target !== undefined);
  assert.ok(hadTarget.filter(Boolean).length > 700);
  assert.deepEqual(
    after.filter((_, i) => hadTarget[i]).map((u) => strip(u.raw)),
    before.filter((_, i) => hadTarget[i]).map((u) => strip(u.raw)),
  );
  execFileSync('xmllint', ['--noout', output]);
});

test('write-back on XLIFF 2: per-segment updates, well-formed output', async () => {
  const output = outPath();
  await processXliff(XLIFF2, {
    output,
    process: (unit) => ({ segments: unit.segments.flatMap((s, index) => (s.kind === 'segment' ? [{ index, target: `T${index}:${words(s.source.text)}`, state: 'translated' }] : [])) }),
  }).done;
  execFileSync('xmllint', ['--noout', output]);
  const units = await collect(output);
  assert.equal(units.length, 3);
  for (const unit of units) {
    unit.segments.forEach((s, index) => {
      if (s.kind === 'segment') {
        assert.equal(s.target?.text, `T${index}:${words(s.source.text)}`);
        assert.equal(s.state, 'translated');
      }
    });
  }
});

test('cache: repeated sources call the processor once per distinct source; single flight for identical units in flight', async () => {
  const sources = Array.from({ length: 60 }, (_, i) => `Text ${i % 20}`);
  const input = inputFile(docWith(sources));
  const calls: string[] = [];
  const summary = await processXliff(input, {
    output: outPath(),
    concurrency: 8,
    chunkUnits: 7,
    process: async (unit) => {
      calls.push(unit.source.text);
      await sleep(5);
      return { target: unit.source.text.toUpperCase() };
    },
  }).done;
  assert.equal(calls.length, 20);
  assert.equal(new Set(calls).size, 20);
  assert.deepEqual([summary.cacheMisses, summary.cacheHits, summary.unitsCached, summary.unitsProcessed], [20, 40, 40, 20]);
  const off: string[] = [];
  await processXliff(input, { cache: false, process: (unit) => void off.push(unit.id!) }).done;
  assert.equal(off.length, 60);
});

test('cache: an LRUCache passed in is shared across jobs', async () => {
  const input = inputFile(docWith(['a', 'b', 'c']));
  const shared = new LRUCache<string, { update: UnitUpdate | undefined }>({ max: 100 });
  let calls = 0;
  const process = (unit: Unit) => {
    calls++;
    return { target: unit.source.text };
  };
  await processXliff(input, { cache: shared, process }).done;
  const second = await processXliff(input, { cache: shared, process }).done;
  assert.equal(calls, 3);
  assert.equal(second.cacheHits, 3);
});

test('cache: cached results keep no piece of the input alive (a processor returning the source text, parts or states)', () => {
  // In a process of its own, with a GC to call: the strings the reader hands out are slices
  // of the input pieces it held, and V8 keeps a whole piece alive for any slice of it.
  const script = `
    import v8 from 'node:v8';
    import { LRUCache } from 'lru-cache';
    import { processXliff } from './src/index.ts';
    // The document exists only as bytes, given in pieces: what holds text of it afterwards is the job's.
    function* pieces() {
      const units = Array.from({ length: 3000 }, (_, i) => '<trans-unit id="u' + i + '"><source>Source <g id="1">number ' + i + '</g> of the document</source><target state="new">T</target></trans-unit>').join('\\n');
      const bytes = Buffer.from('<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2"><file original="a" source-language="en" target-language="fr" datatype="plaintext"><body>' + units + '</body></file></xliff>');
      for (let i = 0; i < bytes.length; i += 65536) yield bytes.subarray(i, i + 65536);
    }
    const cache = new LRUCache({ max: 10000 });
    let n = 0;
    await processXliff(pieces(), { cache, process: (unit) => (n++ % 2 ? { target: unit.source.text, state: unit.state } : { target: { parts: unit.source.parts } }) }).done;
    globalThis.gc();
    let json = '';
    for await (const piece of v8.getHeapSnapshot()) json += piece;
    const { snapshot: { meta }, nodes, strings } = JSON.parse(json);
    const fields = meta.node_fields.length;
    const [type, name, size] = ['type', 'name', 'self_size'].map((f) => meta.node_fields.indexOf(f));
    // Text of the input (the library's own sources, loaded as strings, name trans-unit too).
    const held = [];
    for (let i = 0; i < nodes.length; i += fields) {
      if (meta.node_types[0][nodes[i + type]] === 'string' && nodes[i + size] >= 16384 && strings[nodes[i + name]].includes('<trans-unit id="u')) held.push(nodes[i + size]);
    }
    console.log(JSON.stringify({ cached: cache.size, held }));
  `;
  const out = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', '--input-type=module', '-e', script], { cwd: new URL('../..', import.meta.url), encoding: 'utf8' });
  assert.deepEqual(JSON.parse(out), { cached: 3000, held: [] });
});

test('filter: untranslatable units are not sent to the processor and are written as they were', async () => {
  const input = inputFile(xliff12('<trans-unit id="a"><source>A</source></trans-unit><trans-unit id="b" translate="no"><source>B</source></trans-unit>'));
  const seen: string[] = [];
  const output = outPath();
  const summary = await processXliff(input, { output, process: (unit) => (seen.push(unit.id!), { target: 'x' }) }).done;
  assert.deepEqual(seen, ['a']);
  assert.equal(summary.unitsSkipped, 1);
  const units = await collect(output);
  assert.deepEqual(units.map((u) => u.target?.text), ['x', undefined]);
});

test('retry: a flaky processor is retried with backoff; retryAfterMs is honoured; the summary counts retries', async () => {
  const input = inputFile(docWith(['one', 'two']));
  const attempts = new Map<string, number>();
  const chunkStates: ChunkEvent[] = [];
  const job = processXliff(input, {
    output: outPath(),
    retry: { retries: 3, minDelayMs: 1, maxDelayMs: 5 },
    process: (unit, { attempt }) => {
      attempts.set(unit.id!, attempt);
      if (unit.id === 'u0' && attempt < 3) throw Object.assign(new Error('HTTP 503'), { retryAfterMs: 2 });
      return { target: 'ok' };
    },
  });
  job.on('chunk', (e) => chunkStates.push(e));
  const summary = await job.done;
  assert.deepEqual(Object.fromEntries(attempts), { u0: 3, u1: 1 });
  assert.equal(summary.retries, 2);
  assert.ok(chunkStates.some((e) => e.state === 'retrying' && e.attempt >= 2));
});

test('retries by error class: counted apart in the summary; a client error fails at once', async () => {
  const input = inputFile(docWith(['limited', 'down', 'reset', 'bad']));
  const calls = new Map<string, number>();
  const failures: Record<string, Error> = {
    limited: Object.assign(new Error('Too Many Requests'), { status: 429 }),
    down: Object.assign(new Error('Bad Gateway'), { status: 502 }),
    reset: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }),
    bad: Object.assign(new Error('Bad Request'), { status: 400 }),
  };
  const summary = await processXliff(input, {
    output: outPath(),
    onError: 'skip',
    retry: { minDelayMs: 1, maxDelayMs: 2 },
    process: (unit, { attempt }) => {
      const source = unit.source.text;
      calls.set(source, attempt);
      if (attempt <= (source === 'bad' ? 9 : 2)) throw failures[source]!;
      return { target: source.toUpperCase() };
    },
  }).done;
  assert.deepEqual(Object.fromEntries(calls), { limited: 3, down: 3, reset: 3, bad: 1 });
  assert.deepEqual(summary.retriesByClass, { rateLimit: 2, network: 2, server: 2, other: 0 });
  assert.equal(summary.retries, 6);
  assert.equal(summary.unitsFailed, 1);
});

test('timeoutMs: a hanging call is aborted through ctx.signal and counts as a failed attempt', async () => {
  const input = inputFile(docWith(['slow']));
  const signals: AbortSignal[] = [];
  const error = await processXliff(input, {
    output: outPath(),
    timeoutMs: 20,
    retry: { retries: 1, minDelayMs: 1, maxDelayMs: 1 },
    process: (_unit, { signal }) => {
      signals.push(signal);
      return new Promise<never>(() => undefined);
    },
  }).done.then(
    () => assert.fail('expected a failure'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof XliffError);
  assert.equal(error.code, 'XLIFF_PROCESS');
  assert.equal(error.unitId, 'u0');
  assert.equal((error.cause as XliffError).code, 'XLIFF_TIMEOUT');
  assert.equal(signals.length, 2);
  assert.ok(signals.every((s) => s.aborted));
});

test('rateLimit: calls per interval are capped', async () => {
  const input = inputFile(docWith(['a', 'b', 'c', 'd', 'e']));
  const starts: number[] = [];
  const t0 = performance.now();
  await processXliff(input, { cache: false, concurrency: 5, rateLimit: { limit: 2, intervalMs: 60 }, process: () => void starts.push(performance.now() - t0) }).done;
  starts.sort((a, b) => a - b);
  assert.equal(starts.length, 5);
  assert.ok(starts[2]! - starts[0]! >= 55, `third call at ${starts[2]}`);
  assert.ok(starts[4]! - starts[0]! >= 115, `fifth call at ${starts[4]}`);
});

test("onError 'abort' (default): the job rejects naming the unit, and no output file appears", async () => {
  const input = inputFile(docWith(['a', 'b', 'c']));
  const output = outPath();
  const cause = Object.assign(new Error('quota exceeded'), { retryable: false });
  await assert.rejects(processXliff(input, { output, process: (unit) => (unit.id === 'u1' ? Promise.reject(cause) : { target: 'x' }) }).done, (error: unknown) => {
    assert.ok(error instanceof XliffError);
    assert.equal(error.code, 'XLIFF_PROCESS');
    assert.equal(error.unitId, 'u1');
    assert.equal(error.line, 8);
    assert.equal(error.cause, cause);
    assert.match(error.message, /unit "u1" failed: quota exceeded/);
    return true;
  });
  assert.equal(existsSync(output), false);
  assert.deepEqual(readdirSync(work).filter((f) => f.endsWith('.tmp')), []);
});

test("onError 'skip': the failed unit is written unchanged and reported", async () => {
  const input = inputFile(docWith(['a', 'b', 'c']));
  const output = outPath();
  const reported: string[] = [];
  const job = processXliff(input, {
    output,
    onError: 'skip',
    retry: false,
    process: (unit) => {
      if (unit.id === 'u1') throw new Error('bad');
      return { target: 'x' };
    },
  });
  job.on('unitError', ({ unit, error }) => reported.push(`${unit.id}:${error.code}`));
  const summary = await job.done;
  assert.deepEqual(reported, ['u1:XLIFF_PROCESS']);
  assert.equal(summary.unitsFailed, 1);
  assert.deepEqual((await collect(output)).map((u) => u.target?.text), ['x', undefined, 'x']);
});

test('a bad update shape is XLIFF_BAD_UPDATE naming the unit, not retried', async () => {
  const input = inputFile(docWith(['a']));
  let calls = 0;
  await assert.rejects(
    processXliff(input, { process: () => (calls++, { text: 'oops' } as unknown as UnitUpdate) }).done,
    (error: unknown) => error instanceof XliffError && error.code === 'XLIFF_BAD_UPDATE' && error.unitId === 'u0',
  );
  assert.equal(calls, 1);
});

test('abort: in-flight signals abort, done rejects with XLIFF_ABORTED, no output file', async () => {
  const input = inputFile(docWith(Array.from({ length: 50 }, (_, i) => `s${i}`)));
  const output = outPath();
  const controller = new AbortController();
  const inFlight: AbortSignal[] = [];
  let calls = 0;
  const job = processXliff(input, {
    output,
    signal: controller.signal,
    concurrency: 4,
    process: (_unit, { signal }) => {
      calls++;
      inFlight.push(signal);
      if (calls === 4) setImmediate(() => controller.abort(new Error('stop')));
      return new Promise((resolve) => signal.addEventListener('abort', () => resolve(undefined)));
    },
  });
  await assert.rejects(job.done, (error: unknown) => error instanceof XliffError && error.code === 'XLIFF_ABORTED' && (error.cause as Error).message === 'stop');
  assert.equal(calls, 4);
  assert.ok(inFlight.every((s) => s.aborted));
  assert.equal(existsSync(output), false);
  assert.deepEqual(readdirSync(work).filter((f) => f.endsWith('.tmp')), []);
});

test('abort from a synchronous processor: no unit after it reaches the processor, even units read in the same piece', async () => {
  // 50 small units: all in the first 64 KiB piece the reader parses, handed over as one batch.
  const input = inputFile(docWith(Array.from({ length: 50 }, (_, i) => `s${i}`)));
  const output = outPath();
  const controller = new AbortController();
  const seen: string[] = [];
  const job = processXliff(input, {
    output,
    signal: controller.signal,
    process: (unit) => {
      seen.push(unit.id!);
      if (unit.id === 'u2') controller.abort(new Error('enough'));
      return undefined;
    },
  });
  await assert.rejects(job.done, (error: unknown) => error instanceof XliffError && error.code === 'XLIFF_ABORTED' && (error.cause as Error).message === 'enough');
  assert.deepEqual(seen, ['u0', 'u1', 'u2']);
  assert.equal(existsSync(output), false);
});

test('output checks come before any work: a missing folder, the input itself', async () => {
  let calls = 0;
  const process = () => void calls++;
  await assert.rejects(processXliff(ANGULAR, { output: join(work, 'no/such/dir/out.xlf'), process }).done, (error: unknown) => error instanceof XliffError && error.code === 'XLIFF_IO');
  const input = inputFile(docWith(['a']));
  await assert.rejects(processXliff(input, { output: input, process }).done, (error: unknown) => error instanceof XliffError && error.code === 'XLIFF_SAME_FILE');
  assert.equal(calls, 0);
  assert.equal(readFileSync(input, 'utf8'), docWith(['a']));
});

test('processBatch: one call per chunk with the units to process, cache consulted first', async () => {
  const input = inputFile(docWith(['a', 'b', 'a', 'c', 'b', 'd']));
  const batches: string[][] = [];
  const output = outPath();
  const summary = await processXliff(input, {
    output,
    chunkUnits: 3,
    processBatch: (units) => {
      batches.push(units.map((u) => u.source.text));
      return units.map((u) => ({ target: u.source.text.toUpperCase() }));
    },
  }).done;
  // Each source once: 'a' again in the same batch, 'b' again after it is cached.
  assert.deepEqual(batches, [['a', 'b'], ['c', 'd']]);
  assert.deepEqual((await collect(output)).map((u) => u.target?.text), ['A', 'B', 'A', 'C', 'B', 'D']);
  assert.deepEqual([summary.cacheHits, summary.unitsProcessed], [2, 4]);
  await assert.rejects(
    processXliff(input, { processBatch: () => [] }).done,
    (error: unknown) => error instanceof XliffError && error.code === 'XLIFF_BAD_UPDATE',
  );
});

test('processBatch: single flight across batches in flight; a failed batch fails the units waiting for it', async () => {
  const sources = Array.from({ length: 90 }, (_, i) => `Text ${(i * 7) % 30}`);
  const input = inputFile(docWith(sources));
  const sent: string[] = [];
  const output = outPath();
  const summary = await processXliff(input, {
    output,
    chunkUnits: 10,
    highWaterMark: 4,
    concurrency: 4,
    processBatch: async (units) => {
      sent.push(...units.map((u) => u.source.text));
      await sleep(10);
      return units.map((u) => ({ target: u.source.text.toUpperCase() }));
    },
  }).done;
  assert.equal(sent.length, 30, 'each distinct source sent once');
  assert.equal(new Set(sent).size, 30);
  assert.deepEqual([summary.unitsProcessed, summary.unitsCached], [30, 60]);
  assert.deepEqual((await collect(output)).map((u) => u.target?.text), sources.map((s) => s.toUpperCase()));

  const failed: string[] = [];
  const job = processXliff(inputFile(docWith(['a', 'b', 'a', 'b', 'c'])), {
    chunkUnits: 2,
    highWaterMark: 3,
    onError: 'skip',
    retry: false,
    processBatch: async (units) => {
      await sleep(5);
      if (units.some((u) => u.source.text === 'a')) throw new Error('quota');
      return units.map(() => ({ target: 'ok' }));
    },
  });
  job.on('unitError', ({ unit }) => failed.push(unit.id!));
  const second = await job.done;
  // The batches [a, b] and [a, b] fail (the second waits for the first, or calls again: a failure is not cached); [c] does not.
  assert.deepEqual(failed.sort(), ['u0', 'u1', 'u2', 'u3']);
  assert.deepEqual([second.unitsFailed, second.unitsChanged], [4, 1]);
});

test('events: chunk states in order for every chunk, progress with counters, done with the summary; iteration in document order', async () => {
  const job = processXliff(ANGULAR, { chunkUnits: 100, progressIntervalMs: 1, process: async (unit) => (await sleep(1), pseudo(unit)) });
  const states = new Map<number, string[]>();
  const progress: Progress[] = [];
  let doneSummary: unknown;
  job.on('chunk', (e) => states.set(e.index, [...(states.get(e.index) ?? []), e.state]));
  job.on('progress', (p) => progress.push(p));
  job.on('done', (s) => (doneSummary = s));
  const indexes: number[] = [];
  let units = 0;
  for await (const chunk of job) {
    indexes.push(chunk.index);
    units += chunk.results.length;
    assert.ok(chunk.results.every((r) => r.changed && r.update !== undefined));
  }
  const summary = await job.done;
  assert.deepEqual(indexes, [0, 1, 2, 3, 4, 5, 6, 7]);
  assert.equal(units, 766);
  assert.deepEqual([...states.values()], Array.from({ length: 8 }, () => ['pending', 'processing', 'done']));
  assert.equal(doneSummary, summary);
  const last = progress.at(-1)!;
  assert.equal(last.unitsRead, 766);
  assert.equal(last.unitsDone, 766);
  assert.equal(last.percent, 100);
  assert.equal(last.totalBytes, readFileSync(ANGULAR).length);
  assert.ok(progress.length >= 2);
  assert.ok(progress.every((p, i) => i === 0 || p.unitsDone >= progress[i - 1]!.unitsDone));
  assert.ok(progress.every((p, i) => p.bytesDone <= p.bytesRead && (i === 0 || p.bytesDone >= progress[i - 1]!.bytesDone)));
});

test('a synchronous processor (units processed as they are read): the iterator gets every unit\'s result, in document order', async () => {
  const ids = (await collect(ANGULAR)).map((u) => u.id);
  const job = processXliff(ANGULAR, { chunkUnits: 100, cache: false, process: pseudo });
  const seen: Array<string | undefined> = [];
  let chunks = 0;
  for await (const chunk of job) {
    assert.equal(chunk.index, chunks++);
    assert.ok(chunk.results.every((r) => r.changed && r.update !== undefined && !r.cached));
    seen.push(...chunk.results.map((r) => r.unit.id));
  }
  const summary = await job.done;
  assert.equal(chunks, 8);
  assert.deepEqual(seen, ids);
  assert.equal(summary.unitsProcessed, 766);
});

test("events: a synchronous processor's bad update (onError 'abort') gives its chunk pending, processing, failed", async () => {
  const job = processXliff(ANGULAR, {
    chunkUnits: 100,
    process: (unit) => (unit.index === 150 ? ({ text: 'oops' } as unknown as UnitUpdate) : pseudo(unit)),
  });
  const states = new Map<number, string[]>();
  job.on('chunk', (e) => states.set(e.index, [...(states.get(e.index) ?? []), e.state]));
  await assert.rejects(job.done, (error: unknown) => error instanceof XliffError && error.code === 'XLIFF_BAD_UPDATE');
  assert.deepEqual(Object.fromEntries(states), { 0: ['pending', 'processing', 'done'], 1: ['pending', 'processing', 'failed'] });
});

test('progress: percent and ETA count the units written, not the input read ahead', async () => {
  const seen: Progress[] = [];
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const job = processXliff(ANGULAR, { chunkUnits: 100, highWaterMark: 4, progressIntervalMs: 5, process: () => gate.then(() => undefined) });
  job.on('progress', (p) => {
    seen.push(p);
    if (p.unitsRead >= 400) release();
  });
  // The progress timer is unref'd and the gate waits for it: keep the event loop alive meanwhile.
  const keepAlive = setInterval(() => undefined, 1000);
  await job.done.finally(() => clearInterval(keepAlive));
  const ahead = seen.find((p) => p.unitsRead >= 400 && p.unitsDone === 0)!;
  assert.ok(ahead, 'a progress event while reading is ahead');
  assert.ok(ahead.bytesRead > 0);
  assert.deepEqual([ahead.bytesDone, ahead.percent], [0, 0]);
  assert.equal(seen.at(-1)!.percent, 100);
});

test('progress: of a gzip file, percent counts the compressed bytes the units written stand for (it reached 100% early)', async () => {
  // ~2.5 MB of XML that gzip makes ~15 times smaller: bytes done against the compressed size hit 100% at once.
  const units = Array.from({ length: 20_000 }, (_, i) => `unit number ${i} of a long document that repeats itself`);
  const input = inputFile(gzipSync(docWith(units)), 'in.xlf.gz');
  const seen: Progress[] = [];
  let calls = 0;
  const job = processXliff(input, { progressIntervalMs: 1, chunkUnits: 500, process: async () => (calls++ % 500 === 0 ? sleep(5) : undefined) });
  job.on('progress', (p) => seen.push(p));
  const summary = await job.done;
  const during = seen.filter((p) => p.unitsDone > 0 && p.unitsDone < summary.units);
  assert.ok(during.length >= 3, `progress events while working: ${during.length}`);
  for (const p of during) {
    const share = (p.unitsDone / summary.units) * 100;
    assert.ok(Math.abs(p.percent! - share) < 15, `${p.percent!.toFixed(1)}% with ${share.toFixed(1)}% of the units done`);
  }
  const last = seen.at(-1)!;
  assert.deepEqual([last.percent, last.bytesRead, last.bytesDone], [100, summary.bytesRead, summary.bytesRead]);
  assert.ok(summary.bytesRead > statSync(input).size * 5, 'bytesRead counts the document, not the compressed file');
});

test('a Writable output gets the bytes; targetLanguage is set where missing', async () => {
  const input = inputFile(xliff12('<trans-unit id="a"><source>A</source></trans-unit>', 'source-language="en" datatype="plaintext" original="a.txt"'));
  const sink = new PassThrough();
  const chunks: Buffer[] = [];
  sink.on('data', (c: Buffer) => chunks.push(c));
  await processXliff(input, { output: sink, targetLanguage: 'de-DE', process: () => ({ target: 'B' }) }).done;
  const text = Buffer.concat(chunks).toString('utf8');
  assert.match(text, /<file source-language="en" datatype="plaintext" original="a.txt" target-language="de-DE">/);
  const [unit] = await collect([enc(text)]);
  assert.equal(unit!.target?.text, 'B');
  assert.equal(unit!.file.targetLanguage, 'de-DE');
});

test('concurrency: calls in flight never exceed it', async () => {
  const input = inputFile(docWith(Array.from({ length: 40 }, (_, i) => `s${i}`)));
  let active = 0;
  let peak = 0;
  await processXliff(input, {
    concurrency: 3,
    cache: false,
    process: async () => {
      peak = Math.max(peak, ++active);
      await sleep(2);
      active--;
      return undefined;
    },
  }).done;
  assert.equal(peak, 3);
});

test('concurrency: a processor that answers some units at once and others later still never exceeds it', async () => {
  const input = inputFile(docWith(Array.from({ length: 60 }, (_, i) => `s${i}`)));
  let active = 0;
  let peak = 0;
  const answered: number[] = [];
  const output = outPath();
  await processXliff(input, {
    output,
    concurrency: 2,
    cache: false,
    chunkUnits: 7,
    process: (unit) => {
      if (unit.index % 3 !== 0) return (answered.push(unit.index), { target: `sync ${unit.index}` });
      peak = Math.max(peak, ++active);
      return sleep(3).then(() => (active--, answered.push(unit.index), { target: `async ${unit.index}` }));
    },
  }).done;
  assert.ok(peak <= 2, `peak ${peak}`);
  assert.equal(answered.length, 60);
  assert.deepEqual(
    (await collect(output)).map((u) => u.target?.text),
    Array.from({ length: 60 }, (_, i) => `${i % 3 ? 'sync' : 'async'} ${i}`),
  );
});

test('a synchronous processor: a throw is retried (each attempt counted once), results in order', async () => {
  const input = inputFile(docWith(Array.from({ length: 30 }, (_, i) => `t${i}`)));
  const attempts = new Map<number, number>();
  const output = outPath();
  const summary = await processXliff(input, {
    output,
    retry: { retries: 2, minDelayMs: 1, maxDelayMs: 2 },
    process: (unit, { attempt }) => {
      attempts.set(unit.index, attempt);
      if (unit.index % 10 === 4 && attempt < 3) throw new Error('flaky');
      return { target: unit.source.text.toUpperCase() };
    },
  }).done;
  assert.deepEqual([...attempts].filter(([, a]) => a > 1), [[4, 3], [14, 3], [24, 3]]);
  assert.equal(summary.retries, 6);
  assert.deepEqual((await collect(output)).map((u) => u.target?.text), Array.from({ length: 30 }, (_, i) => `T${i}`));
});

test('options are checked: what was expected and what was given', () => {
  const cases: Array<[ProcessOptions, RegExp]> = [
    [{ concurrency: 0 }, /Expected `concurrency` to be a whole number from 1 and up, got 0/],
    [{ onError: 'ignore' as 'skip' }, /Expected `onError` to be 'abort' or 'skip', got "ignore"/],
    [{ process: 'x' as never }, /Expected `process` to be a function/],
    [{ process: () => undefined, processBatch: () => [] }, /one of `process` and `processBatch`, got both/],
    [{ rateLimit: { limit: 0, intervalMs: 10 } }, /`rateLimit.limit`/],
    [{ output: 42 as never }, /Expected `output` to be a path or a Writable/],
  ];
  for (const [options, message] of cases) assert.throws(() => processXliff(ANGULAR, options), message);
});

test('options take what their own modules take: cache true, a fractional rate-limit window, the same messages as readChunks', async () => {
  const seen: string[] = [];
  const summary = await processXliff(ANGULAR, { cache: true, rateLimit: { limit: 1000, intervalMs: 0.5 }, process: (unit) => void seen.push(unit.source.xml) }).done;
  assert.equal(summary.units, seen.length + summary.unitsCached + summary.unitsSkipped);
  assert.ok(summary.unitsCached > 0, 'the default cache is on');
  for (const options of [{ chunkBytes: 0.5 }, { chunkUnits: '3' as never }, { cache: 'yes' as never }, { retry: { retries: -1 } }]) {
    let fromJob: unknown;
    let fromReader: unknown;
    try {
      processXliff(ANGULAR, options);
    } catch (error) {
      fromJob = (error as Error).message;
    }
    try {
      normalizeCheck(options);
    } catch (error) {
      fromReader = (error as Error).message;
    }
    assert.ok(typeof fromJob === 'string' && /^Expected `/.test(fromJob), String(fromJob));
    assert.equal(fromJob, fromReader);
  }
});

/** The checks readChunks, the cache and retries make of the same options, outside a job. */
function normalizeCheck(options: Record<string, unknown>): void {
  if ('chunkBytes' in options || 'chunkUnits' in options) normalizeChunkOptions(options);
  if ('cache' in options) normalizeCache(options['cache'] as never);
  if ('retry' in options) normalizeRetry(options['retry'] as never);
}

test('reading the input fails: the job rejects with the reader error and leaves no output', async () => {
  const input = inputFile(xliff12('<trans-unit id="a"><source>A</target></trans-unit>'));
  const output = outPath();
  await assert.rejects(processXliff(input, { output, process: () => ({ target: 'x' }) }).done, (error: unknown) => error instanceof XliffError && error.code === 'XLIFF_PARSE' && error.line === 5);
  assert.equal(existsSync(output), false);
});

test('readUnits still reads what processXliff wrote, with the input encoding kept (windows-1252)', async () => {
  const entry = corpus().find((e) => e.expect === 'read' && /windows-1252/i.test(readFileSync(e.file, 'latin1').slice(0, 200)));
  assert.ok(entry, 'a windows-1252 file in the corpus');
  const output = outPath();
  await processXliff(entry.file, { output, per: 'segment', process: () => ({ target: 'Prix: 20€ — ok 日本' }) }).done;
  const bytes = readFileSync(output);
  assert.ok(bytes.includes(Buffer.from([0x80])), 'the euro sign is written as windows-1252 0x80');
  assert.ok(bytes.toString('latin1').includes('&#x65E5;&#x672C;'), 'characters windows-1252 cannot hold become references');
  const units: Unit[] = [];
  for await (const unit of readUnits(output)) units.push(unit);
  assert.ok(units.length > 0);
  assert.ok(units.filter((u) => u.translate).every((u) => u.segments.every((s) => s.target?.text === 'Prix: 20€ — ok 日本')));
});

test('breaking out of for await (const result of job) stops the job: no output, no temporary file, done rejects XLIFF_ABORTED', async () => {
  for (const process of [pseudo, async (unit: Unit) => (await sleep(1), pseudo(unit))]) {
    const dir = mkdtempSync(join(work, 'break-'));
    const output = join(dir, 'out.xlf');
    let calls = 0;
    const job = processXliff(ANGULAR, { output, chunkUnits: 10, process: (unit) => (calls++, process(unit)) });
    let chunks = 0;
    for await (const result of job) {
      assert.equal(result.index, chunks++);
      if (chunks === 2) break;
    }
    // The loop is left once the job has cleaned up.
    assert.deepEqual(readdirSync(dir), []);
    await assert.rejects(job.done, (error: unknown) => error instanceof XliffError && error.code === 'XLIFF_ABORTED' && /iterator was left/.test(error.message));
    const units = (await collect(ANGULAR)).length;
    assert.ok(calls < units, `${calls} calls of ${units} units: the job went on`);
  }
});

test('a loop over the job that runs to its end leaves the job as it was: done resolves, the output is whole', async () => {
  const output = outPath();
  const job = processXliff(ANGULAR, { output, chunkUnits: 50, process: pseudo });
  let units = 0;
  for await (const result of job) units += result.results.length;
  const summary = await job.done;
  assert.equal(units, summary.units);
  assert.equal((await collect(output)).length, summary.units);
});

test('processBatch without a chunk size: about four chunks per concurrency slot, all slots busy; a given chunk size is kept', async () => {
  const file = join(CORPUS_DIR, 'typo3-core/locallang_core.xlf');
  const run = async (options: ProcessOptions) => {
    let inFlight = 0;
    let most = 0;
    const sizes: number[] = [];
    const summary = await processXliff(file, {
      ...options,
      cache: false,
      processBatch: async (units) => {
        most = Math.max(most, ++inFlight);
        sizes.push(units.length);
        await sleep(5);
        inFlight--;
        return units.map(() => undefined);
      },
    }).done;
    return { summary, most, sizes };
  };
  const auto = await run({ concurrency: 8 });
  // The rule (job/chunking.ts): chunkBytes = max(1 KiB, size / (4 * concurrency)), highWaterMark concurrency + 1.
  const expectedBytes = Math.max(1024, Math.ceil(statSync(file).size / 32));
  let chunks = 0;
  for await (const _chunk of readChunks(file, { chunkBytes: expectedBytes })) chunks++;
  assert.equal(auto.summary.chunks, chunks);
  assert.ok(auto.summary.chunks >= 16, `${auto.summary.chunks} chunks`);
  assert.equal(auto.most, 8, 'every slot busy');
  const given = await run({ concurrency: 8, chunkUnits: 200 });
  assert.equal(given.summary.chunks, Math.ceil(given.summary.units / 200));
  assert.ok(given.most <= given.summary.chunks);
});
