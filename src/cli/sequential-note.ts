/**
 * What a command says when `--threads` asked for worker threads and the input was read on
 * one thread (`ThreadsSummary.sequential`): the reason, as the user reads it.
 */
import type { SequentialReason } from '../threads/thread-pool.js';

const WHY: Record<SequentialReason, string> = {
  small: 'the file is too small to share (under 8 MiB: two ranges of 4 MiB; with auto, under 64 MiB)',
  memory: 'not enough memory for two worker threads',
  cores: 'this machine has one core',
  gzip: 'the input is gzip-compressed (worker threads read byte ranges of a plain file)',
  encoding: 'the input is in UTF-16 or UTF-32 (worker threads read byte ranges of an ASCII-compatible encoding)',
  'not-a-file': 'the input is not a file (worker threads read byte ranges of a file)',
  unreadable: 'the input is empty or does not decode',
};

/** The line `command` writes on stderr for `reason` (none without one). */
export function sequentialNote(command: string, reason: SequentialReason | undefined): string {
  return reason === undefined ? '' : `${command}: --threads: read on one thread: ${WHY[reason]}\n`;
}
