import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SERIES, failureLabel, parseResults, renderChart } from '../bench/chart.js';

const ROOT = join(import.meta.dirname, '..');
const markdown = readFileSync(join(ROOT, 'bench/RESULTS.md'), 'utf8');
const results = parseResults(markdown);

/** A cell of the committed RESULTS.md's XLIFF 1.2 table ('15.2 MiB/s, 0.79x, 100 MB'), read with a regex of its own. */
function summaryCell(caseLabel: string, column: number): string {
  const section = markdown.slice(markdown.indexOf('### XLIFF 1.2'), markdown.indexOf('### XLIFF 2.0'));
  const line = section.split('\n').find((l) => l.startsWith(`| ${caseLabel} |`));
  assert.ok(line, caseLabel);
  return line.split(' | ')[column]!.replace(/ \|$/, '');
}
const rowOf = (format: string, size: string, label: string) => {
  const row = results.rows.find((r) => r.format === format && r.size === size && r.case === label);
  assert.ok(row, `${format} ${size} ${label}`);
  return row;
};

test('bench chart: parseResults reads the Details table of bench/RESULTS.md', () => {
  // 2 formats × 3 sizes × 8 cases, the date and the machine.
  assert.equal(results.rows.length, 48);
  assert.match(results.date, /^\d{4}-\d\d-\d\dT/);
  assert.ok(markdown.includes(`| date | ${results.date} |`));
  assert.match(results.cpu, /\d+ cores/);
  // The figures match those of the summary table (another table of the same file, read apart).
  const cell = /^([\d.]+) MiB\/s, [\d.]+x, (\d+) MB$/.exec(summaryCell('`readUnits`', 2));
  assert.ok(cell, 'the 1.2 100 MiB readUnits cell');
  const readUnits = rowOf('1.2', '100 MiB', '`readUnits`');
  assert.equal(readUnits.mibPerSecond, Number(cell[1]));
  assert.equal(readUnits.peakRssMB, Number(cell[2]));
  assert.ok(readUnits.bytes > 100 * 2 ** 20 && readUnits.bytes < 101 * 2 ** 20);
  assert.equal(readUnits.note, '');
  // MiB/s is bytes / seconds, as the bench printed it.
  assert.equal(readUnits.mibPerSecond, Number((readUnits.bytes / 2 ** 20 / readUnits.seconds!).toFixed(1)));
  for (const [label, column] of [['bare sax', 1], ['identity pass (`processXliff`)', 3], ['Translate Toolkit `pocount`', 2], ['npm `xliff` `xliff12ToJs`', 1]] as const) {
    const size = ['', '10 MiB', '100 MiB', '1 GiB'][column]!;
    const [speed, , rss] = summaryCell(label, column).split(', ');
    assert.equal(rowOf('1.2', size, label).mibPerSecond, Number(speed!.replace(' MiB/s', '')), `${label} ${size}`);
    assert.equal(rowOf('1.2', size, label).peakRssMB, Number(rss!.replace(' MB', '')), `${label} ${size}`);
  }
  // The failures: no time, their note (with its escaped pipes, if any) whole.
  const pocount = rowOf('1.2', '1 GiB', 'Translate Toolkit `pocount`');
  assert.equal(pocount.seconds, undefined);
  assert.equal(pocount.mibPerSecond, undefined);
  assert.match(pocount.note, /^out of memory \(8 GiB cap\) after \d+ s; /);
  assert.equal(failureLabel(pocount.note), 'out of memory at 8 GiB');
  const xliff = rowOf('1.2', '1 GiB', 'npm `xliff` `xliff12ToJs`');
  assert.match(xliff.note, /^ERR_STRING_TOO_LONG after/);
  assert.equal(failureLabel(xliff.note), 'string too long');
  assert.equal(xliff.peakRssMB, Number(/\| npm `xliff` `xliff12ToJs` \| - \| - \| - \| - \| - \| (\d+) \|/.exec(markdown)![1]));
  // Unsupported and skipped rows are not failures to mark.
  assert.equal(failureLabel(rowOf('2.0', '10 MiB', 'Translate Toolkit `pocount`').note), undefined);
  assert.equal(failureLabel(rowOf('2.0', '1 GiB', 'Translate Toolkit `pocount`').note), undefined);
  assert.equal(results.memCap?.label, '8 GiB');
});

test('bench chart: the SVG has a line per case, the failures marked, the sizes on the x axes', () => {
  const svg = renderChart(results, '1.2');
  assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"[^>]* font-family="sans-serif"/);
  assert.match(svg, /<rect width="\d+" height="\d+"[^>]* fill="#fff"\/>/, 'a white background');
  assert.ok(svg.trimEnd().endsWith('</svg>'));
  assert.match(svg, new RegExp(`XLIFF 1\\.2.*\\n.*${results.date.slice(0, 10)}, AMD EPYC, 2 cores`));
  for (const panel of ['throughput', 'rss']) {
    const body = svg.slice(svg.indexOf(`data-panel="${panel}"`)).split('<g class="panel"')[0]!;
    // One polyline per case, in each panel.
    for (const s of SERIES) {
      const group = body.split(`<g class="series" data-case="${s.name.replaceAll('&', '&amp;')}">`)[1]?.split('</g>')[0];
      assert.ok(group, `${panel}: ${s.name}`);
      assert.equal(group.match(/<polyline points="[^"]+"/g)?.length, 1, `${panel}: ${s.name}`);
    }
    assert.deepEqual([...body.matchAll(/<text class="x-tick"[^>]*>([^<]*)</g)].map((m) => m[1]), ['10 MiB', '100 MiB', '1 GiB']);
    // The cases that failed at 1 GiB end with a marker and a short label; the others do not.
    const failures = [...body.matchAll(/<g class="failure" data-case="([^"]+)"/g)].map((m) => m[1]);
    assert.deepEqual(failures, ['Translate Toolkit pocount', 'npm xliff (xliff12ToJs)'], panel);
    const labels = [...body.matchAll(/<text class="failure-label"[^>]*>([^<]*)</g)].map((m) => m[1]);
    assert.deepEqual(labels, ['out of memory at 8 GiB', 'string too long'], panel);
  }
  // The points carry their figures: those of the table.
  assert.ok(svg.includes('<title>readUnits, 100 MiB: 15.2 MiB/s</title>'));
  assert.ok(svg.includes('<title>bare sax (the ceiling), 10 MiB: 13.0 MiB/s</title>'), 'MiB/s as the table prints them');
  assert.ok(svg.includes('<title>readUnits, 100 MiB: 100 MB</title>'));
  assert.ok(svg.includes('<title>Translate Toolkit pocount, 100 MiB: 1224 MB</title>'));
  assert.ok(svg.includes('<title>npm xliff (xliff12ToJs), 1 GiB: ERR_STRING_TOO_LONG after 4.2 s, peak RSS 2204 MB</title>'));
  // Three points for a case that ran every size; two for one that failed at 1 GiB.
  const rssPanel = svg.slice(svg.indexOf('data-panel="rss"'));
  const points = (name: string): number => rssPanel.split(`data-case="${name}">`)[1]!.split('</g>')[0]!.match(/<polyline points="([^"]+)"/)![1]!.split(' ').length;
  assert.equal(points('readUnits'), 3);
  assert.equal(points('Translate Toolkit pocount'), 2);
  // Y ticks: MiB/s from 0; RSS on a log scale wide enough for 68 MB and the 8.5 GB of the out-of-memory run.
  assert.match(svg, /<text class="y-tick"[^>]*>0<\/text>/);
  assert.match(svg, /<text class="y-tick"[^>]*>50 MB<\/text>/);
  assert.match(svg, /<text class="y-tick"[^>]*>10 GB<\/text>/);
});

test('bench chart: the committed bench/results.svg is the one drawn from the committed bench/RESULTS.md', () => {
  assert.equal(readFileSync(join(ROOT, 'bench/results.svg'), 'utf8'), renderChart(results, '1.2'));
});
