// Bad input and faults, through processXliff with an output file and a checkpoint: each case
// ends in a typed XliffError with its position, no output file, the journal kept, no processor
// call after the error and no file handle left open.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { processXliff, XliffError, type ProcessOptions, type Unit, type WarningEvent } from '../../src/index.js';
import { CORPUS_DIR } from '../helpers/corpus.js';
import { collect, enc, readError, xliff12 } from '../helpers/read.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'xliff-stream-bad-'));
test.after(() => rmSync(work, { recursive: true, force: true }));

const good = (n: number) => Array.from({ length: n }, (_, i) => `<trans-unit id="u${i}"><source>Unit ${i}</source></trans-unit>`).join('\n');
/** 300 good units, then `bad`: the processor has work before the error. */
const after300 = (bad: string) => xliff12(`${good(300)}\n${bad}`);
const openFds = () => readdirSync('/proc/self/fd').length;

interface Outcome {
  readonly error: XliffError;
  readonly calls: Unit[];
  readonly callsAfter: number;
  readonly dir: string;
  readonly output: string;
}

/** Runs a checkpointed job over `bytes` written to a file, and returns how it failed. */
async function failure(name: string, bytes: Uint8Array | string, options: Partial<ProcessOptions> = {}): Promise<Outcome> {
  const dir = mkdtempSync(join(work, `${name.replace(/\W+/g, '-').slice(0, 40)}-`));
  const input = join(dir, 'in.xlf');
  writeFileSync(input, bytes);
  const output = join(dir, 'out.xlf');
  const calls: Unit[] = [];
  const fds = openFds();
  const job = processXliff(input, {
    output,
    checkpoint: true,
    chunkUnits: 10,
    process: (unit) => {
      calls.push(unit);
      return { target: unit.source.text.toUpperCase() };
    },
    ...options,
  });
  const error = await job.done.then(
    () => assert.fail('the job succeeded'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof XliffError, `an XliffError, not ${String(error)}`);
  const callsAtFailure = calls.length;
  await new Promise((resolve) => setTimeout(resolve, 30));
  assert.equal(openFds(), fds, 'every file handle is closed');
  assert.ok(!existsSync(output), 'no output file');
  assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith('.tmp')), [], 'no temporary file');
  assert.ok(existsSync(`${output}.journal`), 'the journal is kept');
  return { error, calls, callsAfter: calls.length - callsAtFailure, dir, output };
}

interface Case {
  readonly name: string;
  readonly bytes: () => Uint8Array | string;
  readonly code: XliffError['code'];
  readonly options?: Partial<ProcessOptions>;
  /** Whether the error has a position in the document (corrupt gzip has none). */
  readonly positioned?: false;
  readonly reason?: RegExp;
}

const zip = Uint8Array.of(0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0, 0, 8, 0, ...enc('word/document.xml'), 0xff, 0xfe, 0x00);
const corpus = (path: string) => readFileSync(join(CORPUS_DIR, path));
const cases: Case[] = [
  { name: 'an empty file', bytes: () => '', code: 'XLIFF_EMPTY' },
  { name: 'a ZIP archive renamed .xlf', bytes: () => zip, code: 'XLIFF_PARSE', reason: /ZIP/ },
  { name: 'XML that is not XLIFF', bytes: () => '<?xml version="1.0"?>\n<html><body><p>hi</p></body></html>\n', code: 'XLIFF_NOT_XLIFF' },
  { name: 'a truncated file', bytes: () => after300('<trans-unit id="cut"><source>Half a sen'), code: 'XLIFF_PARSE' },
  { name: 'a truncated corpus file', bytes: () => corpus('angular-apps/messages.fr.xlf').subarray(0, 40_000), code: 'XLIFF_PARSE' },
  { name: 'a mismatched end tag', bytes: () => after300('<trans-unit id="x"><source>a</target></trans-unit>'), code: 'XLIFF_PARSE' },
  { name: 'an unclosed element', bytes: () => after300('<trans-unit id="x"><source>a<g id="1">b</source></trans-unit>'), code: 'XLIFF_PARSE' },
  { name: 'an invalid character reference', bytes: () => after300('<trans-unit id="x"><source>a &#xFFFE; b</source></trans-unit>'), code: 'XLIFF_PARSE' },
  { name: 'an unbound prefix', bytes: () => after300('<trans-unit id="x"><source>a</source><sdl:seg-defs/></trans-unit>'), code: 'XLIFF_PARSE' },
  {
    name: 'bytes that are not UTF-8',
    bytes: () => {
      const doc = enc(after300('<trans-unit id="x"><source>caf\u00e9</source></trans-unit>'));
      const at = doc.lastIndexOf(0xc3);
      return Uint8Array.from([...doc.subarray(0, at), 0xe9, ...doc.subarray(at + 2)]);
    },
    code: 'XLIFF_ENCODING',
  },
  {
    name: 'bytes that are not the declared US-ASCII',
    bytes: () => {
      const doc = enc(after300('<trans-unit id="x"><source>caf\u00e9</source></trans-unit>').replace('UTF-8', 'US-ASCII'));
      const at = doc.lastIndexOf(0xc3);
      return Uint8Array.from([...doc.subarray(0, at), 0xe9, ...doc.subarray(at + 2)]);
    },
    code: 'XLIFF_ENCODING',
  },
  { name: 'the billion laughs of the corpus', bytes: () => corpus('netresearch-xliff-streaming/billion-laughs.xlf'), code: 'XLIFF_ENTITY' },
  { name: 'the XXE file of the corpus', bytes: () => corpus('netresearch-xliff-streaming/xxe-file-read.xlf'), code: 'XLIFF_ENTITY' },
  { name: 'the XXE doctype of Translate Toolkit', bytes: () => corpus('translate-toolkit/tt_xxe_entity_doctype.xlf'), code: 'XLIFF_ENTITY' },
  {
    name: 'a unit over maxUnitBytes',
    bytes: () => after300(`<trans-unit id="huge"><source>${'long text '.repeat(200_000)}</source></trans-unit>`),
    code: 'XLIFF_UNIT_TOO_LARGE',
    options: { maxUnitBytes: 1024 * 1024 },
  },
  { name: 'gzip that is corrupt', bytes: () => gzipSync(after300('')).subarray(0, 200), code: 'XLIFF_PARSE', positioned: false },
  {
    name: 'a comment longer than maxUnitBytes',
    bytes: () => after300(`<!--${'-x'.repeat(9 * 1024 * 1024)}-->`),
    code: 'XLIFF_UNIT_TOO_LARGE',
    options: { maxUnitBytes: 16 * 1024 * 1024 },
    reason: /^a comment longer than maxUnitBytes \(16777216 characters\)$/,
  },
];

for (const c of cases) {
  test(`bad input through processXliff: ${c.name} -> ${c.code}, with its position, no output`, async () => {
    const bytes = c.bytes();
    const outcome = await failure(c.name, bytes, c.options);
    const { error } = outcome;
    assert.equal(error.code, c.code, error.message);
    if (c.reason) assert.match(error.reason, c.reason);
    // The position is the reader's (checked against hand-counted positions in errors.test.ts).
    const expected = await readError([typeof bytes === 'string' ? enc(bytes) : bytes], { maxUnitBytes: c.options?.maxUnitBytes });
    assert.deepEqual([error.line, error.column, error.offset], [expected.line, expected.column, expected.offset], error.message);
    if (c.positioned === false) {
      assert.equal(error.line, undefined);
      assert.equal(outcome.calls.length, 0);
      return;
    }
    assert.equal(typeof error.line, 'number');
    assert.equal(typeof error.offset, 'number');
    assert.match(error.message, new RegExp(`in\\.xlf:${error.line}:${error.column}: `));
    // Only units that end before the error reached the processor, and none after the failure.
    for (const unit of outcome.calls) assert.ok(unit.location.offset + unit.location.length <= error.offset!, `unit ${unit.id} is before the error`);
    assert.equal(outcome.callsAfter, 0);
  });
}

test('bad input: the error offset of bytes not in the declared encoding is the offset of the bad byte', async () => {
  const doc = enc(after300('<trans-unit id="x"><source>caf\u00e9</source></trans-unit>'));
  const at = doc.lastIndexOf(0xc3);
  const bytes = Uint8Array.from([...doc.subarray(0, at), 0xe9, 0x20, ...doc.subarray(at + 2)]);
  const { error } = await failure('offset', bytes);
  assert.equal(error.code, 'XLIFF_ENCODING');
  assert.equal(error.offset, at);
});

test('bad input: 65 levels of nested groups and very long attribute values read and write back', async () => {
  let body = '<trans-unit id="deep"><source>Deep</source></trans-unit>';
  for (let depth = 65; depth >= 1; depth--) body = `<group id="g${depth}">${body}</group>`;
  const long = 'x'.repeat(2 * 1024 * 1024);
  body += `\n<trans-unit id="long" resname="${long}" extradata="${'y&amp;'.repeat(100_000)}"><source>Long</source></trans-unit>`;
  const doc = xliff12(body, `source-language="en" original="${'z'.repeat(20 * 1024 * 1024)}"`);
  const units = await collect([enc(doc)]);
  assert.equal(units.length, 2);
  assert.equal(units[0]!.groups.length, 65);
  assert.deepEqual(units[0]!.groups.map((g) => g.id), Array.from({ length: 65 }, (_, i) => `g${i + 1}`));
  assert.equal(units[1]!.attributes['resname'], long);
  assert.equal(units[1]!.attributes['extradata'], 'y&'.repeat(100_000));
  assert.equal(units[0]!.file.original!.length, 20 * 1024 * 1024);

  const dir = mkdtempSync(join(work, 'deep-'));
  const input = join(dir, 'in.xlf');
  writeFileSync(input, doc);
  const output = join(dir, 'out.xlf');
  await processXliff(input, { output, process: (unit) => ({ target: `[${unit.source.text}]` }) }).done;
  const written = readFileSync(output, 'utf8');
  const back = await collect(output);
  assert.deepEqual(back.map((u) => u.target?.text), ['[Deep]', '[Long]']);
  assert.equal(written.replace('<target>[Deep]</target>', '').replace('<target>[Long]</target>', ''), doc);
});

test('bad input: duplicate unit ids in one file are a warning event, not an error', async () => {
  const doc = `<?xml version="1.0"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
<file original="a.txt" source-language="en"><body>
<trans-unit id="1"><source>One</source></trans-unit>
<trans-unit id="2"><source>Two</source></trans-unit>
<trans-unit id="1"><source>One again</source></trans-unit>
</body></file>
<file original="b.txt" source-language="en"><body>
<trans-unit id="1"><source>Another file</source></trans-unit>
<trans-unit id="2"><source>Two</source></trans-unit>
<trans-unit id="2"><source>Two again</source></trans-unit>
</body></file>
</xliff>
`;
  const warnings: WarningEvent[] = [];
  const job = processXliff([enc(doc)], { fileName: 'dup.xlf', process: () => undefined });
  job.on('warning', (w) => warnings.push(w));
  const summary = await job.done;
  assert.equal(summary.units, 6);
  assert.equal(summary.warnings, 2);
  assert.deepEqual(
    warnings.map((w) => [w.code, w.unit?.source.text, w.message]),
    [
      ['XLIFF_DUPLICATE_ID', 'One again', 'dup.xlf:6:1: unit id "1" is used twice in file #1 (a.txt)'],
      ['XLIFF_DUPLICATE_ID', 'Two again', 'dup.xlf:11:1: unit id "2" is used twice in file #2 (b.txt)'],
    ],
  );
});

test('bad input: the duplicate-id check finds every duplicate among 200 000 ids, and no false one', async () => {
  const { DuplicateIds } = await import('../../src/job/duplicate-ids.js');
  const ids = new DuplicateIds();
  for (let i = 0; i < 200_000; i++) assert.equal(ids.add(`tu-${i}`), false);
  for (let i = 0; i < 200_000; i += 997) assert.equal(ids.add(`tu-${i}`), true);
  ids.reset();
  assert.equal(ids.add('tu-5'), false);
  // A reset forgets every id of the file before, whether few (cleared one by one) or many (the whole table).
  for (const count of [100, 20_000]) {
    ids.reset();
    for (let i = 0; i < count; i++) assert.equal(ids.add(`f-${count}-${i}`), false);
    assert.equal(ids.add(`f-${count}-${count - 1}`), true);
    ids.reset();
    for (let i = 0; i < count; i++) assert.equal(ids.add(`f-${count}-${i}`), false, `id ${i} of ${count}, after a reset`);
  }
  const capped = new DuplicateIds(3);
  ['a', 'b', 'c', 'd'].forEach((id) => capped.add(id));
  assert.equal(capped.stopped, true);
  assert.equal(capped.add('a'), false, 'past the cap the check is off');
});

// Processor faults: each is retried, then reported as `onError` says.
const faults: Array<{ name: string; process: ProcessOptions['process']; code: XliffError['code']; options?: Partial<ProcessOptions>; attempts: number }> = [
  {
    name: 'a synchronous throw',
    process: () => {
      throw new Error('boom');
    },
    code: 'XLIFF_PROCESS',
    attempts: 3,
  },
  { name: 'a rejection', process: () => Promise.reject(new Error('503 from the MT engine')), code: 'XLIFF_PROCESS', attempts: 3 },
  { name: 'a hang past timeoutMs', process: (_unit, { signal }) => new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason as Error))), code: 'XLIFF_PROCESS', options: { timeoutMs: 20 }, attempts: 3 },
  { name: 'an update of the wrong shape', process: () => ({ traget: 'typo' }) as never, code: 'XLIFF_BAD_UPDATE', attempts: 1 },
  { name: 'a target of XML that is not well-formed', process: () => ({ target: { xml: 'Salut <b>monde' } }), code: 'XLIFF_BAD_UPDATE', attempts: 1 },
];

for (const fault of faults) {
  test(`processor fault: ${fault.name} is retried, then fails the job with ${fault.code} naming the unit`, async () => {
    const attempts = new Map<string, number>();
    const outcome = await failure(fault.name, after300(''), {
      retry: { retries: 2, minDelayMs: 1, maxDelayMs: 2 },
      ...fault.options,
      process: (unit, ctx) => {
        attempts.set(unit.id!, (attempts.get(unit.id!) ?? 0) + 1);
        return unit.id === 'u42' ? fault.process!(unit, ctx) : undefined;
      },
    });
    assert.equal(outcome.error.code, fault.code, outcome.error.message);
    assert.equal(outcome.error.unitId, 'u42');
    assert.equal(outcome.error.line, 5 + 42);
    assert.equal(attempts.get('u42'), fault.attempts);
    assert.equal(outcome.callsAfter, 0);
  });

  test(`processor fault: ${fault.name} with onError 'skip' writes the unit unchanged and reports it`, async () => {
    const dir = mkdtempSync(join(work, 'skip-'));
    const input = join(dir, 'in.xlf');
    const doc = after300('');
    writeFileSync(input, doc);
    const output = join(dir, 'out.xlf');
    const job = processXliff(input, {
      output,
      onError: 'skip',
      retry: { retries: 1, minDelayMs: 1, maxDelayMs: 2 },
      ...fault.options,
      process: (unit, ctx) => (unit.id === 'u42' ? fault.process!(unit, ctx) : { target: 'ok' }),
    });
    const failed: string[] = [];
    job.on('unitError', ({ unit, error }) => failed.push(`${unit.id} ${error.code}`));
    const summary = await job.done;
    assert.deepEqual(failed, [`u42 ${fault.code}`]);
    assert.equal(summary.unitsFailed, 1);
    const units = await collect(output);
    assert.equal(units[42]!.target, undefined);
    assert.equal(units[42]!.raw, (await collect([enc(doc)]))[42]!.raw);
    assert.equal(units[41]!.target?.text, 'ok');
  });
}

test('output fault: the output path is the input -> XLIFF_SAME_FILE before any processing', async () => {
  const dir = mkdtempSync(join(work, 'same-'));
  const input = join(dir, 'in.xlf');
  writeFileSync(input, after300(''));
  const before = readFileSync(input);
  let calls = 0;
  const error = await processXliff(input, { output: join(dir, '.', 'in.xlf'), checkpoint: true, process: () => void calls++ }).done.catch((e: unknown) => e);
  assert.ok(error instanceof XliffError);
  assert.equal(error.code, 'XLIFF_SAME_FILE');
  assert.equal(calls, 0);
  assert.deepEqual(readFileSync(input), before);
  assert.deepEqual(readdirSync(dir), ['in.xlf']);
});

test('output fault: an output folder that does not exist -> XLIFF_IO before any processing', async () => {
  const dir = mkdtempSync(join(work, 'nofolder-'));
  const input = join(dir, 'in.xlf');
  writeFileSync(input, after300(''));
  let calls = 0;
  const error = await processXliff(input, { output: join(dir, 'missing', 'out.xlf'), process: () => void calls++ }).done.catch((e: unknown) => e);
  assert.ok(error instanceof XliffError);
  assert.equal(error.code, 'XLIFF_IO');
  assert.match(error.message, /output folder .*missing does not exist/);
  assert.equal(calls, 0);
});

test('output fault: a Writable that fails midway -> XLIFF_IO, the processor stops', async () => {
  const dir = mkdtempSync(join(work, 'writable-'));
  const input = join(dir, 'in.xlf');
  writeFileSync(input, xliff12(good(5000)));
  let written = 0;
  const output = new Writable({
    highWaterMark: 1024,
    write(chunk: Buffer, _encoding, callback) {
      written += chunk.length;
      callback(written > 20_000 ? new Error('ENOSPC: no space left on device') : null);
    },
  });
  let calls = 0;
  const job = processXliff(input, { output, chunkUnits: 10, checkpoint: { path: join(dir, 'job.journal') }, process: () => (calls++, { target: 'x' }) });
  const error = await job.done.catch((e: unknown) => e);
  assert.ok(error instanceof XliffError);
  assert.equal(error.code, 'XLIFF_IO');
  assert.match(error.message, /ENOSPC/);
  const atFailure = calls;
  await new Promise((resolve) => setTimeout(resolve, 30));
  assert.equal(calls, atFailure);
  assert.ok(calls < 1000, `${calls} calls before it stopped`);
  assert.ok(existsSync(join(dir, 'job.journal')), 'the journal is kept');
});

test('output fault: the disk fills up midway (a file size limit) -> XLIFF_IO, the temporary file removed, the journal kept', { timeout: 60_000 }, () => {
  const dir = mkdtempSync(join(work, 'efbig-'));
  const input = join(dir, 'in.xlf');
  writeFileSync(input, xliff12(good(60_000)));
  const output = join(dir, 'out.xlf');
  const script = `
    import { processXliff } from ${JSON.stringify(join(root, 'src/index.ts'))};
    processXliff(process.argv[1], { output: process.argv[2], checkpoint: true, process: (u) => ({ target: u.source.text }) }).done.then(
      () => console.log('ok'),
      (e) => console.log(JSON.stringify({ code: e.code, message: e.message })),
    );`;
  // A 1 MiB file size limit: writing past it fails with EFBIG (Node ignores SIGXFSZ).
  const out = execFileSync('bash', ['-c', `ulimit -f 1024; exec "$0" --import tsx --input-type=module -e "$1" "$2" "$3"`, process.execPath, script, input, output], { cwd: root, encoding: 'utf8' });
  const result = JSON.parse(out) as { code: string; message: string };
  assert.equal(result.code, 'XLIFF_IO');
  assert.match(result.message, /EFBIG|too large/i);
  assert.ok(!existsSync(output));
  assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith('.tmp')), []);
  assert.ok(existsSync(`${output}.journal`));
});
