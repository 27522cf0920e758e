/**
 * The document reader alone: pieces pushed in, items out, with no stream, file or signal
 * around it. It must give what `readUnits` gives, one batch per piece, and an error after
 * the items its piece gave.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { XliffError, type Unit } from '../../src/index.js';
import type { UnitLayout } from '../../src/model.js';
import { DocumentReader, type ItemMakers } from '../../src/read/document-reader.js';
import { CORPUS_DIR } from '../helpers/corpus.js';
import { collect, enc, inPieces, xliff12 } from '../helpers/read.js';

type Item =
  | { kind: 'encoding'; encoding: string }
  | { kind: 'skeleton'; text: string; bytes: Uint8Array | undefined }
  | { kind: 'unit'; unit: Unit; layout: UnitLayout; bytes: Uint8Array | undefined };

const units: ItemMakers<Unit> = { unit: (unit) => unit };
const everything: ItemMakers<Item> = {
  encoding: (encoding) => ({ kind: 'encoding', encoding }),
  skeleton: (text, bytes) => ({ kind: 'skeleton', text, bytes }),
  unit: (unit, layout, bytes) => ({ kind: 'unit', unit, layout, bytes }),
  bytes: true,
};

/** Every batch the reader gives for `pieces`, the end's included (empty ones too). */
function batches<T>(pieces: Iterable<Uint8Array | string>, make: ItemMakers<T>, maxUnitBytes = 64 * 1024 * 1024): T[][] {
  const reader = new DocumentReader('<test>', { maxUnitBytes }, make);
  const out: T[][] = [];
  for (const piece of pieces) {
    out.push(reader.write(piece));
    if (reader.failure !== undefined) throw reader.failure;
  }
  out.push(reader.end());
  if (reader.failure !== undefined) throw reader.failure;
  return out;
}

const ANGULAR = join(CORPUS_DIR, 'angular-apps/messages.de.xlf');

test('DocumentReader gives the units readUnits gives, whatever the pieces, bytes or strings', async () => {
  const bytes = new Uint8Array(readFileSync(ANGULAR));
  const expected = await collect(bytes);
  assert.ok(expected.length > 1000);
  for (const size of [1, 7, 4096, 65536, bytes.length]) {
    const pieces = size === 1 ? inPieces(bytes.subarray(0, 20000), 1).concat([bytes.subarray(20000)]) : inPieces(bytes, size);
    assert.deepEqual(batches(pieces, units).flat(), expected, `byte pieces of ${size}`);
  }
  const text = new TextDecoder().decode(bytes);
  assert.deepEqual(batches([text.slice(0, 3000), text.slice(3000)], units).flat(), expected, 'string pieces');
});

test('DocumentReader: one batch per piece, the encoding first, skeleton and units that make up the input, with their bytes', () => {
  const text = xliff12('<trans-unit id="a"><source>é</source></trans-unit>\n<trans-unit id="b"><source>b</source></trans-unit>');
  const bytes = enc(text);
  const pieces = inPieces(bytes, 64);
  const out = batches(pieces, everything);
  assert.equal(out.length, pieces.length + 1);
  const items = out.flat();
  assert.deepEqual(items[0], { kind: 'encoding', encoding: 'utf-8' });
  let rebuilt = '';
  const rebuiltBytes: number[] = [];
  for (const item of items.slice(1)) {
    assert.notEqual(item.kind, 'encoding');
    if (item.kind === 'encoding') continue;
    rebuilt += item.kind === 'unit' ? item.unit.raw : item.text;
    rebuiltBytes.push(...item.bytes!);
  }
  assert.equal(rebuilt, text);
  assert.deepEqual(Uint8Array.from(rebuiltBytes), bytes);
  assert.deepEqual(items.filter((i) => i.kind === 'unit').map((i) => i.unit.id), ['a', 'b']);
});

test('DocumentReader: the piece that holds an error still gives what came before it; the error comes after, and on every call', () => {
  const text = xliff12('<trans-unit id="a"><source>a</source></trans-unit>\n<trans-unit id="b"><source>b</source></trans-unit>\n<oops>');
  const reader = new DocumentReader('<test>', { maxUnitBytes: 1024 }, units);
  const first = reader.write(text);
  assert.deepEqual(first.map((u) => u.id), ['a', 'b']);
  assert.ok(reader.failure instanceof XliffError);
  assert.equal(reader.failure.code, 'XLIFF_PARSE');
  assert.equal(reader.failure.file, '<test>');
  assert.throws(() => reader.write('more'), (error) => error === reader.failure);
  assert.throws(() => reader.end(), (error) => error === reader.failure);
});

test('DocumentReader: a decode error is placed after the valid text before it', () => {
  const bytes = Uint8Array.from([...enc(xliff12('<trans-unit id="a"><source>a</source></trans-unit>')).subarray(0, 200), 0xff]);
  const reader = new DocumentReader('<test>', { maxUnitBytes: 1024 }, units);
  reader.write(bytes);
  assert.ok(reader.failure instanceof XliffError);
  assert.equal(reader.failure.code, 'XLIFF_ENCODING');
  assert.equal(reader.failure.offset, 200);
  assert.equal(typeof reader.failure.line, 'number');
});

test('DocumentReader refuses an input that mixes text and byte pieces', () => {
  const reader = new DocumentReader('<test>', { maxUnitBytes: 1024 }, units);
  reader.write('<?xml version="1.0"?>');
  reader.write(enc('<xliff/>'));
  assert.ok(reader.failure instanceof XliffError);
  assert.match(reader.failure.message, /mixes text and byte pieces/);
});
