/**
 * The checkpoint journal: an append-only file of JSON lines beside the output. Line 1
 * is a header naming the input (size, modification time, hashes of its first and last
 * MiB) and the options that change the output; then one line per chunk written, in
 * document order, with what became of each of its units. A rerun replays those chunks
 * without calling the processor. Lines are flushed in batches and fsynced at least
 * every `syncIntervalMs`; a last line without its newline (killed mid-write) is cut off.
 */
import { createReadStream } from 'node:fs';
import { open, rm, stat, truncate, type FileHandle } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { hash } from 'node:crypto';
import { resolve } from 'node:path';
import { XliffError } from '../errors.js';
import type { UnitUpdate } from '../write/update.js';

export const JOURNAL_VERSION = 1;
const HASHED_BYTES = 1024 * 1024;
/** Lines waiting past this many characters are written at once, without waiting for the timer. */
const MAX_PENDING_CHARS = 4 * 1024 * 1024;

/** What identifies a job: the input file and the options that change the output. */
export interface JournalIdentity {
  readonly input: { readonly size: number; readonly mtimeMs: number; readonly head: string; readonly tail: string };
  /** A hash of the options that change the output (chunking, filter, target language...). */
  readonly options: string;
}

interface JournalHeader extends JournalIdentity {
  readonly journal: 'xliff-stream';
  readonly version: number;
  readonly inputPath: string;
  readonly created: string;
}

/**
 * What became of one unit: `0` left as it was (no update), `1` left out by the filter,
 * `{ u }` the update written, `{ e }` the message of its failure (`onError: 'skip'`).
 */
export type JournalEntry = 0 | 1 | { readonly u: UnitUpdate } | { readonly e: string };

/** One written chunk: its index, its unit count and one entry per unit. */
export interface JournalRecord {
  readonly c: number;
  readonly n: number;
  readonly u: readonly JournalEntry[];
}

/** Reads the identity of an input file: size, modification time, hashes of its first and last MiB. */
export async function identifyInput(path: string): Promise<JournalIdentity['input']> {
  const info = await stat(path);
  const handle = await open(path, 'r');
  try {
    const read = async (position: number): Promise<string> => {
      const length = Math.min(HASHED_BYTES, info.size - position);
      const buffer = Buffer.alloc(Math.max(0, length));
      if (length > 0) await handle.read(buffer, 0, length, position);
      return hash('sha1', buffer, 'hex');
    };
    return { size: info.size, mtimeMs: info.mtimeMs, head: await read(0), tail: await read(Math.max(0, info.size - HASHED_BYTES)) };
  } finally {
    await handle.close();
  }
}

/** Hashes the options that change the output, so that a journal made with others is not replayed. */
export function fingerprint(values: Record<string, unknown>): string {
  return hash('sha1', JSON.stringify(values), 'hex');
}

/** A journal opened for a job: the records to replay (if any), then appends. */
export class Journal {
  private pending: string[] = [];
  private pendingChars = 0;
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();
  private failure: XliffError | undefined;
  private closed = false;

  private constructor(
    readonly path: string,
    private readonly handle: FileHandle,
    /** The records of a previous run, in document order; `undefined` when starting afresh. */
    readonly replay: AsyncIterator<JournalRecord> | undefined,
    private readonly syncIntervalMs: number,
  ) {}

  /**
   * Opens the journal at `path`: replays it when its header matches `identity`, starts
   * a new one when there is none (or `restart` is set), and fails with
   * `XLIFF_CHECKPOINT_MISMATCH` otherwise.
   */
  static async open(givenPath: string, inputPath: string, identity: JournalIdentity, options: { restart: boolean; syncIntervalMs?: number }): Promise<Journal> {
    // Absolute: the job may run on after the process changes its working directory.
    const path = resolve(givenPath);
    const syncIntervalMs = options.syncIntervalMs ?? 1000;
    const existing = await readHeader(path);
    if (existing) {
      const why = mismatch(existing.header, identity);
      if (!why) {
        // Cut a torn last line off, so that the next line appended starts on a line of its own.
        if (existing.validLength < existing.size) await truncate(path, existing.validLength);
        const handle = await openJournal(path, 'a');
        return new Journal(path, handle, readRecords(path, existing.headerLength, existing.validLength), syncIntervalMs);
      }
      if (!options.restart) {
        throw new XliffError('XLIFF_CHECKPOINT_MISMATCH', `the journal ${path} belongs to another job: ${why}. Remove it, or pass checkpoint: { restart: true } to start over`, {
          file: path,
        });
      }
    }
    const header: JournalHeader = { journal: 'xliff-stream', version: JOURNAL_VERSION, ...identity, inputPath, created: new Date().toISOString() };
    const handle = await openJournal(path, 'w');
    try {
      await handle.write(`${JSON.stringify(header)}\n`);
      await handle.datasync();
    } catch (error) {
      await handle.close();
      throw ioError(path, error);
    }
    return new Journal(path, handle, undefined, syncIntervalMs);
  }

  /** Appends the record of a written chunk; it reaches the disk within `syncIntervalMs`. */
  append(record: JournalRecord): void {
    if (this.closed) return;
    const line = `${JSON.stringify(record)}\n`;
    this.pending.push(line);
    this.pendingChars += line.length;
    if (this.pendingChars >= MAX_PENDING_CHARS) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), this.syncIntervalMs);
  }

  /** Throws the first write failure, if any. */
  check(): void {
    if (this.failure) throw this.failure;
  }

  /** Writes what is pending, syncs, and closes the file (kept on disk: the job can resume). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    await this.flushing;
    await this.handle.close().catch(() => undefined);
    await this.replay?.return?.();
    this.check();
  }

  /** The job succeeded: the journal goes. */
  async remove(): Promise<void> {
    await this.close();
    await rm(this.path, { force: true });
  }

  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.length === 0) return;
    const text = this.pending.join('');
    this.pending = [];
    this.pendingChars = 0;
    this.flushing = this.flushing.then(async () => {
      if (this.failure) return;
      try {
        await this.handle.write(text);
        await this.handle.datasync();
      } catch (error) {
        this.failure = ioError(this.path, error);
      }
    });
  }
}

async function openJournal(path: string, flags: 'a' | 'w'): Promise<FileHandle> {
  try {
    return await open(path, flags);
  } catch (error) {
    throw ioError(path, error);
  }
}

function ioError(path: string, error: unknown): XliffError {
  return new XliffError('XLIFF_IO', `cannot write the journal: ${(error as Error)?.message ?? error}`, { file: path, cause: error });
}

interface ExistingJournal {
  readonly header: JournalHeader;
  /** Bytes of the header line, with its newline. */
  readonly headerLength: number;
  /** Bytes up to the end of the last whole line. */
  readonly validLength: number;
  readonly size: number;
}

/**
 * Reads the header of an existing journal and finds the end of its last whole line.
 * A journal without a whole header line (killed while starting) counts as none.
 */
async function readHeader(path: string): Promise<ExistingJournal | undefined> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new XliffError('XLIFF_IO', `cannot read the journal: ${(error as Error)?.message ?? error}`, { file: path, cause: error });
  }
  try {
    const { size } = await handle.stat();
    // The end of the last whole line: scan back from the end.
    let validLength = 0;
    const block = Buffer.alloc(64 * 1024);
    for (let end = size; end > 0 && validLength === 0; ) {
      const start = Math.max(0, end - block.length);
      const { bytesRead } = await handle.read(block, 0, end - start, start);
      const at = block.subarray(0, bytesRead).lastIndexOf(0x0a);
      if (at >= 0) validLength = start + at + 1;
      end = start;
    }
    if (validLength === 0) return undefined;
    // The header line: read until its newline.
    const chunks: Buffer[] = [];
    let headerLength = -1;
    for (let position = 0; headerLength < 0 && position < validLength; ) {
      const { bytesRead } = await handle.read(block, 0, Math.min(block.length, validLength - position), position);
      const piece = block.subarray(0, bytesRead);
      const at = piece.indexOf(0x0a);
      chunks.push(Buffer.from(at >= 0 ? piece.subarray(0, at) : piece));
      if (at >= 0) headerLength = position + at + 1;
      position += bytesRead;
    }
    let header: JournalHeader;
    try {
      header = JSON.parse(Buffer.concat(chunks).toString('utf8')) as JournalHeader;
    } catch {
      throw new XliffError('XLIFF_CHECKPOINT_MISMATCH', `${path} is not an xliff-stream journal (its first line is not JSON)`, { file: path });
    }
    if (header?.journal !== 'xliff-stream') throw new XliffError('XLIFF_CHECKPOINT_MISMATCH', `${path} is not an xliff-stream journal`, { file: path });
    return { header, headerLength, validLength, size };
  } finally {
    await handle.close();
  }
}

/** Why a journal's header does not match this job, or `undefined` when it does. */
function mismatch(header: JournalHeader, identity: JournalIdentity): string | undefined {
  if (header.version !== JOURNAL_VERSION) return `it is of journal version ${header.version}, this library writes ${JOURNAL_VERSION}`;
  const was = header.input;
  const now = identity.input;
  if (was?.size !== now.size) return `the input's size was ${was?.size} bytes, it is ${now.size}`;
  if (was.mtimeMs !== now.mtimeMs) return `the input was modified since (${new Date(was.mtimeMs).toISOString()} then, ${new Date(now.mtimeMs).toISOString()} now)`;
  if (was.head !== now.head || was.tail !== now.tail) return "the input's content differs";
  if (header.options !== identity.options) return 'the options that change the output (chunking, filter, target language, batch or unit processor) differ';
  return undefined;
}

/** The records after the header, up to `end` (the last whole line), one at a time. */
async function* readRecords(path: string, start: number, end: number): AsyncGenerator<JournalRecord, void, undefined> {
  if (end <= start) return;
  const lines = createInterface({ input: createReadStream(path, { start, end: end - 1, encoding: 'utf8' }), crlfDelay: Infinity });
  let number = 1;
  for await (const line of lines) {
    number++;
    let record: JournalRecord;
    try {
      record = JSON.parse(line) as JournalRecord;
    } catch {
      throw new XliffError('XLIFF_CHECKPOINT_MISMATCH', `line ${number} of the journal is damaged: remove the journal to start over`, { file: path, line: number });
    }
    yield record;
  }
}
