import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { readUnits, XliffError } from '../../src/index.js';
import { corpus } from '../helpers/corpus.js';
import { applyDamage, damage } from '../helpers/damage.js';

// Small files of every kind, so that each run is quick: a damaged document must end in
// units or an XliffError, never another exception or a hang.
const files = corpus()
  .filter((e) => e.expect === 'read')
  .map((e) => readFileSync(e.file))
  .filter((bytes) => bytes.length < 6000);

test('fuzz: truncated, flipped, inserted and deleted bytes end in units or an XliffError with a code', async () => {
  assert.ok(files.length > 100);
  let errors = 0;
  await fc.assert(
    fc.asyncProperty(fc.nat({ max: files.length - 1 }), fc.array(damage, { minLength: 1, maxLength: 3 }), fc.integer({ min: 1, max: 64 }), async (fileIndex, list, piece) => {
      const bytes = applyDamage(files[fileIndex]!, list);
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
