/**
 * The seam scanner's guesses: at every unit it proposes, the context it gives is the one the
 * reader itself has there (`sameContext`), on the corpus in UTF-8 and single-byte encodings,
 * on generated files of both versions, in pieces of any size, with units known by their
 * namespace. A guess it cannot make right (a unit holding an element of its own name) is
 * caught by that check (what the threaded reader does).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Unit } from '../../src/index.js';
import { DocumentReader } from '../../src/read/document-reader.js';
import { createDecoder } from '../../src/read/decoder.js';
import { sameContext, type ReadContext } from '../../src/read/read-context.js';
import { SeamScanner, scannable } from '../../src/read/seam-scanner.js';
import { corpus } from '../helpers/corpus.js';
import { enc, inPieces, unitHoldingItsName, xliff12 } from '../helpers/read.js';

const GEN = fileURLToPath(new URL('../../scripts/gen-xliff.cjs', import.meta.url));

/** The contexts the scanner proposes over `bytes` in pieces of `size`, a seam at every unit it can. */
function proposed(bytes: Uint8Array, encoding: string, size: number, rangeBytes = 1): ReadContext[] {
  const seams: ReadContext[] = [];
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const scanner = new SeamScanner(encoding, rangeBytes, (context) => seams.push(context), bom);
  for (const piece of inPieces(bytes, size)) scanner.write(piece);
  return seams;
}

/** The reader's own context where `bytes` are cut at `offset`. */
function actual(bytes: Uint8Array, offset: number): ReadContext | undefined {
  const reader = new DocumentReader<Unit>('doc.xlf', { maxUnitBytes: 64 * 1024 * 1024, keepContext: true }, { unit: (unit) => unit });
  reader.write(bytes.subarray(0, offset));
  return reader.context();
}

function encodingOf(bytes: Uint8Array): string | undefined {
  const decoder = createDecoder();
  try {
    decoder.write(bytes.subarray(0, 4096));
    decoder.end();
  } catch {
    return undefined;
  }
  return decoder.encoding;
}

function unitStarts(bytes: Uint8Array): number[] {
  const reader = new DocumentReader<Unit>('doc.xlf', { maxUnitBytes: 64 * 1024 * 1024 }, { unit: (unit) => unit });
  return [...reader.write(bytes), ...reader.end()].map((unit) => unit.location.offset);
}

test('seam scanner: on the corpus, every context proposed is the reader\'s own there', () => {
  let seams = 0;
  const wrong: string[] = [];
  for (const entry of corpus().filter((e) => e.expect === 'read')) {
    const bytes = readFileSync(entry.file);
    const encoding = encodingOf(bytes);
    if (encoding === undefined || !scannable(encoding)) continue;
    const starts = new Set(unitStarts(bytes));
    const contexts = proposed(bytes, encoding, 64 * 1024);
    // Up to 4 seams a file, spread over it.
    const step = Math.max(1, Math.floor(contexts.length / 4));
    for (let i = 0; i < contexts.length; i += step) {
      const context = contexts[i]!;
      seams++;
      assert.ok(starts.has(context.offset), `${entry.path}: a seam at a unit's start (${context.offset})`);
      const real = actual(bytes, context.offset);
      if (!real || !sameContext(context, real)) wrong.push(`${entry.path} at ${context.offset}: ${JSON.stringify(context).slice(0, 300)} against ${JSON.stringify(real)?.slice(0, 300)}`);
    }
  }
  assert.deepEqual(wrong, []);
  assert.ok(seams > 300, `${seams} seams`);
});

test('seam scanner: generated 1.2 and 2.0 files, pieces of 1 to 64 KiB, a seam every 16 KiB', () => {
  for (const format of ['1.2', '2.0']) {
    const out = join(tmpdir(), `seam-scanner-${process.pid}-${format}.xlf`);
    execFileSync(process.execPath, [GEN, '--format', format, '--size', '300K', '--seed', '7', '--out', out]);
    const bytes = readFileSync(out);
    rmSync(out);
    for (const size of [1, 1000, 64 * 1024]) {
      const contexts = proposed(bytes, 'utf-8', size, 16 * 1024);
      assert.ok(contexts.length >= 15, `${format}: ${contexts.length} seams`);
      for (const context of contexts) {
        assert.ok(context.offset >= 16 * 1024);
        const real = actual(bytes, context.offset);
        assert.ok(real && sameContext(context, real), `${format}, pieces of ${size}, at ${context.offset}: ${JSON.stringify(context)} against ${JSON.stringify(real)}`);
      }
    }
  }
});

test('seam scanner: comments, CDATA, PIs, a DOCTYPE, quoted ">", CRLF and lone CR lines, a BOM, windows-1252', () => {
  const unit = (id: string, source: string) => `<trans-unit id="${id}" resname="a > b"><source>${source}</source></trans-unit>`;
  const body = [
    unit('1', 'é'),
    '<!-- <trans-unit id="x"> -->',
    unit('2', '<![CDATA[<trans-unit id="y">]]>'),
    // False end tags inside a unit: in a comment, CDATA, a PI; a longer name.
    unit('2a', '<!-- </trans-unit> --><![CDATA[</trans-unit>]]><?pi </trans-unit>?><trans-unitx></trans-unitx >'),
    '<?pi <trans-unit id="z"> ?>\r\n',
    unit('3', '€ 😀'),
    '\r',
    `<group id="g" resname='q"q'>`,
    unit('4', 'x'),
    '</group>',
    unit('5', 'y'),
  ].join('\n');
  const doc = xliff12(body).replace('?>', '?>\n<!DOCTYPE xliff PUBLIC "-//XLIFF//DTD XLIFF//EN" "http://www.oasis-open.org/committees/xliff/documents/xliff.dtd">');
  const utf8 = enc(doc);
  const withBom = enc(`\uFEFF${doc}`);
  const cp1252 = new Uint8Array(Buffer.from(doc.replace('UTF-8', 'windows-1252').replace('€ 😀', '\x80'), 'latin1'));
  for (const [name, bytes, encoding] of [['UTF-8', utf8, 'utf-8'], ['UTF-8 with a BOM', withBom, 'utf-8'], ['windows-1252', cp1252, 'windows-1252']] as const) {
    const starts = unitStarts(bytes);
    for (const size of [1, 2, 5, 64 * 1024]) {
      const contexts = proposed(bytes, encoding, size);
      assert.deepEqual(contexts.map((c) => c.offset), starts, `${name}, pieces of ${size}: a seam at each unit`);
      for (const context of contexts) {
        const real = actual(bytes, context.offset);
        assert.ok(real && sameContext(context, real), `${name}, pieces of ${size}, at ${context.offset}: ${JSON.stringify(context)} against ${JSON.stringify(real)}`);
      }
    }
  }
});

test('seam scanner: keeps nothing of a piece (one buffer, overwritten after each piece)', () => {
  const out = join(tmpdir(), `seam-scanner-${process.pid}-reused.xlf`);
  execFileSync(process.execPath, [GEN, '--format', '1.2', '--size', '300K', '--seed', '8', '--out', out]);
  const bytes = readFileSync(out);
  rmSync(out);
  for (const size of [1000, 64 * 1024]) {
    const fresh = proposed(bytes, 'utf-8', size, 16 * 1024);
    const reused: ReadContext[] = [];
    const scanner = new SeamScanner('utf-8', 16 * 1024, (context) => reused.push(context));
    const buffer = new Uint8Array(size);
    for (let at = 0; at < bytes.length; at += size) {
      const piece = bytes.subarray(at, at + size);
      buffer.set(piece);
      scanner.write(buffer.subarray(0, piece.length));
      buffer.fill(0x3c);
    }
    assert.ok(fresh.length >= 15, `${fresh.length} seams`);
    assert.deepEqual(reused, fresh, `pieces of ${size}`);
  }
});

test('seam scanner: knows units and files by namespace, as the reader does (declared on the root, an ancestor, the unit itself; prefixed; references in the value)', () => {
  const x12 = 'urn:oasis:names:tc:xliff:document:1.2';
  const unit = (id: string, name = 'trans-unit', source = 'source', declares = ''): string => `<${name}${declares} id="${id}"><${source}>s${id}</${source}></${name}>`;
  const units = [unit('1'), unit('2'), unit('3')].join('\n');
  const docs: Record<string, string> = {
    'a prefixed unit of another namespace': xliff12(`${unit('o', 'x:trans-unit', 'source', ' xmlns:x="urn:other"')}\n${units}`),
    'a default namespace on the unit itself': xliff12(`${unit('o', 'trans-unit', 'source', ' xmlns="urn:other"')}\n${units}`),
    'a default namespace on a group': xliff12(`<group xmlns="urn:other"><trans-unit id="o"/><trans-unit id="p"/></group>\n${units}`),
    'the default namespace undeclared on a group': xliff12(`<group xmlns=""><trans-unit id="o"/></group>\n${units}`),
    'a prefix bound to XLIFF on a unit': xliff12(`${unit('p', 'x:trans-unit', 'x:source', ` xmlns:x="${x12}"`)}\n${units}`),
    'a prefix bound with character references': xliff12(`<group xmlns:x="urn:oasis:names:tc:xliff:document:1&#x2e;2">${unit('p', 'x:trans-unit', 'x:source')}${unit('q', 'x:trans-unit', 'x:source')}</group>\n${units}`),
    'a prefixed root, units unprefixed and prefixed': `<?xml version="1.0"?>\n<x:xliff xmlns:x="${x12}" version="1.2"><x:file original="f" source-language="en" datatype="plaintext"><x:body>\n${unit('o')}\n${[unit('1', 'x:trans-unit', 'x:source'), unit('2', 'x:trans-unit', 'x:source')].join('\n')}\n</x:body></x:file>\n<file original="g"><trans-unit id="o2"/></file></x:xliff>\n`,
    'a unit outside files, after one': xliff12(`${units}\n</body></file>\n<trans-unit id="4"/>\n<file original="b"><body>${unit('5')}`),
    'a file of another namespace': xliff12(`${units}\n</body></file>\n<o:file xmlns:o="urn:other"><trans-unit id="4"/></o:file>\n<file original="b"><body>${unit('5')}`),
    'XLIFF 2 with a unit of another namespace': `<?xml version="1.0"?>\n<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="en"><file id="f">\n<unit xmlns="urn:other" id="o"><segment><source>o</source></segment></unit>\n${['1', '2'].map((id) => `<unit id="${id}"><segment><source>s${id}</source></segment></unit>`).join('\n')}\n</file></xliff>\n`,
  };
  for (const [name, doc] of Object.entries(docs)) {
    const bytes = enc(doc);
    const starts = unitStarts(bytes);
    assert.ok(starts.length >= 2, `${name}: ${starts.length} units read`);
    for (const size of [7, 64 * 1024]) {
      const contexts = proposed(bytes, 'utf-8', size);
      assert.deepEqual(contexts.map((c) => c.offset), starts, `${name}, pieces of ${size}: a seam at each unit the reader reads`);
      for (const context of contexts) {
        const real = actual(bytes, context.offset);
        assert.ok(real && sameContext(context, real), `${name}, pieces of ${size}, at ${context.offset}: ${JSON.stringify(context)} against ${JSON.stringify(real)}`);
      }
    }
  }
});

test('seam scanner: the DOCTYPE\'s internal subset, its comments and PIs skipped whole (a quote, "]>", tags in them)', () => {
  const units = ['1', '2', '3'].map((id) => `<trans-unit id="${id}"><source>s${id}</source></trans-unit>`).join('\n');
  const doctypes = [
    "<!DOCTYPE xliff [ <!-- don't edit --> ]>",
    '<!DOCTYPE xliff [ <!-- ]> <xliff version="1.2"> <trans-unit id="y"/> --> ]>',
    '<!DOCTYPE xliff [ <?pi ]> <trans-unit id="z"/> ?> ]>',
    `<!DOCTYPE xliff SYSTEM "a'b.dtd" [ <!-- "x --> <?pi '?> <!----> ]>`,
  ];
  for (const doctype of doctypes) {
    const bytes = enc(xliff12(units).replace('?>', `?>\n${doctype}`));
    const starts = unitStarts(bytes);
    assert.equal(starts.length, 3, doctype);
    for (const size of [1, 3, 64 * 1024]) {
      const contexts = proposed(bytes, 'utf-8', size);
      assert.deepEqual(contexts.map((c) => c.offset), starts, `${doctype}, pieces of ${size}: a seam at each unit`);
      for (const context of contexts) {
        const real = actual(bytes, context.offset);
        assert.ok(real && sameContext(context, real), `${doctype}, pieces of ${size}, at ${context.offset}: ${JSON.stringify(context)} against ${JSON.stringify(real)}`);
      }
    }
  }
});

test('seam scanner: a guess that is wrong is told apart by sameContext (a unit holding an element of its name, of another namespace)', () => {
  const doc = xliff12(`${unitHoldingItsName('1')}\n<trans-unit id="2"><source>b</source></trans-unit>`);
  const bytes = enc(doc);
  const contexts = proposed(bytes, 'utf-8', 64 * 1024);
  const last = contexts.at(-1)!;
  const real = actual(bytes, last.offset)!;
  assert.equal(last.ancestors.length, 1, 'the scanner took the inner end tag for the unit\'s, and "</x>" and "</trans-unit>" for its ancestors\'');
  assert.equal(real.ancestors.length, 3);
  assert.equal(sameContext(last, real), false);
});

test('seam scanner: UTF-16 is not scannable; single-byte encodings are', () => {
  assert.equal(scannable('utf-16le'), false);
  assert.equal(scannable('utf-8'), true);
  assert.equal(scannable('windows-1252'), true);
  assert.equal(scannable('iso-8859-5'), true);
});
