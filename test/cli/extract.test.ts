import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { UnitLine } from '../../src/cli/unit-line.js';
import { collect } from '../helpers/read.js';
import { ANGULAR, SPOTCHECK, run, spawnCli, tempFolder } from './helpers.js';

const { out } = tempFolder();

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

test('extract: --out - is stdout, and - reads standard input', async () => {
  const reference = (await run(['extract', ANGULAR])).stdout;
  const [dash, stdin] = await Promise.all([spawnCli(['extract', ANGULAR, '--out', '-']), spawnCli(['extract', '-', '-o', out('stdin.jsonl')], { stdinFile: ANGULAR })]);
  assert.equal(dash.code, 0, dash.stderr);
  assert.equal(dash.stdout, reference);
  assert.equal(stdin.code, 0, stdin.stderr);
  assert.equal(readFileSync(out('stdin.jsonl'), 'utf8'), reference);
  assert.match(stdin.stderr, /^extract: 766 units -> .*stdin\.jsonl$/m);
});
