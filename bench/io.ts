/**
 * What the seam scan's reading and searching cost, standalone: reading a file from the page
 * cache into one reused buffer against a new buffer for each read and `createReadStream`;
 * and a search from one `<` (and one line end) to the next with V8's `Uint8Array#indexOf`
 * against Buffer's, called on the same Uint8Array. Medians of `--runs`, in one process.
 *
 * usage: npm run bench:io -- [--file F | --size 100M --format 1.2] [--runs 5]
 */
import { createReadStream, readFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { nativeIndexOf } from '../src/read/bytes.js';
import { DEFAULT_GEN, ensureFile, median } from './lib.js';

const { values } = parseArgs({
  options: {
    file: { type: 'string' },
    size: { type: 'string', default: '100M' },
    format: { type: 'string', default: '1.2' },
    runs: { type: 'string', default: '5' },
  },
});
const file = values.file ?? ensureFile(values.format, values.size.toUpperCase(), '42', DEFAULT_GEN);

async function readInto(pieceBytes: number, reuse: boolean): Promise<number> {
  const handle = await open(file);
  let bytes = 0;
  let buffer = new Uint8Array(pieceBytes);
  for (;;) {
    if (!reuse) buffer = new Uint8Array(pieceBytes);
    const { bytesRead } = await handle.read(buffer, 0, pieceBytes, null);
    if (bytesRead === 0) break;
    bytes += bytesRead;
  }
  await handle.close();
  return bytes;
}

async function stream(): Promise<number> {
  let bytes = 0;
  for await (const piece of createReadStream(file, { highWaterMark: 64 * 1024 })) bytes += (piece as Uint8Array).length;
  return bytes;
}

const whole = readFileSync(file);
const bytes = new Uint8Array(whole.buffer, whole.byteOffset, whole.length);
function hops(search: (from: number) => number): number {
  let count = 0;
  for (let at = search(0); at !== -1; at = search(at + 1)) count++;
  return count;
}

const cases: Record<string, () => Promise<unknown> | unknown> = {
  'read, one reused 1 MiB buffer': () => readInto(1024 * 1024, true),
  'read, a new 1 MiB buffer each time': () => readInto(1024 * 1024, false),
  'read, one reused 64 KiB buffer': () => readInto(64 * 1024, true),
  'read, a new 64 KiB buffer each time': () => readInto(64 * 1024, false),
  'read, createReadStream (64 KiB)': stream,
  "'<' to '<', Uint8Array#indexOf": () => hops((from) => bytes.indexOf(0x3c, from)),
  "'<' to '<', Buffer's indexOf": () => hops((from) => nativeIndexOf.call(bytes, 0x3c, from)),
  'line end to line end, Uint8Array#indexOf': () => hops((from) => bytes.indexOf(0x0a, from)),
  "line end to line end, Buffer's indexOf": () => hops((from) => nativeIndexOf.call(bytes, 0x0a, from)),
};
const times: Record<string, number[]> = {};
for (let run = 0; run < Number(values.runs); run++) {
  for (const [name, body] of Object.entries(cases)) {
    const start = performance.now();
    await body();
    (times[name] ??= []).push(performance.now() - start);
  }
}
console.log(`${file} (${(bytes.length / 1048576).toFixed(1)} MiB), medians of ${values.runs} runs\n`);
console.log('| case | ms |\n|---|---:|');
for (const [name, samples] of Object.entries(times)) console.log(`| ${name} | ${median(samples).toFixed(0)} |`);
