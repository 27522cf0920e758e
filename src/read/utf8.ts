/**
 * UTF-8 without a decoder: where a byte sequence stops being valid (to place an error at
 * its exact byte, whatever the pieces were), and how many bytes a text takes. Pure.
 */

/**
 * UTF-8 bytes of `text`. The reader may cut its text inside a surrogate pair (it hands sax
 * slices of a fixed length): a half pair at either end counts 2 of the pair's 4 bytes, not
 * the 3 of U+FFFD that `Buffer.byteLength` gives it, so that the halves add up.
 */
export function utf8ByteLength(text: string): number {
  let bytes = Buffer.byteLength(text, 'utf8');
  const first = text.charCodeAt(0);
  if (first >= 0xdc00 && first <= 0xdfff) bytes--;
  const last = text.charCodeAt(text.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) bytes--;
  return bytes;
}

/** Index of the first byte that starts an invalid UTF-8 sequence (or `bytes.length` if the input ends inside one). */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    if (bytes[i]! < 0x80) {
      i++;
      continue;
    }
    const size = utf8Sequence(bytes, i);
    if (size <= 0) return i;
    i += size;
  }
  return i;
}

/**
 * The UTF-8 sequence at `i`: its length if valid; minus the bytes up to and including the
 * one that makes it invalid; 0 if `bytes` end before it is complete.
 */
export function utf8Sequence(bytes: Uint8Array, i: number): number {
  const b = bytes[i]!;
  let need: number;
  let min = 0x80;
  let max = 0xbf;
  if (b < 0x80) return 1;
  if (b >= 0xc2 && b <= 0xdf) need = 1;
  else if (b >= 0xe0 && b <= 0xef) {
    need = 2;
    if (b === 0xe0) min = 0xa0;
    if (b === 0xed) max = 0x9f;
  } else if (b >= 0xf0 && b <= 0xf4) {
    need = 3;
    if (b === 0xf0) min = 0x90;
    if (b === 0xf4) max = 0x8f;
  } else return -1;
  for (let k = 1; k <= need; k++) {
    if (i + k >= bytes.length) return 0;
    const c = bytes[i + k]!;
    if (c < (k === 1 ? min : 0x80) || c > (k === 1 ? max : 0xbf)) return -(k + 1);
  }
  return need + 1;
}

/** How many bytes at the end of `tail` begin a UTF-8 sequence that is not complete yet. */
export function incompleteUtf8Suffix(tail: Uint8Array): number {
  for (let k = 1; k <= Math.min(3, tail.length); k++) {
    const b = tail[tail.length - k]!;
    if (b >= 0x80 && b < 0xc0) continue;
    const size = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return size > k ? k : 0;
  }
  return 0;
}
