/**
 * The one error class of xliff-stream. Users branch on `err.code`.
 */
export const XLIFF_ERROR_CODES = [
  /** The input is not well-formed XML (or not XML at all). */
  'XLIFF_PARSE',
  /** Bytes that are not valid in the document's encoding, or an encoding this library cannot read. */
  'XLIFF_ENCODING',
  /** Well-formed XML whose root is not an XLIFF `xliff` element. */
  'XLIFF_NOT_XLIFF',
  /** The input holds no document at all (no bytes, or only white space). */
  'XLIFF_EMPTY',
  /** A DOCTYPE declares entities or references a parameter entity: refused (entity bombs, external entities). */
  'XLIFF_ENTITY',
  /** The DOCTYPE's internal subset declares elements, attribute lists or notations: refused (XLIFF needs no DTD). */
  'XLIFF_DTD',
  /** One unit (or one tag, attribute value, comment, PI, CDATA section, DOCTYPE or text run between units) is larger than `maxUnitBytes`; or a name is longer than 50000 characters. */
  'XLIFF_UNIT_TOO_LARGE',
  /** Elements nested deeper than `maxDepth`: refused at the start tag that goes past it. */
  'XLIFF_TOO_DEEP',
  /** The operation was stopped through its `signal`. */
  'XLIFF_ABORTED',
  /** The input could not be read, or the output not written (missing file or folder, write error). */
  'XLIFF_IO',
  /** The output path is the input's: refused before any work. */
  'XLIFF_SAME_FILE',
  /** The processor failed on a unit after its retries (`cause` is its last error). */
  'XLIFF_PROCESS',
  /** A processor's update of a unit has the wrong shape (or cannot be written into that unit); `unitId` names the unit. */
  'XLIFF_BAD_UPDATE',
  /** One processor call took longer than `timeoutMs`: its `ctx.signal` is aborted and the attempt counts as failed. */
  'XLIFF_TIMEOUT',
  /** The checkpoint journal belongs to another input or other options (or is damaged): remove it, or pass `checkpoint: { restart: true }`. */
  'XLIFF_CHECKPOINT_MISMATCH',
  /** A worker thread (`threads`) failed: it crashed, ran out of memory or could not start (`cause` is what it gave). */
  'XLIFF_WORKER',
  /** A level of the result cache (disk, Redis, a store of `cache.stores`) failed, and `cache.required` is set. */
  'XLIFF_CACHE',
  /** Every endpoint's circuit breaker stayed open longer than `circuitBreaker.maxWaitMs`: the unit's call was not made (`onError` says what follows). */
  'XLIFF_ENDPOINTS_DOWN',
  /** `joinXliff`: a part that does not belong to the input (another document's, given twice, one missing, its marks gone), or does not match it unit for unit. */
  'XLIFF_PART',
  /** `distributeXliff`: the queue failed the job: Redis away longer than `queue.maxWaitMs`, a range job that failed in the workers past its attempts, or an input the workers cannot read in byte ranges. */
  'XLIFF_QUEUE',
] as const;

export type XliffErrorCode = (typeof XLIFF_ERROR_CODES)[number];

/** Where in the input an error happened; `line` and `column` count from 1, `offset` is in bytes. */
export interface XliffErrorPosition {
  readonly line?: number | undefined;
  readonly column?: number | undefined;
  readonly offset?: number | undefined;
}

export interface XliffErrorDetails extends XliffErrorPosition {
  /** The input's name as shown in the message: a path, or `<stream>`. */
  readonly file?: string | undefined;
  readonly unitId?: string | undefined;
  readonly cause?: unknown;
}

export class XliffError extends Error {
  override readonly name = 'XliffError';
  readonly code: XliffErrorCode;
  /** The problem alone, without the `file:line:column:` prefix of `message`. */
  readonly reason: string;
  readonly file: string | undefined;
  readonly line: number | undefined;
  readonly column: number | undefined;
  readonly offset: number | undefined;
  readonly unitId: string | undefined;

  constructor(code: XliffErrorCode, reason: string, details: XliffErrorDetails = {}) {
    super(formatMessage(reason, details), details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    this.reason = reason;
    this.file = details.file;
    this.line = details.line;
    this.column = details.column;
    this.offset = details.offset;
    this.unitId = details.unitId;
  }
}

/** `file:line:column: reason`, with what of the place is known. */
export function formatMessage(reason: string, { file, line, column }: XliffErrorDetails): string {
  let where = file ?? '';
  if (line !== undefined) where += `${where ? ':' : ''}${line}:${column ?? 1}`;
  return where ? `${where}: ${reason}` : reason;
}

export function isXliffError(value: unknown): value is XliffError {
  return value instanceof XliffError;
}

/** What of a unit an error at it names: where it starts, and its id. */
interface UnitPlace {
  readonly id: string | undefined;
  readonly location: XliffErrorPosition;
}

/** An error at a unit: placed at the unit's start tag, naming its id. */
export function errorAtUnit(code: XliffErrorCode, unit: UnitPlace, reason: string, details: { readonly file?: string | undefined; readonly cause?: unknown } = {}): XliffError {
  const { line, column, offset } = unit.location;
  return new XliffError(code, reason, { file: details.file, line, column, offset, unitId: unit.id, cause: details.cause });
}

/** A code point as Unicode writes it: `U+00E9`, `U+1F600`. */
export function codePointName(codePoint: number): string {
  return `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** A message from another library made to follow "what: why" (sax starts its own with a capital). */
export function lowerFirst(text: string): string {
  return text.length > 0 ? text[0]!.toLowerCase() + text.slice(1) : text;
}

/** A value as errors show it: `"text"` (cut at 40 characters), `null`, `an array`, `an object (Map)`, `number 3`. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value);
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') {
    const tag = Object.prototype.toString.call(value).slice(8, -1);
    return tag === 'Object' ? 'an object' : `an object (${tag})`;
  }
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'symbol') return 'a symbol';
  return `${typeof value} ${String(value)}`;
}
