/**
 * Invariant 7 (docs/ARCHITECTURE.md): feeding the same bytes in pieces of any size gives the
 * same units. The reading of the whole buffer in one piece is the reference; every
 * other way of cutting the input must give the same ids, indexes, texts, raw XML and
 * locations. Byte offsets are proven against the bytes themselves: the bytes at
 * [offset, offset + length) decode to `raw`. Lines and columns are checked against an
 * independent count on the whole text.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { type XliffInput } from '../../src/index.js';
import { readEvents } from '../../src/read.js';
import { normalizeReadOptions } from '../../src/normalize-options.js';
import { corpus, type CorpusEntry } from '../helpers/corpus.js';
import { inPieces, readSeen as read, type Seen } from '../helpers/read.js';

// ---------------------------------------------------------------------------------------------
// Helpers

/** The bytes cut at the given points (sorted; repeated points give empty pieces), as an async iterable. */
async function* cutAt(bytes: Uint8Array, points: readonly number[]): AsyncGenerator<Uint8Array> {
  let from = 0;
  for (const point of [...points].sort((a, b) => a - b)) {
    yield bytes.subarray(from, point);
    from = point;
  }
  yield bytes.subarray(from);
}

/** The text in pieces of `size` UTF-16 code units: surrogate pairs are split too. */
async function* stringPieces(text: string, size: number): AsyncGenerator<string> {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
}

/** What the XML declaration (or BOM) says the bytes are; an independent decoder for them. */
function decoderFor(bytes: Uint8Array): (piece: Uint8Array) => string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return utf8;
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return (piece) => new TextDecoder('utf-16le', { ignoreBOM: true }).decode(piece);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return (piece) => new TextDecoder('utf-16be', { ignoreBOM: true }).decode(piece);
  const head = Buffer.from(bytes.subarray(0, 200)).toString('latin1');
  const label = /^<\?xml[^>]*\sencoding\s*=\s*["']([^"']+)["']/.exec(head)?.[1]?.toLowerCase() ?? 'utf-8';
  if (label === 'utf-8') return utf8;
  if (label === 'iso-8859-1') return (piece) => Buffer.from(piece).toString('latin1');
  // Node's legacy decoders are right only in streaming mode (docs/ARCHITECTURE.md, "Pitfalls measured").
  return (piece) => {
    const decoder = new TextDecoder(label);
    return decoder.decode(piece, { stream: true }) + decoder.decode();
  };
}

function utf8(piece: Uint8Array): string {
  return new TextDecoder('utf-8', { ignoreBOM: true, fatal: true }).decode(piece);
}

/** Every unit's [offset, offset + length) of the bytes decodes to its raw XML. Returns the mismatches. */
function offsetMismatches(name: string, bytes: Uint8Array, units: readonly Seen[]): string[] {
  const decode = decoderFor(bytes);
  const bad: string[] = [];
  for (const unit of units) {
    const { offset, length } = unit.location;
    const text = decode(bytes.subarray(offset, offset + length));
    if (text !== unit.raw) bad.push(`${name} unit ${unit.index} (${unit.id}) at byte ${offset}+${length}: ${JSON.stringify(text.slice(0, 60))} is not ${JSON.stringify(unit.raw.slice(0, 60))}`);
  }
  return bad;
}

/** Line and column (from 1, UTF-16 code units) of every character index, counted on the whole text. */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a) starts.push(i + 1);
    else if (c === 0x0d) {
      if (text.charCodeAt(i + 1) === 0x0a) i++;
      starts.push(i + 1);
    }
  }
  return starts;
}

function lineColumn(starts: readonly number[], index: number): { line: number; column: number } {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= index) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: index - starts[lo]! + 1 };
}

/**
 * Checks every unit's line and column against the whole text. The unit's character index is
 * found from its byte offset (the decoded length of the bytes before it), so the check also
 * ties the offset to the text. The BOM is a character of the text (U+FEFF) and so column 1 of
 * line 1, as the reader counts it (test/errors.test.ts: a lone BOM ends at 1:2).
 */
function lineColumnMismatches(name: string, bytes: Uint8Array, units: readonly Seen[]): string[] {
  const decode = decoderFor(bytes);
  const text = decode(bytes);
  const starts = lineStarts(text);
  const bad: string[] = [];
  for (const unit of units) {
    const index = decode(bytes.subarray(0, unit.location.offset)).length;
    if (!text.startsWith(unit.raw, index)) bad.push(`${name} unit ${unit.index}: raw is not at character ${index}`);
    const expected = lineColumn(starts, index);
    const { line, column } = unit.location;
    if (line !== expected.line || column !== expected.column) bad.push(`${name} unit ${unit.index} (${unit.id}): ${line}:${column}, expected ${expected.line}:${expected.column}`);
  }
  return bad;
}

/** Compares two readings; a short message per difference (deepEqual output on hundreds of units is unreadable). */
function differences(name: string, expected: readonly Seen[], actual: readonly Seen[]): string[] {
  const out: string[] = [];
  if (expected.length !== actual.length) out.push(`${name}: ${actual.length} units, expected ${expected.length}`);
  for (let i = 0; i < Math.min(expected.length, actual.length); i++) {
    const e = expected[i]!;
    const a = actual[i]!;
    for (const key of ['id', 'index', 'source', 'target', 'raw'] as const) {
      if (e[key] !== a[key]) out.push(`${name} unit ${i} ${key}: ${JSON.stringify(a[key])?.slice(0, 80)}, expected ${JSON.stringify(e[key])?.slice(0, 80)}`);
    }
    for (const key of ['line', 'column', 'offset', 'length'] as const) {
      if (e.location[key] !== a.location[key]) out.push(`${name} unit ${i} location.${key}: ${a.location[key]}, expected ${e.location[key]}`);
    }
    if (out.length > 20) break;
  }
  return out;
}

async function readOrError(input: XliffInput): Promise<Seen[] | string> {
  try {
    return await read(input);
  } catch (error) {
    return `threw ${(error as Error).message}`;
  }
}

/** Reads `bytes` cut by `pieces` and returns the differences from `expected`. */
async function compare(name: string, expected: readonly Seen[], input: XliffInput): Promise<string[]> {
  const actual = await readOrError(input);
  if (typeof actual === 'string') return [`${name}: ${actual}`];
  return differences(name, expected, actual);
}

/** UTF-8 text (BOM dropped) as UTF-16 with a BOM, the declaration saying UTF-16. */
function toUtf16(text: string, endian: 'le' | 'be'): Buffer {
  const body = text.replace(/^\uFEFF/, '').replace(/^(<\?xml[^>]*\sencoding\s*=\s*)(["'])[^"']*\2/, '$1$2UTF-16$2');
  const bytes = Buffer.from(`\uFEFF${body}`, 'utf16le');
  if (endian === 'be') bytes.swap16();
  return bytes;
}

// ---------------------------------------------------------------------------------------------
// Documents

const entries = corpus().filter((e) => e.expect === 'read');
const bytesOf = new Map<string, Buffer>(entries.map((e) => [e.path, readFileSync(e.file)]));
const bytes = (entry: CorpusEntry): Buffer => bytesOf.get(entry.path)!;

/**
 * Which files are read in which pieces. Every piece costs a few awaits (more under node:test),
 * so the smaller the pieces, the fewer the files: 1-byte pieces for the small files and one
 * file per feature, 3-byte pieces up to 10 kB, 7-byte pieces up to 100 kB and two larger files.
 */
const featureFiles = {
  crlf: 'oasis-xliff21-ts/withNotes.xlf',
  bom: 'okapi-xliff2/en-es-newline.xliff',
  bomOnOneLine: 'okapi-sdlxliff/FFFEBOM15992.sdlxliff',
  cdata: 'oasis-xliff22-ts/withCDataSections.xlf',
  pi: 'okapi-misc/test01.xlf',
  comments: 'locize-xliff/example_comments.xliff',
  windows1252: 'okapi-xliff12/RB-12-Test02.xlf',
  windows1251: 'okapi-misc/test1.out.xlf',
  iso88591: 'symfony-translation/encoding.xlf',
  emojiCjk: 'netresearch-xliff-streaming/unicode-complex.xlf',
  cjk: 'symfony-validator/validators.ja.xlf',
  u2028: 'okapi-produced/u2028.txt.xliff',
  segments2x: 'oasis-xliff22-ts/allExtensions.xlf',
  nestedGroups: 'matecat/65-levels-nesting.json.xliff',
  doctype: 'symfony-translation/withdoctype.xlf',
};
/** Larger files read in small pieces too, for what they alone have. */
const namedLarge = {
  windows1252HighBytes: 'okapi-xliff12/SF-12-Test03.xlf', // bytes 0x93 0x94 0x96: “ ” –
  emojiLarge: 'matecat/xliff12-with-emoji.xliff', // one 110 kB unit full of 4-byte UTF-8
};
const featurePaths = new Set(Object.values(featureFiles));
const select = (limit: number, named: Set<string>): CorpusEntry[] => entries.filter((e) => bytes(e).length <= limit || named.has(e.path));
/** Feature files over 10 kB (CJK, nested groups) are read in pieces of 3 bytes and up. */
const featureSmall = new Set([...featurePaths].filter((path) => bytesOf.get(path)!.length <= 10_000));
const selections: Record<number, CorpusEntry[]> = {
  1: select(2_000, featureSmall),
  3: select(10_000, new Set([...featurePaths, namedLarge.windows1252HighBytes])),
  7: select(100_000, new Set([...featurePaths, ...Object.values(namedLarge)])),
};

const reference = new Map<string, Seen[]>();
async function referenceOf(entry: CorpusEntry): Promise<Seen[]> {
  let units = reference.get(entry.path);
  if (!units) {
    units = await read(bytes(entry));
    reference.set(entry.path, units);
  }
  return units;
}

const xliff12 = 'urn:oasis:names:tc:xliff:document:1.2';
const xliff20 = 'urn:oasis:names:tc:xliff:document:2.0';

/** Hand-written documents with what streaming readers get wrong; each with the units it must give. */
const tricky: Array<{ name: string; bytes: Buffer; ids: Array<string | undefined>; sources: string[]; targets?: Array<string | undefined> }> = [
  {
    name: 'comments, CDATA and attributes that look like units; PIs; CRLF and lone CR; emoji and CJK',
    bytes: Buffer.from(
      '<?xml version="1.0" encoding="UTF-8"?>\r\n' +
        '<!-- a comment with <trans-unit id="c1"><source>no</source></trans-unit> inside -->\r\n' +
        '<?my-pi <trans-unit id="pi"/> ?>\r' +
        `<xliff version="1.2" xmlns="${xliff12}">\r` +
        '<file source-language="en" target-language="ja" datatype="plaintext" original="a>b/>c">\r\n' +
        '<body>\r' +
        '<group id="g/>1" resname="x>y">\n' +
        '<trans-unit id="1" extradata="a>b" resname="c/>d"><source>Hello <![CDATA[<trans-unit id="cdata"></trans-unit>]]> world</source>' +
        '<target>こんにちは 😀 世界</target></trans-unit>\r\n' +
        '<!-- <trans-unit id="c2"> --><?pi </trans-unit> ?>\r' +
        '<trans-unit id="2"><source>line1\r\nline2\rline3\nline4</source><note>a <!-- </trans-unit> --> b</note></trans-unit>\r' +
        '<trans-unit\r\n   id="3"\r\n  ><source>emoji 👩‍👩‍👧 𝄞 &#x1F600;</source><target>&lt;tag/&gt; &amp; 中文</target></trans-unit\r\n>' +
        '<trans-unit id="4"><source/><?pi inside?></trans-unit>' +
        '</group></body></file></xliff>\r\n<!-- end -->\r\n',
    ),
    ids: ['1', '2', '3', '4'],
    sources: ['Hello <trans-unit id="cdata"></trans-unit> world', 'line1\nline2\nline3\nline4', 'emoji 👩‍👩‍👧 𝄞 😀', ''],
    targets: ['こんにちは 😀 世界', undefined, '<tag/> & 中文', undefined],
  },
  {
    name: 'XLIFF 2.0 with a BOM, segments, ignorables, CDATA holding </unit>, nested groups',
    bytes: Buffer.from(
      '\uFEFF<?xml version="1.0" encoding="utf-8"?>\n' +
        `<xliff xmlns="${xliff20}" version="2.0" srcLang="en" trgLang="zh">\n` +
        ' <file id="f1">\n  <group id="g1"><group id="g2">\n' +
        '   <unit id="u1" name="a>b"><segment><source>First.</source><target>第一。</target></segment>' +
        '<ignorable><source> </source></ignorable><segment><source><![CDATA[</unit><unit id="x">]]></source><target><![CDATA[</unit>]]></target></segment></unit>\n' +
        '  </group></group>\n' +
        '  <!-- <unit id="c"> -->\n' +
        '  <unit id="u2"><segment id="s1"><source>Ünïcödé € ✓ 🎉</source><target>Юникод 🎉</target></segment></unit>\n' +
        ' </file>\n</xliff>',
    ),
    ids: ['u1', 'u2'],
    sources: ['First. </unit><unit id="x">', 'Ünïcödé € ✓ 🎉'],
    targets: ['第一。 </unit>', 'Юникод 🎉'],
  },
  {
    name: 'a unit with no id, one-line document, characters of 1 to 4 UTF-8 bytes side by side',
    bytes: Buffer.from(
      `<xliff version="1.2" xmlns="${xliff12}"><file source-language="en" datatype="plaintext" original="o"><body>` +
        '<trans-unit><source>aé€😀aé€😀</source></trans-unit><trans-unit id="b"><source>😀😀😀</source><target>ÿ</target></trans-unit>' +
        '</body></file></xliff>',
    ),
    ids: [undefined, 'b'],
    sources: ['aé€😀aé€😀', '😀😀😀'],
    targets: [undefined, 'ÿ'],
  },
];

// ---------------------------------------------------------------------------------------------
// Tests

test('the selections hold every feature they are meant to test', () => {
  const inOneByte = new Set(selections[1]!.map((e) => e.path));
  const inThreeBytes = new Set(selections[3]!.map((e) => e.path));
  for (const [feature, path] of Object.entries(featureFiles)) {
    assert.ok(inThreeBytes.has(path), `${feature}: ${path} is not read in 3-byte pieces`);
    if (featureSmall.has(path)) assert.ok(inOneByte.has(path), `${feature}: ${path} is not read in 1-byte pieces`);
  }
  assert.ok(featureSmall.size >= Object.keys(featureFiles).length - 2);
  const inSevenBytes = new Set(selections[7]!.map((e) => e.path));
  for (const [feature, path] of Object.entries(namedLarge)) assert.ok(inSevenBytes.has(path), `${feature}: ${path} is not read in 7-byte pieces`);
  const text = (path: string) => bytesOf.get(path)!.toString('latin1');
  assert.match(text(featureFiles.crlf), /\r\n/);
  assert.ok(text(featureFiles.bom).startsWith('\xef\xbb\xbf'));
  assert.ok(text(featureFiles.bomOnOneLine).startsWith('\xef\xbb\xbf'));
  assert.match(text(featureFiles.cdata), /<!\[CDATA\[/);
  assert.match(text(featureFiles.pi), /<\?(?!xml)/);
  assert.match(text(featureFiles.comments), /<!--/);
  assert.match(text(featureFiles.windows1252), /encoding="windows-1252"/);
  assert.match(text(namedLarge.windows1252HighBytes), /encoding="windows-1252"[^]*\x93/);
  assert.match(text(featureFiles.windows1251), /encoding="windows-1251"/);
  assert.match(text(featureFiles.iso88591), /encoding="ISO-8859-1"[^]*\xe4/);
  assert.match(text(featureFiles.emojiCjk), /\xf0\x9f/);
  assert.match(text(featureFiles.u2028), /\xe2\x80\xa8/);
  assert.match(text(featureFiles.doctype), /<!DOCTYPE/);
  assert.ok(selections[1]!.length > 250, `${selections[1]!.length} files in 1-byte pieces`);
  assert.ok(selections[7]!.length > 360, `${selections[7]!.length} files in 7-byte pieces`);
});

test('hand-written tricky documents read as written', async () => {
  for (const doc of tricky) {
    const units = await read(doc.bytes);
    assert.deepEqual(units.map((u) => u.id), doc.ids, doc.name);
    assert.deepEqual(units.map((u) => u.source), doc.sources, doc.name);
    if (doc.targets) assert.deepEqual(units.map((u) => u.target), doc.targets, doc.name);
    assert.deepEqual(offsetMismatches(doc.name, doc.bytes, units), []);
    assert.deepEqual(lineColumnMismatches(doc.name, doc.bytes, units), []);
  }
  // Positions of the first document, counted by hand: line 6 is `<body>\r`; CR, CRLF and LF all end lines.
  const [first] = tricky;
  const units = await read(first!.bytes);
  assert.deepEqual(
    units.map((u) => [u.location.line, u.location.column]),
    [
      [8, 1],
      [10, 1],
      [14, 1],
      [17, 2],
    ],
  );
  assert.ok(units[2]!.raw.startsWith('<trans-unit\r\n   id="3"') && units[2]!.raw.endsWith('</trans-unit\r\n>'));
});

test('hand-written documents: every cut into two pieces gives the same units', async () => {
  for (const doc of tricky) {
    const expected = await read(doc.bytes);
    const failures: string[] = [];
    for (let cut = 0; cut <= doc.bytes.length && failures.length < 10; cut++) {
      failures.push(...(await compare(`${doc.name} cut at ${cut}`, expected, [doc.bytes.subarray(0, cut), doc.bytes.subarray(cut)])));
    }
    assert.deepEqual(failures, []);
  }
});

test('hand-written documents: pieces of 1, 2, 3, 4, 5, 7 and 4096 bytes give the same units', async () => {
  const failures: string[] = [];
  for (const doc of tricky) {
    const expected = await read(doc.bytes);
    for (const size of [1, 2, 3, 4, 5, 7, 4096]) failures.push(...(await compare(`${doc.name} /${size}`, expected, inPieces(doc.bytes, size))));
  }
  assert.deepEqual(failures, []);
});

test('a start tag and a 4-byte character split across pieces, at every point of them', async () => {
  const doc = tricky[2]!;
  const expected = await read(doc.bytes);
  const tag = doc.bytes.indexOf('<trans-unit id="b">');
  const emoji = doc.bytes.indexOf('😀');
  const failures: string[] = [];
  // Three pieces: the cut points fall inside the tag and inside the emoji.
  for (let i = 1; i < 19; i++) {
    for (let k = 1; k < 4; k++) {
      const a = tag + i;
      const b = emoji + k;
      const [p, q] = a < b ? [a, b] : [b, a];
      failures.push(...(await compare(`tag+${i} emoji+${k}`, expected, [doc.bytes.subarray(0, p), doc.bytes.subarray(p, q), doc.bytes.subarray(q)])));
    }
  }
  assert.deepEqual(failures, []);
});

test('hand-written documents: random cuts (fast-check)', async () => {
  for (const doc of tricky) {
    const expected = await read(doc.bytes);
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 0, max: doc.bytes.length }), { maxLength: 60 }), async (points) => {
        assert.deepEqual(await compare(doc.name, expected, cutAt(doc.bytes, points)), []);
      }),
      { numRuns: 60 },
    );
  }
});

test('hand-written documents as string pieces, surrogate pairs split: same units, offsets in UTF-8 bytes', async () => {
  const failures: string[] = [];
  for (const doc of tricky) {
    const expected = await read(doc.bytes);
    const text = doc.bytes.toString('utf8');
    for (const size of [1, 2, 3, 7, 1 << 20]) failures.push(...(await compare(`${doc.name} text/${size}`, expected, stringPieces(text, size))));
  }
  assert.deepEqual(failures, []);
});

test('corpus: every unit\'s bytes [offset, offset + length) decode to its raw XML (whole buffer)', async () => {
  const failures: string[] = [];
  for (const entry of entries) failures.push(...offsetMismatches(entry.path, bytes(entry), await referenceOf(entry)));
  assert.deepEqual(failures.slice(0, 20), []);
});

test('corpus: line and column of every unit agree with an independent count (CRLF, BOM, CJK, emoji, U+2028, one-line files)', async () => {
  const failures: string[] = [];
  const files = [...Object.values(featureFiles), ...Object.values(namedLarge), 'oasis-xliff21-ts/toJoin3_in.xlf', 'angular-apps/messages.fr.xlf'];
  let checked = 0;
  for (const path of files) {
    const entry = entries.find((e) => e.path === path)!;
    const units = await referenceOf(entry);
    checked += units.length;
    failures.push(...lineColumnMismatches(path, bytes(entry), units));
  }
  assert.deepEqual(failures.slice(0, 20), []);
  assert.ok(checked > 1000, `${checked} units checked`);
});

test('corpus: 4096-byte pieces give the same units as the whole buffer (every `read` file)', async () => {
  const failures: string[] = [];
  for (const entry of entries) failures.push(...(await compare(`${entry.path} /4096`, await referenceOf(entry), inPieces(bytes(entry), 4096))));
  assert.deepEqual(failures.slice(0, 20), []);
});

for (const size of [7, 3, 1]) {
  const selection = selections[size]!;
  test(`corpus: ${size}-byte pieces give the same units as the whole buffer (${selection.length} files)`, async () => {
    const failures: string[] = [];
    for (const entry of selection) failures.push(...(await compare(`${entry.path} /${size}`, await referenceOf(entry), inPieces(bytes(entry), size))));
    assert.deepEqual(failures.slice(0, 20), []);
  });
}

test('corpus: random cuts (fast-check) give the same units', async () => {
  const files = Object.values(featureFiles)
    .map((path) => entries.find((e) => e.path === path)!)
    .filter((e) => bytes(e).length <= 40_000);
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom(...files),
      fc.array(fc.nat(), { maxLength: 200 }),
      async (entry, cuts) => {
        const b = bytes(entry);
        const points = cuts.map((c) => c % (b.length + 1));
        assert.deepEqual(await compare(entry.path, await referenceOf(entry), cutAt(b, points)), []);
      },
    ),
    { numRuns: 60 },
  );
});

test('corpus UTF-8 files as string pieces (1, 5 and 4096 code units) give the same units and UTF-8 byte offsets', async () => {
  const failures: string[] = [];
  for (const entry of selections[7]!) {
    const b = bytes(entry);
    if (decoderFor(b) !== utf8) continue;
    const text = b.toString('utf8');
    const sizes = [4096, ...(b.length <= 3_000 ? [5] : []), ...(featurePaths.has(entry.path) && b.length <= 5_000 ? [1] : [])];
    for (const size of sizes) failures.push(...(await compare(`${entry.path} text/${size}`, await referenceOf(entry), stringPieces(text, size))));
  }
  assert.deepEqual(failures.slice(0, 20), []);
});

test('corpus UTF-8 files converted to UTF-16 LE and BE: same units, offsets true in the UTF-16 bytes', async () => {
  const failures: string[] = [];
  let units = 0;
  for (const entry of selections[7]!) {
    const b = bytes(entry);
    if (decoderFor(b) !== utf8) continue;
    const expected = await referenceOf(entry);
    for (const endian of ['le', 'be'] as const) {
      const utf16 = toUtf16(b.toString('utf8'), endian);
      const name = `${entry.path} UTF-16${endian}`;
      const whole = await readOrError(utf16);
      if (typeof whole === 'string') {
        failures.push(`${name}: ${whole}`);
        continue;
      }
      units += whole.length;
      if (whole.length !== expected.length) failures.push(`${name}: ${whole.length} units, expected ${expected.length}`);
      whole.forEach((u, i) => {
        const e = expected[i];
        if (!e || u.id !== e.id || u.source !== e.source || u.target !== e.target || u.raw !== e.raw) failures.push(`${name} unit ${i} differs from the UTF-8 reading`);
        if (e && u.location.line !== e.location.line) failures.push(`${name} unit ${i}: line ${u.location.line}, UTF-8 says ${e.location.line}`);
        if (u.location.length !== u.raw.length * 2) failures.push(`${name} unit ${i}: length ${u.location.length} for ${u.raw.length} code units`);
      });
      failures.push(...offsetMismatches(name, utf16, whole));
      // Odd piece sizes cut code units and surrogate pairs in half.
      const sizes = [4095, ...(b.length <= 3_000 ? [13] : []), ...(featurePaths.has(entry.path) && b.length <= 5_000 ? [1] : [])];
      for (const size of sizes) failures.push(...(await compare(`${name} /${size}`, whole, inPieces(utf16, size))));
      if (failures.length > 20) break;
    }
  }
  assert.deepEqual(failures.slice(0, 20), []);
  assert.ok(units > 5000, `${units} units read in UTF-16`);
});

test('a surrogate pair that straddles a 64 Ki-character write inside the skeleton keeps byte offsets right', async () => {
  // The reader hands sax the text in slices of 64 Ki code units: a pair can be cut there when the
  // whole document arrives in one piece. Offsets after it must count the emoji as 4 bytes, not 6.
  for (const shift of [-2, -1, 0, 1]) {
    const head = `<xliff version="1.2" xmlns="${xliff12}"><file source-language="en" datatype="plaintext" original="o"><header><note>`;
    const pad = 'x'.repeat(65536 - 1 - head.length + shift);
    const doc = Buffer.from(`${head}${pad}😀😀</note></header><body><trans-unit id="1"><source>a😀b</source></trans-unit></body></file></xliff>`);
    const units = await read(doc);
    assert.equal(units.length, 1);
    assert.deepEqual(offsetMismatches(`shift ${shift}`, doc, units), []);
    assert.deepEqual(await compare(`shift ${shift} /4096`, units, inPieces(doc, 4096)), []);
    const text = doc.toString('utf8');
    assert.deepEqual(await compare(`shift ${shift} text`, units, [text]), []);
  }
});

test('skeleton and units put together give back the text, and no piece holds half a surrogate pair', async () => {
  const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
  const head = `<xliff version="1.2" xmlns="${xliff12}"><file source-language="en" datatype="plaintext" original="o"><header><note>`;
  // An emoji across the 64 Ki-character slices the reader writes into sax.
  const straddling = Buffer.from(`${head}${'x'.repeat(65536 - 1 - head.length)}😀</note></header><body><trans-unit id="1"><source>😀</source></trans-unit></body></file></xliff>`);
  const failures: string[] = [];
  for (const [name, doc] of [...tricky.map((t) => [t.name, t.bytes] as const), ['straddling', straddling] as const]) {
    for (const pieces of [[doc], inPieces(doc, 1 << 20), inPieces(doc, 7)]) {
      const parts: string[] = [];
      for await (const event of readEvents(pieces, { ...normalizeReadOptions(), skeleton: true })) {
        if (event.kind !== 'skeleton' && event.kind !== 'unit') continue;
        const text = event.kind === 'skeleton' ? event.text : event.unit.raw;
        if (LONE_SURROGATE.test(text)) failures.push(`${name} (${pieces.length} pieces): a ${event.kind} piece holds half a surrogate pair: ...${JSON.stringify(text.slice(-20))}`);
        parts.push(text);
      }
      if (parts.join('') !== doc.toString('utf8')) failures.push(`${name} (${pieces.length} pieces): skeleton + units is not the text`);
    }
  }
  assert.deepEqual(failures, []);
});
