/**
 * The CommonJS dependencies (sax, pino, cli-progress, piscina, ioredis, bullmq, cockatiel; lmdb's CommonJS build), loaded with `require`. An ESM
 * `import` of CommonJS makes Node load its cjs-module-lexer (WebAssembly) to find the
 * named exports: about 6 MB more resident memory in every process (bench, startup case).
 * And `importModule`, the import of a module by URL that also works from the sources (tests).
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);

export const sax = require('sax') as typeof import('sax');

/** pino, loaded when a job first needs a logger: a job with none given loads nothing (about 8 MB). */
export const loadPino = (): typeof import('pino') => require('pino') as typeof import('pino');

/** cli-progress, for the CLI's progress bar. */
export const loadCliProgress = (): typeof import('cli-progress') => require('cli-progress') as typeof import('cli-progress');

/** piscina's `move`, for a worker's result whose buffers are moved, not copied. */
export const loadPiscina = (): typeof import('piscina') => require('piscina') as typeof import('piscina');

/** ioredis, for the cache's Redis level: loaded when a job opens one. */
export const loadIoredis = (): typeof import('ioredis') => require('ioredis') as typeof import('ioredis');

/** lmdb (its CommonJS build), for the cache's disk level: loaded when a job opens one. */
export const loadLmdb = (): typeof import('lmdb') => require('lmdb') as typeof import('lmdb');

/** BullMQ (its CommonJS build), for jobs on a queue (distribute/): loaded when one starts. */
export const loadBullmq = (): typeof import('bullmq') => require('bullmq') as typeof import('bullmq');

/** cockatiel, for the endpoints' circuit breakers: loaded when a job has endpoints (about 20-40 ms to load). */
export const loadCockatiel = (): typeof import('cockatiel') => require('cockatiel') as typeof import('cockatiel');

/**
 * The ES module at `href`. Under a TypeScript loader (tsx: the tests), a worker thread of
 * Node 20 does not get the loader's import hooks, though its require hook works there:
 * a `.ts` module is then required. Without a loader, the error says what the file needs
 * (Node's own, from the require, speaks of a race and a bug in Node).
 */
export async function importModule(href: string): Promise<Record<string, unknown>> {
  try {
    return (await import(href)) as Record<string, unknown>;
  } catch (error) {
    const extension = /\.[cm]?ts$/.exec(href)?.[0];
    if ((error as NodeJS.ErrnoException)?.code !== 'ERR_UNKNOWN_FILE_EXTENSION' || extension === undefined) throw error;
    // A require hook for the extension (tsx registers one) is the one sign of a loader here.
    if (!(extension in require.extensions)) throw new Error(`${(error as Error).message}: a TypeScript module needs a loader (node --import tsx) or compiling to JavaScript`, { cause: error });
    return require(fileURLToPath(href)) as Record<string, unknown>;
  }
}
