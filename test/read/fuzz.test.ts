import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { readUnits, XliffError } from '../../src/index.js';
import { corpus } from '../helpers/corpus.js';

// Small files of every kind, so that each run is quick: a damaged document must end in
// units or an XliffError, never another exception or a hang.
const files = corpus()
  .filter((e) => e.expect === 'read')
  .map((e) => readFileSync(e.file))
  .filter((bytes) => bytes.length < 6000);

type Damage = { kind: 'truncate'; at: number } | { kind: 'flip'; at: number; bit: number } | { kind: 'insert'; at: number; bytes: number[] } | { kind: 'delete'; at: number; length: number };

const damage: fc.Arbitrary<Damage> = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.array(fc.oneof(fc.integer({ min: 0, max: 255 }), fc.constantFrom(0x3c, 0x3e, 0x26, 0x2f, 0x22, 0x5d)), { minLength: 1, maxLength: 8 }) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 16 }) }),
);

function apply(bytes: Buffer, list: Damage[]): Buffer {
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

test('fuzz: truncated, flipped, inserted and deleted bytes end in units or an XliffError with a code', async () => {
  assert.ok(files.length > 100);
  let errors = 0;
  await fc.assert(
    fc.asyncProperty(fc.nat({ max: files.length - 1 }), fc.array(damage, { minLength: 1, maxLength: 3 }), fc.integer({ min: 1, max: 64 }), async (fileIndex, list, piece) => {
      const bytes = apply(files[fileIndex]!, list);
      const pieces = Array.from({ length: Math.ceil(bytes.length / piece) }, (_, i) => bytes.subarray(i * piece, (i + 1) * piece));
      try {
        for await (const unit of readUnits(pieces)) assert.equal(typeof unit.raw, 'string');
      } catch (error) {
        if (!(error instanceof XliffError)) throw new Error(`not an XliffError: ${String(error)}`, { cause: error });
        assert.ok(error.code.startsWith('XLIFF_'));
        errors++;
      }
    }),
    { numRuns: 400, seed: 20261122 },
  );
  assert.ok(errors > 50, `only ${errors} of the damaged inputs failed`);
});
