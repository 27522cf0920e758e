/**
 * A chunk of a job in the making: its skeleton and units in document order, each unit as
 * read, being processed or settled; once every unit is settled, only what the writer, the
 * iterator and the journal need of it (its output encoded, off the V8 heap).
 */
import type { JournalEntry } from '../io/journal.js';
import type { ReaderEvent } from '../read.js';
import { OutputAssembler } from '../write/output-assembler.js';
import type { UnitResult } from './events.js';
import { isThenable } from './retry.js';

/** A unit as read: with its layout, and its input bytes (written as they are when it is left unchanged). */
export type ReadUnit = Extract<ReaderEvent, { kind: 'unit' }>;

/** Skeleton text, and its input bytes when it is written as it was read. */
export interface Skeleton {
  readonly text: string;
  readonly bytes: Uint8Array | undefined;
}

/** A unit once processed: what is kept of it. The unit itself is let go at once, so that it dies young. */
export interface SettledUnit {
  /** The XML written for it, and its input bytes when that is the unit as read. */
  readonly raw: string;
  readonly bytes: Uint8Array | undefined;
  /** Kept for the iterator only. */
  readonly result: UnitResult | undefined;
  /** Kept for the journal only. */
  readonly journal: JournalEntry | undefined;
}

type UnitItem = ReadUnit | SettledUnit | Promise<SettledUnit>;

/** What is kept of a chunk once all its units are settled. */
export interface FinishedChunk {
  readonly bytes: Uint8Array | undefined;
  /** Input offset where its last unit ends. */
  readonly end: number;
  readonly results: UnitResult[];
  readonly journal: JournalEntry[] | undefined;
}

export class JobChunk {
  /**
   * Skeleton and units from the first unit not settled yet on: what comes before it is in
   * `output`, `results` and `journal` already. So it is empty or starts with such a unit.
   */
  private items: Array<Skeleton | UnitItem> = [];
  private output: OutputAssembler | undefined;
  private results: Array<UnitResult | undefined> = [];
  private journal: Array<JournalEntry | undefined> = [];
  units = 0;
  /** Input offset where its last unit so far ends. */
  end = 0;
  /** The highest attempt of a processor call for one of its units. */
  attempt = 0;
  /** Replayed from the journal: not appended to it again. */
  replayed = false;
  /** Set once every unit is settled. */
  finished: FinishedChunk | undefined;

  constructor(
    readonly index: number,
    /** The output's encoder, when there is an output to write. */
    encode: ((text: string) => Uint8Array) | undefined,
  ) {
    this.output = encode && new OutputAssembler(encode);
  }

  /**
   * Adds what was read. While every unit before it is settled, skeleton and a settled unit
   * go straight into the output, results and journal; after a unit still to settle, they
   * wait for it.
   */
  append(item: Skeleton | UnitItem): void {
    if (this.items.length === 0 && !('unit' in item) && !isThenable(item)) this.take(item);
    else this.items.push(item);
  }

  /** The units read and not processed yet, in order. */
  unprocessed(): ReadUnit[] {
    return this.items.filter((item): item is ReadUnit => 'unit' in item);
  }

  /**
   * Settles the units not processed yet with `compute` (given each one's index among them)
   * and waits for those under way. Returns `undefined` when nothing had to be waited for.
   */
  settleUnits<O>(compute: (unit: ReadUnit, i: number) => O | Promise<O>, settle: (unit: ReadUnit, outcome: O) => SettledUnit): Promise<unknown> | undefined {
    const items = this.items;
    const waits: Array<Promise<void>> = [];
    let i = 0;
    for (let k = 0; k < items.length; k++) {
      const item = items[k]!;
      if ('unit' in item) {
        const outcome = compute(item, i++);
        if (isThenable(outcome)) waits.push(outcome.then((o) => void (items[k] = settle(item, o))));
        else items[k] = settle(item, outcome);
      } else if (isThenable(item)) waits.push(item.then((done) => void (items[k] = done)));
    }
    return waits.length > 0 ? Promise.all(waits) : undefined;
  }

  /**
   * Keeps what the writer, the iterator and the journal need, once every unit is settled,
   * and lets the units go: units held until the writer gets to them would survive
   * young-generation GCs and cost a copy each time.
   */
  finish(keep: { readonly results: boolean; readonly journal: boolean }): void {
    for (const item of this.items as Array<Skeleton | SettledUnit>) this.take(item);
    const { results, journal } = this;
    this.finished = {
      bytes: this.output?.finish(),
      end: this.end,
      // All the results, or none (the iterator started late); without an iterator they went at once.
      results: keep.results && !results.includes(undefined) ? (results as UnitResult[]) : [],
      journal: keep.journal && !this.replayed ? (journal as JournalEntry[]) : undefined,
    };
    this.items = [];
    this.output = undefined;
    this.results = [];
    this.journal = [];
  }

  private take(item: Skeleton | SettledUnit): void {
    if ('raw' in item) {
      this.output?.add(item.raw, item.bytes);
      this.results.push(item.result);
      this.journal.push(item.journal);
    } else this.output?.add(item.text, item.bytes);
  }
}
