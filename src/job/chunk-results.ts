/**
 * The processed chunks a job gives its iterator, in document order: the job pushes them as
 * their turn comes, the iterator takes them, and a job on threads waits while the iterator
 * is `limit` chunks behind (so memory stays flat when the caller is slow).
 */
import type { ChunkResult } from './events.js';

export class ChunkResults {
  private readonly waiting: ChunkResult[] = [];
  private wake: (() => void) | undefined;
  private took: (() => void) | undefined;

  /** Chunks not yet taken. */
  get length(): number {
    return this.waiting.length;
  }

  push(...results: ChunkResult[]): void {
    this.waiting.push(...results);
    this.wake?.();
  }

  /** Wakes the iterator to look at the job again (it ended). */
  notify(): void {
    this.wake?.();
  }

  /** Waits until fewer than `limit` chunks wait to be taken, or `stop()`. */
  async below(limit: number, stop: () => boolean): Promise<void> {
    while (this.waiting.length >= limit && !stop()) await new Promise<void>((resolve) => (this.took = resolve));
  }

  /** The chunks as they come, until `ended()` with none left; `onTake` after each is taken. */
  async *take(ended: () => boolean, onTake: () => void): AsyncGenerator<ChunkResult, void, undefined> {
    for (;;) {
      while (this.waiting.length > 0) {
        yield this.waiting.shift()!;
        onTake();
        this.took?.();
      }
      if (ended()) return;
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }
}
