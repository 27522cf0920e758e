/**
 * Options of the reader, resolved and checked in one place.
 */
export interface ReadOptions {
  /** Stops reading: the iterator throws an `XliffError` with code `XLIFF_ABORTED`. */
  readonly signal?: AbortSignal | undefined;
  /** Name shown in error messages; defaults to the path, or `<stream>`. */
  readonly fileName?: string | undefined;
  /**
   * A unit larger than this (in input bytes) fails with `XLIFF_UNIT_TOO_LARGE`; the reader
   * never holds more than about this much of one unit.
   * @default 67108864 (64 MiB)
   */
  readonly maxUnitBytes?: number | undefined;
}

export interface ChunkOptions extends ReadOptions {
  /**
   * Units per chunk at most.
   * @default 200
   */
  readonly chunkUnits?: number | undefined;
  /**
   * Input bytes per chunk at most (a chunk always holds at least one unit).
   * @default Infinity
   */
  readonly chunkBytes?: number | undefined;
}

export interface ResolvedReadOptions {
  readonly signal: AbortSignal | undefined;
  readonly fileName: string | undefined;
  readonly maxUnitBytes: number;
}

export interface ResolvedChunkOptions extends ResolvedReadOptions {
  readonly chunkUnits: number;
  readonly chunkBytes: number;
}

export const DEFAULT_MAX_UNIT_BYTES = 64 * 1024 * 1024;
export const DEFAULT_CHUNK_UNITS = 200;

export function normalizeReadOptions(options: ReadOptions = {}): ResolvedReadOptions {
  if (options === null || typeof options !== 'object') throw new TypeError(`Expected \`options\` to be an object, got ${describe(options)}`);
  const { signal, fileName } = options;
  if (signal !== undefined && !(signal instanceof AbortSignal)) throw new TypeError(`Expected \`signal\` to be an AbortSignal, got ${describe(signal)}`);
  if (fileName !== undefined && typeof fileName !== 'string') throw new TypeError(`Expected \`fileName\` to be a string, got ${describe(fileName)}`);
  return { signal, fileName, maxUnitBytes: positive('maxUnitBytes', options.maxUnitBytes, DEFAULT_MAX_UNIT_BYTES) };
}

export function normalizeChunkOptions(options: ChunkOptions = {}): ResolvedChunkOptions {
  return {
    ...normalizeReadOptions(options),
    chunkUnits: positive('chunkUnits', options.chunkUnits, DEFAULT_CHUNK_UNITS),
    chunkBytes: positive('chunkBytes', options.chunkBytes, Infinity, true),
  };
}

/** A whole number from 1 up (or Infinity where allowed). */
function positive(name: string, value: unknown, fallback: number, allowInfinity = false): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number') throw new TypeError(`Expected \`${name}\` to be a number from 1 and up, got ${describe(value)}`);
  if (!(value >= 1) || (!Number.isInteger(value) && !(allowInfinity && value === Infinity))) {
    throw new RangeError(`Expected \`${name}\` to be a whole number from 1 and up${allowInfinity ? ' (or Infinity)' : ''}, got ${value}`);
  }
  return value;
}

export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return `"${value}"`;
  if (typeof value === 'object') return Array.isArray(value) ? 'an array' : 'an object';
  return `${typeof value} ${String(value)}`;
}
