import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { computeStats, type Part, type Unit } from '../src/index.js';
import { runCli } from '../src/cli/run.js';
import { UNACCENTS } from '../src/pseudo.js';
import type { UnitLine } from '../src/cli/unit-line.js';
import { CORPUS_DIR } from './helpers/corpus.js';
import { collect } from './helpers/read.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const MAIN = join(root, 'src/cli/main.ts');
const corpusFile = (path: string): string => join(CORPUS_DIR, path);
const ANGULAR = corpusFile('angular-apps/messages.fr.xlf'); // 1.2, ICU messages, <x/> codes, 2 units without source
const SPOTCHECK = corpusFile('matecat/SpotCheck-en_us-es_419-H.xlf'); // 2.0, units of several segments, empty targets
const SDLXLIFF = corpusFile('okapi-sdlxliff/FFFEBOM15992.sdlxliff'); // UTF-16 with BOM, seg-source mrk segments
const CP1252 = corpusFile('okapi-xliff12/RB-12-Test02.xlf'); // windows-1252, g/x/mrk
const XLIFF2 = corpusFile('okapi-xliff2/test01.xlf'); // 2.0 with translate="no"
const REJECTED = corpusFile('okapi-misc/invalid_xml_entity.xlf');

const dir = mkdtempSync(join(tmpdir(), 'xliff-stream-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const out = (name: string): string => join(dir, name);

/** A stream that keeps what is written; `isTTY` as asked. */
class Collector extends Writable {
  text = '';
  constructor(
    readonly isTTY = false,
    private readonly onText?: (text: string) => void,
  ) {
    super({ decodeStrings: false });
  }
  readonly columns = 120;
  override _write(chunk: string | Buffer, _encoding: BufferEncoding, callback: () => void): void {
    const text = chunk.toString();
    this.text += text;
    this.onText?.(text);
    callback();
  }
}

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The CLI in this process (fast): `runCli` with collected output. */
async function run(args: string[], options: { tty?: boolean; signal?: AbortSignal; onStderr?: (text: string) => void } = {}): Promise<Run> {
  const stdout = new Collector();
  const stderr = new Collector(options.tty ?? false, options.onStderr);
  const code = await runCli(args, { stdout, stderr, signal: options.signal ?? new AbortController().signal });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

/** The CLI as a process, as a user runs it (through tsx). `onStderr` may act on the child (send a signal). */
function spawnCli(args: string[], onStderr?: (text: string, child: ReturnType<typeof spawn>) => void): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
      onStderr?.(stderr, child);
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A generated file under the temp folder, made once and reused (never in git). */
function generated(format: '1.2' | '2.0', size: string): string {
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

const xmllint = (file: string): void => {
  execFileSync('xmllint', ['--noout', '--nonet', file], { stdio: 'pipe' });
};
const unaccent = (text: string): string => [...text].map((c) => UNACCENTS.get(c) ?? c).join('');
const codes = (parts: readonly Part[]): string[] => parts.flatMap((p) => (p.type === 'text' ? [] : [p.xml]));
/**
 * The text of `parts` with brackets around what shows: its text and codes, inside the white
 * space around them (content with no text but white space stays as it is).
 */
const bracketed = (parts: readonly Part[]): string => {
  const joined = parts.map((p) => (p.type === 'text' ? p.text : '\uffff')).join('');
  if (!/[^\s\uffff]/.test(joined)) return joined.replaceAll('\uffff', '');
  const start = joined.length - joined.trimStart().length;
  const end = joined.trimEnd().length;
  return `${joined.slice(0, start)}[${joined.slice(start, end)}]${joined.slice(end)}`.replaceAll('\uffff', '');
};
const PLACEHOLDERS = /\{\{[^{}]*\}\}|\{\w+\}|\{\w+, (?:plural|select),|%(?:\d+\$)?[sd@]/g;
const ICU = /\{\w+, (?:plural|select),/;

/** The input's bytes outside its units (the skeleton), and the units. */
async function skeleton(file: string): Promise<{ bytes: Buffer; units: Unit[] }> {
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

/** A unit's XML without its targets (with the white space before them) and without 2.x segment states. */
const withoutTargets = (raw: string): string =>
  raw
    .replace(/\s*<(\w+:)?target\b(?:[^>"']|"[^"]*"|'[^']*')*?(?:\/>|>[\s\S]*?<\/(\w+:)?target>)/g, '')
    .replace(/(<segment\b[^>]*?)\s(?:state|subState)="[^"]*"/g, '$1')
    .replace(/(<segment\b[^>]*?)\s(?:state|subState)="[^"]*"/g, '$1');

test('the process: --help exits 0, a usage error 2, bad input 1 with file:line:column', async () => {
  const [help, usage, bad] = await Promise.all([spawnCli(['--help']), spawnCli(['bogus', 'x.xlf']), spawnCli(['stats', REJECTED])]);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /^Usage: xliff-stream <command>/);
  for (const command of ['stats', 'pseudo', 'extract', 'merge', '--concurrency', '--checkpoint', '--quiet', 'Exit codes']) assert.ok(help.stdout.includes(command), command);
  assert.equal(usage.code, 2);
  assert.match(usage.stderr, /unknown command "bogus"[\s\S]*Try 'xliff-stream --help'/);
  assert.equal(bad.code, 1);
  assert.equal(bad.stdout, '');
  assert.match(bad.stderr, new RegExp(`^${REJECTED.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:\\d+:\\d+: \\S`, 'm'));
});

test('usage errors exit 2 and say what is wrong; each command has its help', async () => {
  const cases: Array<[string[], RegExp]> = [
    [[], /expected a command/],
    [['stats'], /missing <file>/],
    [['pseudo', ANGULAR], /missing <out>/],
    [['extract', ANGULAR, 'extra'], /unexpected argument "extra"/],
    [['pseudo', ANGULAR, out('x.xlf'), '--mode', 'wobbly'], /unknown --mode "wobbly"/],
    [['stats', ANGULAR, '--concurrency', '0'], /--concurrency to be a whole number/],
    [['stats', ANGULAR, '--checkpoint'], /--checkpoint is for the commands that write an XLIFF/],
    [['pseudo', ANGULAR, out('x.xlf'), '--restart'], /--restart goes with --checkpoint/],
    [['stats', ANGULAR, '--nope'], /Unknown option '--nope'/],
    [['help', 'nope'], /unknown command "nope"/],
  ];
  for (const [args, message] of cases) {
    const result = await run(args);
    assert.equal(result.code, 2, args.join(' '));
    assert.match(result.stderr, message, args.join(' '));
  }
  for (const command of ['stats', 'pseudo', 'extract', 'merge']) {
    const result = await run([command, '--help']);
    assert.equal(result.code, 0);
    assert.match(result.stdout, new RegExp(`^Usage: xliff-stream ${command} `));
  }
  assert.match((await run(['pseudo', '-h'])).stdout, /accents +letters as accented/);
  assert.equal((await run(['--version'])).stdout, `${(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version}\n`);
});

test('errors exit 1: a missing input, a missing output folder, a document that is not XLIFF', async () => {
  const missing = await run(['stats', out('nope.xlf')]);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /nope\.xlf: cannot read the input \(ENOENT\)/);
  const folder = await run(['pseudo', ANGULAR, join(dir, 'no/such/folder/out.xlf'), '-q']);
  assert.equal(folder.code, 1);
  assert.match(folder.stderr, /the output folder .* does not exist/);
  writeFileSync(out('not-xliff.xml'), '<?xml version="1.0"?>\n<html/>\n');
  const notXliff = await run(['extract', out('not-xliff.xml')]);
  assert.equal(notXliff.code, 1);
  assert.match(notXliff.stderr, /not-xliff\.xml:2:1: /);
});

test('stats: the table, and --json with the figures of computeStats', async () => {
  const json = await run(['stats', ANGULAR, '--json', '--quiet']);
  assert.equal(json.code, 0);
  assert.equal(json.stderr, '');
  const figures = JSON.parse(json.stdout) as Record<string, unknown>;
  assert.deepEqual(figures, { file: ANGULAR, ...(await computeStats(ANGULAR)) });
  assert.equal(figures['units'], 766);
  assert.equal(figures['words'], 5045);
  assert.equal(json.stdout.trim().split('\n').length, 1);
  const table = await run(['stats', SPOTCHECK, '-q']);
  assert.equal(table.code, 0);
  assert.match(table.stdout, /^units {15}225$/m);
  assert.match(table.stdout, /^segments {12}237$/m);
  assert.match(table.stdout, /^units by state\n {2}initial +225 units/m);
});

test('pseudo: well-formed output, same units, codes and placeholders kept, text transformed, nothing else changed', async () => {
  for (const file of [ANGULAR, SPOTCHECK, SDLXLIFF, CP1252, XLIFF2]) {
    const output = out('pseudo.xlf');
    const result = await run(['pseudo', file, output, '-q']);
    assert.equal(result.code, 0, `${file}: ${result.stderr}`);
    xmllint(output);
    const before = await skeleton(file);
    const after = await skeleton(output);
    assert.equal(after.units.length, before.units.length, file);
    assert.ok(after.bytes.equals(before.bytes), `${file}: the bytes between units changed`);
    let transformed = 0;
    after.units.forEach((unit, i) => {
      const source = before.units[i]!;
      assert.equal(unit.id, source.id);
      assert.equal(withoutTargets(unit.raw), withoutTargets(source.raw), `${file} ${unit.id}: more than the target changed`);
      if (!source.translate) {
        assert.equal(unit.raw, source.raw);
        return;
      }
      // 1.2: the unit's target; 2.x: each segment's.
      const pairs = unit.version.startsWith('1')
        ? [[source.source, unit.target] as const]
        : unit.segments.flatMap((segment, k) => (segment.kind === 'segment' ? [[source.segments[k]!.source, segment.target] as const] : []));
      for (const [from, target] of pairs) {
        const where = `${file} ${unit.id}: ${JSON.stringify(from.text)}`;
        if (from.text === '' && from.parts.length === 0) continue; // a unit without source
        assert.ok(target, where);
        assert.deepEqual(codes(target.parts), codes(from.parts), where);
        assert.equal(unaccent(target.text), unaccent(bracketed(from.parts)), where);
        for (const [placeholder] of from.text.matchAll(PLACEHOLDERS)) {
          // In an ICU message, {word} is a translatable branch ("view {view}"), not a placeholder.
          if (ICU.test(from.text) && !ICU.test(placeholder)) continue;
          assert.ok(target.text.includes(placeholder), `${where}: ${placeholder}`);
        }
        if (/[A-Za-z]{2}/.test(from.text)) {
          assert.notEqual(target.text, bracketed(from.parts), where);
          transformed++;
        }
      }
      assert.equal(unit.state, 'translated', `${file} ${unit.id}`);
    });
    assert.ok(transformed > 0, file);
  }
});

test('pseudo --mode brackets,expand on a 1.2 unit', async () => {
  const output = out('modes.xlf');
  assert.equal((await run(['pseudo', ANGULAR, output, '--mode', 'brackets,expand', '-q'])).code, 0);
  const [first] = await collect(output);
  assert.equal(first!.source.text, 'Error');
  assert.equal(first!.target!.text, '[Error~~]');
});

test('extract: one JSON line per unit, on stdout or --out', async () => {
  const result = await run(['extract', ANGULAR]);
  assert.equal(result.code, 0);
  const lines = result.stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as UnitLine);
  const units = await collect(ANGULAR);
  assert.equal(lines.length, units.length);
  lines.forEach((line, i) => {
    const unit = units[i]!;
    assert.deepEqual(
      [line.file, line.id, line.index, line.source, line.sourceXml, line.target, line.targetXml, line.state, line.translate],
      [unit.file.original, unit.id, i, unit.source.text, unit.source.xml, unit.target?.text ?? null, unit.target?.xml ?? null, unit.state ?? null, true],
    );
  });
  assert.deepEqual(lines[0], {
    file: 'ng2.template',
    id: 'auth-error-modal-title',
    index: 0,
    translate: true,
    source: 'Error',
    sourceXml: 'Error',
    target: 'Erreur',
    targetXml: 'Erreur',
    state: 'translated',
    notes: [],
  });
  const file = out('units.jsonl');
  const toFile = await run(['extract', ANGULAR, '--out', file]);
  assert.equal(toFile.code, 0);
  assert.equal(toFile.stdout, '');
  assert.equal(readFileSync(file, 'utf8'), result.stdout);
  // 2.x units of several segments carry them.
  const spot = (await run(['extract', SPOTCHECK])).stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as UnitLine);
  const spotUnits = await collect(SPOTCHECK);
  assert.equal(spot.length, 225);
  assert.equal(spot.filter((line) => line.segments).length, spotUnits.filter((u) => u.segments.length > 1).length);
  const multi = spot.find((line) => line.segments)!;
  assert.equal(multi.id, '3-tu2');
  assert.deepEqual(
    multi.segments!.map((s) => [s.index, s.kind, s.id, s.source, s.target, s.state]),
    spotUnits[multi.index]!.segments.map((s, k) => [k, 'segment', s.id, s.source.text, '', 'initial']),
  );
  assert.equal(multi.segments![0]!.source, 'Design Quality:');
  assert.equal(multi.segments!.length, 3);
});

test('extract then merge without edits gives the input back byte for byte', async () => {
  for (const file of [ANGULAR, SPOTCHECK, SDLXLIFF, CP1252, XLIFF2]) {
    const jsonl = out('same.jsonl');
    const output = out('same.xlf');
    assert.equal((await run(['extract', file, '--out', jsonl, '-q'])).code, 0);
    const result = await run(['merge', file, jsonl, output]);
    assert.equal(result.code, 0, result.stderr);
    assert.ok(readFileSync(output).equals(readFileSync(file)), file);
    assert.match(result.stderr, / 0 units changed, 0 not found/);
  }
});

test('merge: edited targets and states are applied; every other unit stays byte for byte', async () => {
  const jsonl = out('edit.jsonl');
  const output = out('edited.xlf');
  assert.equal((await run(['extract', ANGULAR, '--out', jsonl, '-q'])).code, 0);
  const lines = readFileSync(jsonl, 'utf8').trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
  const edited = new Map<number, string>();
  lines.forEach((line, i) => {
    if (i % 5 !== 0 || typeof line['id'] !== 'string' || /</.test(line['sourceXml'] as string)) return;
    line['target'] = `Édité n°${i} & <ok>`;
    line['state'] = 'final';
    edited.set(i, line['target'] as string);
  });
  // One unit with inline codes, edited as XML.
  const withCodes = lines.findIndex((line, i) => !edited.has(i) && /<x id="INTERPOLATION"/.test(line['sourceXml'] as string));
  lines[withCodes]!['targetXml'] = `Ici <x id="INTERPOLATION"/> (fr)`;
  writeFileSync(jsonl, lines.map((line) => JSON.stringify(line)).join('\n') + '\n');

  const result = await run(['merge', ANGULAR, jsonl, output]);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stderr, new RegExp(`${edited.size + 1} units changed, 0 not found, 0 without id`));
  xmllint(output);
  const before = await skeleton(ANGULAR);
  const after = await skeleton(output);
  assert.ok(after.bytes.equals(before.bytes));
  after.units.forEach((unit, i) => {
    if (edited.has(i)) {
      assert.equal(unit.target!.text, edited.get(i));
      assert.equal(unit.state, 'final');
      assert.equal(withoutTargets(unit.raw), withoutTargets(before.units[i]!.raw));
    } else if (i === withCodes) {
      assert.equal(unit.target!.xml, 'Ici <x id="INTERPOLATION"/> (fr)');
      assert.deepEqual(codes(unit.target!.parts), ['<x id="INTERPOLATION"/>']);
    } else assert.equal(unit.raw, before.units[i]!.raw, unit.id);
  });
  assert.ok(edited.size > 100);
});

test('merge: a segment of a 2.x unit, by index', async () => {
  const jsonl = out('segments.jsonl');
  const output = out('segments.xlf');
  assert.equal((await run(['extract', SPOTCHECK, '--out', jsonl, '-q'])).code, 0);
  const lines = readFileSync(jsonl, 'utf8').trimEnd().split('\n').map((line) => JSON.parse(line) as { id: string; segments?: Array<Record<string, unknown>> });
  const segment = lines.find((l) => l.id === '3-tu2')!.segments![1]!;
  segment['target'] = 'Calidad del diseño';
  segment['state'] = 'translated';
  writeFileSync(jsonl, lines.map((l) => JSON.stringify(l)).join('\n'));
  const result = await run(['merge', SPOTCHECK, jsonl, output, '-q']);
  assert.equal(result.code, 0, result.stderr);
  const before = await collect(SPOTCHECK);
  const after = await collect(output);
  after.forEach((unit, i) => {
    if (unit.id !== '3-tu2') return assert.equal(unit.raw, before[i]!.raw);
    assert.deepEqual(
      unit.segments.map((s) => [s.target?.text, s.state]),
      [
        ['', 'initial'],
        ['Calidad del diseño', 'translated'],
        ['', 'initial'],
      ],
    );
  });
  xmllint(output);
});

test('merge: ids not found and lines without id are reported and counted; bad lines are errors', async () => {
  const jsonl = out('unknown.jsonl');
  const output = out('unknown.xlf');
  writeFileSync(
    jsonl,
    [
      '{"file":"ng2.template","id":"auth-error-modal-title","target":"Erreur !"}',
      '{"id":"nope","target":"x"}',
      '',
      '{"file":"elsewhere.html","id":"auth-error-modal-title","target":"y"}',
      '{"id":null,"target":"z"}',
    ].join('\n'),
  );
  const result = await run(['merge', ANGULAR, jsonl, output]);
  assert.equal(result.code, 0);
  assert.ok(result.stderr.includes(`${jsonl}:2: no unit "nope"\n`), result.stderr);
  assert.ok(result.stderr.includes(`${jsonl}:4: no unit "auth-error-modal-title" in file "elsewhere.html"\n`), result.stderr);
  assert.ok(result.stderr.includes(`${jsonl}:5: a line without "id" cannot be merged\n`), result.stderr);
  assert.match(result.stderr, /merge: 4 lines, 1 units changed, 2 not found, 1 without id/);
  assert.equal((await collect(output))[0]!.target!.text, 'Erreur !');

  for (const [text, message] of [
    ['{"id":"a","target":"x"}\n{"id": oops}\n', /:2:1: not JSON/],
    ['{"id":"a","targetXml":"<b>unclosed"}\n', /:1:1: "targetXml" is not well-formed XML/],
    ['{"id":"a","target":3}\n', /:1:1: "target": expected a string or null, got number/],
    ['["a"]\n', /:1:1: the line: expected a JSON object, got an array/],
  ] as const) {
    writeFileSync(jsonl, text);
    rmSync(output, { force: true });
    const bad = await run(['merge', ANGULAR, jsonl, output]);
    assert.equal(bad.code, 1, text);
    assert.match(bad.stderr, message);
    assert.ok(bad.stderr.startsWith(`${jsonl}:`));
    assert.equal(existsSync(output), false);
  }
});

test('progress: plain lines on a stderr that is not a terminal, a bar on a terminal, nothing with --quiet', async () => {
  const big = generated('1.2', '6M');
  const output = out('big.pseudo.xlf');
  const result = await run(['pseudo', big, output, '--progress-interval', '1']);
  assert.equal(result.code, 0, result.stderr);
  const lines = result.stderr.trimEnd().split('\n');
  const periodic = lines.filter((line) => /^pseudo: \d+\.\d% {2}\d+ units {2}\d+ units\/s {2}ETA [\d.]+s$/.test(line));
  assert.ok(periodic.length >= 2, result.stderr);
  assert.match(lines.at(-2)!, /^pseudo: 100% {2}\d+ units in [\d.]+s \(\d+ units\/s\)$/);
  assert.match(lines.at(-1)!, /^pseudo: \d+ of \d+ units changed/);
  const tty = await run(['stats', ANGULAR], { tty: true });
  assert.equal(tty.code, 0);
  assert.match(tty.stderr, /100\.0% \| 766 units \| \d+ units\/s \| ETA 0s/);
  assert.ok(tty.stderr.includes('\u001b['), 'terminal control sequences');
  for (const args of [['pseudo', ANGULAR, out('quiet.xlf')], ['stats', ANGULAR], ['extract', ANGULAR, '--out', out('quiet.jsonl')]]) {
    const quiet = await run([...args, '--quiet', '--progress-interval', '1'], { tty: true });
    assert.equal(quiet.code, 0);
    assert.equal(quiet.stderr, '', args[0]);
  }
});

test('Ctrl-C (SIGINT) stops the job: exit code 130, no output file', async () => {
  const big = generated('1.2', '6M');
  const folder = mkdtempSync(join(dir, 'sigint-'));
  const output = join(folder, 'out.xlf');
  let sent = false;
  const result = await spawnCli(['pseudo', big, output, '--progress-interval', '1'], (stderr, child) => {
    if (!sent && /units\/s/.test(stderr)) {
      sent = true;
      child.kill('SIGINT');
    }
  });
  assert.ok(sent, result.stderr);
  assert.equal(result.code, 130, result.stderr);
  assert.match(result.stderr, /interrupted/);
  assert.deepEqual(readdirSync(folder), []);
});

test('--checkpoint: an interrupted pseudo keeps its journal, and the next run resumes to the same output', async () => {
  const big = generated('1.2', '6M');
  const reference = out('big.pseudo.xlf'); // written by the progress test, without --checkpoint
  if (!existsSync(reference)) assert.equal((await run(['pseudo', big, reference, '-q'])).code, 0);
  const folder = mkdtempSync(join(dir, 'checkpoint-'));
  const output = join(folder, 'out.xlf');
  const controller = new AbortController();
  const interrupted = await run(['pseudo', big, output, '--checkpoint', '--progress-interval', '1'], {
    signal: controller.signal,
    onStderr: (text) => {
      if (/units\/s/.test(text) && !/ 0 units/.test(text)) controller.abort();
    },
  });
  assert.equal(interrupted.code, 130, interrupted.stderr);
  assert.equal(existsSync(output), false);
  assert.ok(existsSync(`${output}.journal`), `no journal: ${readdirSync(folder).join(', ')}`);
  // Another --mode would write another output: the journal is not replayed.
  const other = await run(['pseudo', big, output, '--checkpoint', '--mode', 'brackets', '-q']);
  assert.equal(other.code, 1);
  assert.match(other.stderr, /the journal .* belongs to another job/);
  assert.match(other.stderr, /run the command again with --restart/);
  assert.equal(existsSync(output), false);
  const journal = readFileSync(`${output}.journal`);
  const resumed = await run(['pseudo', big, output, '--checkpoint', '-q']);
  assert.equal(resumed.code, 0, resumed.stderr);
  assert.ok(readFileSync(output).equals(readFileSync(reference)), 'the resumed output differs from an uninterrupted run');
  assert.equal(existsSync(`${output}.journal`), false);
  // --restart: the other mode's run starts over instead of failing.
  writeFileSync(`${output}.journal`, journal);
  const restarted = await run(['pseudo', big, output, '--checkpoint', '--restart', '--mode', 'brackets', '-q']);
  assert.equal(restarted.code, 0, restarted.stderr);
  assert.equal(existsSync(`${output}.journal`), false);
  const first = (await collect(output)).find((u) => u.translate)!;
  assert.equal(first.target?.text.trim(), `[${first.source.text.trim()}]`, 'brackets only, no accents');
});
