/**
 * The library's own install, wherever it runs from (dist/, or src/ in tests, .bench-build/src/
 * in benches): its modules by URL (worker threads, built-in processor modules) and its version.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** A module of the library by its compiled URL: that one, or its source when the library runs from its sources. */
export function libraryModule(compiled: URL): URL {
  return existsSync(fileURLToPath(compiled)) ? compiled : new URL(compiled.href.replace(/\.js$/, '.ts'));
}

let version: string | undefined;

/** The version in the library's package.json: the nearest one above this file. */
export function libraryVersion(): string {
  if (version !== undefined) return version;
  for (let at = new URL('../package.json', import.meta.url); ; at = new URL('../package.json', at)) {
    const path = fileURLToPath(at);
    if (existsSync(path)) {
      const manifest = JSON.parse(readFileSync(path, 'utf8')) as { name?: string; version?: string };
      if (manifest.name === 'xliff-stream' && typeof manifest.version === 'string') return (version = manifest.version);
    }
    if (new URL('../package.json', at).href === at.href) throw new Error('xliff-stream: its package.json was not found above ' + fileURLToPath(import.meta.url));
  }
}
