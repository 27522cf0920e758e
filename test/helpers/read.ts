import { Writable } from 'node:stream';
import { processXliff, readUnits, XliffError, type ProcessOptions, type ReadOptions, type Unit } from '../../src/index.js';
import type { XliffInput } from '../../src/io/input.js';

export async function collect(input: XliffInput, options?: ReadOptions): Promise<Unit[]> {
  const units: Unit[] = [];
  for await (const unit of readUnits(input, options)) units.push(unit);
  return units;
}

/** Reads `input` to the end and returns the XliffError it fails with (fails the test if it does not). */
export async function readError(input: XliffInput, options?: ReadOptions): Promise<XliffError> {
  try {
    await collect(input, options);
  } catch (error) {
    if (error instanceof XliffError) return error;
    throw new Error(`expected an XliffError, got ${String(error)}`, { cause: error });
  }
  throw new Error('expected an XliffError, but the input was read without error');
}

export const enc = (text: string): Uint8Array => new TextEncoder().encode(text);

/** The bytes in pieces of `size` (the last may be shorter): views, not copies. */
export function inPieces(bytes: Uint8Array, size: number): Uint8Array[] {
  const pieces: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += size) pieces.push(bytes.subarray(i, i + size));
  return pieces;
}

/** An XLIFF 1.2 document around the given body. */
export function xliff12(body: string, fileAttributes = 'source-language="en" target-language="fr" datatype="plaintext" original="a.txt"'): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">\n<file ${fileAttributes}>\n<body>\n${body}\n</body>\n</file>\n</xliff>\n`;
}

/** What chunk-invariance and encoding tests compare of a unit. */
export interface Seen {
  readonly id: string | undefined;
  readonly index: number;
  readonly source: string;
  readonly target: string | undefined;
  readonly raw: string;
  readonly location: { line: number; column: number; offset: number; length: number };
}

export function seen(unit: Unit): Seen {
  const { line, column, offset, length } = unit.location;
  return { id: unit.id, index: unit.index, source: unit.source.text, target: unit.target?.text, raw: unit.raw, location: { line, column, offset, length } };
}

export async function readSeen(input: XliffInput): Promise<Seen[]> {
  const units: Seen[] = [];
  for await (const unit of readUnits(input)) units.push(seen(unit));
  return units;
}

/** processXliff's output for this input and these options, as bytes. */
export async function processedBytes(input: XliffInput, options: Omit<ProcessOptions, 'output'>): Promise<Buffer> {
  const parts: Buffer[] = [];
  const output = new Writable({
    write(chunk: Buffer, _encoding, done) {
      parts.push(Buffer.from(chunk));
      done();
    },
  });
  await processXliff(input, { ...options, output } as ProcessOptions).done;
  return Buffer.concat(parts);
}

/**
 * A unit holding elements of its own name, of another namespace (valid 1.2 extension content), one per
 * text of `inner`: the seam scanner takes the first inner end tag for the unit's.
 */
export function unitHoldingItsName(id: string, inner: readonly string[] = ['b']): string {
  return `<trans-unit id="${id}"><source>a</source><x xmlns="urn:other">${inner.map((text) => `<trans-unit>${text}</trans-unit>`).join('')}</x></trans-unit>`;
}

/** `count` trans-units, a line each, every seventh (from the fourth) of another namespace (no unit): the others have ids `id(i)`. */
export function unitsAmongOtherNamespace(count: number, id: (i: number) => string = String): string {
  return Array.from({ length: count }, (_, i) => (i % 7 === 3 ? `<trans-unit xmlns="urn:other" id="o${i}"><source>o</source></trans-unit>\n` : `<trans-unit id="${id(i)}"><source>t ${i}</source></trans-unit>\n`)).join('');
}
