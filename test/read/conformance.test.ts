/**
 * The W3C XML Conformance Test Suite (XML 1.0, 5th edition) through `validate(file, { xml: true })`:
 * the reader's own XML layer, the one `readUnits` runs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validate } from '../../src/index.js';
import { conformanceTests, type ConformanceTest } from '../helpers/conformance.js';

/** Well-formed documents refused on purpose, with the reason. */
const REFUSED_ON_PURPOSE: Record<string, string> = {
  // The suite marks them NAMESPACE="no": well-formed XML 1.0, but names like `A:._-0` and
  // `A.-:̀·` break Namespaces in XML, which the reader enforces (XLIFF is namespaced).
  'o-p04pass1': 'not namespace-well-formed',
  'o-p05pass1': 'not namespace-well-formed',
};

const tests = conformanceTests();
const withoutEntities = (t: ConformanceTest): boolean => t.entities === 'none';

/** Counts by class, as the rows of a table. */
function table(rows: readonly string[]): string[] {
  const counts = new Map<string, number>();
  for (const row of rows) counts.set(row, (counts.get(row) ?? 0) + 1);
  return [...counts].sort().map(([row, n]) => `${row.padEnd(50)} ${String(n).padStart(4)}`);
}

test('every not-well-formed document without external entities is rejected', async (t) => {
  const notWellFormed = tests.filter((c) => c.type === 'not-wf' && withoutEntities(c));
  assert.equal(notWellFormed.length, 951);
  const accepted: string[] = [];
  const rows: string[] = [];
  for (const c of notWellFormed) {
    const result = await validate(c.path, { xml: true });
    if (result.valid) accepted.push(`${c.id} (${c.description})`);
    else rows.push(`${(c.hasDoctype ? 'not-wf, with DOCTYPE' : 'not-wf, no DOCTYPE').padEnd(22)} rejected: ${result.problems.at(-1)!.code}`);
  }
  for (const row of table(rows)) t.diagnostic(row);
  assert.deepEqual(accepted, []);
  assert.equal(notWellFormed.filter((c) => !c.hasDoctype).length, 242);
});

test('every well-formed document without a DOCTYPE is accepted (but those refused on purpose)', async (t) => {
  const wellFormed = tests.filter((c) => (c.type === 'valid' || c.type === 'invalid') && withoutEntities(c) && !c.hasDoctype);
  assert.equal(wellFormed.length, 72);
  const refused: Record<string, string> = {};
  for (const c of wellFormed) {
    const result = await validate(c.path, { xml: true });
    if (!result.valid) refused[c.id] = result.problems[0]!.message;
  }
  t.diagnostic(`well-formed, no DOCTYPE: ${wellFormed.length - Object.keys(refused).length}/${wellFormed.length} accepted; refused on purpose: ${Object.keys(REFUSED_ON_PURPOSE).join(', ')}`);
  assert.deepEqual(Object.keys(refused).sort(), Object.keys(REFUSED_ON_PURPOSE).sort(), JSON.stringify(refused, null, 2));
  for (const id of Object.keys(REFUSED_ON_PURPOSE)) assert.equal(tests.find((c) => c.id === id)?.type, 'invalid');
});
