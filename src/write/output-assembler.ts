/**
 * Puts a stretch of output together from pieces that are either input bytes to copy as
 * they are (what the job left untouched) or text to encode (what it changed, or text
 * read without bytes). Adjacent views of one input piece become one view; a run of text
 * is encoded in one call.
 */

/** Input bytes shorter than this, after text, join the text run instead (one encode, not two parts). */
const SMALL_BYTES = 256;
/** A run of text this long (characters) is encoded at once: bytes live off the V8 heap, strings would be copied by each GC. */
const MAX_TEXT_RUN = 64 * 1024;

export class OutputAssembler {
  private readonly parts: Uint8Array[] = [];
  private texts: string[] = [];
  private textLength = 0;

  constructor(private readonly encode: (text: string) => Uint8Array) {}

  /** A piece of output: `text`, whose bytes are `bytes` (copied) or `undefined` (encoded). */
  add(text: string, bytes: Uint8Array | undefined): void {
    if (bytes === undefined || (this.texts.length > 0 && bytes.length < SMALL_BYTES)) {
      if (text.length > 0) this.texts.push(text);
      this.textLength += text.length;
      if (this.textLength >= MAX_TEXT_RUN) this.flushText();
      return;
    }
    this.flushText();
    if (bytes.length === 0) return;
    const last = this.parts[this.parts.length - 1];
    if (last && last.buffer === bytes.buffer && last.byteOffset + last.length === bytes.byteOffset) {
      this.parts[this.parts.length - 1] = new Uint8Array(last.buffer, last.byteOffset, last.length + bytes.length);
    } else this.parts.push(bytes);
  }

  /** The output so far, as one run of bytes. */
  finish(): Uint8Array {
    this.flushText();
    return this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts);
  }

  private flushText(): void {
    if (this.texts.length === 0) return;
    this.parts.push(this.encode(this.texts.length === 1 ? this.texts[0]! : this.texts.join('')));
    this.texts = [];
    this.textLength = 0;
  }
}
