/**
 * Damage to a document, as fast-check values: bytes truncated, flipped, inserted (markup
 * characters among them) or deleted, at positions taken modulo the length.
 */
import fc from 'fast-check';

export type Damage = { kind: 'truncate'; at: number } | { kind: 'flip'; at: number; bit: number } | { kind: 'insert'; at: number; bytes: number[] } | { kind: 'delete'; at: number; length: number };

export const damage: fc.Arbitrary<Damage> = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.array(fc.oneof(fc.integer({ min: 0, max: 255 }), fc.constantFrom(0x3c, 0x3e, 0x26, 0x2f, 0x22, 0x5d)), { minLength: 1, maxLength: 8 }) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 16 }) }),
);

/** `bytes` with each damage of `list` done in turn (a copy: `bytes` is left as it is). */
export function applyDamage(bytes: Uint8Array, list: readonly Damage[]): Buffer {
  let out = Buffer.from(bytes);
  for (const d of list) {
    const at = out.length === 0 ? 0 : d.at % (out.length + 1);
    if (d.kind === 'truncate') out = out.subarray(0, at);
    else if (d.kind === 'flip' && at < out.length) out[at] = out[at]! ^ (1 << d.bit);
    else if (d.kind === 'insert') out = Buffer.concat([out.subarray(0, at), Buffer.from(d.bytes), out.subarray(at)]);
    else if (d.kind === 'delete') out = Buffer.concat([out.subarray(0, at), out.subarray(at + d.length)]);
  }
  return out;
}
