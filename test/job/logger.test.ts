import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { processXliff, type ProcessContext } from '../../src/index.js';
import { enc, xliff12 } from '../helpers/read.js';

const doc = xliff12(['<trans-unit id="a"><source>One</source></trans-unit>', '<trans-unit id="a"><source>Two</source></trans-unit>'].join('\n'));

/** A pino logger writing its JSON lines into `lines`. */
function memoryLogger(lines: Array<Record<string, unknown>>, level = 'info') {
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return pino({ level }, sink);
}

test('logger: the job logs to the pino logger given (retries, duplicate ids, the summary) and hands it to the processor', async () => {
  const lines: Array<Record<string, unknown>> = [];
  const logger = memoryLogger(lines);
  const seen: ProcessContext['logger'][] = [];
  let calls = 0;
  const summary = await processXliff([enc(doc)], {
    logger,
    retry: { retries: 1, minDelayMs: 1, maxDelayMs: 1 },
    process: (_unit, ctx) => {
      seen.push(ctx.logger);
      if (calls++ === 0) throw new Error('flaky');
      return undefined;
    },
  }).done;
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(summary.retries, 1);
  assert.ok(seen.length >= 2 && seen.every((l) => l === logger), 'the processor gets the job logger');
  const messages = lines.map((l) => l['msg']);
  assert.ok(messages.includes('retrying a processor call'), messages.join(', '));
  assert.ok(messages.some((m) => typeof m === 'string' && m.includes('unit id "a" is used twice')), messages.join(', '));
  const done = lines.find((l) => l['msg'] === 'xliff-stream job done');
  assert.equal((done?.['summary'] as { units: number } | undefined)?.units, 2);
});

test('logger: options make a pino logger of that level, handed to the processor', async () => {
  let level: string | undefined;
  // 'fatal' (not 'silent', what a job without a logger gives): the options are honoured. A job that succeeds logs nothing at it.
  await processXliff([enc(doc)], {
    logger: { level: 'fatal' },
    process: (_unit, ctx) => void (level = ctx.logger.level),
  }).done;
  assert.equal(level, 'fatal');
});

test('logger: without one the job loads no pino; a processor that logs gets a silent logger (made then)', () => {
  // A process of its own: this one has loaded pino already.
  const script = `
    import { createRequire } from 'node:module';
    import { processXliff } from './src/index.ts';
    const loaded = () => Object.keys(createRequire(import.meta.url).cache).some((path) => /[\\\\/]node_modules[\\\\/]pino[\\\\/]/.test(path));
    const doc = ${JSON.stringify(doc)};
    await processXliff([Buffer.from(doc)], { process: () => undefined }).done;
    const before = loaded();
    let level;
    await processXliff([Buffer.from(doc)], { process: (_unit, ctx) => { ctx.logger.info('into the void'); level = ctx.logger.level; } }).done;
    console.log(JSON.stringify({ before, after: loaded(), level }));
  `;
  const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: new URL('../..', import.meta.url), encoding: 'utf8' });
  assert.deepEqual(JSON.parse(out), { before: false, after: true, level: 'silent' });
});
