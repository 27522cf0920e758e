/**
 * Reading a file on worker threads. This thread reads the file once, quickly, with the seam
 * scanner, which proposes where to cut it (at units, every `rangeBytes`) and the context
 * each range starts in; workers read the ranges themselves (from the file: no bytes cross
 * threads) with the same reader as one thread, each from its context. The ranges' results
 * come back in document order, and each seam is checked: the reader of the range before it
 * gives its own context there, which must be the one proposed. A range read from a wrong
 * guess is read again from the right context; a seam the reader cannot stop at (the scanner
 * was misled) is dropped, the two ranges read as one. So what comes out (units, errors,
 * positions) is what one thread gives, whatever the guesses.
 *
 * Inputs it cannot cut (gzip, UTF-16, a decoding error at the start) and small files are
 * read on this thread, from the same pieces.
 */
import { setMaxListeners } from 'node:events';
import type { TransferListItem } from 'node:worker_threads';
import { XliffError } from '../errors.js';
import { readReusing } from '../io/byte-range.js';
import { inputSize, openInput, type InputCounts } from '../io/input.js';
import { createDecoder } from '../read/decoder.js';
import { sameContext, type ReadContext } from '../read/read-context.js';
import { SeamScanner, scannable, type SeamChunk } from '../read/seam-scanner.js';
import { fromErrorData, type RangeChunks, type RangeJobTask, type RangeKind, type RangeResult, type RangeTask } from './range-task.js';
import { createPool, threadPlan, watchPool, type SequentialReason } from './thread-pool.js';
import type { Piscina } from 'piscina';

export interface ThreadedReadOptions {
  /** What the workers give of each range (the batches' items): units, a `StatsPart`, `ValidateItem`s. */
  readonly kind: RangeKind;
  /** `false`: XML only (`validate` with `xml: true`). */
  readonly xliff: boolean;
  readonly signal: AbortSignal | undefined;
  readonly fileName: string | undefined;
  readonly maxUnitBytes: number;
  readonly maxDepth: number;
  readonly threads: number | 'auto';
  readonly rangeBytes: number;
  /** A memory budget for the threads, in bytes (`threadCount`). */
  readonly maxMemory?: number | undefined;
  /** For `process`: seams only at the starts of the chunks this rule cuts, checked at every seam. */
  readonly chunks?: { readonly units: number; readonly bytes: number } | undefined;
  /**
   * For `process`: what a range's task carries beyond its bytes, given the index of its first
   * chunk and of the next range's (`undefined`: it ends the document); and the ports it takes.
   */
  readonly job?: ((firstChunk: number, nextChunk: number | undefined, bytes: { readonly start: number; readonly end: number }) => Promise<{ readonly job: RangeJobTask; readonly transferList: TransferListItem[] }>) | undefined;
  /**
   * Where the ranges run instead of worker threads of this process (a queue: distribute/):
   * opened once the input is known to be cut; an input it cannot cut (gzip, UTF-16...) is
   * refused with `cannotCut`'s error.
   */
  readonly runner?: { readonly open: () => Promise<RangeRunner>; readonly cannotCut: (fileName: string, why: string) => XliffError } | undefined;
}

/** What runs the ranges' tasks: a pool of worker threads, or a queue of other machines' workers. */
export interface RangeRunner {
  /** Ranges run at once. */
  readonly slots: number;
  /** Ranges submitted at once, the one awaited among them (default `slots`). */
  readonly ahead?: number | undefined;
  run(task: RangeTask, options: { readonly signal: AbortSignal; readonly transferList: TransferListItem[] | undefined }): Promise<RangeResult>;
  close(): Promise<void>;
  /** Where a failure that no task carries goes (a worker that died idle). */
  onFailure?(listener: (error: unknown) => void): void;
}

/** One range of the plan: from `start` (its context) to where the next one starts. */
interface Range {
  readonly start: number;
  context: ReadContext | undefined;
  /** Where it falls in the chunks (`process`). */
  readonly chunk?: SeamChunk | undefined;
  end?: number | undefined;
  last?: boolean | undefined;
  result?: Promise<RangeResult> | undefined;
  /** The ranges after it read with it, as one, because the seams between them did not hold. */
  joined?: number | undefined;
}

/**
 * Seams that did not hold in a row, after which the rest of the file is read as one range:
 * a scanner misled once (by a unit holding an element of its name) misjudges every seam
 * after it (a job's chunk numbers), and joining one range at a time would read the file
 * again at each seam (quadratic). So at most twice the bytes, on one worker.
 */
const JOINS_BEFORE_THE_REST = 2;

/** How the read went (a job's `Summary.threads`, the bench): workers, ranges read (and read again), CPU time in the workers. */
export interface ThreadedReadReport {
  /** Worker threads (a queue: ranges run at once); 0: read on this thread. */
  threads: number;
  ranges: number;
  reread: number;
  workerCpuMicros: number;
  /** Why this thread read it although more threads were asked for. */
  sequential: SequentialReason | undefined;
}

/** A report of nothing read yet. */
export function threadedReadReport(): ThreadedReadReport {
  return { threads: 0, ranges: 0, reread: 0, workerCpuMicros: 0, sequential: undefined };
}

/**
 * What the workers give of the file at `path` (by `options.kind`), in batches (one per
 * range), read on `options.threads` workers; or, where it is read on this thread,
 * `sequential`'s batches over its pieces.
 */
export async function* threadedBatches<T>(
  path: string,
  options: ThreadedReadOptions,
  /** Reads the input on this thread where the workers cannot: its batches, or (a job) all of its work. */
  sequential: (pieces: AsyncIterable<Uint8Array | string>, fileName: string) => AsyncIterable<T[]> | Promise<void>,
  onInput?: ((counts: InputCounts) => void) | undefined,
  report?: ThreadedReadReport,
): AsyncGenerator<T[], void, undefined> {
  const opened = openInput(path, options.signal, options.fileName);
  onInput?.(opened.counts);
  const name = opened.name;
  const pieces = opened.pieces[Symbol.asyncIterator]() as AsyncIterator<Uint8Array>;
  const head: Uint8Array[] = [];
  let done = false;
  // Enough of the head to know the encoding (the pieces are 64 KiB), and the file size.
  const first = await pieces.next();
  if (first.done) done = true;
  else head.push(first.value);
  const encoding = done ? undefined : encodingOf(head[0]!);
  const size = await inputSize(path);
  const plan = options.runner ? { threads: Infinity, limit: undefined } : threadPlan(options.threads, size ?? 0, options.rangeBytes, options.maxMemory);
  // An empty input or one whose first bytes do not decode fails on this thread as on one.
  const uncut: { readonly reason: SequentialReason; readonly why: string } | undefined =
    done || encoding === undefined
      ? { reason: 'unreadable', why: 'it is empty or does not decode' }
      : opened.counts.gzipped
        ? { reason: 'gzip', why: 'it is gzip-compressed' }
        : !scannable(encoding)
          ? { reason: 'encoding', why: `it is in ${encoding}` }
          : size === undefined
            ? { reason: 'not-a-file', why: 'it is not a file of known size' }
            : undefined;
  if (uncut !== undefined || plan.threads <= 1) {
    if (uncut !== undefined && options.runner && !done && encoding !== undefined) {
      await pieces.return?.();
      throw options.runner.cannotCut(name, uncut.why);
    }
    if (report && options.threads !== 1) report.sequential = uncut?.reason ?? plan.limit;
    const alone = sequential(rest(head, pieces, done), name);
    if (alone instanceof Promise) await alone;
    else yield* alone;
    return;
  }
  // The scan keeps nothing it reads: the rest of the file is read into one buffer, again and again.
  await pieces.return?.();
  const scanned = readReusing(path, head[0]!.length, name)[Symbol.asyncIterator]();
  const threads = plan.threads;
  const pool = options.runner ? await options.runner.open() : poolRunner(createPool(threads, options.kind !== 'process'), threads);
  if (report) report.threads = pool.slots;
  const stop = new AbortController();
  // The pool listens to it once for each task in flight.
  setMaxListeners(0, stop.signal);
  const onAbort = (): void => stop.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    yield* readRanges(pool, stop.signal, path, name, encoding!, size!, head, scanned, opened.counts, options, pool.ahead ?? pool.slots, report) as AsyncGenerator<T[], void, undefined>;
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    stop.abort();
    await scanned.return?.(undefined);
    await pool.close();
  }
}

/**
 * Each worker has the range after its own queued: with only one range per worker, a worker
 * that ends its range waits while this thread takes the result, writes it and scans on to
 * the next seam (the workers of the pseudo pass without a cache on 100 MiB: idle 0.6-1.3 s
 * each, in gaps of 25-210 ms at each range's end; 0.16-0.21 s with one queued).
 * Memory stays what `threadCount` counts: a range read, one written, one waiting per thread.
 */
function poolRunner(pool: Piscina, threads: number): RangeRunner {
  let failed: ((error: unknown) => void) | undefined;
  watchPool(pool, (error) => failed?.(error));
  return {
    slots: threads,
    ahead: 2 * threads,
    run: (task, { signal, transferList }) => pool.run(task, { signal, transferList }) as Promise<RangeResult>,
    close: () => pool.destroy(),
    onFailure: (listener) => (failed = listener),
  };
}

async function* readRanges(
  pool: RangeRunner,
  signal: AbortSignal,
  path: string,
  name: string,
  encoding: string,
  size: number,
  head: Uint8Array[],
  /** The rest of the file after `head`, each piece valid until the next is asked for. */
  pieces: AsyncIterator<Uint8Array>,
  counts: InputCounts,
  options: ThreadedReadOptions,
  /** Ranges submitted at once. */
  ahead: number,
  report: ThreadedReadReport | undefined,
): AsyncGenerator<unknown[], void, undefined> {
  const ranges: Range[] = [{ start: 0, context: undefined, chunk: options.chunks ? { index: 0, unitBytes: undefined } : undefined }];
  const run = (task: RangeTask, transferList?: TransferListItem[]): Promise<RangeResult> => {
    try {
      return pool.run(task, { signal, transferList });
    } catch (error) {
      // A worker that cannot start throws here, not in the promise.
      return Promise.reject(error as Error);
    }
  };
  // A task that fails (its worker died, the queue gave up) fails the read at once, even when the
  // range awaited is another: that one may be queued behind it with no worker left to run it
  // (the pool starts workers for new tasks, not to replace one that died). Not a race with one
  // promise that never settles: each race would stay in its reactions, and with it the range's
  // result (a job's output), for the whole read.
  let failure: { readonly error: unknown } | undefined;
  let interrupt: ((error: unknown) => void) | undefined;
  const failed = (error: unknown): void => {
    failure ??= { error };
    interrupt?.(error);
  };
  pool.onFailure?.(failed);
  /** The range's result, or the first failure of any task. */
  const awaited = (result: Promise<RangeResult>): Promise<RangeResult> =>
    new Promise<RangeResult>((resolve, reject) => {
      if (failure) return reject(failure.error);
      interrupt = reject;
      result.then(resolve, reject);
    }).finally(() => (interrupt = undefined));
  const submit = (range: Range): void => {
    const task: RangeTask = { kind: options.kind, xliff: options.xliff, path, fileName: name, start: range.start, end: range.end!, last: range.last === true, context: range.context, maxUnitBytes: options.maxUnitBytes, maxDepth: options.maxDepth };
    let result: Promise<RangeResult>;
    if (options.job) {
      const next = range.last ? undefined : ranges[ranges.indexOf(range) + 1]?.chunk?.index;
      result = options.job(range.chunk!.index, next, { start: range.start, end: range.end! }).then(({ job, transferList }) => run({ ...task, job }, transferList));
    } else result = run(task);
    // Read again or dropped, a range's result may never be awaited.
    result.catch(failed);
    range.result = result;
  };
  const bom = head[0]![0] === 0xef && head[0]![1] === 0xbb && head[0]![2] === 0xbf ? 3 : 0;
  const scanner = new SeamScanner(
    encoding,
    options.rangeBytes,
    (context, chunk) => {
      ranges.at(-1)!.end = context.offset;
      ranges.push({ start: context.offset, context, chunk });
    },
    bom,
    options.chunks,
  );
  let scanned = false;
  let bytes = 0;
  const scan = (piece: Uint8Array): void => {
    bytes += piece.length;
    counts.bytes = bytes;
    scanner.write(piece);
  };
  for (const piece of head) scan(piece);
  /** Submits the ranges planned of `ranges[index]` and the `ahead - 1` after it, those not yet submitted. */
  const submitFrom = (index: number, ahead: number): void => {
    for (let j = index; j < Math.min(index + ahead, ranges.length); j++) {
      const range = ranges[j]!;
      if (range.end !== undefined && range.result === undefined) submit(range);
    }
  };
  /**
   * Scans on until `ranges[index]` and the `ahead - 1` ranges after it are planned (or the
   * file is scanned), submitting them as they are: not all the scanner plans, as a piece of
   * the scan (1 MiB) can plan many small ranges at once.
   */
  const scanTo = async (index: number, ahead: number): Promise<void> => {
    submitFrom(index, ahead);
    while (!scanned && ranges.length <= index + Math.max(ahead, 1)) {
      if (signal.aborted) throw abortError(options.signal, name);
      const next = await pieces.next();
      if (next.done) {
        scanned = true;
        const open = ranges.at(-1)!;
        open.end = bytes;
        open.last = true;
      } else scan(next.value);
      submitFrom(index, ahead);
    }
  };

  for (let i = 0; ; ) {
    await scanTo(i, ahead);
    const range = ranges[i]!;
    let result: RangeResult;
    try {
      result = await awaited(range.result!);
    } catch (error) {
      if (signal.aborted) throw abortError(options.signal, name);
      if (error instanceof XliffError) throw error;
      throw new XliffError('XLIFF_WORKER', `a worker thread failed: ${String((error as Error)?.message ?? error)}`, { file: name, cause: error });
    }
    if (report) {
      report.ranges++;
      report.workerCpuMicros += result.cpuMicros;
    }
    const unitBytes = range.chunk?.unitBytes;
    if (unitBytes !== undefined && result.chunks && result.chunks.firstUnitBytes !== unitBytes && !result.error) {
      // The chunk before this range was cut for a unit of the scanner's size: it must be this one's.
      throw new XliffError('XLIFF_WORKER', `the seam at byte ${range.start} was misjudged (a unit of ${result.chunks.firstUnitBytes} bytes, not ${unitBytes})`, { file: name });
    }
    if (result.error) {
      if (result.items.length > 0) yield result.items;
      throw fromErrorData(result.error, name);
    }
    if (range.last) {
      if (result.items.length > 0) yield result.items;
      if (bytes !== size) throw new XliffError('XLIFF_IO', `the input changed while it was read (${size} bytes, then ${bytes})`, { file: name });
      return;
    }
    const next = ranges[i + 1]!;
    const seam = seamAfter(result, range, next, options.chunks?.bytes);
    if (seam === 'reread') {
      // The guess for the next range was wrong: read it again from where this one really ends.
      next.context = result.context;
      submit(next);
      if (report) report.reread++;
    } else if (seam === 'join') {
      // The reader cannot stop at this seam (or, for a job, no chunk starts there): this range and the next are read as one.
      range.joined = (range.joined ?? 0) + 1;
      if (range.joined > JOINS_BEFORE_THE_REST) {
        // The rest of the file scanned, nothing submitted.
        await scanTo(Infinity, 0);
        range.end = bytes;
        range.last = true;
        ranges.length = i + 1;
      } else {
        await scanTo(i + 1, 0);
        range.end = next.end;
        range.last = next.last;
        ranges.splice(i + 1, 1);
      }
      submit(range);
      if (report) report.reread++;
      continue;
    }
    if (result.items.length > 0) yield result.items;
    // What is no longer needed of the plan goes.
    ranges[i] = { start: range.start, context: undefined };
    i++;
  }
}

/**
 * What the seam after `range` needs, given the range's result: nothing (the next range's
 * guess holds), the next range read again from the real context (a wrong guess), or the
 * two ranges read as one (the reader cannot stop there; for a job, also a context or chunk
 * that is not the guess: its chunks would not be one thread's).
 */
function seamAfter(result: RangeResult, range: Range, next: Range, chunkBytes: number | undefined): 'holds' | 'reread' | 'join' {
  if (!result.context) return 'join';
  const same = sameContext(result.context, next.context!);
  if (chunkBytes === undefined) return same ? 'holds' : 'reread';
  return same && chunkSeamHolds(result.chunks!, range.chunk!, next.chunk!, chunkBytes) ? 'holds' : 'join';
}

/**
 * Whether a job's chunk starts at the seam after a range, as the scanner said: the range
 * began the chunks up to the next range's first, and its last chunk was full by its count
 * or, for the unit at the seam (of the size the scanner gave), by its bytes.
 */
function chunkSeamHolds(result: RangeChunks, chunk: SeamChunk, next: SeamChunk, chunkBytes: number): boolean {
  if (chunk.index + result.chunks !== next.index) return false;
  if (next.unitBytes === undefined) return result.openUnits === 0;
  return result.openUnits > 0 && result.openBytes + next.unitBytes > chunkBytes;
}

/** The pieces already read, then the rest. */
async function* rest(head: Uint8Array[], pieces: AsyncIterator<Uint8Array>, done: boolean): AsyncGenerator<Uint8Array> {
  yield* head;
  if (done) return;
  for (let next = await pieces.next(); !next.done; next = await pieces.next()) yield next.value;
}

/** The encoding the first bytes give, if they give one without an error. */
function encodingOf(bytes: Uint8Array): string | undefined {
  const decoder = createDecoder();
  try {
    decoder.write(bytes);
  } catch {
    return undefined;
  }
  return decoder.encoding;
}

function abortError(signal: AbortSignal | undefined, fileName: string): XliffError {
  return new XliffError('XLIFF_ABORTED', 'reading was aborted', { file: fileName, cause: signal?.reason });
}
