/**
 * Byte arrays: joining two, finding a run of bytes. Pure.
 */

/** `a` then `b` (one of them as it is when the other is empty). */
export function concatBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  if (b.length === 0) return a;
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** A copy of `bytes` (`slice` on a Node Buffer gives a view). */
export function copyBytes(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length);
  out.set(bytes);
  return out;
}

/** The index of `pattern` in `buffer` from `from`, or -1. */
export function indexOfBytes(buffer: Uint8Array, pattern: Uint8Array, from: number): number {
  for (let i = buffer.indexOf(pattern[0]!, from); i !== -1; i = buffer.indexOf(pattern[0]!, i + 1)) {
    let j = 1;
    while (j < pattern.length && buffer[i + j] === pattern[j]) j++;
    if (j === pattern.length) return i;
    if (i + j >= buffer.length) return -1;
  }
  return -1;
}
