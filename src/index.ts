export { readUnits, readChunks } from './read.js';
export { processXliff, XliffJob } from './process.js';
export type { ChunkEvent, ChunkResult, ChunkState, JobEvents, Summary, UnitErrorEvent, UnitResult, WarningEvent, DuplicateIdWarning, CacheStoreWarning, NoWorkerWarning, ThreadsSummary, SequentialReason } from './process.js';
export type { Progress } from './job/progress.js';
export type { CacheLevel, CacheLevelStats } from './cache/cache-levels.js';
export type { DiskLevelOptions } from './cache/disk-level.js';
export type { RedisLevelOptions } from './cache/redis-level.js';
export type { SegmentResult, SegmentUpdate, TargetContent, UnitUpdate } from './write/update.js';
export { XliffError, XLIFF_ERROR_CODES, isXliffError } from './errors.js';
export { classifyError } from './job/error-class.js';
export type { ErrorClass, RetriedClass } from './job/error-class.js';
export type { CircuitBreakerOptions, EndpointContext, EndpointOptions, EndpointStrategy, FailureRateOptions } from './endpoints/endpoint-options.js';
export type { BreakerState, EndpointStats } from './endpoints/endpoint.js';
export type { XliffErrorCode, XliffErrorDetails, XliffErrorPosition } from './errors.js';
export type { XliffInput } from './io/input.js';
export type {
  BatchProcessor,
  BuiltInProcessModule,
  CachedUpdate,
  CacheOptions,
  CheckpointOptions,
  ChunkOptions,
  ProcessContext,
  ProcessOptions,
  RateLimitOptions,
  ReadOptions,
  ItemBatchProcessor,
  ItemProcessor,
  JobOptions,
  SegmentBatchProcessor,
  SegmentProcessOptions,
  SegmentProcessor,
  StatsOptions,
  ThreadOptions,
  UnitProcessor,
  UnitSegment,
  ValidateOptions,
} from './options.js';
export type { RetryOptions, RetryPolicyOptions } from './job/retry-options.js';
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
export { validate } from './validate.js';
export type { ValidationProblem, ValidationResult } from './validate.js';
export { computeStats, StatsCounter } from './stats.js';
export type { XliffStats } from './stats.js';
export { pseudoUpdate, pseudoSegment, pseudoParts, pseudoText, PSEUDO_MODES } from './pseudo.js';
export type { PseudoMode, PseudoOptions } from './pseudo.js';
export { splitXliff } from './split/split.js';
export type { SplitOptions, SplitResult } from './split/split.js';
export { joinXliff } from './split/join.js';
export type { JoinOptions } from './split/join.js';
export { distributeXliff } from './distribute/distribute.js';
export type { DistributeOptions } from './distribute/distribute.js';
export type { QueueConnectionOptions, QueueOptions } from './distribute/queue-options.js';
export { startXliffWorker } from './distribute/worker.js';
export type { XliffWorker, XliffWorkerOptions } from './distribute/worker.js';
