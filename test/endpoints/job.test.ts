/**
 * processXliff over several endpoints: what it writes is what one processor writes; the
 * summary and progress events show each endpoint; one that fails has its breaker open and
 * its traffic failed over; every one down fails the job typed (or skips per onError); the
 * options are checked. Real files, real timers kept short.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pseudoSegment, pseudoUpdate, processXliff, XliffError, type Progress, type ProcessOptions, type Unit } from '../../src/index.js';
import { CORPUS_DIR } from '../helpers/corpus.js';

const work = mkdtempSync(join(tmpdir(), 'xliff-stream-endpoints-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));
let counter = 0;
const outPath = () => join(work, `${counter++}.xlf`);

const ANGULAR = join(CORPUS_DIR, 'angular-apps/messages.fr.xlf');
const XLIFF2 = join(CORPUS_DIR, 'oasis-xliff22-ts/allExtensions.xlf');
const serverError = () => Object.assign(new Error('HTTP 503'), { status: 503 });

/** What one processor writes: the reference. */
async function reference(input: string, options: Partial<ProcessOptions> = {}): Promise<Buffer> {
  const output = outPath();
  await processXliff(input, { ...options, output, process: (unit) => pseudoUpdate(unit) } as ProcessOptions).done;
  return readFileSync(output);
}

test('two endpoints write what one processor writes; the summary and the last progress event show each one', async () => {
  for (const input of [ANGULAR, XLIFF2]) {
    const output = outPath();
    const seen = new Set<string>();
    const endpoint = (name: string) => ({
      name,
      process: async (unit: Unit, ctx: { endpoint: string }) => {
        seen.add(ctx.endpoint);
        await sleep(1);
        return pseudoUpdate(unit);
      },
    });
    const job = processXliff(input, { output, cache: false, endpoints: [endpoint('a'), endpoint('b')] });
    const progress: Progress[] = [];
    job.on('progress', (p) => progress.push(p));
    const summary = await job.done;
    assert.deepEqual(readFileSync(output), await reference(input), input);
    assert.deepEqual([...seen].sort(), ['a', 'b']);
    assert.deepEqual(summary.endpoints.map((e) => e.name), ['a', 'b']);
    assert.equal(summary.endpoints.reduce((n, e) => n + e.done, 0), summary.unitsProcessed);
    assert.ok(summary.endpoints.every((e) => e.done > 0 && e.failed === 0 && e.inFlight === 0 && e.state === 'closed' && e.opened === 0));
    assert.equal(summary.failovers, 0);
    assert.deepEqual(progress.at(-1)!.endpoints, summary.endpoints);
  }
});

test('per: segment and processBatch endpoints write what one processor writes', async () => {
  const segmentsOut = outPath();
  await processXliff(XLIFF2, {
    output: segmentsOut,
    per: 'segment',
    endpoints: ['a', 'b'].map((name) => ({ name, process: async (segment) => pseudoSegment(segment) })),
  }).done;
  const segmentsRef = outPath();
  await processXliff(XLIFF2, { output: segmentsRef, per: 'segment', process: (segment) => pseudoSegment(segment) }).done;
  assert.deepEqual(readFileSync(segmentsOut), readFileSync(segmentsRef));

  const batchOut = outPath();
  const batches: Record<string, number> = { a: 0, b: 0 };
  const summary = await processXliff(ANGULAR, {
    output: batchOut,
    chunkUnits: 3,
    endpoints: ['a', 'b'].map((name) => ({ name, processBatch: async (units: readonly Unit[]) => (batches[name]!++, units.map((unit) => pseudoUpdate(unit))) })),
  }).done;
  assert.deepEqual(readFileSync(batchOut), await reference(ANGULAR));
  assert.ok(batches.a! > 0 && batches.b! > 0, JSON.stringify(batches));
  assert.deepEqual(summary.endpoints.map((e) => e.done), [batches.a, batches.b]);
});

test('an endpoint that fails: its breaker opens after consecutiveFailures, its calls fail over (not retried), the output is whole', async () => {
  const output = outPath();
  let downCalls = 0;
  const summary = await processXliff(ANGULAR, {
    output,
    cache: false,
    concurrency: 1,
    circuitBreaker: { consecutiveFailures: 3, halfOpenAfterMs: 60_000 },
    endpoints: [
      { name: 'down', process: async () => (downCalls++, Promise.reject(serverError())) },
      { name: 'up', process: async (unit) => pseudoUpdate(unit) },
    ],
  }).done;
  assert.deepEqual(readFileSync(output), await reference(ANGULAR));
  assert.equal(downCalls, 3);
  assert.equal(summary.failovers, 3);
  assert.equal(summary.retries, 0);
  const [down, up] = summary.endpoints;
  assert.deepEqual([down!.state, down!.opened, down!.failed, down!.done], ['open', 1, 3, 0]);
  assert.equal(up!.done, summary.unitsProcessed);
});

test("every endpoint down: onError 'skip' writes the units unchanged, each failed with XLIFF_ENDPOINTS_DOWN at its place", async () => {
  const output = outPath();
  const job = processXliff(ANGULAR, {
    output,
    retry: false,
    circuitBreaker: { consecutiveFailures: 1, halfOpenAfterMs: 60_000, maxWaitMs: 0 },
    onError: 'skip',
    endpoints: [{ name: 'only', process: async () => Promise.reject(serverError()) }],
  });
  const errors: XliffError[] = [];
  job.on('unitError', ({ error }) => errors.push(error));
  const summary = await job.done;
  assert.deepEqual(readFileSync(output), readFileSync(ANGULAR));
  assert.equal(summary.unitsFailed, errors.length);
  assert.equal(errors[0]!.code, 'XLIFF_PROCESS', 'the first call failed on the endpoint');
  assert.ok(errors.length > 2);
  for (const error of errors.slice(1)) {
    assert.equal(error.code, 'XLIFF_ENDPOINTS_DOWN');
    assert.ok(error.line! > 1 && error.unitId !== undefined, error.message);
  }
  assert.deepEqual(summary.endpoints.map((e) => [e.state, e.failed]), [['open', 1]]);
});

test("every endpoint down (onError 'abort'): the wait ends at maxWaitMs and the job fails with XLIFF_ENDPOINTS_DOWN, no output", async () => {
  const output = outPath();
  const started = Date.now();
  const job = processXliff(ANGULAR, {
    output,
    retry: { server: { retries: 2, minDelayMs: 1, maxDelayMs: 1 } },
    circuitBreaker: { consecutiveFailures: 1, halfOpenAfterMs: 60_000, maxWaitMs: 100 },
    endpoints: [{ name: 'only', process: async () => Promise.reject(serverError()) }],
  });
  await assert.rejects(job.done, (error: XliffError) => error.code === 'XLIFF_ENDPOINTS_DOWN' && error.unitId !== undefined && /100 ms/.test(error.message));
  assert.ok(Date.now() - started >= 100, 'it waited');
  assert.equal(existsSync(output), false);
});

test('concurrency defaults to the sum of the endpoints\' maxConcurrency; none holds more', async () => {
  const inFlight: Record<string, number> = { a: 0, b: 0 };
  const most: Record<string, number> = { a: 0, b: 0, all: 0 };
  const endpoint = (name: string, maxConcurrency: number) => ({
    name,
    maxConcurrency,
    process: async (unit: Unit) => {
      inFlight[name]!++;
      most[name] = Math.max(most[name]!, inFlight[name]!);
      most.all = Math.max(most.all!, inFlight.a! + inFlight.b!);
      await sleep(5);
      inFlight[name]!--;
      return pseudoUpdate(unit);
    },
  });
  const input = join(CORPUS_DIR, 'okapi-sdlxliff/TeacherXpress15981.sdlxliff');
  await processXliff(input, { cache: false, endpoints: [endpoint('a', 2), endpoint('b', 3)] }).done;
  assert.deepEqual(most, { a: 2, b: 3, all: 5 });
});

test('endpoint options are checked: what was expected and what was given', () => {
  const ok = { name: 'a', process: () => undefined };
  const cases: Array<[Record<string, unknown>, RegExp]> = [
    [{ endpoints: [] }, /`endpoints` to be a non-empty array/],
    [{ endpoints: [ok], process: () => undefined }, /one of `endpoints` and `process`/],
    [{ endpoints: [ok], threads: 2 }, /no `endpoints` with `threads`/],
    [{ endpoints: [{ name: 'a' }] }, /`endpoints\[0\]` \("a"\) to have one of `process` and `processBatch`, got neither/],
    [{ endpoints: [ok, ok] }, /"a" twice/],
    [{ endpoints: [ok, { name: 'b', processBatch: () => [] }] }, /every endpoint to have `process`/],
    [{ endpoints: [{ ...ok, weight: 2 }] }, /endpointStrategy: 'weighted'/],
    [{ endpoints: [ok], endpointStrategy: 'random' }, /'round-robin', 'least-busy', 'weighted', got "random"/],
    [{ endpointStrategy: 'weighted' }, /`endpoints` with `endpointStrategy`/],
    [{ endpoints: [{ ...ok, maxConcurrency: 0 }] }, /`endpoints\[0\].maxConcurrency` to be a whole number from 1/],
    [{ endpoints: [{ ...ok, rateLimit: { limit: 0, intervalMs: 10 } }] }, /`endpoints\[0\].rateLimit.limit` to be a whole number from 1/],
    [{ endpoints: [ok], circuitBreaker: { consecutiveFailures: 2, failureRate: { threshold: 0.5 } } }, /got both/],
    [{ endpoints: [ok], circuitBreaker: { failureRate: { threshold: 1.5 } } }, /threshold` to be a number between 0 and 1/],
    [{ endpoints: [ok], circuitBreaker: { halfOpenAfterMs: 5000, maxHalfOpenAfterMs: 1000 } }, /at least `halfOpenAfterMs`/],
  ];
  for (const [options, message] of cases) {
    assert.throws(() => processXliff(ANGULAR, options as ProcessOptions), message, JSON.stringify(Object.keys(options)));
  }
});

test("an endpoint's own rateLimit: at most `limit` of its calls start in any window of `intervalMs`", async () => {
  const calls: Record<string, number> = { a: 0, b: 0 };
  const started = performance.now();
  const summary = await processXliff(join(CORPUS_DIR, 'okapi-xliff12/MQ-12-Test01.xlf'), {
    cache: false,
    endpoints: ['a', 'b'].map((name) => ({
      name,
      rateLimit: { limit: 3, intervalMs: 40 },
      process: async (unit: Unit) => (calls[name]!++, pseudoUpdate(unit)),
    })),
  }).done;
  const elapsed = performance.now() - started;
  assert.equal(calls.a! + calls.b!, summary.unitsProcessed);
  for (const count of Object.values(calls)) {
    assert.ok(count > 10);
    // A sliding window: in T ms, 3 * (floor(T / 40) + 1) calls at most; and as many took that long at least.
    assert.ok(count <= 3 * (Math.floor(elapsed / 40) + 1), `${count} calls in ${elapsed} ms`);
    assert.ok(elapsed >= (Math.ceil(count / 3) - 1) * 40 - 1, `${count} calls in only ${elapsed} ms`);
  }
});
