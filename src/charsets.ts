/**
 * The single-byte (legacy) encodings the library reads and writes, and their tables:
 * the reader decodes through them, the writer encodes through their inverse. Pure.
 *
 * The tables are libxml2's (glibc iconv's, as `xmllint` reads): where the runtime's
 * decoder (ICU, WHATWG labels) defines a byte that iconv does not, the byte is not
 * defined here either, so that a document xmllint refuses is refused.
 */

/** Labels that libxml2 reads as true ISO-8859-1 (bytes 0x80-0x9F are C1 controls, not windows-1252). */
export const LATIN1_LABELS: ReadonlySet<string> = new Set([
  'iso-8859-1', 'iso8859-1', 'iso88591', 'iso_8859-1', 'latin1', 'latin-1', 'l1', 'cp819', 'ibm819', 'iso-ir-100', 'csisolatin1',
]);
export const ASCII_LABELS: ReadonlySet<string> = new Set(['us-ascii', 'ascii', 'ansi_x3.4-1968', 'iso646-us', 'csascii']);
/** WHATWG single-byte encodings (canonical names) the runtime decodes (Node has no ISO-8859-16), read through a 256-entry table. */
export const SINGLE_BYTE_ENCODINGS: ReadonlySet<string> = new Set([
  'ibm866', 'iso-8859-2', 'iso-8859-3', 'iso-8859-4', 'iso-8859-5', 'iso-8859-6', 'iso-8859-7', 'iso-8859-8',
  'iso-8859-8-i', 'iso-8859-10', 'iso-8859-13', 'iso-8859-14', 'iso-8859-15', 'koi8-r', 'koi8-u',
  'macintosh', 'windows-874', 'windows-1250', 'windows-1251', 'windows-1252', 'windows-1253', 'windows-1254',
  'windows-1255', 'windows-1256', 'windows-1257', 'windows-1258', 'x-mac-cyrillic',
]);

/**
 * Labels WHATWG reads as another encoding than iconv does: the name libxml2 reads them as
 * (ISO-8859-9 is not windows-1254, nor ISO-8859-11 and TIS-620 windows-874: 0x80-0x9F are
 * C1 controls there, or nothing), or `undefined` for the labels libxml2 does not know
 * (or reads with another table), refused.
 */
const LABEL_OVERRIDES: ReadonlyMap<string, string | undefined> = new Map<string, string | undefined>([
  ...['iso-8859-9', 'iso8859-9', 'iso88599', 'iso_8859-9', 'iso-ir-148', 'l5', 'latin5', 'csisolatin5'].map((l) => [l, 'iso-8859-9'] as const),
  ...['iso-8859-11', 'iso8859-11', 'iso885911'].map((l) => [l, 'iso-8859-11'] as const),
  ['tis-620', 'tis-620'],
  ...['csiso88596e', 'csiso88596i', 'csiso88598e', 'csiso88598i', 'visual', 'logical', 'koi', 'koi8', 'dos-874', 'x-mac-ukrainian'].map((l) => [l, undefined] as const),
]);

/**
 * The encoding a declaration's label names, as the decoder names it (`iso-8859-1`,
 * `windows-1252`...), if it is a single-byte encoding this library reads; `null` if the
 * label names no encoding known here, `undefined` if it names one the library does not read.
 */
export function singleByteEncoding(label: string): string | undefined | null {
  const name = label.toLowerCase();
  if (ASCII_LABELS.has(name)) return 'us-ascii';
  if (LATIN1_LABELS.has(name)) return 'iso-8859-1';
  if (LABEL_OVERRIDES.has(name)) return LABEL_OVERRIDES.get(name);
  let canonical: string;
  try {
    canonical = new TextDecoder(name).encoding;
  } catch {
    // The runtime's ICU may lack one (Node without full ICU has no ISO-8859-16).
    return name === 'iso-8859-16' ? undefined : null;
  }
  return SINGLE_BYTE_ENCODINGS.has(canonical) ? canonical : undefined;
}

/**
 * The 256-entry table of a single-byte encoding, named as the decoder names it
 * (`iso-8859-1`, `us-ascii`, `windows-1252`...): byte -> UTF-16 code unit, 0xFFFF where
 * the encoding defines no character.
 */
export function decodingTable(encoding: string): Uint16Array {
  if (encoding === 'iso-8859-1' || encoding === 'us-ascii') return latin1Table(encoding === 'us-ascii');
  let table = tables.get(encoding);
  if (table) return table;
  const derived = DERIVED[encoding];
  if (derived) {
    table = decodingTable(derived.from).slice();
    for (let b = 0x80; b <= 0x9f; b++) table[b] = derived.c1 ? b : 0xffff;
    for (const b of derived.undefined ?? []) table[b] = 0xffff;
  } else {
    if (!SINGLE_BYTE_ENCODINGS.has(encoding)) throw new RangeError(`Expected a single-byte encoding, got "${encoding}"`);
    table = singleByteTable(encoding);
  }
  tables.set(encoding, table);
  return table;
}

function latin1Table(asciiOnly: boolean): Uint16Array {
  const table = new Uint16Array(256);
  for (let b = 0; b < 256; b++) table[b] = asciiOnly && b > 0x7f ? 0xffff : b;
  return table;
}

const tables = new Map<string, Uint16Array>();

/** The encodings that are another's table with 0x80-0x9F as C1 controls (`c1`) or undefined. */
const DERIVED: Readonly<Record<string, { from: string; c1: boolean; undefined?: readonly number[] }>> = {
  'iso-8859-9': { from: 'windows-1254', c1: true },
  'iso-8859-11': { from: 'windows-874', c1: true },
  'tis-620': { from: 'windows-874', c1: false, undefined: [0xa0] },
};

/** Bytes that ICU defines (as C1 controls, private-use or other characters) and glibc iconv does not, by xmllint. */
const ICONV_UNDEFINED: Readonly<Record<string, string>> = {
  'windows-874': '81-84 86-90 98-9f db-de fc-ff',
  'windows-1250': '81 83 88 90 98',
  'windows-1251': '98',
  'windows-1252': '81 8d 8f 90 9d',
  'windows-1253': '81 88 8a 8c-90 98 9a 9c-9f aa',
  'windows-1254': '81 8d-90 9d 9e',
  'windows-1255': '81 8a 8c-90 9a 9c-9f',
  'windows-1257': '81 83 88 8a 8c 90 98 9a 9c 9f',
  'windows-1258': '81 8a 8d-90 9a 9d 9e',
};
/** Bytes that iconv maps to another character than ICU does. */
const ICONV_MAPPINGS: Readonly<Record<string, ReadonlyArray<readonly [number, number]>>> = {
  macintosh: [
    [0xc6, 0x0394],
    [0xf0, 0xe01e],
  ],
};

/**
 * Builds the table from the runtime's own decoder, one byte at a time in streaming mode
 * (Node's non-streaming legacy decoders map windows-1252 0x80-0x9F to C1 controls), then
 * makes it iconv's: U+FFFD (what the runtime gives a byte it does not define) and the bytes
 * of `ICONV_UNDEFINED` are undefined, and bytes below 0x80 are ASCII (ICU's IBM866 swaps
 * 0x1A, 0x1C and 0x7F).
 */
function singleByteTable(encoding: string): Uint16Array {
  const table = new Uint16Array(256);
  for (let b = 0; b < 256; b++) {
    const decoder = new TextDecoder(encoding);
    const text = decoder.decode(Uint8Array.of(b), { stream: true }) + decoder.decode();
    table[b] = b < 0x80 ? b : text.length === 1 && text !== '\uFFFD' ? text.charCodeAt(0) : 0xffff;
  }
  for (const range of (ICONV_UNDEFINED[encoding] ?? '').split(' ').filter(Boolean)) {
    const [from, to = from] = range.split('-').map((h) => parseInt(h, 16));
    for (let b = from!; b <= to!; b++) table[b] = 0xffff;
  }
  for (const [b, code] of ICONV_MAPPINGS[encoding] ?? []) table[b] = code;
  return table;
}
