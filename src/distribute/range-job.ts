/**
 * A range's task as a job on the queue, and its result as the job's return value: plain
 * JSON both ways. The range's output is not in the return value (BullMQ copies that into
 * its events stream too): the worker keeps it under a key of its own, which the coordinator
 * reads and deletes once it has written it. The job's id is made from the document and the
 * task, so that a coordinator run again over the same input finds the jobs of the run
 * before it (done, or under way) instead of adding them again.
 */
import { createHash } from 'node:crypto';
import { libraryVersion } from '../io/library-install.js';
import type { ProcessPart, RangeResult, RangeTask } from '../threads/range-task.js';

/** The name of a range job on the queue. */
export const RANGE_JOB = 'xliff-range';

export interface RangeJobData {
  /** The range's task (`encode`d), without what cannot leave the process (its port, the threads' shared memory). */
  readonly task: string;
  /** The coordinator's version of xliff-stream (none from a coordinator that predates the check): a worker runs only its own version's tasks. */
  readonly version?: string | undefined;
}

export interface RangeJobReturn {
  /** The range's result (`encode`d), its part's output empty. */
  readonly result: string;
  /** The Redis key of the range's output bytes. */
  readonly outputKey: string | undefined;
  /** The worker that ran it. */
  readonly worker: string;
}

/** The task as it goes on the queue. */
export function jobData(task: RangeTask, version = libraryVersion()): RangeJobData {
  return { task: encode({ ...task, job: task.job && { ...task.job, events: undefined, shared: undefined } }), version };
}

/**
 * Fails on a task of a coordinator that runs another version of the library than this worker:
 * what the task means, and the bytes its range gives, may differ between versions. Thrown, so
 * that the job is tried again, by another worker maybe.
 */
export function checkVersion(data: RangeJobData, worker: string, version = libraryVersion()): void {
  if (data.version === version) return;
  throw new Error(`worker ${worker} runs xliff-stream ${version}, the coordinator ${data.version ?? 'an earlier version'}: every worker of a queue must run the coordinator's version`);
}

export function taskOf(data: RangeJobData): RangeTask {
  return decode(data.task) as RangeTask;
}

/** JSON, with what JSON has no number for (`chunkBytes: Infinity`) kept. */
export function encode(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? { [NUMBER]: String(v) } : v));
}

export function decode(text: string): unknown {
  // A reviver costs a call per value (0.47 s of the coordinator's 3 s on 100 MiB): only where a tag may be.
  if (!text.includes(NUMBER)) return JSON.parse(text);
  return JSON.parse(text, (_key, v: unknown) => (v !== null && typeof v === 'object' && NUMBER in v && Object.keys(v).length === 1 ? Number((v as Record<string, string>)[NUMBER]) : v));
}

const NUMBER = '$xliff-stream:number';

const PROCESSOR_CODES = new Set<string>(['XLIFF_PROCESS', 'XLIFF_TIMEOUT', 'XLIFF_BAD_UPDATE', 'XLIFF_CACHE']);

/**
 * The job's id: a hash of the document's identity (its path, size, time, first and last
 * MiB), the library's version and the task (but its number in this run and its `running`
 * options, which change only how it runs, not what it gives): the same range of the same
 * document with the same options and replayed records is the same job, found again by a
 * coordinator run again with another progress interval.
 */
export function rangeJobId(document: string, task: RangeTask, version = libraryVersion()): string {
  const job = task.job && { ...task.job, id: 0, events: undefined, shared: undefined, outputBuffer: undefined, running: undefined };
  const hashed = { document, version, task: { ...task, job } };
  return `xr-${createHash('sha256').update(encode(hashed)).digest('hex').slice(0, 40)}`;
}

/** Where a job's output is kept: beside the queue's own keys. */
export function outputKey(prefix: string, queue: string, jobId: string): string {
  return `${prefix}:${queue}:xliff-output:${jobId}`;
}

/** The result as the worker returns it, and the output it keeps apart. */
export function toJobReturn(result: RangeResult, worker: string, key: string): { value: RangeJobReturn; output: Buffer | undefined } {
  const part = result.items[0] as ProcessPart | undefined;
  if (!part) return { value: { result: encode(result), outputKey: undefined, worker }, output: undefined };
  const output = Buffer.from(part.output.buffer, part.output.byteOffset, part.output.byteLength);
  return { value: { result: encode({ ...result, items: [{ ...part, output: undefined, worker }] }), outputKey: key, worker }, output };
}

/** The result again on the coordinator's side, with its output, its part given this run's task number `id`. */
export function fromJobReturn(value: RangeJobReturn, output: Buffer | undefined, id: number | undefined): RangeResult {
  const decoded = decode(value.result) as RangeResult;
  // A processor's failure names the worker it failed on.
  const error = decoded.error;
  const named = error?.code !== undefined && PROCESSOR_CODES.has(error.code) ? { ...error, reason: `${error.reason} (on worker ${value.worker})` } : error;
  const result = { ...decoded, error: named };
  const part = result.items[0] as ProcessPart | undefined;
  if (!part) return result;
  const bytes = output ?? Buffer.alloc(0);
  return { ...result, items: [{ ...part, id: id ?? part.id, output: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) }] };
}
