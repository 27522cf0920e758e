/**
 * The checkpoint tests' processor as a module, for a job on worker threads: the source in
 * brackets; a line on stdout for each call (from the worker thread: through the main thread,
 * so a line may be lost when the process is killed); and, with `crashAt`, the worker thread
 * exits at the first unit it is given from that index on (a worker that dies mid-run).
 */
import type { Unit, UnitUpdate } from '../../src/index.js';
import { pseudoTarget } from './checkpoint-processor.js';

let crashAt = Infinity;
let lines = false;

export function setup(data: { crashAt?: number; lines?: boolean } | undefined): void {
  crashAt = data?.crashAt ?? Infinity;
  lines = data?.lines ?? false;
}

export async function process(unit: Unit): Promise<UnitUpdate | undefined> {
  // In a worker thread, process.exit ends that thread only.
  if (unit.index >= crashAt) globalThis.process.exit(3);
  if (lines) globalThis.process.stdout.write(`${unit.index}\n`);
  await new Promise((resolve) => setImmediate(resolve));
  return pseudoTarget(unit);
}
