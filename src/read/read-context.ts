/**
 * Where a byte range of a document starts: between markup, outside units, inside the root.
 * What a reader needs to read on from there as if it had read all that came before, as plain
 * data (it crosses threads, and may cross machines).
 */
export interface ReadContext {
  /** The input's encoding (`utf-8`, `windows-1252`...). */
  readonly encoding: string;
  /** The start tags of the elements open there, outermost first, as written. */
  readonly ancestors: readonly string[];
  /** `file` contexts made so far (the open one included): the next one's index. */
  readonly files: number;
  /** Whether units outside any `file` element share a file context made for them, there. */
  readonly fileWithoutElement: boolean;
  /** Units before. */
  readonly units: number;
  /** From 1. */
  readonly line: number;
  /** From 1, in UTF-16 code units. */
  readonly column: number;
  /** Bytes of the input before. */
  readonly offset: number;
}

/** Whether two contexts are the same place read the same way. */
export function sameContext(a: ReadContext, b: ReadContext): boolean {
  return (
    a.offset === b.offset &&
    a.line === b.line &&
    a.column === b.column &&
    a.units === b.units &&
    a.files === b.files &&
    a.fileWithoutElement === b.fileWithoutElement &&
    a.encoding === b.encoding &&
    a.ancestors.length === b.ancestors.length &&
    a.ancestors.every((tag, i) => tag === b.ancestors[i])
  );
}
