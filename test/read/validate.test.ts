import { test } from 'node:test';
import assert from 'node:assert/strict';
import { XliffError, readUnits, validate } from '../../src/index.js';
import { corpus, expectedUnits } from '../helpers/corpus.js';

const XLIFF_12 = (root: string): string =>
  `<?xml version="1.0"?>\n${root}\n  <file original="a" source-language="en" datatype="plaintext"><body>\n    <trans-unit id="1"><source>One</source></trans-unit>\n    <trans-unit id="2"><source>Two</source></trans-unit>\n  </body></file>\n</xliff>\n`;

/** What readUnits does with the input: the units' count, or its error. */
async function readOutcome(input: string | Uint8Array): Promise<{ units: number } | XliffError> {
  let units = 0;
  try {
    for await (const unit of readUnits(input)) units += unit ? 1 : 0;
  } catch (error) {
    assert.ok(error instanceof XliffError, String(error));
    return error;
  }
  return { units };
}

test('validate agrees with readUnits on every corpus file: valid when it reads, else the same code and position', async () => {
  let valid = 0;
  let refused = 0;
  for (const entry of corpus()) {
    const result = await validate(entry.file);
    const read = await readOutcome(entry.file);
    if (read instanceof XliffError) {
      refused++;
      assert.equal(result.valid, false, entry.path);
      const fatal = result.problems.at(-1)!;
      assert.equal(fatal.fatal, true, entry.path);
      assert.deepEqual([fatal.code, fatal.line, fatal.column, fatal.offset, fatal.message], [read.code, read.line, read.column, read.offset, read.message], entry.path);
    } else {
      valid++;
      assert.deepEqual(result.problems, [], entry.path);
      assert.equal(result.units, read.units, entry.path);
      assert.equal(result.units, expectedUnits(entry), entry.path);
    }
  }
  assert.deepEqual({ valid, refused }, { valid: 390, refused: 10 });
});

test('validate: a document that is not XLIFF is refused as such, and checked as XML with xml: true', async () => {
  const html = '<?xml version="1.0"?>\n<html xmlns="http://www.w3.org/1999/xhtml"><body><p>text</p></body></html>\n';
  const asXliff = await validate(Buffer.from(html));
  assert.equal(asXliff.valid, false);
  assert.deepEqual(
    asXliff.problems.map(({ code, reason, line, column, fatal }) => ({ code, reason, line, column, fatal })),
    [{ code: 'XLIFF_NOT_XLIFF', reason: 'not an XLIFF document: the root element is <html> in namespace http://www.w3.org/1999/xhtml', line: 2, column: 1, fatal: true }],
  );
  const asXml = await validate(Buffer.from(html), { xml: true });
  assert.deepEqual(asXml, { valid: true, problems: [], encoding: 'utf-8', units: 0 });
  // XML-only mode reads an XLIFF file as XML: no units.
  const xliffAsXml = await validate(Buffer.from(XLIFF_12('<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">')), { xml: true });
  assert.deepEqual([xliffAsXml.valid, xliffAsXml.units], [true, 0]);
});

test('validate: an XML error is fatal and placed; the units before it are counted', async () => {
  const text = XLIFF_12('<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">').replace('<source>Two</source>', '<source>Two</sorce>');
  const result = await validate(Buffer.from(text), { fileName: 'bad.xlf' });
  assert.equal(result.valid, false);
  assert.equal(result.units, 1);
  const [problem] = result.problems;
  const read = await readOutcome(Buffer.from(text));
  assert.ok(read instanceof XliffError);
  assert.deepEqual(problem, { code: 'XLIFF_PARSE', reason: read.reason, message: `bad.xlf:5:${read.column}: ${read.reason}`, line: 5, column: read.column, offset: read.offset, fatal: true });
  assert.equal(read.line, 5);
  assert.equal(problem!.reason, 'unexpected close tag');
});

test('validate: a missing, unknown or mismatched XLIFF version is a problem reading goes on after; readUnits reads such files', async () => {
  const cases: Array<[string, string]> = [
    ['<xliff xmlns="urn:oasis:names:tc:xliff:document:1.2">', 'the root <xliff> has no version attribute (read as XLIFF 1.2)'],
    ['<xliff version="3.0" xmlns="urn:oasis:names:tc:xliff:document:1.2">', 'unknown XLIFF version "3.0" (read as XLIFF 1.2)'],
    ['<xliff version="2.0" xmlns="urn:oasis:names:tc:xliff:document:1.2">', 'version "2.0" in the XLIFF 1.x namespace urn:oasis:names:tc:xliff:document:1.2'],
  ];
  for (const [root, reason] of cases) {
    const text = XLIFF_12(root);
    const result = await validate(Buffer.from(text));
    assert.deepEqual(
      result.problems.map(({ code, reason, line, column, offset, fatal }) => ({ code, reason, line, column, offset, fatal })),
      [{ code: 'XLIFF_NOT_XLIFF', reason, line: 2, column: 1, offset: 22, fatal: false }],
      root,
    );
    assert.deepEqual([result.valid, result.units], [false, 2], root);
    assert.deepEqual(await readOutcome(Buffer.from(text)), { units: 2 }, root);
  }
  const v2 = '<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:2.0" srcLang="en"><file id="f"><unit id="u"><segment><source>a</source></segment></unit></file></xliff>';
  assert.deepEqual((await validate(Buffer.from(v2))).problems.map((p) => p.reason), ['version "1.2" in the XLIFF 2.x namespace urn:oasis:names:tc:xliff:document:2.0']);
});

test('validate: the encoding it read, the options checked, and input it cannot open rejects', async () => {
  const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(XLIFF_12('<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">'), 'utf16le')]);
  assert.deepEqual(await validate(utf16), { valid: true, problems: [], encoding: 'utf-16le', units: 2 });
  await assert.rejects(validate(Buffer.from('<a/>'), { xml: 'yes' as unknown as boolean }), { name: 'TypeError', message: 'Expected `xml` to be a boolean, got "yes"' });
  await assert.rejects(validate('/nonexistent/file.xlf'), (error: unknown) => error instanceof XliffError && error.code === 'XLIFF_IO');
  const aborted = AbortSignal.abort();
  await assert.rejects(validate(Buffer.from('<a/>'), { signal: aborted }), (error: unknown) => error instanceof XliffError && error.code === 'XLIFF_ABORTED');
  const empty = await validate(Buffer.from('  \n'));
  assert.deepEqual(empty.problems.map((p) => [p.code, p.fatal]), [['XLIFF_EMPTY', true]]);
});
