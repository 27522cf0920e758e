/**
 * Lines and columns over a document's bytes seen a buffer at a time (the seam scanner's):
 * line ends (LF, CR LF, a lone CR) counted as the scan passes them, columns in UTF-16 code
 * units from the line's start, as the reader gives them. Pure.
 */
import { nativeIndexOf } from './bytes.js';

const LF = 0x0a;
const CR = 0x0d;

export class LineCounter {
  /** The line of the input offset counted to. */
  private line = 1;
  private countedTo = 0;
  private lineStart = 0;
  private pendingCr = false;
  /** UTF-16 code units from `lineStart` to `bufferStart`, when the line started before the buffer. */
  private unitsBeforeBuffer = 0;
  private buffer: Uint8Array = new Uint8Array(0);
  private bufferStart = 0;
  /** In the buffer: where the next CR is at or after where lines are counted to (-1: none; undefined: not looked for). */
  private nextCr: number | undefined;

  constructor(
    private readonly utf8: boolean,
    /** Bytes of a byte order mark the input starts with (not counted in columns). */
    private readonly bom: number,
  ) {}

  /** The bytes from input offset `start` that counting goes on in (from where it is, up to their end). */
  setBuffer(buffer: Uint8Array, start: number): void {
    this.buffer = buffer;
    this.bufferStart = start;
    this.nextCr = undefined;
  }

  /** The line and column at input offset `offset` (in the buffer, at or after what is counted). */
  at(offset: number): { readonly line: number; readonly column: number } {
    this.countTo(offset);
    // A UTF-8 byte order mark is one UTF-16 code unit that columns do not count.
    const bomUnits = this.line === 1 && this.lineStart === 0 && this.bom > 0 ? 1 : 0;
    return { line: this.line, column: this.unitsOnLine(offset) + 1 - bomUnits };
  }

  /** Before the buffer is let go of up to input offset `cut`: its lines counted, and the columns of the line it cuts kept. */
  cutAt(cut: number): void {
    this.countTo(cut);
    if (this.lineStart < cut) this.unitsBeforeBuffer = this.unitsOnLine(cut);
  }

  /** Counts the line ends before input offset `to` (in the buffer) not counted yet. */
  private countTo(to: number): void {
    const buffer = this.buffer;
    let i = this.countedTo - this.bufferStart;
    const end = to - this.bufferStart;
    if (this.pendingCr && i < end) {
      this.pendingCr = false;
      if (buffer[i] === LF) this.lineStart = this.bufferStart + ++i;
    }
    // A CR is looked for once a buffer (as the count passes it): a search to the buffer's end each time would cost its size.
    if (this.nextCr === undefined || (this.nextCr !== -1 && this.nextCr < i)) this.nextCr = nativeIndexOf.call(buffer, CR, i);
    const cr = this.nextCr;
    if (cr === -1 || cr >= end) {
      for (let lf = nativeIndexOf.call(buffer, LF, i); lf !== -1 && lf < end; lf = nativeIndexOf.call(buffer, LF, lf + 1)) {
        this.line++;
        this.lineStart = this.bufferStart + lf + 1;
      }
    } else {
      for (; i < end; i++) {
        const c = buffer[i]!;
        if (c === LF || c === CR) {
          if (c === CR) {
            if (i + 1 === end) this.pendingCr = true;
            else if (buffer[i + 1] === LF) i++;
          }
          this.line++;
          this.lineStart = this.bufferStart + i + 1;
        }
      }
    }
    this.countedTo = to;
  }

  /** UTF-16 code units from the start of the line to input offset `to` (in the buffer, counted). */
  private unitsOnLine(to: number): number {
    const from = Math.max(this.lineStart, this.bufferStart);
    return (this.lineStart < this.bufferStart ? this.unitsBeforeBuffer : 0) + this.units16(this.buffer.subarray(from - this.bufferStart, to - this.bufferStart));
  }

  private units16(bytes: Uint8Array): number {
    if (!this.utf8) return bytes.length;
    let units = 0;
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes[i]!;
      // Not a continuation byte; a four-byte sequence is a surrogate pair.
      if ((b & 0xc0) !== 0x80) units += b >= 0xf0 ? 2 : 1;
    }
    return units;
  }
}
