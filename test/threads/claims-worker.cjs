// A worker that claims the keys it is given and holds a result for each, to answer the test's asks.
// CommonJS: a worker of Node 20 gets tsx's require hook, not its import hooks (src/cjs.ts).
const { parentPort, workerData } = require('node:worker_threads');
const { sharedResults } = require('../../src/threads/shared-results.ts');

const { link, keys } = workerData;
const held = new Map(keys.map((key) => [key, { update: { target: `result of ${key}` } }]));
const results = sharedResults(link, (hashed) => held.get(hashed));
const refused = keys.filter((key) => results.claim(key) !== undefined);
// The port keeps this thread alive (the shared cache's channels do not) until the test ends it.
parentPort.on('message', () => parentPort.close());
parentPort.postMessage({ refused });
