import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readUnits, XliffError } from '../../src/index.js';
import { corpus, expectedUnits } from '../helpers/corpus.js';

const entries = corpus();

test('the corpus is where the tests expect it', () => {
  assert.equal(entries.filter((e) => e.expect === 'read').length, 390);
  assert.equal(entries.filter((e) => e.expect === 'reject').length, 10);
});

test('every `read` corpus file reads with the unit count libxml2 gives', async () => {
  const failures: string[] = [];
  for (const entry of entries.filter((e) => e.expect === 'read')) {
    try {
      let count = 0;
      for await (const unit of readUnits(entry.file)) {
        assert.equal(unit.index, count);
        count++;
      }
      if (count !== expectedUnits(entry)) failures.push(`${entry.path}: ${count} units, libxml2 counts ${expectedUnits(entry)}`);
    } catch (error) {
      failures.push(`${entry.path}: ${(error as Error).message}`);
    }
  }
  assert.deepEqual(failures, []);
});

test('every `reject` corpus file fails with an XliffError that has a code and a line', async () => {
  const outcomes: Record<string, string> = {};
  for (const entry of entries.filter((e) => e.expect === 'reject')) {
    try {
      for await (const unit of readUnits(entry.file)) void unit;
      outcomes[entry.path] = 'read without error';
    } catch (error) {
      assert.ok(error instanceof XliffError, `${entry.path}: ${String(error)}`);
      assert.ok(error.line !== undefined && error.line >= 1, `${entry.path}: no line in ${error.message}`);
      assert.ok(error.message.startsWith(`${entry.file}:${error.line}:${error.column}: `), error.message);
      outcomes[entry.path] = error.code;
    }
  }
  assert.deepEqual(outcomes, {
    'netresearch-xliff-streaming/billion-laughs.xlf': 'XLIFF_ENTITY',
    'netresearch-xliff-streaming/xxe-file-read.xlf': 'XLIFF_ENTITY',
    'oasis-xliff22-ts/Good-pgs_plural.xlf': 'XLIFF_PARSE',
    'okapi-misc/corrupt.html_test.xlf': 'XLIFF_PARSE',
    'okapi-misc/empty.html_test.xlf': 'XLIFF_EMPTY',
    'okapi-misc/invalid_xml_entity.xlf': 'XLIFF_PARSE',
    'symfony-translation/empty.xlf': 'XLIFF_EMPTY',
    'symfony-translation/invalid-xml-resources.xlf': 'XLIFF_PARSE',
    'translate-toolkit/tt_malformed_xml_decl.xlf': 'XLIFF_PARSE',
    'translate-toolkit/tt_xxe_entity_doctype.xlf': 'XLIFF_ENTITY',
  });
});
