/**
 * `validate`: the reader's own checks over a whole document, without reading units for a
 * caller. What `readUnits` refuses, `validate` reports, at the same place with the same
 * code: both run the one reader (src/read/). With `xml: true` any XML document is checked,
 * as XML only (well-formedness and namespaces); without it, also that it is XLIFF.
 */
import { XliffError, type XliffErrorCode } from './errors.js';
import { inputName, inputPath, type InputCounts, type XliffInput } from './io/input.js';
import type { Unit } from './model.js';
import { type ValidateOptions } from './options.js';
import { normalizeValidateOptions } from './normalize-options.js';
import { readBatches } from './read.js';
import type { ItemMakers } from './read/document-reader.js';
import { fromErrorData, type ValidateItem } from './threads/range-task.js';
import { threadedBatches, type ThreadedReadReport } from './threads/threaded-read.js';

/** One thing wrong with the document. */
export interface ValidationProblem {
  readonly code: XliffErrorCode;
  /** What is wrong, without the position. */
  readonly reason: string;
  /** `file:line:column: reason`, as an `XliffError`'s message. */
  readonly message: string;
  /** From 1. */
  readonly line: number | undefined;
  /** From 1, in UTF-16 code units. */
  readonly column: number | undefined;
  /** Bytes before the problem in the input. */
  readonly offset: number | undefined;
  /** Whether reading stopped there (an XML error); the others are XLIFF problems reading goes on after. */
  readonly fatal: boolean;
}

export interface ValidationResult {
  /** No problem found. */
  readonly valid: boolean;
  /** In document order; at most one is fatal, and it is the last. */
  readonly problems: readonly ValidationProblem[];
  /** The input's encoding, once known: `utf-8`, `utf-16le`, `windows-1252`... */
  readonly encoding: string | undefined;
  /** Units read (0 with `xml: true`), up to the fatal problem if any. */
  readonly units: number;
}

/**
 * Checks a document as the reader reads it. Resolves with what is wrong (never rejects for
 * a problem in the document); rejects for what is not the document's fault: an input that
 * cannot be opened or read (`XLIFF_IO`), an aborted `signal` (`XLIFF_ABORTED`), a worker
 * thread that failed (`XLIFF_WORKER`).
 */
export function validate(input: XliffInput, options?: ValidateOptions): Promise<ValidationResult> {
  return validateCounted(input, options, undefined, undefined);
}

/** `validate`, giving `onInput` what is read of the input, `onUnit` each unit (for progress: the CLI) and `report` how it was read. */
export async function validateCounted(
  input: XliffInput,
  options: ValidateOptions | undefined,
  onInput: ((counts: InputCounts) => void) | undefined,
  onUnit: ((unit: Unit) => void) | undefined,
  report?: ThreadedReadReport,
): Promise<ValidationResult> {
  const resolved = normalizeValidateOptions(options);
  const problems: ValidationProblem[] = [];
  let encoding: string | undefined;
  let units = 0;
  type Item = 'unit' | XliffError | ValidateItem;
  const make: ItemMakers<Item> = {
    encoding: (name) => ({ encoding: name }),
    unit: (unit) => {
      onUnit?.(unit);
      return 'unit';
    },
    problem: (problem) => problem,
  };
  const path = resolved.threads === 1 ? undefined : inputPath(input);
  if (path === undefined && report && resolved.threads !== 1) report.sequential = 'not-a-file';
  const batches =
    path === undefined
      ? readBatches<Item>(input, resolved, make, onInput)
      : threadedBatches<Item>(path, { ...resolved, kind: 'validate', rangeBytes: resolved.threadRangeBytes }, (pieces, fileName) => readBatches(pieces, { ...resolved, fileName }, make), onInput, report);
  try {
    for await (const batch of batches) {
      for (const item of batch) {
        if (item === 'unit') units++;
        else if (item instanceof XliffError) problems.push(problemOf(item, false));
        // What workers give of their ranges.
        else if ('units' in item) units += item.units;
        else if ('problem' in item) problems.push(problemOf(fromErrorData(item.problem, resolved.fileName ?? inputName(input)), false));
        else encoding = item.encoding;
      }
    }
  } catch (error) {
    if (!(error instanceof XliffError) || error.code === 'XLIFF_IO' || error.code === 'XLIFF_ABORTED' || error.code === 'XLIFF_WORKER') throw error;
    problems.push(problemOf(error, true));
  }
  return { valid: problems.length === 0, problems, encoding, units };
}

function problemOf(error: XliffError, fatal: boolean): ValidationProblem {
  const { code, reason, message, line, column, offset } = error;
  return { code, reason, message, line, column, offset, fatal };
}
