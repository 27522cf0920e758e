/**
 * A worker of the library's (`startXliffWorker`, not the CLI's, which ends its process
 * itself) in a process of its own: prints `started` when it takes a range job; on SIGTERM
 * closes and prints `closed <ms>`, then leaves its process to end of itself.
 */
import { startXliffWorker } from '../../src/index.js';

const [connection, name, lockDurationMs] = process.argv.slice(2);
const worker = await startXliffWorker({ connection: connection!, name: name!, lockDurationMs: Number(lockDurationMs) });
worker.on('start', () => process.stdout.write('started\n'));
process.once('SIGTERM', () => {
  const started = Date.now();
  void worker.close().then(() => process.stdout.write(`closed ${Date.now() - started}\n`));
});
process.stdout.write('ready\n');
