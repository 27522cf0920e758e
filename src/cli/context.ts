/**
 * What a command runs with: its standard streams and the signal that Ctrl-C, SIGTERM,
 * SIGHUP or a closed output pipe abort; writing with backpressure, and warnings capped
 * so a big file cannot flood stderr.
 */
import { Writable } from 'node:stream';
import type { ProgressStream } from './progress-bar.js';

export interface OutputStream extends ProgressStream {
  write(text: string | Uint8Array, callback?: (error?: Error | null) => void): boolean;
  once(event: 'drain' | 'error' | 'close', listener: (...args: unknown[]) => void): unknown;
  off?(event: 'drain' | 'error' | 'close', listener: (...args: unknown[]) => void): unknown;
}

export interface CliContext {
  readonly stdin?: NodeJS.ReadableStream | undefined;
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;
  /** Aborted by a signal or a closed pipe, with an `Interrupt` as its reason: the command stops. */
  readonly signal: AbortSignal;
}

/** Why the command was stopped from outside, and the exit code that says so. */
export class Interrupt extends Error {
  override readonly name = 'Interrupt';

  constructor(
    /** `SIGINT`, `SIGTERM`, `SIGHUP`, or `EPIPE` (the reader of stdout went away). */
    readonly by: string,
    /** 128 + the signal's number, as shells report a process a signal ended (EPIPE: SIGPIPE's). */
    readonly exitCode: number,
  ) {
    super(`interrupted (${by})`);
  }

  /** A closed pipe is the reader's choice (`| head`): nothing to say. */
  get quiet(): boolean {
    return this.by === 'EPIPE';
  }
}

/** Writes `text`, waiting for the stream to drain when its buffer is full. */
export async function writeText(stream: OutputStream, text: string | Uint8Array): Promise<void> {
  if (stream.write(text)) return;
  await new Promise<void>((resolve, reject) => {
    const onDrain = (): void => {
      stream.off?.('error', onError);
      resolve();
    };
    const onError = (error: unknown): void => {
      stream.off?.('drain', onDrain);
      reject(error as Error);
    };
    stream.once('drain', onDrain);
    stream.once('error', onError);
  });
}

/**
 * A Writable over stdout for a job's output: ending it does not end stdout (which the
 * process keeps), and bytes go on as Buffers (a stand-in stream may call `toString`).
 */
export function stdoutWritable(stdout: OutputStream): Writable {
  return new Writable({
    highWaterMark: 1024 * 1024,
    write(chunk: Uint8Array, _encoding, callback) {
      const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      writeText(stdout, bytes).then(() => callback(), callback);
    },
  });
}

/** Warnings of one kind: the first `max` written (at once, or held until `close` when `held`), the others counted. */
export class Warnings {
  count = 0;
  private readonly kept: string[] = [];

  constructor(
    private readonly stderr: OutputStream,
    private readonly options: { readonly max?: number; readonly held?: boolean } = {},
  ) {}

  add(message: string): void {
    this.count++;
    if (this.count > (this.options.max ?? 20)) return;
    if (this.options.held) this.kept.push(message);
    else this.stderr.write(`${message}\n`);
  }

  /** Writes what was held, and says how many were not written, if any. */
  close(what: string): void {
    for (const message of this.kept.splice(0)) this.stderr.write(`${message}\n`);
    const max = this.options.max ?? 20;
    if (this.count > max) this.stderr.write(`... and ${this.count - max} more ${what}\n`);
  }
}
