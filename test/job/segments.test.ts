/**
 * processXliff with `per: 'segment'`: the processor gets segments (2.x segments, 1.2 mrk
 * segments, or a 1.2 unit whole), the job writes each unit with its segments' results, and the
 * cache keys on the segment's source. Real files of Trados, Okapi, Matecat and the OASIS suite.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { processXliff, readUnits, XliffError, type SegmentProcessOptions, type SegmentResult, type Unit, type UnitSegment } from '../../src/index.js';
import { CORPUS_DIR } from '../helpers/corpus.js';

const work = mkdtempSync(join(tmpdir(), 'xliff-stream-segments-'));
test.after(() => rmSync(work, { recursive: true, force: true }));
let outputs = 0;
const outPath = () => join(work, `${outputs++}.xlf`);

const SDLXLIFF = join(CORPUS_DIR, 'okapi-sdlxliff/TeacherXpress15981.sdlxliff');
const OKAPI = join(CORPUS_DIR, 'okapi-produced/Test_DrupalRussianCP1251.po.xliff');
const MATECAT2 = join(CORPUS_DIR, 'matecat/SpotCheck-en_us-es_419-H.xlf');

async function units(path: string): Promise<Unit[]> {
  const all: Unit[] = [];
  for await (const unit of readUnits(path)) all.push(unit);
  return all;
}

const marked = (segment: UnitSegment): SegmentResult => ({ target: `<${segment.source.text}>`, state: 'translated' });

test('per: segment: every segment of every translatable unit gets its own target, each distinct source is processed once', async () => {
  for (const path of [SDLXLIFF, OKAPI, MATECAT2]) {
    const before = await units(path);
    const seen: string[] = [];
    const output = outPath();
    const summary = await processXliff(path, {
      output,
      per: 'segment',
      process: (segment) => {
        assert.equal(segment.unit.segments[segment.index]!.source, segment.source, 'the segment is its unit\'s');
        assert.equal(segment.kind, 'segment', 'no ignorable is given');
        seen.push(segment.source.xml);
        return marked(segment);
      },
    }).done;
    const given = before.filter((u) => u.translate).flatMap((u) => u.segments.filter((s) => s.kind === 'segment'));
    assert.equal(seen.length, new Set(given.map((s) => s.source.xml)).size, `${path}: one call per distinct segment source`);
    if (path === SDLXLIFF) assert.ok(seen.length < given.length, `${path}: repeated sentences (${given.length} segments, ${seen.length} calls)`);
    const after = await units(output);
    assert.equal(after.length, before.length);
    let segments = 0;
    after.forEach((unit, i) => {
      const source = before[i]!;
      assert.equal(unit.segments.length, source.segments.length, `${unit.id}: as many segments`);
      unit.segments.forEach((segment, k) => {
        if (!source.translate || segment.kind !== 'segment') {
          assert.deepEqual(segment.target?.xml, source.segments[k]!.target?.xml, `${unit.id} ${k}: left as it was`);
          return;
        }
        segments++;
        assert.equal(segment.id, source.segments[k]!.id);
        assert.equal(segment.target?.text, `<${source.segments[k]!.source.text}>`, `${unit.id} segment ${k}`);
      });
      if (source.translate && source.segments.some((s) => s.kind === 'segment')) assert.equal(unit.state, 'translated', `${unit.id}: state`);
    });
    assert.equal(segments, given.length);
    assert.equal(summary.unitsProcessed + summary.unitsCached + summary.unitsSkipped, before.length, `${path}: the summary counts units`);
    if (path === SDLXLIFF) assert.ok(summary.unitsCached > 0, `${path}: units whose every segment was met before`);
  }
});

test('per: segment: filter and cacheKey take segments; a unit whose segments the filter all leaves is skipped', async () => {
  const before = await units(SDLXLIFF);
  const output = outPath();
  const keys: string[] = [];
  const summary = await processXliff(SDLXLIFF, {
    output,
    per: 'segment',
    cache: { max: 100 },
    filter: (segment) => segment.index > 0 && segment.unit.translate,
    cacheKey: (segment) => (keys.push(segment.source.text), segment.source.text),
    process: marked,
  }).done;
  const after = await units(output);
  let written = 0;
  after.forEach((unit, i) => {
    unit.segments.forEach((segment, k) => {
      const old = before[i]!.segments[k]!;
      if (k === 0 || !before[i]!.translate) assert.equal(segment.target?.xml, old.target?.xml, `${unit.id} ${k}: filtered out`);
      else {
        assert.equal(segment.target?.text, `<${old.source.text}>`);
        written++;
      }
    });
  });
  assert.ok(written > 0);
  assert.equal(keys.length, written, 'the cache key of each segment that passed the filter');
  const skipped = before.filter((u) => !u.translate || u.segments.length === 1).length;
  assert.equal(summary.unitsSkipped, skipped, 'units with no segment through the filter');
});

test('per: segment with processBatch: one call per chunk with its segments, one result each', async () => {
  const before = await units(SDLXLIFF);
  const output = outPath();
  const batches: number[] = [];
  await processXliff(SDLXLIFF, {
    output,
    per: 'segment',
    chunkUnits: 50,
    processBatch: (segments) => {
      batches.push(segments.length);
      return segments.map((s) => (s.index === 1 ? undefined : marked(s)));
    },
  }).done;
  assert.ok(batches.length >= Math.ceil(before.length / 50) - 2, `${batches.length} batches`);
  const after = await units(output);
  after.forEach((unit, i) =>
    unit.segments.forEach((segment, k) => {
      const old = before[i]!.segments[k]!;
      if (!before[i]!.translate || k === 1) assert.equal(segment.target?.xml, old.target?.xml);
      else assert.equal(segment.target?.text, `<${old.source.text}>`);
    }),
  );
});

test('per: segment: a segment that fails fails its unit (onError: skip writes the unit unchanged), retries count calls', async () => {
  const before = await units(SDLXLIFF);
  // A segment whose source the file holds once, in a unit of several.
  const count = new Map<string, number>();
  for (const u of before) for (const s of u.segments) count.set(s.source.xml, (count.get(s.source.xml) ?? 0) + 1);
  const bad = before.find((u) => u.translate && u.segments.length > 1 && count.get(u.segments[1]!.source.xml) === 1)!;
  assert.ok(bad, 'a unit of several segments');
  const failing = bad.segments[1]!.source.xml;
  let calls = 0;
  const output = outPath();
  const failed: Unit[] = [];
  const job = processXliff(SDLXLIFF, {
    output,
    per: 'segment',
    onError: 'skip',
    retry: { retries: 2, minDelayMs: 1, maxDelayMs: 1 },
    process: (segment) => {
      if (segment.source.xml === failing) {
        calls++;
        throw new Error('engine down');
      }
      return marked(segment);
    },
  });
  job.on('unitError', ({ unit, error }) => {
    failed.push(unit);
    assert.ok(error instanceof XliffError && error.code === 'XLIFF_PROCESS' && /engine down/.test(error.message));
  });
  const summary = await job.done;
  assert.equal(calls, 3, 'the first call and two retries');
  assert.equal(summary.retries, 2);
  assert.ok(failed.some((u) => u.id === bad.id));
  assert.equal(summary.unitsFailed, failed.length);
  const after = await units(output);
  assert.equal(after[bad.index]!.raw, bad.raw, 'the failed unit as it was');
});

test('per: segment: a result of the wrong shape is XLIFF_BAD_UPDATE naming the unit and the segment', async () => {
  const job = processXliff(SDLXLIFF, { output: outPath(), per: 'segment', process: () => ({ target: 'x', segments: [] }) as unknown as SegmentResult });
  await assert.rejects(job.done, (e: unknown) => e instanceof XliffError && e.code === 'XLIFF_BAD_UPDATE' && /segment 0 \(id "1"\): segments: unknown key \(expected target, state, subState\)/.test(e.message));
  const options = { output: outPath(), per: 'sentence' } as unknown as SegmentProcessOptions;
  assert.throws(() => processXliff(SDLXLIFF, options), /Expected `per` to be 'unit' or 'segment', got "sentence"/);
});

test('per: segment: an aborted job resumes from its journal into the bytes of an uninterrupted run', async () => {
  const reference = outPath();
  await processXliff(SDLXLIFF, { output: reference, per: 'segment', chunkUnits: 40, process: marked }).done;
  const output = outPath();
  const controller = new AbortController();
  let done = 0;
  const first = processXliff(SDLXLIFF, { output, per: 'segment', chunkUnits: 40, checkpoint: true, signal: controller.signal, process: marked });
  first.on('chunk', (event) => event.state === 'done' && ++done === 10 && controller.abort(new Error('stop')));
  await assert.rejects(first.done, (e: unknown) => e instanceof XliffError && e.code === 'XLIFF_ABORTED');
  const calls: string[] = [];
  const summary = await processXliff(SDLXLIFF, { output, per: 'segment', chunkUnits: 40, checkpoint: true, process: (s) => (calls.push(s.source.xml), marked(s)) }).done;
  assert.ok(summary.unitsReplayed >= 300, `${summary.unitsReplayed} units replayed`);
  assert.ok(readFileSync(output).equals(readFileSync(reference)), 'the bytes of the uninterrupted run');
  // A journal of a job per unit is another job's.
  const perUnit = outPath();
  const stop = new AbortController();
  let chunks = 0;
  const unitJob = processXliff(SDLXLIFF, { output: perUnit, chunkUnits: 40, checkpoint: true, signal: stop.signal, process: () => undefined });
  unitJob.on('chunk', (event) => event.state === 'done' && ++chunks === 3 && stop.abort(new Error('stop')));
  await assert.rejects(unitJob.done, (e: unknown) => e instanceof XliffError && e.code === 'XLIFF_ABORTED');
  await assert.rejects(processXliff(SDLXLIFF, { output: perUnit, per: 'segment', chunkUnits: 40, checkpoint: true, process: marked }).done, (e: unknown) => e instanceof XliffError && e.code === 'XLIFF_CHECKPOINT_MISMATCH');
});
