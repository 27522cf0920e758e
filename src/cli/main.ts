#!/usr/bin/env node
/**
 * The `xliff-stream` command. Ctrl-C, SIGTERM and SIGHUP abort the job (no output file is
 * left; a `--checkpoint` journal is kept) and exit with 128 + the signal's number; a second
 * signal exits at once. A closed stdout or stderr pipe (`| head`) aborts it quietly.
 */
import { Interrupt } from './context.js';
import { runCli } from './run.js';

const controller = new AbortController();
const SIGNALS = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 } as const;
for (const [name, number] of Object.entries(SIGNALS)) {
  process.on(name, () => {
    if (controller.signal.aborted) process.exit(128 + number);
    controller.abort(new Interrupt(name, 128 + number));
  });
}
// EPIPE: the reader went away. Every later write fails the same way: one abort is enough.
// Other errors (a full disk behind '> file', a terminal gone) reach the writes that fail.
const onStreamError = (error: NodeJS.ErrnoException): void => {
  if (error.code === 'EPIPE' && !controller.signal.aborted) controller.abort(new Interrupt('EPIPE', 128 + 13));
};
process.stdout.on('error', onStreamError);
process.stderr.on('error', onStreamError);

process.exitCode = await runCli(process.argv.slice(2), { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, signal: controller.signal });
// A worker that lost Redis while a job was under way leaves BullMQ's retry timers (some seconds) once closed: it ends here, at once.
if (process.argv[2] === 'worker') process.exit();
