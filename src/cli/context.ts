/**
 * What a command runs with: its output streams and the signal that Ctrl-C aborts;
 * writing with backpressure, and warnings capped so a big file cannot flood stderr.
 */
import type { ProgressStream } from './progress-bar.js';

export interface OutputStream extends ProgressStream {
  write(text: string, callback?: (error?: Error | null) => void): boolean;
  once(event: 'drain' | 'error' | 'close', listener: (...args: unknown[]) => void): unknown;
  off?(event: 'drain' | 'error' | 'close', listener: (...args: unknown[]) => void): unknown;
}

export interface CliContext {
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;
  /** Aborted by Ctrl-C (SIGINT): the command stops and exits with 130. */
  readonly signal: AbortSignal;
}

/** Writes `text`, waiting for the stream to drain when its buffer is full. */
export async function writeText(stream: OutputStream, text: string): Promise<void> {
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

/** Warnings of one kind: the first `max` written, the others counted. */
export class Warnings {
  count = 0;

  constructor(
    private readonly stderr: OutputStream,
    private readonly max = 20,
  ) {}

  add(message: string): void {
    this.count++;
    if (this.count <= this.max) this.stderr.write(`${message}\n`);
  }

  /** Says how many were not written, if any. */
  close(what: string): void {
    if (this.count > this.max) this.stderr.write(`... and ${this.count - this.max} more ${what}\n`);
  }
}
