/**
 * The unit of work of a worker thread: a byte range of a file that starts at a seam (a
 * `ReadContext`), in; what it holds, and the context where it ends, out. Plain data both
 * ways, so that it crosses threads (and, later, machines).
 */
import { XliffError, type XliffErrorCode } from '../errors.js';
import type { ReadContext } from '../read/read-context.js';

/**
 * What a worker gives of its range: its units; its statistics (one `StatsPart`); or, to
 * validate, the count of its units and the problems it found (`ValidateItem`s).
 */
export type RangeKind = 'units' | 'stats' | 'validate';

/** What a range gives to validate. */
export type ValidateItem = { readonly encoding: string } | { readonly units: number } | { readonly problem: ErrorData };

export interface RangeTask {
  readonly kind: RangeKind;
  /** `false`: XML only, no units (`validate` with `xml: true`). */
  readonly xliff: boolean;
  readonly path: string;
  /** Name shown in error messages. */
  readonly fileName: string;
  readonly start: number;
  /** Excluded. */
  readonly end: number;
  /** Whether the range ends the document (its reader then checks the document is whole). */
  readonly last: boolean;
  /** Where the range starts; `undefined` at the start of the document. */
  readonly context: ReadContext | undefined;
  readonly maxUnitBytes: number;
  readonly maxDepth: number;
}

export interface RangeResult {
  /** Units, one `StatsPart`, or `ValidateItem`s, by the task's kind. */
  readonly items: unknown[];
  /** Where the range ends, if reading can go on from there (not for the last range, nor after an error). */
  readonly context: ReadContext | undefined;
  readonly error: ErrorData | undefined;
  /** CPU time the worker spent on the range (user + system), in microseconds. */
  readonly cpuMicros: number;
}

/** An error as it crosses a thread: an `XliffError`'s fields, or another error's message. */
export type ErrorData =
  | { readonly code: XliffErrorCode; readonly reason: string; readonly file: string | undefined; readonly line: number | undefined; readonly column: number | undefined; readonly offset: number | undefined; readonly unitId: string | undefined }
  | { readonly code: undefined; readonly message: string; readonly stack: string | undefined };

export function toErrorData(error: unknown): ErrorData {
  if (error instanceof XliffError) {
    const { code, reason, file, line, column, offset, unitId } = error;
    return { code, reason, file, line, column, offset, unitId };
  }
  return { code: undefined, message: String((error as Error)?.message ?? error), stack: (error as Error)?.stack };
}

/** The error again, on this side: the same `XliffError` (message, position), or an `XLIFF_WORKER` one. */
export function fromErrorData(data: ErrorData, fileName: string): XliffError {
  if (data.code === undefined) return new XliffError('XLIFF_WORKER', `a worker thread failed: ${data.message}`, { file: fileName, cause: Object.assign(new Error(data.message), { stack: data.stack }) });
  const { code, reason, ...details } = data;
  return new XliffError(code, reason, details);
}
