/**
 * The context each processor call gets: its signal, its attempt, and a logger. A job
 * without a logger gives processors a silent one, made (and pino loaded) only when a
 * processor first reads `ctx.logger`.
 */
import type { Logger } from 'pino';
import { loadPino } from '../cjs.js';
import type { ProcessContext } from '../options.js';

export class ProcessContexts {
  private silent: Logger | undefined;

  constructor(private readonly logger: Logger | undefined) {}

  of(signal: AbortSignal, attempt: number): ProcessContext {
    if (this.logger) return { signal, attempt, logger: this.logger };
    const silentLogger = this.silentLogger;
    return {
      signal,
      attempt,
      get logger() {
        return silentLogger();
      },
    };
  }

  /** Silent, with a no-op destination of its own: it must not open (and fsync at exit) stdout. */
  private readonly silentLogger = (): Logger => (this.silent ??= loadPino().pino({ level: 'silent' }, { write: () => undefined }));
}
