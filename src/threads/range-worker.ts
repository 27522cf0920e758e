/**
 * What runs in a worker thread: reads one byte range of a file (`RangeTask`) from the
 * context it starts in, and gives back what it holds (by the task's kind) and the context
 * where it ends.
 */
import { importModule, loadPiscina } from '../cjs.js';
import { readByteRange } from '../io/byte-range.js';
import { threadCpuMicros } from '../io/thread-cpu.js';
import { DocumentReader, type ItemMakers } from '../read/document-reader.js';
import { StatsCounter } from '../stats-counter.js';
import { libraryModule } from '../io/library-install.js';
import { toErrorData, type RangeResult, type RangeTask, type ValidateItem } from './range-task.js';

export default async function readRange(task: RangeTask): Promise<RangeResult> {
  const cpu = threadCpuMicros();
  if (task.kind === 'process') {
    // The job's modules load with the first job's range: a worker of stats or validation starts without them (about 100 ms less).
    const { processRange } = (await importModule(libraryModule(new URL('./process-range.js', import.meta.url)).href)) as typeof import('./process-range.js');
    const { result, transfer } = await processRange(task, () => threadCpuMicros() - cpu);
    if (transfer.length === 0) return result;
    const { move, transferableSymbol, valueSymbol } = loadPiscina();
    return move({ [transferableSymbol]: transfer, [valueSymbol]: result } as never) as unknown as RangeResult;
  }
  const items: unknown[] = [];
  let units = 0;
  const stats = task.kind === 'stats' ? new StatsCounter({ part: true }) : undefined;
  const make: ItemMakers<unknown> =
    task.kind === 'units'
      ? { unit: (unit) => unit }
      : task.kind === 'stats'
        ? { unit: (unit) => stats!.add(unit) }
        : { encoding: (encoding): ValidateItem => ({ encoding }), unit: () => units++, problem: (problem): ValidateItem => ({ problem: toErrorData(problem) }) };
  const reader = new DocumentReader<unknown>(task.fileName, { maxUnitBytes: task.maxUnitBytes, maxDepth: task.maxDepth, xliff: task.xliff, resume: task.context, keepContext: !task.last }, make);
  // Units and validation items are kept; what stats and validation count is not an item.
  const take = (given: unknown[]): void => {
    for (const item of given) if (typeof item === 'object' && item !== null) items.push(item);
  };
  let error: unknown;
  try {
    for await (const piece of readByteRange(task.path, task.start, task.end, task.fileName)) {
      take(reader.write(piece));
      if (reader.failure !== undefined) break;
    }
    if (task.last && reader.failure === undefined) take(reader.end());
  } catch (thrown) {
    error = thrown;
  }
  error ??= reader.failure;
  if (stats) items.push(stats.part());
  if (task.kind === 'validate') items.push({ units } satisfies ValidateItem);
  return { items, context: error === undefined ? reader.context() : undefined, error: error === undefined ? undefined : toErrorData(error), cpuMicros: threadCpuMicros() - cpu };
}
