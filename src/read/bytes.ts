/**
 * Byte arrays: joining two, copying one, searching one. Pure.
 */

/** Buffer's native search for a byte or a byte sequence, called on any Uint8Array (V8's `Uint8Array#indexOf` took 1.5-2x its time here: bench/io.ts). */
export const nativeIndexOf = Buffer.prototype.indexOf as (this: Uint8Array, value: number | Uint8Array, from: number) => number;

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
