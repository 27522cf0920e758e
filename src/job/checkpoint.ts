/**
 * Checkpoints: the journal a job opens or resumes, and how a chunk an interrupted run
 * finished is matched with its record, so that it is written again without calling the
 * processor.
 */
import { XliffError } from '../errors.js';
import type { XliffInput } from '../io/input.js';
import { fingerprint, identifyInput, Journal, type JournalEntry, type JournalRecord } from '../io/journal.js';
import { removeStaleTemporaries } from '../io/output.js';
import type { ResolvedProcessOptions } from '../normalize-options.js';
import type { Chunking } from './chunking.js';
import type { UnitResult } from './events.js';

/** Where a job's chunks are replayed from and recorded: the journal on disk, or (a range on a worker thread) records in memory. */
export interface ChunkJournal {
  /** Whether records of an earlier run are still to be replayed. */
  readonly replaying: boolean;
  /** The record of the next chunk, or `undefined` once there is none left (then chunks are processed). */
  nextRecord(): Promise<JournalRecord | undefined>;
  /** Fails with `XLIFF_CHECKPOINT_MISMATCH` unless the record is the one of `chunk`. */
  check(record: JournalRecord, chunk: { readonly index: number; readonly units: number }): void;
  /** Records a written chunk. */
  append(chunk: { readonly index: number; readonly units: number }, entries: JournalEntry[]): void;
  /** The job succeeded: the journal is no longer needed. */
  finish(): Promise<void>;
  /** The job failed: the journal is kept for a rerun. */
  keep(): Promise<void>;
}

export class Checkpoint implements ChunkJournal {
  private constructor(
    readonly journal: Journal,
    /** The journal's records still to replay. */
    private replay: AsyncIterator<JournalRecord> | undefined,
  ) {}

  /** Opens (or resumes) the job's journal; removes temporary outputs that killed runs left behind. */
  static async open(options: ResolvedProcessOptions, chunking: Chunking, inputPath: string): Promise<Checkpoint> {
    const checkpoint = options.checkpoint || {};
    const path = checkpoint.path ?? `${options.output as string}.journal`;
    const identity = {
      input: await identifyInput(inputPath),
      options: fingerprint({
        chunkUnits: chunking.chunkUnits,
        chunkBytes: chunking.chunkBytes,
        // A filter of the user's changes which units are processed: its source stands for it.
        filter: options.filterGiven ? String(options.filter) : 'translatable',
        targetLanguage: options.targetLanguage ?? null,
        batch: Boolean(options.processBatch),
        // Only when set: journals of jobs per unit keep the identity they had.
        ...(options.per === 'segment' ? { per: 'segment' } : {}),
        key: checkpoint.key ?? null,
      }),
    };
    if (typeof options.output === 'string') await removeStaleTemporaries(options.output);
    const journal = await Journal.open(path, inputPath, identity, { restart: checkpoint.restart ?? false, syncIntervalMs: checkpoint.syncIntervalMs });
    options.logger?.info({ journal: journal.path, resuming: Boolean(journal.replay) }, 'xliff-stream checkpoint journal opened');
    return new Checkpoint(journal, journal.replay);
  }

  get replaying(): boolean {
    return this.replay !== undefined;
  }

  async nextRecord(): Promise<JournalRecord | undefined> {
    if (!this.replay) return undefined;
    const next = await this.replay.next();
    if (next.done) this.replay = undefined;
    return next.done ? undefined : next.value;
  }

  check(record: JournalRecord, chunk: { readonly index: number; readonly units: number }): void {
    checkRecord(record, chunk, this.journal.path);
  }

  append(chunk: { readonly index: number; readonly units: number }, entries: JournalEntry[]): void {
    this.journal.check();
    this.journal.append({ c: chunk.index, n: chunk.units, u: entries });
  }

  finish(): Promise<void> {
    return this.journal.remove();
  }

  keep(): Promise<void> {
    return this.journal.close();
  }
}

/**
 * The journal of one byte range on a worker thread: the records of its chunks that the
 * journal on disk holds (the calling thread read them), and the records of the chunks it
 * writes (the calling thread appends them, in document order).
 */
export class RangeJournal implements ChunkJournal {
  /** The records of the chunks written, in order. */
  readonly appended: JournalRecord[] = [];
  private next = 0;

  constructor(
    private readonly records: readonly JournalRecord[],
    /** The journal's path, in messages. */
    private readonly path: string,
  ) {}

  get replaying(): boolean {
    return this.next < this.records.length;
  }

  async nextRecord(): Promise<JournalRecord | undefined> {
    return this.records[this.next++];
  }

  check(record: JournalRecord, chunk: { readonly index: number; readonly units: number }): void {
    checkRecord(record, chunk, this.path);
  }

  append(chunk: { readonly index: number; readonly units: number }, entries: JournalEntry[]): void {
    this.appended.push({ c: chunk.index, n: chunk.units, u: entries });
  }

  async finish(): Promise<void> {}

  async keep(): Promise<void> {}
}

function checkRecord(record: JournalRecord, chunk: { readonly index: number; readonly units: number }, path: string): void {
  if (record.c !== chunk.index || record.n !== chunk.units || record.u?.length !== record.n) {
    throw new XliffError('XLIFF_CHECKPOINT_MISMATCH', `the journal's chunk ${record.c} (${record.n} units) does not match chunk ${chunk.index} (${chunk.units} units) of the input`, {
      file: path,
    });
  }
}

/** What the journal keeps of a unit's result. */
export function journalEntry(result: UnitResult): JournalEntry {
  if (result.skipped) return 1;
  if (result.error) return { e: result.error.reason };
  return result.update ? { u: result.update } : 0;
}

/** A checkpoint needs the input as a file (to recognise it) and a place for the journal. */
export function checkCheckpointInput(input: XliffInput, path: string | undefined, options: ResolvedProcessOptions): void {
  const { checkpoint, output } = options;
  if (!checkpoint) return;
  if (path === undefined) {
    throw new TypeError(`Expected the input to be a file path with \`checkpoint\`, got ${input instanceof URL ? input.href : Object.prototype.toString.call(input)}`);
  }
  if (checkpoint.path === undefined && typeof output !== 'string') throw new TypeError('Expected `output` to be a file path with `checkpoint: true`, or give the journal a `checkpoint: { path }`');
}
