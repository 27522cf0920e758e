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

function singleByteEncoder(encoding: string, table: Uint16Array): Encoder {
  const bytes = new Int16Array(0x10000).fill(-1);
  for (let b = 255; b >= 0; b--) if (table[b] !== 0xffff) bytes[table[b]!] = b;
  return {
    encoding,
    canEncode: (codePoint) => codePoint < 0x10000 && bytes[codePoint]! !== -1,
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
