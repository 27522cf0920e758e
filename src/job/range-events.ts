/**
 * Which of the chunk and unit events of a job's ranges reach the job's listeners, and when.
 * A range's events are speculative until the seams around it are checked: a range begun at
 * a seam that does not hold is dropped (read again with the next), and its last chunk may be
 * cut short by its end. So the events of the range that starts where the output written ends
 * are given, except those of its latest chunk (final once the next chunk begins, or once the
 * range is taken); the other ranges' are held until it is their turn; an event the same range
 * read again gives a second time is given once.
 */
import type { RangeEvent } from '../threads/range-task.js';

/** The events of a range other than its counts: what the job's listeners get. */
export type ListenedEvent = Exclude<RangeEvent, { readonly type: 'progress' } | { readonly type: 'end' }>;

interface HeldEvent {
  readonly event: ListenedEvent;
  readonly worker: string | undefined;
  readonly key: string;
}

export class RangeEvents {
  /** By task: its events not given yet, and the highest chunk it gave an event of. */
  private readonly held = new Map<number, { lastChunk: number; events: HeldEvent[] }>();
  /** The keys of the events given of the range written next. */
  private readonly given = new Set<string>();

  constructor(private readonly give: (event: ListenedEvent, worker: string | undefined) => void) {}

  /** An event of task `id`; `next`: its range starts where the output written ends (the seam there holds). */
  hear(id: number, event: ListenedEvent, worker: string | undefined, next: boolean): void {
    const key = eventKey(event);
    // Not of a chunk or a unit (a cache level's failure): given as it comes.
    if (key === undefined) return this.give(event, worker);
    let held = this.held.get(id);
    if (!held) this.held.set(id, (held = { lastChunk: -1, events: [] }));
    held.events.push({ event, worker, key });
    if (event.type === 'chunk') held.lastChunk = Math.max(held.lastChunk, event.index);
    if (next) this.release(id, false);
  }

  /** Gives the held events of task `id`, whose range is the next to write, but those of its latest chunk (`all`: its seams are checked, those too). */
  release(id: number, all: boolean): void {
    const held = this.held.get(id);
    if (!held) return;
    const kept: HeldEvent[] = [];
    for (const item of held.events) {
      if (all || item.event.type !== 'chunk' || item.event.index < held.lastChunk) this.giveOnce(item);
      else kept.push(item);
    }
    held.events = kept;
  }

  /** The task's range was taken or dropped: what it held goes. */
  forget(id: number): void {
    this.held.delete(id);
  }

  /** The range written next is another: what was given will not come again. */
  nextRange(): void {
    this.given.clear();
  }

  private giveOnce({ event, worker, key }: HeldEvent): void {
    if (this.given.has(key)) return;
    this.given.add(key);
    this.give(event, worker);
  }
}

/** What tells an event of a chunk or a unit from the others of its range (`undefined`: an event of neither). */
function eventKey(event: ListenedEvent): string | undefined {
  switch (event.type) {
    case 'chunk':
      return `chunk ${event.index} ${event.state} ${event.attempt} ${event.units}`;
    case 'unitError':
      return `unit ${event.unit.location.offset}`;
    case 'warning':
      return event.code === 'XLIFF_DUPLICATE_ID' ? `duplicate ${event.unit.location.offset}` : undefined;
  }
}
