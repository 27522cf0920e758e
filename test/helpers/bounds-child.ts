// One pathological construct read in a child process, by test/read/bounds.test.ts, so that its
// peak RSS is its own. The input is made as it is read (never held whole): an XLIFF head, then
// `size` bytes of one construct, then what closes it and the document.
// usage: bounds-child.ts <construct> <size in bytes> <maxUnitBytes | default> [two-byte]
// Prints one JSON line: { code, reason, line, column, pulled, units, maxRssMiB }.
import { readUnits, XliffError } from '../../src/index.js';

/** What opens and closes each construct, where it stands (between units, or before the root). */
export const CONSTRUCTS = {
  attribute: { before: true, open: '<group id="', close: '"></group>' },
  comment: { before: true, open: '<!--', close: '-->' },
  pi: { before: true, open: '<?pi ', close: '?>' },
  text: { before: true, open: '', close: '' },
  cdata: { before: true, open: '<![CDATA[', close: ']]>' },
  doctype: { before: false, open: '<!DOCTYPE xliff [', close: ']>' },
} as const;
export type Construct = keyof typeof CONSTRUCTS;

const [name, sizeArg, limitArg, charArg] = process.argv.slice(2);
const construct = CONSTRUCTS[name as Construct];
if (!construct || !sizeArg || !limitArg) throw new Error('usage: bounds-child.ts <construct> <size> <maxUnitBytes | default> [two-byte]');
const size = Number(sizeArg);
const maxUnitBytes = limitArg === 'default' ? undefined : Number(limitArg);

const unit = (id: string) => `<trans-unit id="${id}"><source>a</source></trans-unit>\n`;
const root = '<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">\n<file original="a" source-language="en" datatype="plaintext"><body>\n';
const head = construct.before ? `<?xml version="1.0"?>\n${root}${unit('1')}${construct.open}` : `<?xml version="1.0"?>\n${construct.open}`;
const tail = construct.before ? `${construct.close}\n${unit('2')}</body></file></xliff>\n` : `${construct.close}\n${root}${unit('1')}</body></file></xliff>\n`;
// Text between units is white space; elsewhere a letter: `x`, or with `two-byte` `ж` (two bytes in UTF-8, and
// a two-byte string in V8, where `é` would still be one byte a character).
const char = name === 'text' ? ' ' : charArg === 'two-byte' ? '\u0436' : 'x';
const piece = Buffer.from(char.repeat(64 * 1024 / Buffer.byteLength(char)));

let pulled = 0;
function* input(): Generator<Uint8Array> {
  yield Buffer.from(head);
  for (let left = size; left > 0; left -= piece.length) {
    const bytes = left >= piece.length ? piece : piece.subarray(0, left);
    pulled += bytes.length;
    yield bytes;
  }
  yield Buffer.from(tail);
}

let units = 0;
let error: XliffError | undefined;
try {
  for await (const _ of readUnits(input(), { maxUnitBytes })) units++;
} catch (e) {
  if (!(e instanceof XliffError)) throw e;
  error = e;
}
const maxRssMiB = Math.round(process.resourceUsage().maxRSS / 1024);
process.stdout.write(`${JSON.stringify({ code: error?.code, reason: error?.reason, line: error?.line, column: error?.column, pulled, units, maxRssMiB })}\n`);
