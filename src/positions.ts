/**
 * Turns character indexes of the decoded text (what sax counts) into line, column
 * and byte offset. It only moves forward, over text the reader still holds, so the
 * input is scanned once. Line ends are LF, CRLF and a lone CR, as XML has them.
 */
export interface Position {
  /** From 1. */
  readonly line: number;
  /** From 1, in UTF-16 code units. */
  readonly column: number;
  /** Bytes in the input before this position. */
  readonly offset: number;
}

export class PositionTracker {
  /** Character index the tracker stands at. */
  private index = 0;
  private line = 1;
  /** Character index where the current line starts. */
  private lineStart = 0;
  private byte: number;
  /** The text seen so far ended with a CR: an LF right after it starts no new line. */
  private pendingCr = false;

  constructor(
    private readonly byteLength: (text: string) => number,
    startByte = 0,
  ) {
    this.byte = startByte;
  }

  /** Character index the tracker stands at. */
  get current(): number {
    return this.index;
  }

  /**
   * Moves to character index `to` and returns its position. `text` holds the
   * characters from index `textStart` on, including all between the tracker and `to`.
   */
  advance(text: string, textStart: number, to: number): Position {
    if (to > this.index) {
      const from = this.index - textStart;
      const end = to - textStart;
      this.byte += this.byteLength(text.slice(from, end));
      this.countLines(text, textStart, from, end);
      this.index = to;
    }
    return { line: this.line, column: this.index - this.lineStart + 1, offset: this.byte };
  }

  private countLines(text: string, textStart: number, from: number, end: number): void {
    if (this.pendingCr && text.charCodeAt(from) === 10) {
      this.lineStart = textStart + from + 1;
      from++;
    }
    this.pendingCr = false;
    const cr = text.indexOf('\r', from);
    if (cr === -1 || cr >= end) {
      for (let i = text.indexOf('\n', from); i !== -1 && i < end; i = text.indexOf('\n', i + 1)) {
        this.line++;
        this.lineStart = textStart + i + 1;
      }
      return;
    }
    for (let i = from; i < end; i++) {
      const c = text.charCodeAt(i);
      if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) {
        this.line++;
        this.lineStart = textStart + i + 1;
        // A CR at the very end of the held text: its LF, if any, comes with the next piece.
        if (c === 13 && i + 1 === text.length) this.pendingCr = true;
      }
    }
  }
}
