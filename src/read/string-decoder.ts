/**
 * The decoder of text inputs (pieces that are strings): nothing to decode, offsets
 * count UTF-8 bytes. Pure.
 */
import { codePointName } from '../errors.js';
import { DecodeFault } from './decoder.js';
import { utf8ByteLength } from './utf8.js';

export interface StringDecoder {
  /** UTF-8 bytes of `text`: the offsets of a text input. */
  byteLength(text: string): number;
  write(text: string): string;
  end(): string;
}

/**
 * A lone surrogate is not a character (XML's `Char` excludes them, and it has no UTF-8 form):
 * `write` and `end` throw a `DecodeFault` at it, as the byte decoders do at a bad byte.
 */
export function createStringDecoder(): StringDecoder {
  let pendingHigh = '';
  /** UTF-8 bytes of the text returned so far. */
  let bytes = 0;
  const fault = (text: string, at: number): DecodeFault => {
    const before = text.slice(0, at);
    const offset = bytes + utf8ByteLength(before);
    return new DecodeFault('encoding', `invalid text at byte ${offset}: a lone surrogate (${codePointName(text.charCodeAt(at))})`, offset, before);
  };
  return {
    byteLength: utf8ByteLength,
    write(text) {
      // Hold back half a surrogate pair so that it is never seen alone.
      text = pendingHigh + text;
      pendingHigh = '';
      const last = text.charCodeAt(text.length - 1);
      if (last >= 0xd800 && last <= 0xdbff) {
        pendingHigh = text.slice(-1);
        text = text.slice(0, -1);
      }
      if (!isWellFormed(text)) throw fault(text, LONE_SURROGATE.exec(text)!.index);
      bytes += utf8ByteLength(text);
      return text;
    },
    end() {
      if (pendingHigh) throw fault(pendingHigh, 0);
      return '';
    },
  };
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const nativeIsWellFormed = (String.prototype as { isWellFormed?: () => boolean }).isWellFormed;
/** Whether `text` holds no lone surrogate (`String.prototype.isWellFormed`, Node 20+). */
function isWellFormed(text: string): boolean {
  return nativeIsWellFormed ? nativeIsWellFormed.call(text) : !LONE_SURROGATE.test(text);
}
