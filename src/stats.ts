/**
 * Statistics of an XLIFF document: units, segments, words and characters to translate,
 * states, targets and repeated sources. One pass over the units, in bounded memory
 * (repeated sources are told apart by a 64-bit hash: 16 to 32 bytes per distinct source).
 */
import { inputPath, type InputCounts, type XliffInput } from './io/input.js';
import type { Unit } from './model.js';
import { type StatsOptions } from './options.js';
import { normalizeThreadedReadOptions } from './normalize-options.js';
import { readBatches } from './read.js';
import { StatsCounter, type StatsPart, type XliffStats } from './stats-counter.js';
import { threadedBatches, type ThreadedReadReport } from './threads/threaded-read.js';

export { NO_STATE, StatsCounter, countCharacters, countWords, type XliffStats } from './stats-counter.js';

/**
 * Reads every unit of `input` and counts. Rejects with the reader's `XliffError` on bad input.
 * With `threads`, each worker counts the units of its ranges, and the parts add up here.
 */
export async function computeStats(input: XliffInput, options?: StatsOptions): Promise<XliffStats> {
  const counter = new StatsCounter();
  for await (const batch of statsBatches(input, options, undefined)) {
    for (const item of batch) if ('firstSources' in item) counter.merge(item);
    else counter.add(item);
  }
  return counter.result();
}

/**
 * What `computeStats` counts, in batches: units where the input is read on this thread,
 * parts (`StatsPart`, one per range) where workers count them; `onInput` is given what is
 * read of the input (progress: the CLI), and `report` how it was read.
 */
export function statsBatches(input: XliffInput, options: StatsOptions | undefined, onInput: ((counts: InputCounts) => void) | undefined, report?: ThreadedReadReport): AsyncGenerator<(Unit | StatsPart)[], void, undefined> {
  const resolved = normalizeThreadedReadOptions(options);
  const make = { unit: (unit: Unit) => unit };
  const path = resolved.threads === 1 ? undefined : inputPath(input);
  if (path === undefined) {
    if (report && resolved.threads !== 1) report.sequential = 'not-a-file';
    return readBatches<Unit>(input, resolved, make, onInput);
  }
  return threadedBatches<Unit | StatsPart>(path, { ...resolved, kind: 'stats', xliff: true, rangeBytes: resolved.threadRangeBytes }, (pieces, fileName) => readBatches(pieces, { ...resolved, fileName }, make), onInput, report);
}
