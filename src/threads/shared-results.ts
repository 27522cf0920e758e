/**
 * The cache of a job on worker threads, shared: each worker keeps its own results (its
 * lru-cache), and a table in shared memory says which worker processes (or processed) each
 * source, so that a source is processed once across the workers, as on one thread. A worker
 * that meets a source another one claimed asks that worker for its result (a
 * BroadcastChannel of that worker's own name; asks and answers go in batches, a message per
 * turn of the event loop); the answer is the update, or nothing when that
 * worker no longer holds it (then the asker processes it). The table is a cache of claims,
 * bounded: a key looks at 8 slots from its own and takes the first of them when all 8 hold
 * other keys (that older source may then be processed again, as after an eviction on one
 * thread).
 */
import { BroadcastChannel } from 'node:worker_threads';
import type { CachedUpdate } from '../options.js';
import { hash64 } from '../job/hash-set.js';

/** What every task of a job carries of its shared cache: the same memory, the same name. */
export interface SharedResultsLink {
  /** The claims: one 32-bit word per slot (20 bits of the key's hash, 12 for the worker that claimed it). */
  readonly claims: SharedArrayBuffer;
  /** A counter that numbers the workers. */
  readonly workers: SharedArrayBuffer;
  /** Names the job's channels. */
  readonly name: string;
}

/** How a worker's processor path uses the shared cache. */
export interface SharedResults {
  /** Claims the key for this worker: `undefined` when it is this worker's to process, else the worker that claimed it first. */
  claim(hashed: string): number | undefined;
  /** Takes the key over for this worker (its owner no longer held it). */
  takeOver(hashed: string): void;
  /** The result the worker `owner` holds for the key, if it still does. */
  ask(owner: number, hashed: string): Promise<CachedUpdate | undefined>;
}

/** Asks of results, and answers, as they cross between workers: in batches, one message for what a turn of the event loop asked or answered. */
type Message = { readonly asks: readonly string[]; readonly from: number } | { readonly answers: ReadonlyArray<readonly [string, CachedUpdate | undefined]> };

const OWNER_BITS = 12;
const OWNER_MASK = (1 << OWNER_BITS) - 1;
/** Slots a claim looks at from its first one (open addressing, linear probing). */
const PROBES = 8;

/** Slots for a job: four for each result its workers may hold, a power of two, at most 4 Mi (16 MiB). */
export function sharedResultsLink(cacheMax: number, threads: number, name: string): SharedResultsLink {
  let slots = 1024;
  while (slots < 4 * cacheMax * threads && slots < 4 * 1024 * 1024) slots *= 2;
  return { claims: new SharedArrayBuffer(slots * 4), workers: new SharedArrayBuffer(4), name };
}

/** This thread's side of the shared cache, and the job it belongs to. */
let thisThread: { readonly name: string; readonly results: ThreadResults } | undefined;

/**
 * This worker's side of the shared cache of the job `link` names: made once per thread (a
 * worker serves one job); `lookup` gives what this worker holds of a key (a result, or one
 * in flight), to answer the others.
 */
export function sharedResults(link: SharedResultsLink, lookup: (hashed: string) => CachedUpdate | Promise<CachedUpdate> | undefined): SharedResults {
  if (thisThread?.name !== link.name) thisThread = { name: link.name, results: new ThreadResults(link, lookup) };
  return thisThread.results;
}

class ThreadResults implements SharedResults {
  private readonly claims: Int32Array;
  private readonly mask: number;
  private readonly me: number;
  private readonly inbox: BroadcastChannel;
  private readonly outboxes = new Map<number, BroadcastChannel>();
  private readonly waiting = new Map<string, Array<(value: CachedUpdate | undefined) => void>>();
  /** What goes out at the end of this turn: asks by owner, answers by asker. */
  private readonly asks = new Map<number, string[]>();
  private readonly answers = new Map<number, Array<readonly [string, CachedUpdate | undefined]>>();
  private flushing = false;

  constructor(
    private readonly link: SharedResultsLink,
    private readonly lookup: (hashed: string) => CachedUpdate | Promise<CachedUpdate> | undefined,
  ) {
    this.claims = new Int32Array(link.claims);
    this.mask = this.claims.length - 1;
    // Workers are numbered from 1 (0 marks a free slot); a job has far fewer than 4096.
    this.me = (Atomics.add(new Int32Array(link.workers), 0, 1) % OWNER_MASK) + 1;
    this.inbox = new BroadcastChannel(`${link.name}:${this.me}`);
    this.inbox.onmessage = (event) => this.received((event as { data: Message }).data);
    this.inbox.unref();
  }

  claim(hashed: string): number | undefined {
    const { slot, tag } = this.place(hashed);
    const mine = (tag << OWNER_BITS) | this.me;
    for (let probe = 0; probe < PROBES; probe++) {
      const at = (slot + probe) & this.mask;
      for (;;) {
        const word = Atomics.load(this.claims, at);
        if (word === 0) {
          if (Atomics.compareExchange(this.claims, at, 0, mine) === 0) return undefined;
          // Another worker took the slot meanwhile: read it again.
          continue;
        }
        if (word >>> OWNER_BITS === tag) {
          const owner = word & OWNER_MASK;
          return owner === this.me ? undefined : owner;
        }
        break;
      }
    }
    // Every slot near is another key's: the first one goes to this key.
    Atomics.store(this.claims, slot, mine);
    return undefined;
  }

  takeOver(hashed: string): void {
    const { slot, tag } = this.place(hashed);
    const mine = (tag << OWNER_BITS) | this.me;
    for (let probe = 0; probe < PROBES; probe++) {
      const at = (slot + probe) & this.mask;
      if (Atomics.load(this.claims, at) >>> OWNER_BITS === tag) {
        Atomics.store(this.claims, at, mine);
        return;
      }
    }
    Atomics.store(this.claims, slot, mine);
  }

  ask(owner: number, hashed: string): Promise<CachedUpdate | undefined> {
    return new Promise((resolve) => {
      const waiting = this.waiting.get(hashed);
      if (waiting) waiting.push(resolve);
      else {
        this.waiting.set(hashed, [resolve]);
        this.queue(this.asks, owner, hashed);
      }
    });
  }

  /**
   * The key's first slot, and the 20 bits of its hash a slot keeps (not those that chose the
   * slot). Two keys that share both are taken for one: the asker then hears that the owner
   * does not hold its key, and processes it itself; a wasted ask, never a wrong result.
   */
  private place(hashed: string): { slot: number; tag: number } {
    return claimPlace(hashed, this.mask);
  }

  private received(message: Message): void {
    if ('asks' in message) {
      const { asks, from } = message;
      for (const hashed of asks) {
        const held = this.lookup(hashed);
        if (held instanceof Promise) held.then((value) => this.queue(this.answers, from, [hashed, value]), () => this.queue(this.answers, from, [hashed, undefined]));
        else this.queue(this.answers, from, [hashed, held]);
      }
      return;
    }
    for (const [hashed, value] of message.answers) {
      const waiting = this.waiting.get(hashed);
      this.waiting.delete(hashed);
      for (const resolve of waiting ?? []) resolve(value);
    }
  }

  /** Queues an ask or an answer for `to`; what is queued goes out once this turn of the event loop is over. */
  private queue<T>(queues: Map<number, T[]>, to: number, item: T): void {
    let queue = queues.get(to);
    if (!queue) queues.set(to, (queue = []));
    queue.push(item);
    if (!this.flushing) {
      this.flushing = true;
      setImmediate(() => this.flush());
    }
  }

  private flush(): void {
    this.flushing = false;
    for (const [owner, asks] of this.asks) this.outbox(owner).postMessage({ asks, from: this.me } satisfies Message);
    for (const [asker, answers] of this.answers) this.outbox(asker).postMessage({ answers } satisfies Message);
    this.asks.clear();
    this.answers.clear();
  }

  private outbox(owner: number): BroadcastChannel {
    let channel = this.outboxes.get(owner);
    if (!channel) {
      channel = new BroadcastChannel(`${this.link.name}:${owner}`);
      channel.unref();
      this.outboxes.set(owner, channel);
    }
    return channel;
  }
}

/** Where a key's claim goes in a table of `mask + 1` slots (its first slot), and the bits of its hash the claim keeps. */
export function claimPlace(hashed: string, mask: number): { slot: number; tag: number } {
  const [high, low] = hash64(hashed);
  return { slot: low & mask, tag: high >>> OWNER_BITS };
}
