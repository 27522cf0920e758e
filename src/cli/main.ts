#!/usr/bin/env node
/**
 * The `xliff-stream` command. Ctrl-C aborts the job (no output file is left; a
 * `--checkpoint` journal is kept) and exits with 130; a second Ctrl-C exits at once.
 */
import { EXIT_INTERRUPTED, runCli } from './run.js';

const controller = new AbortController();
process.on('SIGINT', () => {
  if (controller.signal.aborted) process.exit(EXIT_INTERRUPTED);
  controller.abort(new Error('interrupted (SIGINT)'));
});
// `xliff-stream extract big.xlf | head`: a closed pipe ends the work quietly.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

process.exitCode = await runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, signal: controller.signal });
