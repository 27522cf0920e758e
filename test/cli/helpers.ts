/**
 * What the CLI tests share: the CLI in this process (`run`) or as a child process
 * (`spawnCli`, as a user runs it), corpus files, generated files, a temporary folder.
 */
import { after } from 'node:test';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createReadStream, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { Part, Unit } from '../../src/index.js';
import { runCli } from '../../src/cli/run.js';
import { CORPUS_DIR } from '../helpers/corpus.js';
import { collect } from '../helpers/read.js';

export const root = fileURLToPath(new URL('../..', import.meta.url));
export const MAIN = join(root, 'src/cli/main.ts');
export const corpusFile = (path: string): string => join(CORPUS_DIR, path);
export const ANGULAR = corpusFile('angular-apps/messages.fr.xlf'); // 1.2, ICU messages, <x/> codes, 2 units without source, 37 ids used twice
export const SPOTCHECK = corpusFile('matecat/SpotCheck-en_us-es_419-H.xlf'); // 2.0, units of several segments, empty targets
export const SDLXLIFF = corpusFile('okapi-sdlxliff/FFFEBOM15992.sdlxliff'); // UTF-8 with a BOM (despite its name), seg-source mrk segments
export const TRADOS = corpusFile('okapi-xliff12/test1.docx.sdlxliff'); // seg-source mrk segments with targets, sdl:seg-defs
export const CP1252 = corpusFile('okapi-xliff12/RB-12-Test02.xlf'); // windows-1252, g/x/mrk
export const XLIFF2 = corpusFile('okapi-xliff2/test01.xlf'); // 2.0 with translate="no"
export const REJECTED = corpusFile('okapi-misc/invalid_xml_entity.xlf');

/** A temporary folder for one test file, removed at its end. */
export function tempFolder(): { dir: string; out: (name: string) => string } {
  const dir = mkdtempSync(join(tmpdir(), 'xliff-stream-cli-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  return { dir, out: (name) => join(dir, name) };
}

/** A stream that keeps what is written; `isTTY` and `columns` as asked. */
export class Collector extends Writable {
  text = '';
  constructor(
    readonly isTTY = false,
    private readonly onText?: (text: string) => void,
    readonly columns = 120,
  ) {
    super({ decodeStrings: false });
  }
  override _write(chunk: string | Buffer, _encoding: BufferEncoding, callback: () => void): void {
    const text = chunk.toString();
    this.text += text;
    this.onText?.(text);
    callback();
  }
}

export interface Run {
  readonly code: number | null;
  readonly signal?: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The CLI in this process (fast): `runCli` with collected output. */
export async function run(
  args: string[],
  options: { tty?: boolean; columns?: number; signal?: AbortSignal; onStderr?: (text: string) => void; stdinFile?: string } = {},
): Promise<Run> {
  const stdout = new Collector();
  const stderr = new Collector(options.tty ?? false, options.onStderr, options.columns);
  const stdin = options.stdinFile ? createReadStream(options.stdinFile) : undefined;
  const code = await runCli(args, { stdin, stdout, stderr, signal: options.signal ?? new AbortController().signal });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

export interface SpawnOptions {
  /** A file given to the child as its standard input. */
  readonly stdinFile?: string;
  /** Called as stderr grows; may act on the child (send a signal). */
  readonly onStderr?: (text: string, child: ChildProcess) => void;
  /** Called as stdout grows, with the bytes so far. */
  readonly onStdout?: (bytes: number, child: ChildProcess) => void;
  readonly env?: NodeJS.ProcessEnv;
}

/** The CLI as a process, as a user runs it (through tsx); stdout kept as bytes (`stdoutBytes`). */
export function spawnCli(args: string[], options: SpawnOptions = {}): Promise<Run & { stdoutBytes: Buffer }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], {
      cwd: root,
      stdio: [options.stdinFile ? 'pipe' : 'ignore', 'pipe', 'pipe'],
      env: options.env ?? process.env,
    });
    if (options.stdinFile) {
      const input = child.stdin!;
      input.on('error', () => undefined); // the child may stop reading (an error, a signal)
      input.end(readFileSync(options.stdinFile));
    }
    const out: Buffer[] = [];
    let outBytes = 0;
    let stderr = '';
    child.stdout!.on('data', (d: Buffer) => {
      out.push(d);
      outBytes += d.length;
      options.onStdout?.(outBytes, child);
    });
    child.stderr!.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
      options.onStderr?.(stderr, child);
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const stdoutBytes = Buffer.concat(out);
      resolve({ code, signal, stdout: stdoutBytes.toString('utf8'), stdoutBytes, stderr });
    });
  });
}

/** A generated file under the temp folder, made once and reused (never in git). */
export function generated(format: '1.2' | '2.0', size: string): string {
  const folder = join(tmpdir(), 'xliff-stream-test-files');
  mkdirSync(folder, { recursive: true });
  const file = join(folder, `gen-${format}-${size}.xlf`);
  if (!existsSync(file)) {
    const partial = `${file}.${process.pid}.partial`;
    execFileSync(process.execPath, [join(root, 'scripts/gen-xliff.cjs'), '--format', format, '--size', size, '--out', partial], { stdio: 'ignore' });
    renameSync(partial, file);
  }
  return file;
}

export const xmllint = (file: string): void => {
  execFileSync('xmllint', ['--noout', '--nonet', file], { stdio: 'pipe' });
};

export const codes = (parts: readonly Part[]): string[] => parts.flatMap((p) => (p.type === 'text' ? [] : [p.xml]));

/** The input's bytes outside its units (the skeleton), and the units. */
export async function skeleton(file: string): Promise<{ bytes: Buffer; units: Unit[] }> {
  const bytes = readFileSync(file);
  const units = await collect(file);
  const pieces: Buffer[] = [];
  let at = 0;
  for (const unit of units) {
    pieces.push(bytes.subarray(at, unit.location.offset));
    at = unit.location.offset + unit.location.length;
  }
  pieces.push(bytes.subarray(at));
  return { bytes: Buffer.concat(pieces), units };
}

/** A unit's XML without its targets (with the white space before them) and without segment states (2.x, Trados sdl:seg/@conf, memoQ mq:status). */
export const withoutTargets = (raw: string): string =>
  raw
    .replace(/\s*<(\w+:)?target\b(?:[^>"']|"[^"]*"|'[^']*')*?(?:\/>|>[\s\S]*?<\/(\w+:)?target>)/g, '')
    .replace(/(<segment\b[^>]*?)\s(?:state|subState)="[^"]*"/g, '$1')
    .replace(/(<segment\b[^>]*?)\s(?:state|subState)="[^"]*"/g, '$1')
    // The tools' own segment states: Trados sdl:seg/@conf, memoQ mq:status.
    .replace(/(<sdl:seg\b[^>]*?)\s(?:conf)="[^"]*"/g, '$1')
    .replace(/(<trans-unit\b[^>]*?)\smq:status="[^"]*"/g, '$1');

/** A regular expression matching `text` as it is. */
export const literally = (text: string): string => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
