/**
 * The reorderer: hands skeleton and chunks on to the writer in document order, whatever
 * order the chunks finish in, and holds reading back (`room`) while too many chunks are
 * in flight or too much text waits behind them.
 */
import type { JobChunk, Skeleton } from './job-chunk.js';

/** Text waiting behind a chunk in flight, at most, before reading waits (characters). */
const MAX_QUEUED_TEXT = 8 * 1024 * 1024;

export interface ReordererStage {
  /** The bytes of skeleton text, or `undefined` when there is no output to write. */
  encode(skeleton: Skeleton): Uint8Array | undefined;
  /** Writes bytes to the output; resolves once they are taken. */
  write(bytes: Uint8Array): Promise<void>;
  /** A finished chunk's turn has come (journal, counters, iterator): called in document order, before its bytes are written. */
  handOn(chunk: JobChunk): void;
  /** Whether the iterator holds as many results as it may: chunks then wait. */
  consumerFull(): boolean;
  /** Whether the job failed: nothing more is written, reading stops. */
  failed(): boolean;
  fail(error: unknown): void;
}

type QueueItem = Skeleton | { readonly chunk: JobChunk };

export class Reorderer {
  private readonly queue: QueueItem[] = [];
  private queuedChars = 0;
  /** Chunks dispatched and not handed on yet. */
  private inFlight = 0;
  private writing: Promise<void> | undefined;
  private roomWaiters: Array<() => void> = [];
  private onDrained: (() => void) | undefined;

  constructor(
    /** Chunks in flight at most before reading waits. */
    private readonly highWaterMark: number,
    private readonly stage: ReordererStage,
  ) {}

  get chunksInFlight(): number {
    return this.inFlight;
  }

  skeleton(skeleton: Skeleton): void {
    this.enqueue(skeleton, skeleton.text.length);
  }

  /** A chunk takes its place in document order (before its units are read). */
  chunk(chunk: JobChunk): void {
    this.enqueue({ chunk }, 0);
  }

  /** A chunk is dispatched for processing: it counts as in flight until handed on. */
  dispatched(): void {
    this.inFlight++;
  }

  /** Waits while too many chunks are in flight or too much text waits behind them. */
  room(): Promise<void> | undefined {
    if (this.hasRoom()) return undefined;
    return new Promise((resolve) => this.roomWaiters.push(resolve));
  }

  /** Something may be ready to write: a chunk finished, or the iterator took results. */
  wake(): void {
    if (this.writing) return;
    this.writing = this.write()
      .catch((error: unknown) => this.stage.fail(error))
      .finally(() => {
        this.writing = undefined;
        // Something may have become ready while the last write was under way.
        if (this.ready()) this.wake();
        else this.checkDrained();
      });
  }

  /** Resolves once everything queued is written (or the job failed). */
  flush(): Promise<void> {
    return new Promise((resolve) => {
      this.onDrained = resolve;
      this.checkDrained();
    });
  }

  /** The job failed: reading goes on only to stop, and `flush` resolves. */
  stop(): void {
    this.releaseRoom();
    this.checkDrained();
  }

  private enqueue(item: QueueItem, chars: number): void {
    this.queue.push(item);
    this.queuedChars += chars;
    this.wake();
  }

  private hasRoom(): boolean {
    return this.inFlight < this.highWaterMark && this.queuedChars < MAX_QUEUED_TEXT;
  }

  private ready(): boolean {
    const head = this.queue[0];
    if (!head || this.stage.failed()) return false;
    if ('chunk' in head) return head.chunk.finished !== undefined && !this.stage.consumerFull();
    return true;
  }

  /** Writes the queue's ready head, in document order. */
  private async write(): Promise<void> {
    while (this.ready()) {
      const head = this.queue.shift()!;
      let bytes: Uint8Array | undefined;
      if ('text' in head) {
        this.queuedChars -= head.text.length;
        if (head.text.length > 0) bytes = this.stage.encode(head);
      } else {
        const { chunk } = head;
        bytes = chunk.finished!.bytes;
        this.inFlight--;
        this.stage.handOn(chunk);
      }
      this.releaseRoom();
      if (bytes && bytes.length > 0) await this.stage.write(bytes);
    }
  }

  private checkDrained(): void {
    if (this.onDrained && !this.writing && (this.stage.failed() || this.queue.length === 0)) {
      const resolve = this.onDrained;
      this.onDrained = undefined;
      resolve();
    }
  }

  /** Lets reading go on once there is room again (or the job failed: then reading stops). */
  private releaseRoom(): void {
    if (!this.stage.failed() && !this.hasRoom()) return;
    const waiters = this.roomWaiters;
    this.roomWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
