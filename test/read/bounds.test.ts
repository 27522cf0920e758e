// Memory stays bounded for every construct: what sax holds is dropped, kept flat or refused
// (src/read/sax-adapter.ts). The 100 MB cases run in child processes (test/helpers/bounds-child.ts),
// which make their input as it is read, so that each peak RSS is the case's own.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { readUnits, XliffError } from '../../src/index.js';
import { MAX_NAME_LENGTH, SaxAdapter, type MarkupHandler, type StartTag } from '../../src/read/sax-adapter.js';
import { collect, enc, readError, xliff12 } from '../helpers/read.js';

const MiB = 1024 * 1024;
const child = fileURLToPath(new URL('../helpers/bounds-child.ts', import.meta.url));

interface Outcome {
  readonly code: string | undefined;
  readonly reason: string | undefined;
  readonly line: number | undefined;
  readonly column: number | undefined;
  /** Bytes of the construct the input had handed out when reading stopped. */
  readonly pulled: number;
  readonly units: number;
  readonly maxRssMiB: number;
}

function run(construct: string, size: number, limit: number | 'default'): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--import', 'tsx', child, construct, String(size), String(limit)], { encoding: 'utf8' }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${construct}: ${error.message}\n${stderr}`));
      else resolve(JSON.parse(stdout) as Outcome);
    });
  });
}

const HUNDRED_MB = 100_000_000;

describe('100 MB of one construct with maxUnitBytes 1 MiB: refused at the limit, in bounded memory', { concurrency: 2 }, () => {
  const cases = [
    ['attribute', 'a start tag', 5],
    ['comment', 'a comment', 5],
    ['pi', 'a processing instruction', 5],
    ['cdata', 'a CDATA section', 5],
    // Placed where the text the reader holds starts: the XML declaration before it.
    ['doctype', 'a DOCTYPE', 1],
  ] as const;
  for (const [construct, what, line] of cases) {
    test(`${construct}: XLIFF_UNIT_TOO_LARGE, before 2 MiB are read, peak RSS under 150 MiB`, async () => {
      const outcome = await run(construct, HUNDRED_MB, MiB);
      assert.equal(outcome.code, 'XLIFF_UNIT_TOO_LARGE', JSON.stringify(outcome));
      assert.equal(outcome.reason, `${what} longer than maxUnitBytes (${MiB} characters)`);
      assert.deepEqual([outcome.line, outcome.column], [line, 1]);
      assert.ok(outcome.pulled <= 2 * MiB, `read ${outcome.pulled} bytes of it`);
      assert.ok(outcome.maxRssMiB < 150, `peak RSS ${outcome.maxRssMiB} MiB`);
    });
  }

  test('text between units (white space, which the reader does not hold but sax does): XLIFF_UNIT_TOO_LARGE before 2 MiB are read, peak RSS under 150 MiB', async () => {
    const outcome = await run('text', HUNDRED_MB, MiB);
    assert.equal(outcome.code, 'XLIFF_UNIT_TOO_LARGE', JSON.stringify(outcome));
    assert.equal(outcome.reason, `text between markup longer than maxUnitBytes (${MiB} characters)`);
    assert.equal(outcome.units, 1);
    assert.ok(outcome.pulled <= 2 * MiB, `read ${outcome.pulled} bytes of it`);
    assert.ok(outcome.maxRssMiB < 150, `peak RSS ${outcome.maxRssMiB} MiB`);
  });
});

test('100 MB of an attribute value with the default maxUnitBytes (64 MiB): refused at it, peak RSS under 3 x 64 MiB over the process floor', async () => {
  const [floor, outcome] = await Promise.all([run('attribute', 0, 'default'), run('attribute', HUNDRED_MB, 'default')]);
  assert.equal(floor.code, undefined);
  assert.equal(outcome.code, 'XLIFF_UNIT_TOO_LARGE', JSON.stringify(outcome));
  assert.ok(outcome.pulled <= 64 * MiB + 64 * 1024, `read ${outcome.pulled} bytes of it`);
  assert.ok(outcome.maxRssMiB < 3 * 64 + floor.maxRssMiB, `peak RSS ${outcome.maxRssMiB} MiB, floor ${floor.maxRssMiB} MiB`);
});

// ---- What the adapter moves out of sax is put back whole

interface Seen {
  readonly tags: StartTag[];
  readonly events: string[];
  readonly doctypes: Array<[string, number]>;
  readonly pis: Array<[string, string]>;
}

function tokenize(text: string, pieceLength: number, limit = 64 * MiB): Seen {
  const seen: Seen = { tags: [], events: [], doctypes: [], pis: [] };
  const handler: MarkupHandler = {
    openTag: (tag, start, end) => {
      seen.tags.push({ name: tag.name, attributes: { ...tag.attributes } });
      seen.events.push(`open ${tag.name} ${start}-${end}`);
    },
    closeTag: (start, end) => seen.events.push(`close ${start}-${end}`),
    openCdata: (start) => seen.events.push(`cdata ${start}`),
    closeCdata: (end) => seen.events.push(`/cdata ${end}`),
    comment: (start, end) => seen.events.push(`comment ${start}-${end}`),
    doctype: (body, bodyStart) => seen.doctypes.push([body, bodyStart]),
    processingInstruction: (name, body, start, end) => {
      seen.pis.push([name, body]);
      seen.events.push(`pi ${start}-${end}`);
    },
    sgmlDeclaration: (start, end) => seen.events.push(`declaration ${start}-${end}`),
    notWellFormed: (reason, at) => {
      throw new Error(`${reason} at ${at}`);
    },
    tooLong: (what, at, bound) => {
      throw new XliffError('XLIFF_UNIT_TOO_LARGE', `${what} longer than ${bound ?? limit} at ${at}`);
    },
  };
  const adapter = new SaxAdapter(handler, limit);
  for (let i = 0; i < text.length; i += pieceLength) adapter.write(text.slice(i, i + pieceLength));
  adapter.close();
  return seen;
}

const big = (n: number, salt: string) => Array.from({ length: n }, (_, i) => `${salt}${i % 10}`).join('');

test('large attribute values, PI bodies, a DOCTYPE, comments and CDATA are handed on whole, in pieces of any size', () => {
  const a = big(40_000, 'a');
  const b = big(30_000, 'b');
  const withEntities = `${big(10_000, 'e')}&amp;&#x41;&lt;${big(10_000, 'f')}`;
  const dtd = ` x [ <!ELEMENT x ANY> <!-- ${big(5000, 'c')} --> <!ATTLIST x a CDATA "${big(10_000, 'd')}"> ]`;
  const doc = `<?xml version="1.0"?>\n<!DOCTYPE${dtd}>\n<?pi ${big(20_000, 'p')}?>\n<x a="${a}" b='${b}' c="short">` +
    `<y a="${a}" a="${b}"/><z a="1" a="${b}"/><w v="${withEntities}"/>` +
    `<!--${big(20_000, 'm')}--><![CDATA[${big(20_000, 'k')}]]></x>`;
  const expected = {
    tags: [
      { name: 'x', attributes: { a, b, c: 'short' } },
      // sax keeps the first of two attributes of one name (the reader's checks refuse the second).
      { name: 'y', attributes: { a } },
      { name: 'z', attributes: { a: '1' } },
      { name: 'w', attributes: { v: withEntities.replace('&amp;&#x41;&lt;', '&A<') } },
    ],
    doctypes: [dtd.replace(/<!--.*?-->/, '')],
    pis: [['xml', 'version="1.0"'], ['pi', big(20_000, 'p')]],
  };
  const reference = tokenize(doc, doc.length);
  assert.deepEqual({ tags: reference.tags, doctypes: reference.doctypes.map(([body]) => body), pis: reference.pis }, expected);
  for (const pieceLength of [1000, 4097, 64 * 1024]) {
    const seen = tokenize(doc, pieceLength);
    assert.deepEqual(seen, reference, `pieces of ${pieceLength}`);
  }
});

test('a name longer than MAX_NAME_LENGTH is refused, whatever maxUnitBytes', () => {
  const name = 'n'.repeat(MAX_NAME_LENGTH + 1);
  for (const doc of [`<${name}/>`, `<x ${name}="1"/>`, `<?${name}?><x/>`]) {
    for (const pieceLength of [1000, doc.length]) assert.throws(() => tokenize(doc, pieceLength), /^XliffError: an? [a-z ]+ name longer than 50000 at 0$/);
  }
  // Whole, such a reference is not one XML knows (not well-formed): refused in the making only.
  assert.throws(() => tokenize(`<x>&${name}${'n'.repeat(2000)};</x>`, 1000), /an entity reference longer than 50000 at 3$/);
  assert.equal(tokenize(`<${'n'.repeat(MAX_NAME_LENGTH)}/>`, 64 * 1024).tags.length, 1);
});

test('maxUnitBytes bounds markup outside units, has no floor, and fails the same wherever the input is cut', async () => {
  const unit = '<trans-unit id="1"><source>a</source></trans-unit>';
  for (const [markup, what] of [
    [`<!--${'c'.repeat(2000)}-->`, 'a comment'],
    [`<?pi ${'p'.repeat(2000)}?>`, 'a processing instruction'],
    [`<![CDATA[${'d'.repeat(2000)}]]>`, 'a CDATA section'],
    [`<group id="${'g'.repeat(2000)}"></group>`, 'a start tag'],
  ]) {
    const doc = enc(xliff12(`${unit}${markup}`));
    for (const pieceLength of [doc.length, 500, 1000, 1001]) {
      const pieces = Array.from({ length: Math.ceil(doc.length / pieceLength) }, (_, i) => doc.subarray(i * pieceLength, (i + 1) * pieceLength));
      const error = await readError(pieces, { maxUnitBytes: 1000 });
      assert.equal(error.code, 'XLIFF_UNIT_TOO_LARGE');
      assert.equal(error.reason, `${what} longer than maxUnitBytes (1000 characters)`, `pieces of ${pieceLength}`);
      assert.deepEqual([error.line, error.column], [5, 51], `${what} in pieces of ${pieceLength}`);
    }
    assert.equal((await collect([doc], { maxUnitBytes: 2100 })).length, 1);
  }
});

test('a unit attribute far longer than what sax is left with reads whole', async () => {
  const value = big(100_000, 'r');
  const doc = xliff12(`<trans-unit id="1" resname="${value}"><source>a</source></trans-unit>`);
  const units = [];
  for await (const unit of readUnits([enc(doc)])) units.push(unit);
  assert.equal(units[0]!.attributes['resname'], value);
});
