/**
 * A module of the library by its compiled URL, for what imports the library's own modules
 * by URL (worker threads, built-in processor modules): the compiled one, or its source when
 * the library runs from its sources (tests).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export function libraryModule(compiled: URL): URL {
  return existsSync(fileURLToPath(compiled)) ? compiled : new URL(compiled.href.replace(/\.js$/, '.ts'));
}
