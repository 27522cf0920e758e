/**
 * `splitXliff`: a document cut at unit boundaries into standalone XLIFF files (parts) that
 * can travel to other people, tools or machines. Each part holds a run of consecutive units
 * with the markup between them as written, inside the start tags of their ancestors as
 * written (the root, the `file`, 1.2's `body`, the groups: so every namespace prefix the
 * units use is declared), marked as a part of this document (part-marks.ts). Streamed: one
 * part is open at a time, and what is held is the markup between two units.
 */
import { mkdir, stat } from 'node:fs/promises';
import { basename, extname, join, resolve } from 'node:path';
import { XliffError } from '../errors.js';
import { fileSha256 } from '../io/file-hash.js';
import { PartFile } from '../io/part-file.js';
import { wholeNumber } from '../option-checks.js';
import { type ReadOptions } from '../options.js';
import { byteSize, normalizeReadOptions } from '../normalize-options.js';
import type { InputCounts } from '../io/input.js';
import type { Unit } from '../model.js';
import { readEventBatches } from '../read.js';
import { OpenElements } from './open-elements.js';
import { markPrefix, markRoot, placeholderNumber, type MarkedRoot } from './part-marks.js';

export interface SplitOptions extends ReadOptions {
  /** The folder the parts go to (made if missing). */
  readonly outDir: string;
  /** Cut into this many parts at most (fewer when units are fewer or large), of about the same input bytes from the first unit on. */
  readonly parts?: number | undefined;
  /** Or: parts of at most this many bytes each (a number, or a size such as `'50MB'`), but one unit at least. */
  readonly maxBytes?: number | string | undefined;
}

export interface SplitResult {
  /** The parts' paths, in document order. */
  readonly parts: readonly string[];
  readonly units: number;
  /** The input's SHA-256: the parts carry it. */
  readonly document: string;
}

/** One part in the making. */
interface OpenPart {
  readonly file: PartFile;
  readonly root: MarkedRoot;
  /** Bytes before the marked root tag. */
  readonly rootAt: number;
  readonly first: number;
  units: number;
  /** The cut of the `parts` rule it belongs to. */
  readonly slot: number;
}

const DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';

export function splitXliff(input: string, options: SplitOptions): Promise<SplitResult> {
  return splitXliffCounted(input, options, {});
}

/** What the CLI's progress needs: what is read of the input, and each unit as it goes into a part. */
export interface SplitProgress {
  readonly onInput?: ((counts: InputCounts) => void) | undefined;
  readonly onUnit?: ((unit: Unit) => void) | undefined;
}

/** `splitXliff`, telling `progress` what it reads. */
export async function splitXliffCounted(input: string, options: SplitOptions, progress: SplitProgress): Promise<SplitResult> {
  if (typeof input !== 'string') throw new TypeError(`Expected \`input\` to be a file path, got ${typeof input}`);
  const { outDir } = options;
  if (typeof outDir !== 'string' || outDir === '') throw new TypeError('Expected `outDir` to be a folder path');
  const count = options.parts === undefined ? undefined : wholeNumber('parts', options.parts, 1);
  const maxBytes = options.maxBytes === undefined ? undefined : byteSize('maxBytes', options.maxBytes);
  if ((count === undefined) === (maxBytes === undefined)) throw new TypeError('Expected one of `parts` and `maxBytes`');
  const read = normalizeReadOptions(options);
  const size = (await stat(input).catch((error: unknown) => {
    throw new XliffError('XLIFF_IO', `cannot read the input: ${(error as Error).message}`, { file: input, cause: error });
  })).size;
  await mkdir(outDir, { recursive: true });
  // Names come from the input's name and a number, never from the document's text.
  // Parts are plain XML: a gzip input's `.gz` is not theirs.
  const plainName = basename(input).replace(/\.gz$/i, '');
  const extension = extname(plainName);
  const stem = basename(plainName, extension);
  const width = Math.max(3, String(count ?? 0).length);
  const nameOf = (part: number): string => join(resolve(outDir), `${stem}.part${String(part).padStart(width, '0')}${extension || '.xlf'}`);

  const document = fileSha256(input, read.signal);
  document.catch(() => undefined);
  const done: OpenPart[] = [];
  const open = new OpenElements();
  let part: OpenPart | undefined;
  let between = '';
  let units = 0;
  let prefix: string | undefined;
  let firstOffset: number | undefined;

  const start = async (slot: number, first: number): Promise<OpenPart> => {
    const path = open.path;
    prefix ??= markPrefix(path[0]!);
    const root = markRoot(path[0]!, prefix, done.length + 1, first, open.fileIndex);
    const tags = path.map((tag, depth) => (depth === 0 ? root.tag : tag));
    const file = await PartFile.create(nameOf(done.length + 1));
    await file.write(DECLARATION);
    await file.write(`${tags.join('\n')}\n`);
    return { file, root, rootAt: Buffer.byteLength(DECLARATION), first, units: 0, slot };
  };
  const finish = async (finished: OpenPart, path: readonly string[]): Promise<void> => {
    await finished.file.write(`\n${[...path].reverse().map((tag) => `</${readTagName(tag)}>`).join('\n')}\n`);
    await finished.file.close();
    done.push(finished);
  };

  try {
    let counts: InputCounts | undefined;
    const onInput = (given: InputCounts): void => {
      counts = given;
      progress.onInput?.(given);
    };
    // The document's size: of a gzip input, estimated from the compression met so far.
    const documentBytes = (): number => (counts?.gzipped && counts.scale > 0 ? size / counts.scale : size);
    for await (const batch of readEventBatches(input, { ...read, skeleton: true, onInput })) {
      for (const event of batch) {
        if (event.kind === 'skeleton') {
          between += event.text;
          continue;
        }
        if (event.kind !== 'unit') continue;
        const { unit } = event;
        const closing = open.path.slice();
        open.feed(between);
        // Parts of about the same bytes, counted from the first unit (a long header before it would leave the first parts empty).
        firstOffset ??= unit.location.offset;
        const slot = count === undefined ? 0 : Math.min(count - 1, Math.floor(((unit.location.offset - firstOffset) * count) / Math.max(documentBytes() - firstOffset, 1)));
        const full = part !== undefined && (count !== undefined ? slot > part.slot : part.file.bytes + Buffer.byteLength(between) + Buffer.byteLength(unit.raw) + closingBytes(closing) > maxBytes!);
        if (part === undefined || full) {
          if (part) await finish(part, closing);
          part = await start(slot, unit.index);
        } else await part.file.write(between);
        between = '';
        await part.file.write(unit.raw);
        part.units++;
        units++;
        progress.onUnit?.(unit);
      }
    }
    if (part) await finish(part, open.path);
    const hash = await document;
    for (const finished of done) {
      const at = (chars: number): number => finished.rootAt + Buffer.byteLength(finished.root.tag.slice(0, chars));
      await finished.file.patch(at(finished.root.document), hash);
      await finished.file.patch(at(finished.root.parts), placeholderNumber(done.length));
      await finished.file.patch(at(finished.root.units), placeholderNumber(finished.units));
    }
    for (const finished of done) await finished.file.commit();
    return { parts: done.map((finished) => finished.file.path), units, document: hash };
  } catch (error) {
    for (const unfinished of part && !done.includes(part) ? [...done, part] : done) await unfinished.file.abort();
    throw error;
  }
}

function readTagName(tag: string): string {
  let end = 1;
  while (end < tag.length && !/[\s/>]/.test(tag[end]!)) end++;
  return tag.slice(1, end);
}

function closingBytes(path: readonly string[]): number {
  return path.reduce((bytes, tag) => bytes + Buffer.byteLength(readTagName(tag)) + 4, 1);
}
