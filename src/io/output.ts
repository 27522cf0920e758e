/**
 * Output edge: a file written to a temporary file in the same folder and renamed
 * into place on success (so it appears whole or not at all), gzip-compressed when its
 * name ends in `.gz`; or a Writable.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { pipeline, type Writable } from 'node:stream';
import { createGzip } from 'node:zlib';
import { XliffError } from '../errors.js';

export interface OutputSink {
  /**
   * Writes bytes, waiting while the destination is full. `onReleased` is called once the sink
   * holds nothing of `bytes` (they were written to the file or compressed), so that their
   * memory can be used again; only for the library's own files: a user's Writable may keep a
   * chunk after its callback, so it is never called there.
   */
  write(bytes: Uint8Array, onReleased?: () => void): Promise<void>;
  /** Finishes the output: the file appears at its path. */
  commit(): Promise<void>;
  /** Gives up: the temporary file is removed. */
  abort(): Promise<void>;
  readonly bytesWritten: number;
}

/** Checks a file output can be written (its folder exists, it is not the input), before any work. */
export async function checkOutputPath(output: string, input: unknown): Promise<void> {
  const folder = dirname(resolve(output));
  const info = await stat(folder).catch(() => undefined);
  if (!info?.isDirectory()) throw new XliffError('XLIFF_IO', `the output folder ${folder} does not exist`, { file: output });
  if (typeof input === 'string' && resolve(input) === resolve(output)) {
    throw new XliffError('XLIFF_SAME_FILE', 'the output path is the input: write to another file', { file: output });
  }
}

export function openOutput(output: string | Writable): OutputSink {
  return typeof output === 'string' ? fileSink(output) : writableSink(output, false);
}

/** The temporary file a job writes `path` into: `.<name>.<pid>.<time>.tmp`, beside it. */
function temporaryPath(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now().toString(36)}.tmp`);
}

/**
 * Removes the temporary files of `path` left by jobs that were killed (whose process
 * is gone), so that resumed jobs do not pile them up.
 */
export async function removeStaleTemporaries(path: string): Promise<void> {
  const folder = dirname(resolve(path));
  const prefix = `.${basename(path)}.`;
  const names = await readdir(folder).catch(() => [] as string[]);
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith('.tmp')) continue;
    const match = /^(\d+)\.[0-9a-z]+\.tmp$/.exec(name.slice(prefix.length));
    if (match && !isAlive(Number(match[1]))) await rm(join(folder, name), { force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, under another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function fileSink(path: string): OutputSink {
  const temporary = temporaryPath(path);
  // 1 MiB: a chunk's output (tens of KiB) is queued, not waited for (the default 16 KiB made every write wait for its drain).
  const file = createWriteStream(temporary, { flags: 'wx', highWaterMark: 1024 * 1024 });
  const gzip = path.endsWith('.gz') ? createGzip() : undefined;
  // Through gzip: an error of either stream destroys both, and the sink sees it on gzip.
  const piped = gzip ? new Promise<Error | undefined>((resolveEnd) => pipeline(gzip, file, (error) => resolveEnd(error ?? undefined))) : undefined;
  const sink = writableSink(gzip ?? file, true);
  return {
    write: (bytes, onReleased) => sink.write(bytes, onReleased),
    get bytesWritten() {
      return sink.bytesWritten;
    },
    async commit() {
      await sink.commit();
      if (piped) {
        const error = await piped;
        if (error) throw new XliffError('XLIFF_IO', `cannot write the output: ${error.message}`, { cause: error });
        await waitClosed(file);
      }
      await rename(temporary, path);
    },
    async abort() {
      await sink.abort();
      if (gzip) {
        file.destroy();
        await waitClosed(file);
      }
      await rm(temporary, { force: true });
    },
  };
}

function writableSink(stream: Writable | WriteStream, own: boolean): OutputSink {
  let failure: Error | undefined;
  let bytesWritten = 0;
  const onError = (error: Error): void => {
    failure ??= error;
  };
  stream.on('error', onError);
  const fail = (error: unknown): XliffError =>
    error instanceof XliffError ? error : new XliffError('XLIFF_IO', `cannot write the output: ${(error as Error)?.message ?? error}`, { cause: error });
  return {
    get bytesWritten() {
      return bytesWritten;
    },
    async write(bytes, onReleased) {
      if (failure) throw fail(failure);
      bytesWritten += bytes.length;
      // A stream of its own (a file, or gzip into one) holds nothing of a chunk after its callback; an error leaves it held.
      const released = own && onReleased ? (error?: Error | null): void => (error ? undefined : onReleased()) : undefined;
      if (stream.write(bytes, released)) return;
      await new Promise<void>((resolveDrain, rejectDrain) => {
        const done = (error?: Error): void => {
          stream.off('drain', onDrain);
          stream.off('error', done);
          stream.off('close', onClose);
          if (error) rejectDrain(fail(error));
          else resolveDrain();
        };
        const onDrain = (): void => done();
        const onClose = (): void => done(failure ?? new Error('the output closed before the end'));
        stream.once('drain', onDrain);
        stream.once('error', done);
        stream.once('close', onClose);
      });
    },
    async commit() {
      if (failure) throw fail(failure);
      await new Promise<void>((resolveEnd, rejectEnd) => {
        stream.end((error?: Error | null) => (error ? rejectEnd(fail(error)) : resolveEnd()));
      });
      if (own) await waitClosed(stream);
      if (failure) throw fail(failure);
    },
    async abort() {
      if (own) {
        stream.destroy();
        await waitClosed(stream);
      }
    },
  };
}

function waitClosed(stream: Writable): Promise<void> {
  if (stream.closed) return Promise.resolve();
  return new Promise((resolveClose) => stream.once('close', () => resolveClose()));
}
