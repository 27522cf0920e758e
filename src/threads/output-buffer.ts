/**
 * A range's output on a worker thread, copied as it is written into one buffer of its own (a
 * pooled Buffer's memory must not move to another thread), so that each chunk's bytes die
 * young. The buffer moves whole to the calling thread, which can give it back, once written,
 * with a later range's task: memory written once already, so the range's first writes into
 * it make no page faults (new memory costs about 2 ms per MiB of them here).
 */

/** Room for a range's output: its input bytes and a quarter (targets added make it larger). */
const ROOM = 1.25;
/** New buffers are rounded up to this, so that a reused one fits the next range (ranges differ by a chunk or so). */
const ROUND = 1024 * 1024;

export class OutputBuffer {
  private buffer: Uint8Array;
  private length = 0;

  /**
   * `expected`: about the bytes it will hold (the range's input bytes); `given`: a buffer
   * another range wrote, used if it has room for `expected` (else left to the GC).
   */
  constructor(expected: number, given?: ArrayBuffer | undefined) {
    const room = Math.max(1024, Math.ceil(expected * ROOM));
    this.buffer = given !== undefined && given.byteLength >= room ? new Uint8Array(given) : new Uint8Array(room < ROUND ? room : Math.ceil(room / ROUND) * ROUND);
  }

  add(bytes: Uint8Array): void {
    if (this.length + bytes.length > this.buffer.length) {
      const grown = new Uint8Array(Math.max(this.buffer.length * 2, this.length + bytes.length));
      grown.set(this.buffer.subarray(0, this.length));
      this.buffer = grown;
    }
    this.buffer.set(bytes, this.length);
    this.length += bytes.length;
  }

  /** What it holds: a view of its own buffer (moved whole to the calling thread). */
  bytes(): Uint8Array {
    return this.buffer.subarray(0, this.length);
  }
}
