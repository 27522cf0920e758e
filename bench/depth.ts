/**
 * Reading time against nesting depth: `depth` nested `group`s around one unit, read by
 * `readUnits` (with `maxDepth` raised past it) and by bare sax, each depth in its own child
 * process. Linear reading shows as a time ratio near the depth ratio (10 for 10k -> 100k).
 *
 * usage: npm run bench:depth -- [--depths 10000,30000,100000] [--runs 3]
 * (or `node --import tsx bench/depth.ts`: the same through tsx)
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { sax } from '../src/cjs.js';
import { readUnits } from '../src/index.js';

const { values } = parseArgs({
  options: {
    depths: { type: 'string', default: '10000,30000,100000' },
    runs: { type: 'string', default: '3' },
    child: { type: 'string' },
    depth: { type: 'string' },
  },
});

/** The document: `depth` nested groups (`<group>` is 7 characters, its end tag 8: 15 bytes a level) around one unit. */
function document(depth: number): string {
  return (
    '<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2"><file original="a" source-language="en" datatype="plaintext"><body>' +
    '<group>'.repeat(depth) +
    '<trans-unit id="1"><source>a</source></trans-unit>' +
    '</group>'.repeat(depth) +
    '</body></file></xliff>'
  );
}

if (values.child !== undefined) {
  const text = document(Number(values.depth));
  const bytes = new TextEncoder().encode(text);
  const start = process.cpuUsage();
  let units = 0;
  if (values.child === 'sax') {
    const parser = sax.parser(true, { position: true });
    parser.onopentag = () => {};
    parser.write(text).close();
  } else {
    for await (const _ of readUnits([bytes], { maxDepth: Infinity })) units++;
  }
  const cpu = process.cpuUsage(start);
  process.stdout.write(JSON.stringify({ cpuSeconds: (cpu.user + cpu.system) / 1e6, maxRssMiB: process.resourceUsage().maxRSS / 1024, units }));
} else {
  const depths = values.depths.split(',').map(Number);
  const runs = Number(values.runs);
  const script = fileURLToPath(import.meta.url);
  const node = /\.[cm]?ts$/.test(script) ? ['--import', 'tsx', script] : [script];
  const rows: Array<{ depth: number; kind: string; cpu: number; rss: number }> = [];
  for (const depth of depths) {
    for (const kind of ['sax', 'readUnits']) {
      const samples = Array.from({ length: runs }, () => JSON.parse(execFileSync(process.execPath, [...node, '--child', kind, '--depth', String(depth)], { encoding: 'utf8' })) as { cpuSeconds: number; maxRssMiB: number });
      rows.push({ depth, kind, cpu: Math.min(...samples.map((s) => s.cpuSeconds)), rss: Math.max(...samples.map((s) => s.maxRssMiB)) });
    }
  }
  console.log('| depth | file | case | CPU s (best of %d) | peak RSS MiB |', runs);
  console.log('| ---: | ---: | --- | ---: | ---: |');
  for (const row of rows) console.log(`| ${row.depth} | ${(document(row.depth).length / 1e6).toFixed(2)} MB | ${row.kind} | ${row.cpu.toFixed(3)} | ${row.rss.toFixed(0)} |`);
  const of = (kind: string, depth: number) => rows.find((r) => r.kind === kind && r.depth === depth)!.cpu;
  const [first, last] = [depths[0]!, depths[depths.length - 1]!];
  for (const kind of ['sax', 'readUnits']) {
    console.log(`${kind}: ${last} / ${first} deep: CPU x${(of(kind, last) / of(kind, first)).toFixed(1)} for x${(last / first).toFixed(0)} the depth`);
  }
}
