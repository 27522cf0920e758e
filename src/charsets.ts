/**
 * The single-byte (legacy) encodings the library reads and writes, and their tables:
 * the reader decodes through them, the writer encodes through their inverse. Pure.
 */

/** Labels that libxml2 reads as true ISO-8859-1 (bytes 0x80-0x9F are C1 controls, not windows-1252). */
export const LATIN1_LABELS: ReadonlySet<string> = new Set(['iso-8859-1', 'iso8859-1', 'iso_8859-1', 'latin1', 'latin-1', 'l1', 'cp819', 'ibm819', 'iso-ir-100', 'csisolatin1']);
export const ASCII_LABELS: ReadonlySet<string> = new Set(['us-ascii', 'ascii', 'ansi_x3.4-1968', 'iso646-us', 'csascii']);
/** WHATWG single-byte encodings (canonical names), decoded through a 256-entry table. */
export const SINGLE_BYTE_ENCODINGS: ReadonlySet<string> = new Set([
  'ibm866', 'iso-8859-2', 'iso-8859-3', 'iso-8859-4', 'iso-8859-5', 'iso-8859-6', 'iso-8859-7', 'iso-8859-8',
  'iso-8859-8-i', 'iso-8859-10', 'iso-8859-13', 'iso-8859-14', 'iso-8859-15', 'iso-8859-16', 'koi8-r', 'koi8-u',
  'macintosh', 'windows-874', 'windows-1250', 'windows-1251', 'windows-1252', 'windows-1253', 'windows-1254',
  'windows-1255', 'windows-1256', 'windows-1257', 'windows-1258', 'x-mac-cyrillic',
]);

/**
 * The 256-entry table of a single-byte encoding, named as the decoder names it
 * (`iso-8859-1`, `us-ascii`, `windows-1252`...): byte -> UTF-16 code unit, 0xFFFF where
 * the encoding defines no character.
 */
export function decodingTable(encoding: string): Uint16Array {
  if (encoding === 'iso-8859-1' || encoding === 'us-ascii') return latin1Table(encoding === 'us-ascii');
  if (!SINGLE_BYTE_ENCODINGS.has(encoding)) throw new RangeError(`Expected a single-byte encoding, got "${encoding}"`);
  return singleByteTable(encoding);
}

function latin1Table(asciiOnly: boolean): Uint16Array {
  const table = new Uint16Array(256);
  for (let b = 0; b < 256; b++) table[b] = asciiOnly && b > 0x7f ? 0xffff : b;
  return table;
}

const tables = new Map<string, Uint16Array>();

/**
 * Builds the table from the runtime's own decoder, one byte at a time in streaming mode:
 * Node's non-streaming legacy decoders map windows-1252 0x80-0x9F to C1 controls.
 * Node drops the bytes WHATWG leaves undefined; windows-1252's five holes are
 * C1 controls in the WHATWG index.
 */
function singleByteTable(encoding: string): Uint16Array {
  let table = tables.get(encoding);
  if (table) return table;
  table = new Uint16Array(256);
  for (let b = 0; b < 256; b++) {
    const decoder = new TextDecoder(encoding);
    const text = decoder.decode(Uint8Array.of(b), { stream: true }) + decoder.decode();
    table[b] = text.length === 1 ? text.charCodeAt(0) : encoding === 'windows-1252' && b >= 0x80 && b <= 0x9f ? b : 0xffff;
  }
  tables.set(encoding, table);
  return table;
}
