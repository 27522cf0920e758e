/**
 * The translations file of `merge`, in bounded memory. It is read once before any work
 * (every line checked, hashed, its order seen); then, while the job runs, either read
 * along with the units (lines in document order, as `extract` writes them) or looked up
 * by byte offset through an index of its keys (any order). Both give a unit the same
 * line; the streamed reading checks that it does, and says when it cannot (`Divergence`).
 */
import { createReadStream, closeSync, openSync, readSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { XliffError } from '../errors.js';
import { StringHashSet } from '../job/hash-set.js';
import type { Unit } from '../model.js';
import { Warnings, type OutputStream } from './context.js';
import { fileKey, parseMergeLine, type MergeLine } from './unit-line.js';

/** A line that applies to a unit, and its number in the file (from 1). */
export interface FoundLine {
  readonly line: MergeLine;
  readonly at: number;
}

/** A line no unit took: reported as not found. */
export interface UnmatchedLine {
  readonly at: number;
  readonly id: string;
  readonly file: string | null | undefined;
}

export interface Translations {
  /** The line for a unit (called for every unit, in document order). */
  find(unit: Unit): FoundLine | undefined;
  /** The end of the job: the lines no unit took, in file order. */
  unmatched(): Iterator<UnmatchedLine> & Iterable<UnmatchedLine>;
  close(): void;
}

/** What the first reading found. */
export interface TranslationsScan {
  readonly path: string;
  /** Lines with an id (blank lines and lines without id not counted). */
  readonly lines: number;
  readonly withoutId: number;
  /** SHA-1 of the file: a checkpoint journal is replayed only with the same translations. */
  readonly hash: string;
  /** Every line with an id has a `file` and an `index`, the indexes rising: the order `extract` writes. */
  readonly ordered: boolean;
}

/** The streamed reading met a unit that the index would give another line: the job runs again with the index. */
export class Divergence extends Error {
  override readonly name = 'Divergence';
}

/** One line of the file: its text (no line end) and where its bytes are. */
interface RawLine {
  readonly text: string;
  readonly number: number;
  readonly offset: number;
  readonly length: number;
}

const BLOCK = 64 * 1024;

/** The lines of a file with their byte offsets (readline gives none). */
async function* readLines(path: string, signal: AbortSignal): AsyncGenerator<RawLine> {
  let number = 0;
  let offset = 0; // of the line being gathered
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  const line = (bytes: Buffer): RawLine => {
    number++;
    const length = bytes.length;
    const end = length > 0 && bytes[length - 1] === 0x0d ? length - 1 : length;
    const text = bytes.toString('utf8', 0, end);
    const raw = { text: number === 1 ? text.replace(/^\uFEFF/, '') : text, number, offset, length };
    offset += length + 1;
    return raw;
  };
  try {
    for await (const piece of createReadStream(path, { highWaterMark: BLOCK, signal }) as AsyncIterable<Buffer>) {
      let start = 0;
      for (let at = piece.indexOf(0x0a); at !== -1; at = piece.indexOf(0x0a, start)) {
        const part = piece.subarray(start, at);
        yield line(pending.length === 0 ? part : Buffer.concat([...pending, part], pendingBytes + part.length));
        pending = [];
        pendingBytes = 0;
        start = at + 1;
      }
      if (start < piece.length) {
        pending.push(piece.subarray(start));
        pendingBytes += piece.length - start;
      }
    }
  } catch (error) {
    if ((error as Error)?.name === 'AbortError') throw error;
    const code = (error as NodeJS.ErrnoException)?.code;
    throw new XliffError('XLIFF_IO', `cannot read the translations${code ? ` (${code})` : ''}: ${(error as Error)?.message ?? error}`, { file: path, cause: error });
  }
  if (pendingBytes > 0) yield line(Buffer.concat(pending, pendingBytes));
}

/** Parses a line; a bad one is an error at `file:line:1`. Blank lines give `undefined`. */
function parseLine(path: string, raw: { readonly text: string; readonly number: number }): MergeLine | undefined {
  if (raw.text.trim() === '') return undefined;
  try {
    return parseMergeLine(raw.text);
  } catch (error) {
    throw new XliffError('XLIFF_PARSE', (error as Error).message, { file: path, line: raw.number, column: 1 });
  }
}

/**
 * Reads the whole file once, before any work: a malformed line is an error here; lines
 * without id are reported (and skipped).
 */
export async function scanTranslations(path: string, stderr: OutputStream, signal: AbortSignal): Promise<TranslationsScan> {
  const hash = createHash('sha1');
  const withoutId = new Warnings(stderr);
  let lines = 0;
  let ordered = true;
  let lastIndex = -1;
  for await (const raw of readLines(path, signal)) {
    hash.update(raw.text);
    hash.update('\n');
    const line = parseLine(path, raw);
    if (!line) continue;
    if (line.id === null) {
      withoutId.add(`${path}:${raw.number}: a line without "id" cannot be merged: skipped`);
      continue;
    }
    lines++;
    if (line.file === undefined || line.index === undefined || line.index <= lastIndex) ordered = false;
    else lastIndex = line.index;
  }
  withoutId.close('lines without id');
  return { path, lines, withoutId: withoutId.count, hash: hash.digest('hex'), ordered };
}

/** A unit's keys: by file and id, and by id alone (lines that name no file). */
const fileKeyOf = (file: string | null, id: string): string => `${file === null ? 'n' : `f${file}`}\u0000${id}`;
const anyKeyOf = (id: string): string => `a\u0000${id}`;
const lineKey = (line: MergeLine): string => (line.file === undefined ? anyKeyOf(line.id!) : fileKeyOf(line.file, line.id!));

function sameKey(line: MergeLine, unit: Unit): boolean {
  return line.id === unit.id && (line.file === undefined || line.file === fileKey(unit));
}

/** Reads the lines of a file one after the other, synchronously (the job's processor answers at once). */
class LineCursor {
  private readonly fd: number;
  private readonly block = Buffer.alloc(BLOCK);
  private held = Buffer.alloc(0);
  private number = 0;
  private ended = false;

  constructor(path: string) {
    this.fd = openSync(path, 'r');
  }

  next(): { text: string; number: number } | undefined {
    for (;;) {
      const at = this.held.indexOf(0x0a);
      if (at !== -1 || (this.ended && this.held.length > 0)) {
        const end = at === -1 ? this.held.length : at;
        const bytes = this.held.subarray(0, end);
        this.held = this.held.subarray(at === -1 ? end : end + 1);
        this.number++;
        const text = bytes.toString('utf8', 0, bytes.length > 0 && bytes[bytes.length - 1] === 0x0d ? bytes.length - 1 : bytes.length);
        return { text: this.number === 1 ? text.replace(/^\uFEFF/, '') : text, number: this.number };
      }
      if (this.ended) return undefined;
      const read = readSync(this.fd, this.block, 0, BLOCK, null);
      if (read === 0) this.ended = true;
      else this.held = this.held.length === 0 ? Buffer.from(this.block.subarray(0, read)) : Buffer.concat([this.held, this.block.subarray(0, read)]);
    }
  }

  close(): void {
    closeSync(this.fd);
  }
}

/**
 * Lines in document order, read along with the units: a line applies to the unit at its
 * `index` when that unit has its file and id. That is what the index gives, unless the
 * XLIFF does not line up with the lines: a line's unit has another key, lines are left
 * after the last unit, or an id used twice in a file has a unit without a line (the
 * index gives such a unit the one line of its id). Those throw `Divergence`. Memory: one
 * line, and a 64-bit hash per unit key (to see ids used twice).
 */
export function streamedTranslations(scan: TranslationsScan): Translations {
  const cursor = new LineCursor(scan.path);
  const seen = new StringHashSet();
  let current: FoundLine | undefined;
  let lastIndex = -1;
  let withoutLine = 0;
  const advance = (): void => {
    current = undefined;
    for (let raw = cursor.next(); raw; raw = cursor.next()) {
      const line = parseLine(scan.path, raw);
      if (line && line.id !== null) {
        current = { line, at: raw.number };
        return;
      }
    }
  };
  advance();
  return {
    find(unit) {
      if (unit.index <= lastIndex) throw new Divergence(`unit ${unit.index} came after unit ${lastIndex}`);
      lastIndex = unit.index;
      const line = current;
      if (line && line.line.index! < unit.index) throw new Divergence(`${scan.path}:${line.at}: no unit asked for the line of index ${line.line.index}`);
      const here = line?.line.index === unit.index ? line : undefined;
      if (here && !sameKey(here.line, unit)) throw new Divergence(`${scan.path}:${here.at}: the unit at index ${unit.index} is ${unit.id === undefined ? 'one without id' : `"${unit.id}"`}, not "${here.line.id}"`);
      if (!here) withoutLine++;
      const twice = unit.id !== undefined && !seen.add(fileKeyOf(fileKey(unit), unit.id));
      if (twice && withoutLine > 0) throw new Divergence(`unit "${unit.id}" is used twice in its file, and units have no line`);
      if (here) advance();
      return here;
    },
    // Every line was taken at its index, or the job stopped at the one that was not.
    unmatched() {
      if (current) throw new Divergence(`${scan.path}:${current.at}: lines after the last unit`);
      return [][Symbol.iterator]();
    },
    close() {
      cursor.close();
      seen.dispose();
    },
  };
}

/** Growable columns of numbers, one row per indexed line. */
class Column<T extends Float64Array | Int32Array | Uint32Array | Uint8Array> {
  constructor(public values: T) {}

  set(row: number, value: number): void {
    if (row >= this.values.length) {
      const grown = new (this.values.constructor as new (length: number) => T)(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[row] = value;
  }
}

const NO_INDEX = -1;
const MATCHED = 1;
const REPLACED = 2;

/**
 * Lines in any order: a Map from each key (file and id, or id alone) to its first line,
 * the lines of a key chained, and per line its byte offset, length, number, `index` and
 * whether a unit took it. A line is read again (and parsed) when a unit asks for it.
 * Memory: the keys, and about 30 bytes a line.
 */
export async function indexedTranslations(scan: TranslationsScan, stderr: OutputStream, signal: AbortSignal): Promise<Translations> {
  const heads = new Map<string, number>();
  const offsets = new Column(new Float64Array(1024));
  const lengths = new Column(new Uint32Array(1024));
  const numbers = new Column(new Uint32Array(1024));
  const indexes = new Column(new Int32Array(1024));
  const next = new Column(new Int32Array(1024));
  const states = new Column(new Uint8Array(1024));
  const duplicates = new Warnings(stderr);
  let rows = 0;
  for await (const raw of readLines(scan.path, signal)) {
    const line = parseLine(scan.path, raw);
    if (!line || line.id === null) continue;
    const row = rows++;
    const index = line.index ?? NO_INDEX;
    offsets.set(row, raw.offset);
    lengths.set(row, raw.length);
    numbers.set(row, raw.number);
    indexes.set(row, index);
    states.set(row, 0);
    next.set(row, -1);
    const key = lineKey(line);
    const head = heads.get(key);
    if (head === undefined) {
      heads.set(key, row);
      continue;
    }
    // Appended to its key's chain; an earlier line of the same index gives way (the last one wins).
    let last = head;
    for (let r = head; r !== -1; r = next.values[r]!) {
      if (states.values[r] !== REPLACED && indexes.values[r] === index) {
        states.values[r] = REPLACED;
        duplicates.add(`${scan.path}:${raw.number}: unit "${line.id}" already given at line ${numbers.values[r]}: this line wins`);
      }
      last = r;
    }
    next.set(last, row);
  }
  duplicates.close('duplicate lines');
  const fd = openSync(scan.path, 'r');
  let buffer = Buffer.alloc(BLOCK);
  const read = (row: number): MergeLine => {
    const length = lengths.values[row]!;
    if (length > buffer.length) buffer = Buffer.alloc(length);
    readSync(fd, buffer, 0, length, offsets.values[row]!);
    const end = length > 0 && buffer[length - 1] === 0x0d ? length - 1 : length;
    const number = numbers.values[row]!;
    const text = buffer.toString('utf8', 0, end);
    return parseLine(scan.path, { text: number === 1 ? text.replace(/^\uFEFF/, '') : text, number })!;
  };
  const chain = (head: number | undefined): number[] => {
    const list: number[] = [];
    for (let r = head ?? -1; r !== -1; r = next.values[r]!) if (states.values[r] !== REPLACED) list.push(r);
    return list;
  };
  return {
    find(unit) {
      if (unit.id === undefined) return undefined;
      let list = chain(heads.get(fileKeyOf(fileKey(unit), unit.id)));
      if (list.length === 0) list = chain(heads.get(anyKeyOf(unit.id)));
      if (list.length === 0) return undefined;
      // Lines of the same file and id (a file with ids used twice) are told apart by index.
      const row = list.length === 1 ? list[0] : (list.find((r) => indexes.values[r] === unit.index) ?? list.find((r) => indexes.values[r] === NO_INDEX));
      if (row === undefined) return undefined;
      states.values[row] = MATCHED;
      return { line: read(row), at: numbers.values[row]! };
    },
    *unmatched() {
      for (let row = 0; row < rows; row++) {
        if (states.values[row] !== 0) continue;
        const line = read(row);
        yield { at: numbers.values[row]!, id: line.id!, file: line.file };
      }
    },
    close() {
      closeSync(fd);
    },
  };
}
