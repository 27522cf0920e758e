/**
 * The package as a user gets it: `npm pack` (its prepack builds dist/), installed into a
 * temporary ESM project and a temporary CommonJS project, type-checked there with strict
 * TypeScript (`nodenext`) and run: the README's first two examples (its other code blocks type-checked), and `require()`.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { processXliff } from '../src/index.js';
import { generated, run as runCli } from './cli/helpers.js';
import { collect } from './helpers/read.js';
import { startRedis } from './helpers/redis-server.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const TSC = join(root, 'node_modules/.bin/tsc');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  license: string;
  main: string;
  types: string;
  bin: Record<string, string>;
  dependencies: Record<string, string>;
  exports: Record<string, string | Record<string, string>>;
};
const work = mkdtempSync(join(tmpdir(), 'xliff-stream-package-'));
after(() => rmSync(work, { recursive: true, force: true }));

// The children are not test files of this run.
const env = { ...process.env };
delete env['NODE_TEST_CONTEXT'];

interface Run {
  readonly stdout: string;
  readonly stderr: string;
}
function run(command: string, args: readonly string[], cwd: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { cwd, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${command} ${args.join(' ')} (in ${cwd}) failed: ${error.message}\n${stdout}\n${stderr}`));
      else resolve({ stdout, stderr });
    });
  });
}

/** The files of a .tgz (ustar, as npm writes it), by path without npm's `package/` prefix. */
function untar(tgz: Buffer): Map<string, Buffer> {
  const tar = gunzipSync(tgz);
  const files = new Map<string, Buffer>();
  const field = (at: number, length: number, block: number) => tar.toString('utf8', block + at, block + at + length).replace(/\0.*$/s, '');
  for (let block = 0; block + 512 <= tar.length && tar[block] !== 0; ) {
    const name = [field(345, 155, block), field(0, 100, block)].filter(Boolean).join('/');
    const size = parseInt(field(124, 12, block), 8);
    if (field(156, 1, block) === '0' || field(156, 1, block) === '') files.set(name.replace(/^package\//, ''), tar.subarray(block + 512, block + 512 + size));
    block += 512 + Math.ceil(size / 512) * 512;
  }
  return files;
}

let tarball = '';
let listed: string[] = [];
before(async () => {
  const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', work], root);
  const [packed] = JSON.parse(stdout.slice(stdout.indexOf('['))) as [{ filename: string; files: { path: string }[] }];
  tarball = join(work, packed.filename);
  listed = packed.files.map((f) => f.path).sort();
});

/** The small file the examples read as `big.xlf`: one unit translated, one not, one `translate="no"`. */
const XLIFF = `<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
  <file original="app" source-language="en" target-language="de" datatype="plaintext">
    <body>
      <trans-unit id="greeting">
        <source>Hello world</source>
        <target state="translated">Hallo Welt</target>
      </trans-unit>
      <trans-unit id="morning">
        <source>Good <g id="1">morning</g></source>
      </trans-unit>
      <trans-unit id="brand" translate="no">
        <source>ACME</source>
      </trans-unit>
    </body>
  </file>
</xliff>
`;

/** The README's fenced ```ts (and ```js) blocks, in order. */
const readmeBlocks = (languages = ['ts']): string[] =>
  [...readFileSync(join(root, 'README.md'), 'utf8').matchAll(/^```(\w+)\n([\s\S]*?)^```$/gm)].filter((m) => languages.includes(m[1]!)).map((m) => m[2]!);

/**
 * The README's code blocks after the first two (which run) as files to type-check against the
 * package: a fragment gets the package's functions and declarations of what it leaves to the
 * reader (`translate`, the URLs, `process`); the list of processor updates is checked line by line
 * as `UnitUpdate`s of a `unit`.
 */
function readmeFragments(): Record<string, string> {
  const files: Record<string, string> = {};
  const prelude = [
    "import { distributeXliff, joinXliff, processXliff, splitXliff, startXliffWorker, validate, type Unit, type UnitUpdate } from 'xliff-stream';",
    'declare const translate: (...args: any[]) => any;',
    'declare const process: (...args: any[]) => any;',
    'declare const EU_URL: string, US_URL: string;',
    'declare const unit: Unit;',
  ].join('\n');
  readmeBlocks(['ts', 'js']).slice(2).forEach((block, i) => {
    const code = block.startsWith('{')
      ? block.trimEnd().split('\n').map((line, n) => `export const update${n}: UnitUpdate = ${line.replace(/\s*\/\/.*$/, '')};`).join('\n')
      : block.replace(/^import .*\n/gm, '');
    files[`readme-fragment-${i + 3}.ts`] = `${prelude}\n${code}\nexport {};\n`;
  });
  return files;
}

/**
 * A project with the tarball installed, offline. npm's cache holds the dependencies as `npm ci`
 * fetched them (tarballs, abbreviated metadata), but resolving ranges anew asks the registry for
 * full metadata: the project's lock pins them to the versions of the repository's own lock.
 */
async function project(name: string, type: 'module' | 'commonjs', sources: Record<string, string>): Promise<string> {
  const dir = join(work, name);
  mkdirSync(dir);
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean }> };
  const spec = `file:${tarball}`;
  const manifest = { name, private: true, ...(type === 'module' ? { type } : {}), dependencies: { [pkg.name]: spec } };
  const packages: Record<string, unknown> = {
    '': { name, dependencies: manifest.dependencies },
    [`node_modules/${pkg.name}`]: {
      version: pkg.version,
      resolved: spec,
      integrity: `sha512-${createHash('sha512').update(readFileSync(tarball)).digest('base64')}`,
      license: pkg.license,
      dependencies: pkg.dependencies,
      bin: pkg.bin,
    },
  };
  for (const [path, entry] of Object.entries(lock.packages)) if (path && !entry.dev) packages[path] = entry;
  writeFileSync(join(dir, 'package.json'), JSON.stringify(manifest, null, 2));
  writeFileSync(join(dir, 'package-lock.json'), JSON.stringify({ name, lockfileVersion: 3, requires: true, packages }, null, 2));
  await run('npm', ['install', '--offline', '--no-audit', '--no-fund', tarball], dir).catch((error: Error) => {
    throw new Error(`${error.message}\n(the dependencies come from npm's cache: \`npm ci\` fills it)`, { cause: error });
  });

  const compilerOptions = {
    strict: true,
    module: 'nodenext',
    moduleResolution: 'nodenext',
    target: 'es2022',
    lib: ['es2023'], // a Node project: no DOM (half the check time)
    types: ['node'],
    typeRoots: [join(root, 'node_modules/@types')],
    rootDir: '.',
    outDir: 'out',
  };
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, include: ['*.ts'] }, null, 2));
  writeFileSync(join(dir, 'big.xlf'), XLIFF);
  for (const [file, text] of Object.entries(sources)) writeFileSync(join(dir, file), text);
  await run(TSC, ['-p', '.'], dir);
  return dir;
}

/** id, target text and state of each unit of `file`, read with the repository's own reader. */
const targets = async (file: string) => (await collect(file)).map((u) => [u.id, u.target?.text, u.state]);

describe('the packed package', { concurrency: true, timeout: 120_000 }, () => {
  test('the tarball: LICENSE, no source map or sourceMappingURL to a file not shipped, no CLI .d.ts', () => {
    const files = untar(readFileSync(tarball));
    assert.deepEqual([...files.keys()].sort(), listed);
    for (const required of ['LICENSE', 'README.md', 'package.json', 'dist/index.js', 'dist/index.d.ts']) assert.ok(files.has(required), required);
    assert.match(files.get('LICENSE')!.toString(), /^MIT License\n\nCopyright \(c\) xliff-stream contributors\n/);
    assert.equal(pkg.license, 'MIT');
    const targetsOf = (value: unknown): string[] => (typeof value === 'string' ? [value] : Object.values(value as object).flatMap(targetsOf));
    for (const target of [pkg.main, pkg.types, ...Object.values(pkg.bin), ...targetsOf(pkg.exports)]) assert.ok(files.has(posix.normalize(target)), `${target} is shipped`);
    assert.deepEqual(listed.filter((f) => /^dist\/cli\/.*\.d\.ts$/.test(f)), [], 'the CLI is not API: no .d.ts');
    assert.ok(listed.filter((f) => f.startsWith('dist/cli/') && f.endsWith('.js')).length >= 5, 'the CLI itself is shipped');
    for (const [path, bytes] of files) {
      const at = (ref: string) => posix.normalize(posix.join(posix.dirname(path), ref));
      if (path.endsWith('.js')) {
        for (const [, ref] of bytes.toString().matchAll(/^\/\/# sourceMappingURL=(\S+)$/gm)) assert.ok(files.has(at(ref!)), `${path} maps to ${ref}, not shipped`);
      }
      if (path.endsWith('.map')) {
        const map = JSON.parse(bytes.toString()) as { sources: string[]; sourceRoot?: string };
        for (const source of map.sources) assert.ok(files.has(at(posix.join(map.sourceRoot ?? '', source))), `${path} points to ${source}, not shipped`);
      }
    }
  });

  test('ESM project: the README examples compile (strict, nodenext) and run, its other code blocks type-check; the bin runs', async () => {
    const [first, second] = readmeBlocks();
    assert.match(first!, /readUnits\(/, "the README's first ```ts block is the readUnits loop");
    assert.match(second!, /processXliff\(/, "the README's second ```ts block is the processXliff example");
    const fragments = readmeFragments();
    assert.ok(Object.keys(fragments).length >= 8, 'the README\'s other code blocks');
    // The fragments only compile (in project()): a renamed option or result field fails here.
    const dir = await project('esm-user', 'module', { 'readme-1.ts': first!, 'readme-2.ts': second!, ...fragments });

    const one = await run(process.execPath, ['out/readme-1.js'], dir);
    assert.equal(one.stdout, 'morning: untranslated: Good morning\n4 source words\n');
    assert.equal(one.stderr, '');

    const two = await run(process.execPath, ['out/readme-2.js'], dir);
    const lines = two.stdout.trimEnd().split('\n');
    for (const line of lines) assert.match(line, /^\d+\.\d% {2}\d+ units\/s$/);
    assert.match(lines.at(-1)!, /^100\.0%/);
    assert.deepEqual(await targets(join(dir, 'big.de.xlf')), [
      ['greeting', '[de] Hello world', 'translated'],
      ['morning', '[de] Good morning', 'translated'],
      ['brand', undefined, undefined],
    ]);

    const stats = JSON.parse((await run(join(dir, 'node_modules/.bin/xliff-stream'), ['stats', '--json', 'big.xlf'], dir)).stdout) as { units: number };
    assert.equal(stats.units, 3);
  });

  test("the installed package's own worker threads and built-in module: a job on 2 threads with 'xliff-stream:pseudo'; a queue's worker serving a coordinator of another install", async () => {
    const threads = `import { processXliff } from 'xliff-stream';

const summary = await processXliff('many.xlf', { per: 'segment', processModule: 'xliff-stream:pseudo', processModuleData: { modes: ['accents', 'expand'] }, threads: 2, threadRangeBytes: 16 * 1024, output: 'many.qps.xlf' }).done;
console.log(JSON.stringify(summary.threads));
`;
    const typescriptModule = `import { processXliff } from 'xliff-stream';

for (const threads of [1, 2]) {
  try {
    await processXliff('many.xlf', { processModule: new URL('../upper.ts', import.meta.url), threads, output: 'upper.xlf' }).done;
    console.log('loaded');
  } catch (error) {
    console.log(JSON.stringify({ code: (error as { code?: string }).code, message: (error as Error).message }));
  }
}
`;
    const dir = await project('threads-user', 'module', { 'threads.ts': threads, 'typescript-module.ts': typescriptModule });
    const input = generated('1.2', '400K');
    writeFileSync(join(dir, 'many.xlf'), readFileSync(input));
    const expected = join(work, 'many.qps.expected.xlf');
    await processXliff(input, { per: 'segment', processModule: new URL('../src/pseudo-module.ts', import.meta.url), processModuleData: { modes: ['accents', 'expand'] }, output: expected }).done;
    const ran = await run(process.execPath, ['out/threads.js'], dir);
    const summary = JSON.parse(ran.stdout) as { workers: number; ranges: number; sequential?: string };
    assert.equal(summary.workers, 2, ran.stdout);
    assert.ok(summary.ranges > 2, ran.stdout);
    assert.ok(readFileSync(join(dir, 'many.qps.xlf')).equals(readFileSync(expected)), 'on 2 threads of the package: the bytes of the module on one thread');
    // A TypeScript module under plain Node: an error that says what it needs (not Node's own, of a race and a bug in Node), on one thread and on two.
    writeFileSync(join(dir, 'upper.ts'), 'export function process(unit: { id?: string }): { target: string } {\n  return { target: String(unit.id) };\n}\n');
    const refused = (await run(process.execPath, ['out/typescript-module.js'], dir)).stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as { code: string; message: string });
    assert.equal(refused.length, 2, JSON.stringify(refused));
    for (const { code, message } of refused) {
      assert.equal(code, 'XLIFF_PROCESS');
      assert.match(message, /upper\.ts cannot be loaded: Unknown file extension "\.ts" for .*upper\.ts: a TypeScript module needs a loader \(node --import tsx\) or compiling to JavaScript$/);
    }
    assert.equal(existsSync(join(dir, 'upper.xlf')), false, 'no output');

    // This process runs the library from its sources: a module file of its own install would be
    // a .ts file, which the package's worker (plain Node) cannot import. The tasks name the module.
    const redis = await startRedis();
    const worker = spawn(join(dir, 'node_modules/.bin/xliff-stream'), ['worker', '--redis', redis.url, '--queue', 'installed', '--name', 'installed-w1'], { cwd: dir, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let said = '';
    try {
      await new Promise<void>((resolve, reject) => {
        worker.stderr!.setEncoding('utf8').on('data', (text: string) => (said += text).includes('waiting for range jobs') && resolve());
        worker.on('exit', (code) => reject(new Error(`the worker exited with ${code}: ${said}`)));
      });
      // 9 MiB: three ranges of the CLI's 4 MiB.
      const big = generated('1.2', '9M');
      const queued = join(work, 'queued.xlf');
      const coordinator = await runCli(['pseudo', big, queued, '-q', '--redis', redis.url, '--queue', 'installed']);
      assert.equal(coordinator.code, 0, `${coordinator.stderr}\n${said}`);
      const alone = join(work, 'alone.xlf');
      assert.equal((await runCli(['pseudo', big, alone, '-q'])).code, 0);
      assert.ok(readFileSync(queued).equals(readFileSync(alone)), "the bytes of pseudo on one thread");
      assert.equal([...said.matchAll(/: \d+ units in /g)].length, 3, said);
    } finally {
      if (worker.exitCode === null && worker.signalCode === null) {
        const exited = once(worker, 'exit');
        worker.kill('SIGTERM');
        await exited;
      }
      await redis.stop();
    }
  });

  test('CommonJS project: TypeScript compiles the import to require() (strict, nodenext), and require() loads the package', async () => {
    const main = `import { processXliff, readUnits, type Unit } from 'xliff-stream';

async function main(): Promise<void> {
  const units: Unit[] = [];
  for await (const unit of readUnits('big.xlf')) units.push(unit);
  const summary = await processXliff('big.xlf', { output: 'big.fr.xlf', process: (unit) => ({ target: '[fr] ' + unit.source.text }) }).done;
  console.log(JSON.stringify({ ids: units.map((u) => u.id), changed: summary.unitsChanged }));
}
main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
`;
    const dir = await project('cjs-user', 'commonjs', { 'main.ts': main });
    assert.match(readFileSync(join(dir, 'out/main.js'), 'utf8'), /require\("xliff-stream"\)/, 'compiled as CommonJS');
    const ran = await run(process.execPath, ['out/main.js'], dir);
    assert.deepEqual(JSON.parse(ran.stdout), { ids: ['greeting', 'morning', 'brand'], changed: 2 });
    assert.equal(ran.stderr, '', 'no warning');
    assert.deepEqual(await targets(join(dir, 'big.fr.xlf')), [
      ['greeting', '[fr] Hello world', 'translated'],
      ['morning', '[fr] Good morning', undefined],
      ['brand', undefined, undefined],
    ]);

    // Plain JavaScript: the same exports as an import of the package gives.
    const script = "const lib = require('xliff-stream'); console.log(JSON.stringify(Object.keys(lib).sort()));";
    const required = JSON.parse((await run(process.execPath, ['-e', script], dir)).stdout) as string[];
    const imported = JSON.parse((await run(process.execPath, ['--input-type=module', '-e', script.replace(/^const lib = require\('xliff-stream'\);/, "import * as lib from 'xliff-stream';")], dir)).stdout) as string[];
    assert.ok(required.includes('readUnits') && required.includes('processXliff'), required.join());
    assert.deepEqual(required, imported);
  });
});
