/**
 * Small XLIFF documents for the writer tests, read into their skeleton and units as the
 * writer gets them.
 */
import assert from 'node:assert/strict';
import { XliffError, readUnits, type Part, type Unit } from '../../src/index.js';
import type { UnitLayout } from '../../src/model.js';
import { readEvents } from '../../src/read.js';
import { applyUpdate, type UnitWriteOptions } from '../../src/write/unit-writer.js';
import type { UnitUpdate } from '../../src/write/update.js';

export const NS12 = 'urn:oasis:names:tc:xliff:document:1.2';
export const NS20 = 'urn:oasis:names:tc:xliff:document:2.0';
export const OPTIONS = { skeleton: true, signal: undefined, fileName: undefined, maxUnitBytes: 64 * 1024 * 1024, maxDepth: 256 } as const;

export type Piece = { readonly kind: 'skeleton'; readonly text: string } | { readonly kind: 'unit'; readonly unit: Unit; readonly layout: UnitLayout };

export async function events(input: string | Uint8Array): Promise<Piece[]> {
  const out: Piece[] = [];
  for await (const event of readEvents(typeof input === 'string' ? [input] : input, OPTIONS)) if (event.kind === 'skeleton' || event.kind === 'unit') out.push(event);
  return out;
}

/** An XLIFF 1.2 document around `body`, with `eol` line ends. */
export function doc12(body: string, eol = '\n'): string {
  return [`<?xml version="1.0" encoding="UTF-8"?>`, `<xliff version="1.2" xmlns="${NS12}">`, `  <file source-language="en" target-language="fr" datatype="plaintext" original="a.txt">`, `  <body>`, body, `  </body>`, `  </file>`, `</xliff>`, ''].join(eol);
}

export function doc2(body: string): string {
  return `<?xml version="1.0"?>\n<xliff version="2.0" xmlns="${NS20}" srcLang="en" trgLang="fr">\n  <file id="f1">\n${body}\n  </file>\n</xliff>\n`;
}

/** Reads `doc`, applies `update` to its unit `index` and returns the new raw (after checking the document still reads). */
export async function write(doc: string, update: UnitUpdate, options?: UnitWriteOptions, index = 0): Promise<{ raw: string; before: Unit; after: Unit }> {
  const pieces = await events(doc);
  const units = pieces.filter((p) => p.kind === 'unit');
  const { unit, layout } = units[index]!;
  const raw = applyUpdate(unit, layout, update, options);
  const rebuilt = pieces.map((p) => (p.kind === 'skeleton' ? p.text : p.unit === unit ? raw : p.unit.raw)).join('');
  const again = (await events(rebuilt)).filter((p) => p.kind === 'unit');
  assert.equal(again.length, units.length);
  return { raw, before: unit, after: again[index]!.unit };
}

export const TU = (inner: string, eol = '\n'): string => `<trans-unit id="1">${eol}${inner}${eol}    </trans-unit>`;

/** A 2.x unit of three segments and an ignorable, with states, a subState and one target. */
export const MULTI = [
  '<unit id="u1">',
  '      <segment id="s1" state="initial">',
  '        <source>Hello.</source>',
  '      </segment>',
  '      <ignorable>',
  '        <source> </source>',
  '      </ignorable>',
  '      <segment id="s2" state="translated" subState="my:x">',
  '        <source>Bye.</source>',
  '        <target>Old.</target>',
  '      </segment>',
  '      <segment id="s3">',
  '        <source>End.</source>',
  '      </segment>',
  '    </unit>',
].join('\n');

/** The parts with their text upper-cased: a translation that keeps every inline code. */
export const upper = (parts: readonly Part[]): Part[] => parts.map((p) => (p.type === 'text' ? { ...p, text: p.text.toUpperCase() } : p));

/** Whether the reader reads `xml` as a 1.2 target's content (a document around it). */
export async function readerReads(xml: string): Promise<boolean> {
  try {
    for await (const unit of readUnits([doc12(`<trans-unit id="1"><source>a</source><target>${xml}</target></trans-unit>`)])) void unit;
    return true;
  } catch (error) {
    assert.ok(error instanceof XliffError, String(error));
    return false;
  }
}
