/**
 * The checkpoint tests' processor as a module, for a job on worker threads: the source in
 * brackets; a line on stdout for each call (from the worker thread: through the main thread,
 * so a line may be lost when the process is killed); and, with `crashAt`, the worker thread
 * exits at the first unit it is given from that index on (a worker that dies mid-run); with
 * `stallAt`, the unit of that index waits ten minutes (a range that does not end while another
 * worker dies).
 */
import type { Unit, UnitUpdate } from '../../src/index.js';
import { pseudoTarget } from './checkpoint-processor.js';

let crashAt = Infinity;
let stallAt: number | undefined;
let lines = false;

export function setup(data: { crashAt?: number; stallAt?: number; lines?: boolean } | undefined): void {
  crashAt = data?.crashAt ?? Infinity;
  stallAt = data?.stallAt;
  lines = data?.lines ?? false;
}

export async function process(unit: Unit): Promise<UnitUpdate | undefined> {
  // In a worker thread, process.exit ends that thread only.
  if (unit.index >= crashAt) globalThis.process.exit(3);
  if (unit.index === stallAt) await new Promise((resolve) => setTimeout(resolve, 600_000));
  if (lines) globalThis.process.stdout.write(`${unit.index}\n`);
  await new Promise((resolve) => setImmediate(resolve));
  return pseudoTarget(unit);
}
