/**
 * A string searched for in text that comes in pieces, across the seams between them: each
 * occurrence found once, in order, at its index in the whole text. Only the last characters
 * of the pieces seen so far are kept.
 */
export class PieceSearch {
  /** The last characters scanned (fewer than the pattern), and the index where they start. */
  private tail = '';
  private tailStart = 0;

  constructor(private readonly pattern: string) {}

  /** Appends to `found` the index of each occurrence that ends in `text`, the piece that starts at index `at`. */
  scan(text: string, at: number, found: number[]): void {
    const { pattern, tail } = this;
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
}
