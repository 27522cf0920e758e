/**
 * Text -> bytes in the input's own encoding, so that untouched text comes back byte
 * for byte. Pure: no I/O.
 */
import { decodingTable } from '../charsets.js';
import { codePointName } from '../errors.js';

export interface Encoder {
  readonly encoding: string;
  encode(text: string): Uint8Array;
  /** Whether the encoding holds this character (else the writer uses a character reference). */
  canEncode(codePoint: number): boolean;
}

export function createEncoder(encoding: string): Encoder {
  if (encoding === 'utf-8') return { encoding, encode: (text) => Buffer.from(text, 'utf8'), canEncode: () => true };
  if (encoding === 'utf-16le') return { encoding, encode: (text) => Buffer.from(text, 'utf16le'), canEncode: () => true };
  if (encoding === 'utf-16be') return { encoding, encode: (text) => Buffer.from(text, 'utf16le').swap16(), canEncode: () => true };
  return singleByteEncoder(encoding, decodingTable(encoding));
}

/**
 * Characters a table holds that libxml2 (through iconv) reads back otherwise: written raw,
 * they would make a file other XML tools read differently, so new text gets them as
 * character references. Measured with xmllint, byte by byte (test/write/encoder.test.ts):
 * the C1 controls (U+0080-U+009F) everywhere but ISO-8859-1, where they are the bytes
 * 0x80-0x9F, and windows-1258's combining marks, which iconv composes with the letter
 * before (U+01AF U+0303 reads as U+1EEE). What iconv leaves undefined the tables
 * (src/charsets.ts) leave undefined too.
 */
const COMBINING_1258: readonly number[] = [0x300, 0x301, 0x303, 0x309, 0x323];

/** Whether new text gets `codePoint` as a character reference in `encoding`, though the table holds it. */
function notRaw(encoding: string, codePoint: number): boolean {
  if (codePoint >= 0x80 && codePoint <= 0x9f) return encoding !== 'iso-8859-1';
  return encoding === 'windows-1258' && COMBINING_1258.includes(codePoint);
}

function singleByteEncoder(encoding: string, table: Uint16Array): Encoder {
  const bytes = new Int16Array(0x10000).fill(-1);
  for (let b = 255; b >= 0; b--) if (table[b] !== 0xffff) bytes[table[b]!] = b;
  return {
    encoding,
    // Text read from the input is encoded back as it came (every character it decoded to);
    // new text gets references for what libxml2 would not read back.
    canEncode: (codePoint) => codePoint < 0x10000 && bytes[codePoint]! !== -1 && !notRaw(encoding, codePoint),
    encode(text) {
      const out = new Uint8Array(text.length);
      for (let i = 0; i < text.length; i++) {
        const byte = bytes[text.charCodeAt(i)]!;
        if (byte === -1) throw new RangeError(`${codePointName(text.charCodeAt(i))} cannot be written in ${encoding}`);
        out[i] = byte;
      }
      return out;
    },
  };
}
