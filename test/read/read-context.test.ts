/**
 * Reading on from a context: a document cut at a unit's start reads, in two readers (the
 * second one resumed from the context the first one gives there), to the same units as in
 * one, with the same positions, indexes and files, and fails with the same error.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { XliffError, type Unit } from '../../src/index.js';
import { DocumentReader, type ItemMakers } from '../../src/read/document-reader.js';
import type { ReadContext } from '../../src/read/read-context.js';
import { corpus } from '../helpers/corpus.js';
import { enc, inPieces, xliff12 } from '../helpers/read.js';

const MAKE: ItemMakers<Unit> = { unit: (unit) => unit };
const OPTIONS = { maxUnitBytes: 64 * 1024 * 1024, keepContext: true };

/** Units of `bytes` read in pieces of `size`, and the error, if any. */
function read(bytes: Uint8Array, resume?: ReadContext, size = 64 * 1024, end = true): { units: Unit[]; error: unknown; reader: DocumentReader<Unit> } {
  const reader = new DocumentReader('doc.xlf', { ...OPTIONS, resume }, MAKE);
  const units: Unit[] = [];
  try {
    for (const piece of inPieces(bytes, size)) units.push(...reader.write(piece));
    if (end) units.push(...reader.end());
    return { units, error: undefined, reader };
  } catch (error) {
    return { units, error, reader };
  }
}

/** Reads `bytes` cut at byte `at`: the first part, its context, the rest resumed from it. */
function readCut(bytes: Uint8Array, at: number, size?: number): { units: Unit[]; error: unknown; context: ReadContext | undefined } {
  const first = read(bytes.subarray(0, at), undefined, size, false);
  assert.equal(first.error, undefined);
  const context = first.reader.context();
  if (!context) return { units: first.units, error: undefined, context };
  // Through a structured clone, as it crosses threads.
  const rest = read(bytes.subarray(at), structuredClone(context), size);
  return { units: [...first.units, ...rest.units], error: rest.error, context };
}

function assertSameError(actual: unknown, expected: unknown, where: string): void {
  assert.ok(actual instanceof XliffError, `${where}: ${String(actual)}`);
  assert.ok(expected instanceof XliffError);
  assert.deepEqual({ code: actual.code, message: actual.message, line: actual.line, column: actual.column, offset: actual.offset, unitId: actual.unitId }, { code: expected.code, message: expected.message, line: expected.line, column: expected.column, offset: expected.offset, unitId: expected.unitId }, where);
}

test('read context: every corpus file cut at units outside the first reads to the same units as in one reader', () => {
  let cuts = 0;
  for (const entry of corpus().filter((e) => e.expect === 'read')) {
    const bytes = readFileSync(entry.file);
    const whole = read(bytes);
    assert.equal(whole.error, undefined, entry.path);
    // Up to 3 units of each file, spread over it.
    const step = Math.max(1, Math.floor(whole.units.length / 3));
    for (let i = 1; i < whole.units.length; i += step) {
      const at = whole.units[i]!.location.offset;
      const cut = readCut(bytes, at);
      assert.ok(cut.context, `${entry.path}: a context at unit ${i}`);
      cuts++;
      assert.equal(cut.context.offset, at, `${entry.path} cut at ${at}`);
      assert.deepEqual(cut.units, whole.units, `${entry.path} cut at ${at}`);
    }
  }
  assert.ok(cuts > 300, `${cuts} cuts`);
});

test('read context: files, groups, namespaces and translate of ancestors; a unit outside any file; a single line; windows-1252', () => {
  const docs = [
    `<?xml version="1.0"?><xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2" xmlns:x="urn:x"><file original="a" source-language="en" datatype="plaintext"><body><group id="g" translate="no"><trans-unit id="1"><source>a</source></trans-unit><trans-unit id="2"><source x:a="1">b</source></trans-unit></group><trans-unit id="3"><source>c</source></trans-unit></body></file><file original="b" source-language="en" datatype="plaintext"><body><trans-unit id="4"><source>d</source></trans-unit></body></file></xliff>`,
    `<xliff version="1.2"><trans-unit id="1"><source>a</source></trans-unit>\n<trans-unit id="2"><source>b</source></trans-unit></xliff>`,
    xliff12(`<group id="g1">\r\n<group id="g2" resname="r\tx">\r\n<trans-unit id="1"><source>é</source></trans-unit>\r\n<trans-unit id="2"><source>€</source></trans-unit></group></group>`),
  ];
  const encoded = [...docs.map(enc), new Uint8Array(Buffer.from(docs[2]!.replace('<?xml version="1.0" encoding="UTF-8"?>', '<?xml version="1.0" encoding="windows-1252"?>'), 'latin1'))];
  encoded[3] = Buffer.from(Buffer.from(encoded[3]!).toString('latin1').replace('€', '\x80'), 'latin1');
  for (const [n, bytes] of encoded.entries()) {
    const whole = read(bytes);
    assert.equal(whole.error, undefined, `doc ${n}: ${String(whole.error)}`);
    assert.ok(whole.units.length >= 2);
    for (const unit of whole.units.slice(1)) {
      for (const size of [1, 7, 64 * 1024]) {
        const cut = readCut(bytes, unit.location.offset, size);
        assert.ok(cut.context, `doc ${n} at unit ${unit.id}`);
        assert.deepEqual(cut.units, whole.units, `doc ${n} cut at unit ${unit.id}, pieces of ${size}`);
      }
    }
  }
});

test('read context: an error after the cut is the one a single reader gives (code, message, position, unit)', () => {
  const good = (id: string) => `<trans-unit id="${id}"><source>a</source></trans-unit>`;
  for (const [body, what] of [
    [`${good('1')}\n${good('2')}\n<trans-unit id="3"><source>a</sourc></trans-unit>`, 'a mismatched end tag'],
    [`${good('1')}\n${good('2')} ]]> x`, '"]]>" between units'],
    [`${good('1')}\n${good('2')}\n</body></file></xliff><x/>`, 'a second root'],
    [`${good('1')}\n${good('2')}\n</body></file>`, 'an unclosed root'],
    [`${good('1')}\n${good('2')}\n<trans-unit id="3" resname="a" resname="b"><source>a</source></trans-unit>`, 'a duplicate attribute'],
  ] as const) {
    const bytes = enc(xliff12(body));
    const whole = read(bytes);
    assert.ok(whole.error, what);
    const at = whole.units[1]!.location.offset;
    const cut = readCut(bytes, at);
    assert.ok(cut.context, what);
    assert.deepEqual(cut.units, whole.units, what);
    assertSameError(cut.error, whole.error, what);
  }
});

test('read context: none where reading cannot go on from (inside a unit, a comment, a tag)', () => {
  const doc = xliff12('<trans-unit id="1"><source>a</source></trans-unit><!-- c --><trans-unit id="2"><source>b</source></trans-unit>');
  const bytes = enc(doc);
  for (const inside of ['<source>a', '<!-- c', '<trans-unit id="2"', '"2']) {
    const at = enc(doc.slice(0, doc.indexOf(inside) + inside.length - 1)).length;
    assert.equal(read(bytes.subarray(0, at), undefined, 64 * 1024, false).reader.context(), undefined, inside);
  }
  assert.ok(read(bytes.subarray(0, enc(doc.slice(0, doc.indexOf('<trans-unit id="2"'))).length), undefined, 64 * 1024, false).reader.context());
});

test('read context: a reader resumed past byte 0 hands on the input bytes of its units and skeleton (the writer copies them), and its range\'s last skeleton', () => {
  const doc = enc(xliff12(Array.from({ length: 40 }, (_, i) => `<trans-unit id="${i}"><source>é ${i}</source></trans-unit>\n`).join('')));
  const at = Buffer.from(doc).indexOf('<trans-unit id="20"');
  const first = new DocumentReader('doc.xlf', { ...OPTIONS }, MAKE);
  first.write(doc.subarray(0, at));
  const context = first.context()!;
  type Item = { kind: string; text: string; bytes: Uint8Array | undefined };
  const make: ItemMakers<Item> = {
    unit: (unit, _layout, bytes) => ({ kind: 'unit', text: unit.raw, bytes }),
    skeleton: (text, bytes) => ({ kind: 'skeleton', text, bytes }),
    bytes: true,
  };
  const end = Buffer.from(doc).indexOf('<trans-unit id="30"');
  const reader = new DocumentReader('doc.xlf', { ...OPTIONS, resume: context }, make);
  const items = [...reader.write(doc.subarray(at, end))];
  const ended = reader.endRange();
  items.push(...ended.items);
  assert.equal(ended.context?.units, 30);
  assert.equal(items.filter((item) => item.kind === 'unit').length, 10);
  // Every item with its bytes, and together they are the range's bytes, to the last one.
  for (const item of items) assert.ok(item.bytes && Buffer.from(item.bytes).toString('utf8') === item.text, item.text);
  assert.ok(Buffer.concat(items.map((item) => item.bytes!)).equals(Buffer.from(doc.subarray(at, end))));
});
