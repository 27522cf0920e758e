import assert from 'node:assert/strict';
import { once } from 'node:events';
import { test } from 'node:test';
import { Worker } from 'node:worker_threads';
import { claimPlace, sharedResults, sharedResultsLink } from '../../src/threads/shared-results.js';

/** Two keys the smallest table takes for one (the same first slot of 1024, the same 20 bits kept): found among made-up keys. */
function keysTakenForOne(): [string, string] {
  const seen = new Map<number, string>();
  for (let n = 0; ; n++) {
    const key = `source ${n}`;
    const { slot, tag } = claimPlace(key, 1023);
    const place = tag * 1024 + slot;
    const other = seen.get(place);
    if (other !== undefined) return [other, key];
    seen.set(place, key);
  }
}

async function withClaimsWorker<T>(keys: string[], name: string, run: (link: ReturnType<typeof sharedResultsLink>, refused: string[]) => Promise<T>): Promise<T> {
  const link = sharedResultsLink(1, 1, name);
  const worker = new Worker(new URL('./claims-worker.cjs', import.meta.url), { workerData: { link, keys } });
  try {
    const [{ refused }] = (await once(worker, 'message')) as [{ refused: string[] }];
    return await run(link, refused);
  } finally {
    worker.postMessage('end');
    await once(worker, 'exit');
  }
}

test('shared results: a source another worker claimed is its to process, and its result is asked of it', async () => {
  const keys = ['first source', 'second source', 'third source'];
  await withClaimsWorker(keys, `claims-asked-${process.pid}`, async (link, refused) => {
    assert.deepEqual(refused, []);
    const here = sharedResults(link, () => undefined);
    const owners = keys.map((key) => here.claim(key));
    assert.ok(owners[0] !== undefined && owners.every((owner) => owner === owners[0]), `claimed by the worker: ${owners.join()}`);
    const answers = await Promise.all(keys.map((key) => here.ask(owners[0]!, key)));
    assert.deepEqual(answers, keys.map((key) => ({ update: { target: `result of ${key}` } })));
    // A source no one claimed is this thread's, and stays so.
    assert.equal(here.claim('a source of its own'), undefined);
    assert.equal(here.claim('a source of its own'), undefined);
  });
});

test('shared results: two sources the table takes for one cost an ask that hears nothing, never the other source\'s result', async () => {
  const [theirs, mine] = keysTakenForOne();
  await withClaimsWorker([theirs], `claims-taken-for-one-${process.pid}`, async (link) => {
    const here = sharedResults(link, () => undefined);
    const owner = here.claim(mine);
    assert.notEqual(owner, undefined, 'the slot looks claimed by the worker');
    assert.equal(await here.ask(owner!, mine), undefined);
    here.takeOver(mine);
    assert.equal(here.claim(mine), undefined, 'taken over: this thread processes it');
    // The worker's source now looks like this thread's: a later ask of it goes here.
    assert.equal(here.claim(theirs), undefined);
  });
});
