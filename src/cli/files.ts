/**
 * The files of a command: `-` for standard input and output, and the checks made on an
 * output before any work (a folder, a disk without room), with the temporary files of
 * dead runs cleared away.
 */
import { open, stat, statfs } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { XliffError } from '../errors.js';
import { checkOutputPath, removeStaleTemporaries } from '../io/output.js';
import { STDIO } from './args.js';
import type { CliContext } from './context.js';

/** The name errors and progress give standard input. */
export const STDIN_NAME = '<stdin>';

export function isStdio(path: string | undefined): boolean {
  return path === STDIO;
}

/** What a reader or a job takes: the path, or standard input (named `<stdin>` in messages). */
export function inputOf(path: string, context: CliContext): { input: string | NodeJS.ReadableStream; fileName: string | undefined } {
  if (!isStdio(path)) return { input: path, fileName: undefined };
  if (!context.stdin) throw new XliffError('XLIFF_IO', 'no standard input to read', { file: STDIN_NAME });
  return { input: context.stdin, fileName: STDIN_NAME };
}

/** The size of an input file, `undefined` for standard input or what is not a file (progress then has no percent). */
export async function fileSize(path: string): Promise<number | undefined> {
  if (isStdio(path)) return undefined;
  return stat(path).then(
    (s) => (s.isFile() ? s.size : undefined),
    () => undefined,
  );
}

/** Compressed sizes up to this trust the gzip trailer: beyond, it may have wrapped past 4 GiB unseen (at a ratio over 16). */
const TRAILER_TRUSTED_BELOW = 256 * 1024 * 1024;
/** The decompressed size of a larger gzip input, in compressed sizes: low (XLIFF files measured 5 to 14), so as not to refuse a run that fits. */
const GZIP_FACTOR = 4;

/**
 * About how many bytes the document of an input file holds: its size, or of a gzip file
 * the size its trailer records (modulo 4 GiB: trusted up to 256 MiB compressed), else
 * 4 times the compressed size. `undefined` when unknown (standard input, a pipe).
 */
export async function documentSize(path: string): Promise<{ bytes: number; gzipped: boolean } | undefined> {
  const size = await fileSize(path);
  if (size === undefined) return undefined;
  const handle = await open(path, 'r').catch(() => undefined);
  if (!handle) return { bytes: size, gzipped: false };
  try {
    const head = Buffer.alloc(2);
    await handle.read(head, 0, 2, 0);
    if (size < 18 || head[0] !== 0x1f || head[1] !== 0x8b) return { bytes: size, gzipped: false };
    if (size >= TRAILER_TRUSTED_BELOW) return { bytes: size * GZIP_FACTOR, gzipped: true };
    const trailer = Buffer.alloc(4);
    await handle.read(trailer, 0, 4, size - 4);
    return { bytes: Math.max(size, trailer.readUInt32LE(0)), gzipped: true };
  } finally {
    await handle.close();
  }
}

/**
 * Checks a file output before any work: its folder exists, it is not the input, not a
 * folder, and its disk has room for about the document (the output) and, with a
 * journal, about as much again. Then removes the temporary outputs of dead runs.
 */
export async function prepareOutput(output: string, input: string, options: { readonly journal: boolean }): Promise<void> {
  if (isStdio(output)) return;
  await checkOutputPath(output, isStdio(input) ? undefined : input);
  const info = await stat(output).catch(() => undefined);
  if (info?.isDirectory()) throw new XliffError('XLIFF_IO', 'is a folder: give the output a file name', { file: output });
  const document = isStdio(input) ? undefined : await documentSize(input);
  if (document) await checkRoom(output, document, options.journal);
  await removeStaleTemporaries(output);
}

async function checkRoom(output: string, document: { bytes: number; gzipped: boolean }, journal: boolean): Promise<void> {
  const folder = dirname(resolve(output));
  const disk = await statfs(folder).catch(() => undefined);
  if (!disk) return;
  const free = disk.bavail * disk.bsize;
  // A gzip output takes about what a gzip input did; the journal is plain JSON.
  const outputBytes = output.endsWith('.gz') ? Math.ceil(document.bytes / GZIP_FACTOR) : document.bytes;
  let journalBytes = 0;
  if (journal) {
    const existing = await stat(`${output}.journal`).then((s) => s.size, () => 0);
    journalBytes = Math.max(0, document.bytes - existing);
  }
  const needed = outputBytes + journalBytes;
  if (needed <= free) return;
  const what = journal ? 'the output and its journal' : 'the output';
  throw new XliffError('XLIFF_IO', `not enough room on its disk: ${what} need about ${bytes(needed)}, ${bytes(free)} free in ${folder}`, { file: output });
}

function bytes(n: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${n} bytes` : `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}
