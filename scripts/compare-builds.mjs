#!/usr/bin/env node
/* global process, console */
// Fingerprints what a build reads and writes, to check that a change of code alone leaves
// behaviour as it was: run it on two builds and compare the two files it writes.
// usage: node scripts/compare-builds.mjs DIST_DIR OUT_JSON FILE... (or a folder: every .xlf/.xliff/... in it)
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [dist, out, ...inputs] = process.argv.slice(2);
if (!dist || !out || inputs.length === 0) throw new Error('usage: compare-builds.mjs DIST_DIR OUT_JSON FILE|DIR...');
const lib = await import(pathToFileURL(join(resolve(dist), 'index.js')).href);

// Named relative to the folder given, so that two copies of the same files compare.
const files = inputs.flatMap((input) => (statSync(input).isDirectory() ? walk(input).map((file) => [file, relative(input, file)]) : [[input, input]]));
function walk(dir) {
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : /\.(xlf|xliff|xlf2|sdlxliff|mqxliff|mxliff|txlf|xml|simplify_xliff|xliff_extracted)$/i.test(e.name) ? [join(dir, e.name)] : []));
}

const sha = () => createHash('sha256');
const outcome = async (fn) => {
  try {
    return await fn();
  } catch (error) {
    return { error: error?.code ?? String(error), message: error?.message, line: error?.line, column: error?.column, offset: error?.offset };
  }
};
const tmp = mkdtempSync(join(tmpdir(), 'compare-builds-'));
const result = {};
for (const [file, name] of files) {
  const units = await outcome(async () => {
    const h = sha();
    let n = 0;
    for await (const unit of lib.readUnits(file)) {
      h.update(JSON.stringify(unit));
      n++;
    }
    return { n, sha: h.digest('hex') };
  });
  const chunks = await outcome(async () => {
    const sizes = [];
    for await (const chunk of lib.readChunks(file, { chunkUnits: 7, chunkBytes: 4096 })) sizes.push(chunk.units.length);
    return sizes.join(',');
  });
  const write = async (options) =>
    outcome(async () => {
      const output = join(tmp, 'out.xlf');
      const summary = await lib.processXliff(file, { ...options, output }).done;
      const bytes = readFileSync(output);
      return { sha: sha().update(bytes).digest('hex'), changed: summary.unitsChanged, failed: summary.unitsFailed, chunks: summary.chunks };
    });
  const identity = await write({});
  const pseudo = await write({ process: (unit) => lib.pseudoUpdate(unit), onError: 'skip' });
  const stats = await outcome(async () => sha().update(JSON.stringify(await lib.computeStats(file))).digest('hex'));
  result[name] = { units, chunks, identity, pseudo, stats };
}
rmSync(tmp, { recursive: true, force: true });
writeFileSync(out, JSON.stringify(result, null, 1));
console.log(`${files.length} files fingerprinted into ${out}`);
