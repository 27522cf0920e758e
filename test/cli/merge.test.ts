import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { collect } from '../helpers/read.js';
import { ANGULAR, CP1252, SDLXLIFF, SPOTCHECK, TRADOS, XLIFF2, codes, literally, root, run, skeleton, spawnCli, tempFolder, withoutTargets, xmllint } from './helpers.js';

const { out } = tempFolder();

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

test('merge: a segment of a 1.2 unit of mrk segments (Trados), by index and id; an edited unit-level target of such a unit is reported and skipped', async () => {
  const jsonl = out('sdl-segments.jsonl');
  const output = out('sdl-segments.sdlxliff');
  assert.equal((await run(['extract', TRADOS, '--out', jsonl, '-q'])).code, 0);
  type Line = { id: string; target: string | null; segments?: Array<Record<string, unknown>> };
  const lines = readFileSync(jsonl, 'utf8').trimEnd().split('\n').map((line) => JSON.parse(line) as Line);
  const multi = lines.filter((l) => l.segments);
  assert.equal(multi.length, 1);
  const unitId = multi[0]!.id;
  assert.deepEqual(
    multi[0]!.segments!.map((s) => [s['index'], s['id'], s['source'], s['target']]),
    [
      [0, '3', 'This is the sentence.', 'Ceci est la phrase.'],
      [1, '4', 'And more.', 'Et plus.'],
      [2, '5', 'This is the sentence.', 'Ceci est la phrase.'],
    ],
  );
  const segment = multi[0]!.segments![1]!;
  segment['index'] = 1;
  segment['target'] = 'Et encore.';
  segment['state'] = 'final';
  writeFileSync(jsonl, lines.map((l) => JSON.stringify(l)).join('\n'));
  const result = await run(['merge', TRADOS, jsonl, output, '-q']);
  assert.equal(result.code, 0, result.stderr);
  const before = await collect(TRADOS);
  const after = await collect(output);
  after.forEach((unit, i) => {
    if (unit.id !== unitId) return assert.equal(unit.raw, before[i]!.raw);
    assert.deepEqual(
      unit.segments.map((s) => [s.id, s.target?.text]),
      [
        ['3', 'Ceci est la phrase.'],
        ['4', 'Et encore.'],
        ['5', 'Ceci est la phrase.'],
      ],
    );
    // Only segment 4's text and its Trados confirmation level changed.
    const was = before[i]!.raw;
    assert.match(was, /<sdl:seg id="4" conf="Translated"/);
    assert.equal(unit.raw.replace('Et encore.', 'Et plus.').replace('<sdl:seg id="4" conf="ApprovedSignOff"', '<sdl:seg id="4" conf="Translated"'), was);
  });
  xmllint(output);
  // The unit-level target of the same unit, edited: it would run three segments into one.
  const unitLevel = lines.map((l) => (l.id === unitId ? { id: l.id, target: 'Tout en un.' } : l));
  writeFileSync(jsonl, unitLevel.map((l) => JSON.stringify(l)).join('\n'));
  const skipped = await run(['merge', TRADOS, jsonl, output]);
  assert.equal(skipped.code, 0, skipped.stderr);
  assert.match(skipped.stderr, new RegExp(`unit "${literally(unitId)}" has 3 segments: its edited unit-level target would run them into one and was skipped`));
  assert.ok(readFileSync(output).equals(readFileSync(TRADOS)), 'nothing else was edited: the input back');
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
      '{"target":"no id at all"}',
    ].join('\n'),
  );
  const result = await run(['merge', ANGULAR, jsonl, output]);
  assert.equal(result.code, 0);
  assert.ok(result.stderr.includes(`${jsonl}:2: no unit "nope"\n`), result.stderr);
  assert.ok(result.stderr.includes(`${jsonl}:4: no unit "auth-error-modal-title" in file "elsewhere.html"\n`), result.stderr);
  // Reported and skipped, as a line of "id": null (a line without the key was fatal).
  assert.ok(result.stderr.includes(`${jsonl}:5: a line without "id" cannot be merged: skipped\n`), result.stderr);
  assert.ok(result.stderr.includes(`${jsonl}:6: a line without "id" cannot be merged: skipped\n`), result.stderr);
  assert.match(result.stderr, /merge: 5 lines \(looked up by id\), 1 units changed, 2 not found, 2 without id/);
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

/** Writes JSON lines. */
const writeLines = (path: string, lines: readonly unknown[]): string => {
  writeFileSync(path, lines.map((line) => JSON.stringify(line)).join('\n') + '\n');
  return path;
};
/** The same lines in another order (a fixed shuffle). */
const shuffled = <T>(lines: readonly T[]): T[] => {
  const copy = [...lines];
  let seed = 7;
  for (let i = copy.length - 1; i > 0; i--) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    const j = seed % (i + 1);
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
};

test('merge: lines in document order are read along with the units, others looked up by id: the same output', async () => {
  const jsonl = out('paths.jsonl');
  assert.equal((await run(['extract', ANGULAR, '--out', jsonl, '-q'])).code, 0);
  const lines = readFileSync(jsonl, 'utf8').trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
  lines.forEach((line, i) => {
    if (i % 4 === 0) line['targetXml'] = `${String(line['sourceXml'])} (fr ${i})`;
  });
  const merge = async (input: string, name: string, edited: readonly unknown[]): Promise<{ stderr: string; bytes: Buffer }> => {
    const output = out(`${name}.xlf`);
    const result = await run(['merge', input, writeLines(out(`${name}.jsonl`), edited), output]);
    assert.equal(result.code, 0, result.stderr);
    return { stderr: result.stderr, bytes: readFileSync(output) };
  };
  const lineUp = /do not line up with the units/;
  // Every line, edited: ANGULAR uses 37 ids twice, each unit has its own line.
  const ordered = await merge(ANGULAR, 'ordered', lines);
  assert.match(ordered.stderr, /merge: 766 lines \(read in document order\), 192 units changed, 0 not found/);
  assert.doesNotMatch(ordered.stderr, lineUp);
  const any = await merge(ANGULAR, 'any', shuffled(lines));
  assert.match(any.stderr, /merge: 766 lines \(looked up by id\), 192 units changed, 0 not found/);
  assert.ok(ordered.bytes.equals(any.bytes), 'edited lines: the two readings differ');
  assert.ok(!ordered.bytes.equals(readFileSync(ANGULAR)));
  // A third of the lines gone: an id used twice with one line applies to both units (by id), which
  // reading along cannot know before it has passed them: it says so and merges again.
  const sparse = lines.filter((_line, i) => i % 3 !== 1);
  const sparseOrdered = await merge(ANGULAR, 'sparse', sparse);
  assert.match(sparseOrdered.stderr, lineUp);
  assert.match(sparseOrdered.stderr, /is used twice in its file/);
  assert.match(sparseOrdered.stderr, /\(looked up by id\)/);
  assert.ok(sparseOrdered.bytes.equals((await merge(ANGULAR, 'sparse-any', shuffled(sparse))).bytes), 'sparse lines: the two readings differ');
  // The XLIFF changed since the extract (its first unit gone): lines are found by id, not by place.
  const units = await collect(ANGULAR);
  const bytes = readFileSync(ANGULAR);
  const first = units[0]!.location;
  const changed = out('changed-input.xlf');
  writeFileSync(changed, Buffer.concat([bytes.subarray(0, first.offset), bytes.subarray(first.offset + first.length)]));
  const changedOrdered = await merge(changed, 'changed', lines);
  assert.match(changedOrdered.stderr, /changed\.jsonl:1: the unit at index 0 is "2643127994305884676", not "auth-error-modal-title"/);
  assert.match(changedOrdered.stderr, /changed\.jsonl:1: no unit "auth-error-modal-title" in file "ng2.template"/);
  assert.match(changedOrdered.stderr, /merge: 766 lines \(looked up by id\)/);
  assert.ok(changedOrdered.bytes.equals((await merge(changed, 'changed-any', shuffled(lines))).bytes), 'changed XLIFF: the two readings differ');
  // A line past the last unit: not found either way.
  const past = [...lines, { ...lines[5], index: 5000, targetXml: 'past' }];
  const pastOrdered = await merge(ANGULAR, 'past', past);
  assert.match(pastOrdered.stderr, /lines after the last unit/);
  assert.match(pastOrdered.stderr, /past\.jsonl:767: no unit /);
  assert.ok(pastOrdered.bytes.equals(ordered.bytes));
});

test('merge - translations.jsonl - : the XLIFF from standard input, the output on standard output', async () => {
  const jsonl = out('stdio.jsonl');
  assert.equal((await run(['extract', SPOTCHECK, '--out', jsonl, '-q'])).code, 0);
  const lines = readFileSync(jsonl, 'utf8').trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
  lines[3]!['target'] = 'Calidad';
  writeLines(jsonl, lines);
  const reference = out('stdio-ref.xlf');
  assert.equal((await run(['merge', SPOTCHECK, jsonl, reference, '-q'])).code, 0);
  const piped = await spawnCli(['merge', '-', jsonl, '-'], { stdinFile: SPOTCHECK });
  assert.equal(piped.code, 0, piped.stderr);
  assert.ok(piped.stdoutBytes.equals(readFileSync(reference)));
  assert.match(piped.stderr, /merge: 225 lines \(looked up by id\), 1 units changed, 0 not found, 0 without id -> <stdout>/);
});

/**
 * Runs the CLI in a child process and returns its peak RSS in bytes. A young generation of
 * 1 MiB semi-spaces: else V8 lets it grow to tens of MB of garbage (any pass over 50 MB makes
 * that much), and the peak would say how much garbage there was, not what was kept.
 */
function peakRss(args: string[]): Promise<number> {
  const script = `const { runCli } = await import(${JSON.stringify(pathToFileURL(join(root, 'src/cli/run.ts')).href)});
const code = await runCli(${JSON.stringify(args)}, { stdout: process.stdout, stderr: process.stderr, signal: new AbortController().signal });
process.stdout.write(JSON.stringify({ code, rss: process.resourceUsage().maxRSS * 1024 }));`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--max-semi-space-size=1', '--import', 'tsx', '--input-type=module', '-e', script], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    let text = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (text += d));
    child.on('error', reject);
    child.on('close', () => {
      const { code, rss } = JSON.parse(text) as { code: number; rss: number };
      if (code === 0) resolve(rss);
      else reject(new Error(`exit code ${code}`));
    });
  });
}

test('merge: memory stays well below the size of the translations, in document order or not', async () => {
  const xliff = ANGULAR;
  const units = await collect(xliff);
  // Lines that a 1.2 unit of one segment takes nothing from (segments count for 2.x units and 1.2 units of several), each with 10 KB that
  // a reader holding the file would keep: the output is the input, the job's memory stays flat.
  const lines = units.map((unit, i) => ({ file: unit.file.original ?? null, id: unit.id ?? null, index: i, segments: [{ index: 0, target: `segment ${i} `.repeat(6000) }] }));
  const ordered = writeLines(out('memory.jsonl'), lines);
  const any = writeLines(out('memory-any.jsonl'), shuffled(lines));
  const empty = writeLines(out('memory-empty.jsonl'), []);
  const size = statSync(ordered).size;
  assert.ok(size > 45e6, `${size} bytes`);
  const [base, inOrder, anyOrder] = await Promise.all([
    peakRss(['merge', xliff, empty, out('m0.xlf'), '-q']),
    peakRss(['merge', xliff, ordered, out('m1.xlf'), '-q']),
    peakRss(['merge', xliff, any, out('m2.xlf'), '-q']),
  ]);
  for (const [what, rss] of [['in document order', inOrder], ['in any order', anyOrder]] as const) {
    // Holding the lines took 55 MB more than the empty file's run (54 MB of lines, measured before the change); now 1 or 2.
    assert.ok(rss - base < size * 0.15, `${what}: ${Math.round((rss - base) / 1e6)} MB above ${Math.round(base / 1e6)} MB, for ${Math.round(size / 1e6)} MB of lines`);
  }
  for (const output of ['m0.xlf', 'm1.xlf', 'm2.xlf']) assert.ok(readFileSync(out(output)).equals(readFileSync(xliff)), output);
  rmSync(ordered);
  rmSync(any);
});
