export { readUnits, readChunks } from './read.js';
export { XliffError, XLIFF_ERROR_CODES, isXliffError } from './errors.js';
export type { XliffErrorCode, XliffErrorDetails, XliffErrorPosition } from './errors.js';
export type { XliffInput } from './input.js';
export type { ReadOptions, ChunkOptions } from './options.js';
export type {
  Attributes,
  Chunk,
  CodePart,
  Content,
  FileContext,
  GroupContext,
  Location,
  Note,
  Part,
  Segment,
  SpanPart,
  TextPart,
  Unit,
  XliffVersion,
} from './model.js';
