// A module's setup on a thread that runs ranges: once for the same data (each task brings its
// own copy), again when the data differs (a queue's worker serves several coordinators' jobs);
// data is compared as data, so a BigInt does not throw and two different Maps are two.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setUpProcessModule, type ProcessModule } from '../../src/job/process-module.js';

test('setUpProcessModule for ranges: once per data, compared by value (BigInt, Map), again when it changes', async () => {
  const seen: unknown[] = [];
  const module: ProcessModule = { process: () => undefined, setup: (data) => void seen.push(data) };
  const href = 'file:///setup-test-module.js';
  const data = () => ({ n: 1n, names: new Map([['a', 1]]) });
  await setUpProcessModule(module, href, data(), true);
  await setUpProcessModule(module, href, data(), true);
  assert.equal(seen.length, 1, 'a copy of the same data: set up once');
  await setUpProcessModule(module, href, { n: 1n, names: new Map([['a', 2]]) }, true);
  assert.equal(seen.length, 2, 'another Map: set up again');
  await setUpProcessModule(module, href, { n: 1n, names: new Map([['a', 2]]) }, true);
  assert.equal(seen.length, 2);
  await setUpProcessModule(module, href, data(), true);
  assert.equal(seen.length, 3, 'back to the first data: set up again (the module holds the last setup)');
});
