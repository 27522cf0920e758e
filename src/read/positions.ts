/**
 * Turns character indexes of the decoded text (what sax counts) into line, column
 * and byte offset. It only moves forward, over text the reader still holds, so the
 * input is scanned once. Line ends are LF, CRLF and a lone CR, as XML has them.
 */
export interface Position {
  /** From 1. */
  readonly line: number;
  /** From 1, in UTF-16 code units (a byte order mark is not counted). */
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

  /** Stands at character index `index`, at `line` and `column` (the byte offset is the one it was made with). */
  moveTo(index: number, line: number, column: number): void {
    this.index = index;
    this.line = line;
    this.lineStart = index - (column - 1);
    this.pendingCr = false;
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
      // A byte order mark is no character a user sees: the first line's columns start after it.
      if (this.index === 0 && textStart === 0 && text.charCodeAt(0) === 0xfeff) this.lineStart = 1;
      const from = this.index - textStart;
      const end = to - textStart;
      // One slice for both counts: searches in it stop at `end`, not at the end of the held text.
      const span = text.slice(from, end);
      this.byte += this.byteLength(span);
      this.countLines(span, textStart + from, end < text.length ? text.charCodeAt(end) : -1);
      this.index = to;
    }
    return { line: this.line, column: this.index - this.lineStart + 1, offset: this.byte };
  }

  /** Counts the line ends of `span`, which starts at character index `start`; `next` is the character after it (-1: not read yet). */
  private countLines(span: string, start: number, next: number): void {
    let from = 0;
    if (this.pendingCr && span.charCodeAt(0) === 10) {
      this.lineStart = start + 1;
      from = 1;
    }
    this.pendingCr = false;
    if (span.indexOf('\r', from) === -1) {
      for (let i = span.indexOf('\n', from); i !== -1; i = span.indexOf('\n', i + 1)) {
        this.line++;
        this.lineStart = start + i + 1;
      }
      return;
    }
    for (let i = from; i < span.length; i++) {
      const c = span.charCodeAt(i);
      const after = i + 1 < span.length ? span.charCodeAt(i + 1) : next;
      if (c === 10 || (c === 13 && after !== 10)) {
        this.line++;
        this.lineStart = start + i + 1;
        // A CR at the very end of the text read so far: its LF, if any, comes with the next piece.
        if (c === 13 && after === -1) this.pendingCr = true;
      }
    }
  }
}
