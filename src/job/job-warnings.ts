/**
 * A job's warnings: what is odd but does not stop it (a unit id used twice, a cache level
 * that failed, no worker on the queue), counted, logged and emitted as `warning` events.
 */
import type { Logger } from 'pino';
import { formatMessage } from '../errors.js';
import type { Unit } from '../model.js';
import type { WarningEvent } from './events.js';

export class JobWarnings {
  /** Warned of on this thread (a job on threads adds its ranges'). */
  count = 0;

  constructor(
    private readonly emit: (event: WarningEvent) => void,
    private readonly logger: Logger | undefined,
    /** The input's name in messages. */
    private readonly fileName: () => string | undefined,
  ) {}

  duplicateId(unit: Unit): void {
    this.count++;
    const { line, column } = unit.location;
    const reason = `unit id "${unit.id}" is used twice in file #${unit.file.index + 1}${unit.file.original ? ` (${unit.file.original})` : ''}`;
    const message = formatMessage(reason, { file: this.fileName() ?? '<input>', line, column });
    this.logger?.warn({ unitId: unit.id, line, column }, message);
    this.emit({ code: 'XLIFF_DUPLICATE_ID', message, unit });
  }

  /** A level of the cache failed and is skipped a while. */
  cacheLevel(level: string, reason: string, error: unknown): void {
    this.count++;
    const message = `${reason} (skipped for a few seconds; the job goes on without it)`;
    this.logger?.warn({ level, err: error }, message);
    this.emit({ code: 'XLIFF_CACHE', message, level });
  }

  noWorker(queue: string | undefined, message: string): void {
    this.count++;
    this.logger?.warn({ queue }, message);
    this.emit({ code: 'XLIFF_QUEUE', message });
  }
}
