import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { validate } from '../../src/index.js';
import { ANGULAR, REJECTED, SDLXLIFF, run, spawnCli, tempFolder } from './helpers.js';

const { out } = tempFolder();

test('validate: a valid file exits 0 with one line; a bad one exits 1 with the problem placed, as readUnits places it', async () => {
  const good = await run(['validate', ANGULAR, '-q']);
  assert.deepEqual([good.code, good.stdout, good.stderr], [0, `${ANGULAR}: valid XLIFF (766 units, utf-8)\n`, '']);
  const sdl = await run(['validate', SDLXLIFF, '-q']);
  assert.deepEqual([sdl.code, sdl.stdout], [0, `${SDLXLIFF}: valid XLIFF (11 units, utf-8)\n`]);
  const bad = await run(['validate', REJECTED, '-q']);
  const expected = await validate(REJECTED);
  assert.equal(bad.code, 1);
  assert.equal(bad.stdout, `${expected.problems[0]!.message} (${expected.problems[0]!.code})\n${REJECTED}: 1 problem\n`);
  assert.match(bad.stdout, /^.*invalid_xml_entity\.xlf:\d+:\d+: .+ \(XLIFF_\w+\)$/m);
});

test('validate --xml: any XML document, whatever its root; without it, a non-XLIFF root is a problem', async () => {
  const svg = out('drawing.svg');
  writeFileSync(svg, '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><rect/></svg>\n');
  const xml = await run(['validate', svg, '--xml', '-q']);
  assert.deepEqual([xml.code, xml.stdout], [0, `${svg}: well-formed XML (utf-8)\n`]);
  const asXliff = await run(['validate', svg, '-q']);
  assert.equal(asXliff.code, 1);
  assert.equal(asXliff.stdout, `${svg}:2:1: not an XLIFF document: the root element is <svg> in namespace http://www.w3.org/2000/svg (XLIFF_NOT_XLIFF)\n${svg}: 1 problem\n`);
});

test('validate --json: the result of validate as one object; standard input as <stdin>; usage errors', async () => {
  const json = await run(['validate', REJECTED, '--json']);
  assert.equal(json.code, 1);
  assert.equal(json.stderr, '');
  assert.deepEqual(JSON.parse(json.stdout), { file: REJECTED, ...(await validate(REJECTED)) });
  const piped = await spawnCli(['validate', '-', '--json'], { stdinFile: ANGULAR });
  assert.equal(piped.code, 0, piped.stderr);
  assert.deepEqual(JSON.parse(piped.stdout), { file: '<stdin>', valid: true, problems: [], encoding: 'utf-8', units: 766 });
  const usage = await run(['validate']);
  assert.equal(usage.code, 2);
  assert.match(usage.stderr, /^xliff-stream: validate: missing <file>/);
  const help = await run(['validate', '--help']);
  assert.match(help.stdout, /^Usage: xliff-stream validate <file> \[--xml\] \[--json\]/);
  assert.match(help.stdout, /^ {2}--xml {20}any XML document/m);
});
