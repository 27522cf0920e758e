/**
 * The input's bytes the reader still holds as text, kept so that the writer can copy
 * untouched units and skeleton back as they came (no decoding round trip, no encoding:
 * bench/process) instead of encoding their text again.
 */
export class ByteWindow {
  /** Pieces of input, in order, the first starting at byte `start`. */
  private readonly pieces: Uint8Array[] = [];
  private start: number;
  private end: number;

  /** `offset`: the input offset of the first byte pushed (a byte range read from a seam starts past 0). */
  constructor(offset = 0) {
    this.start = offset;
    this.end = offset;
  }

  /** Appends the next piece of input. */
  push(piece: Uint8Array): void {
    if (piece.length === 0) return;
    this.pieces.push(piece);
    this.end += piece.length;
  }

  /**
   * Bytes `from` to `to` (input offsets): a view of a piece, or a copy when they span
   * pieces; `undefined` when the window does not hold them all.
   */
  slice(from: number, to: number): Uint8Array | undefined {
    if (from < this.start || to > this.end || from > to) return undefined;
    if (from === to) return new Uint8Array(0);
    let pieceStart = this.start;
    let i = 0;
    while (pieceStart + this.pieces[i]!.length <= from && i < this.pieces.length - 1) pieceStart += this.pieces[i++]!.length;
    const first = this.pieces[i]!;
    if (to - pieceStart <= first.length) return first.subarray(from - pieceStart, to - pieceStart);
    const out = new Uint8Array(to - from);
    let written = 0;
    for (; written < out.length; i++) {
      const piece = this.pieces[i]!;
      const begin = Math.max(0, from - pieceStart);
      const part = piece.subarray(begin, Math.min(piece.length, to - pieceStart));
      out.set(part, written);
      written += part.length;
      pieceStart += piece.length;
    }
    return out;
  }

  /** Lets go of the pieces that end at or before byte `offset`. */
  release(offset: number): void {
    let drop = 0;
    while (drop < this.pieces.length && this.start + this.pieces[drop]!.length <= offset) this.start += this.pieces[drop++]!.length;
    if (drop > 0) this.pieces.splice(0, drop);
  }
}
