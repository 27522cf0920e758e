/**
 * A string searched for in text that comes in pieces, across the seams between them: each
 * occurrence found once, in order, at its index in the whole text, and kept until let go of.
 * Only the last characters of the pieces seen so far are kept.
 */
export class PieceSearch {
  /** The last characters scanned (fewer than the pattern), and the index where they start. */
  private tail = '';
  private tailStart = 0;
  /** Where the occurrences not let go of yet start, from `next` on. */
  private found: number[] = [];
  private next = 0;

  constructor(private readonly pattern: string) {}

  /** Whether an occurrence is still held. */
  get pending(): boolean {
    return this.next < this.found.length;
  }

  /** Where the first occurrence held starts; -1 if none is. */
  first(): number {
    return this.next < this.found.length ? this.found[this.next]! : -1;
  }

  /** Lets go of the first occurrence held. */
  shift(): void {
    if (++this.next === this.found.length) this.clear();
  }

  /** Lets go of the occurrences that start before index `index`. */
  forgetBefore(index: number): void {
    if (this.next === this.found.length) return;
    while (this.next < this.found.length && this.found[this.next]! < index) this.next++;
    if (this.next === this.found.length) this.clear();
  }

  /** Lets go of all occurrences held but the first. */
  keepFirst(): void {
    if (this.found.length - this.next <= 1) return;
    this.found = [this.found[this.next]!];
    this.next = 0;
  }

  /** Finds the occurrences that end in `text`, the piece that starts at index `at`. */
  scan(text: string, at: number): void {
    const { pattern, tail, found } = this;
    const keep = pattern.length - 1;
    // One that starts in the pieces before and ends in this one comes first.
    if (tail.length > 0) {
      const i = (tail + text.slice(0, keep)).indexOf(pattern);
      if (i !== -1 && i < tail.length) found.push(this.tailStart + i);
    }
    for (let i = text.indexOf(pattern); i !== -1; i = text.indexOf(pattern, i + 1)) found.push(at + i);
    if (text.length >= keep) {
      this.tail = text.slice(text.length - keep);
      this.tailStart = at + text.length - keep;
    } else {
      this.tail = (tail + text).slice(-keep);
      this.tailStart = at + text.length - this.tail.length;
    }
  }

  private clear(): void {
    this.found = [];
    this.next = 0;
  }
}
