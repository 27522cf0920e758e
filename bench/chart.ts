/**
 * The bench's results as a picture: throughput and peak RSS against file size, for one format
 * (XLIFF 1.2, where the peers run), this library's cases beside Translate Toolkit and npm `xliff`.
 *
 * `renderChart` is pure: the rows of the Details table of bench/RESULTS.md in, SVG text out.
 * `parseResults` reads those rows (and the run's date and machine) back from the markdown, so
 * bench/all.ts draws its chart from the markdown it has just written, and a chart can be
 * redrawn from a RESULTS.md without running the bench again:
 *   npm run bench:chart   (node .bench-build/bench/chart.js bench/RESULTS.md bench/results.svg)
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

/** One row of the Details table: one case on one file. A case without a result has no seconds. */
export interface DetailRow {
  format: string;
  /** '10 MiB' */
  size: string;
  bytes: number;
  /** The case's label in the tables, as printed (backticks included). */
  case: string;
  seconds?: number;
  mibPerSecond?: number;
  peakRssMB?: number;
  /** Why there is no result (out of memory, ERR_STRING_TOO_LONG, unsupported ...), else ''. */
  note: string;
}

export interface BenchResults {
  rows: DetailRow[];
  /** The run's start, ISO 8601. */
  date: string;
  /** The CPU row of the Machine table: 'AMD EPYC, 2 cores'. */
  cpu: string;
  /** The memory cap of the peers ('8 GiB', and in MB), if the limits row gives it. */
  memCap?: { label: string; mb: number };
}

/** Splits a markdown table line into its cells (`\|` is a pipe within a cell). */
const cells = (line: string): string[] =>
  line.trim().replace(/^\|/, '').replace(/\|$/, '').split(/(?<!\\)\|/).map((cell) => cell.trim().replaceAll('\\|', '|'));
const numberOr = (cell: string | undefined): number | undefined => (cell === undefined || cell === '-' || cell === '' ? undefined : Number(cell));

/** The Details table (and the date, CPU and memory cap) of a bench/RESULTS.md. */
export function parseResults(markdown: string): BenchResults {
  const lines = markdown.split('\n');
  const start = lines.findIndex((line) => line.startsWith('### Details'));
  const header = lines.findIndex((line, i) => i > start && line.startsWith('| format |'));
  if (start < 0 || header < 0) throw new Error('No "### Details" table in this markdown');
  const columns = cells(lines[header]!);
  const column = (name: string): number => {
    const index = columns.indexOf(name);
    if (index < 0) throw new Error(`The Details table has no "${name}" column`);
    return index;
  };
  const [format, file, kase, seconds, speed, rss, note] = ['format', 'file', 'case', 'seconds', 'MiB/s', 'peak RSS MB', 'note'].map(column) as number[];
  const rows: DetailRow[] = [];
  for (const line of lines.slice(header + 2)) {
    if (!line.startsWith('|')) break;
    const row = cells(line);
    const sizeMatch = /^(.*?) \((\d+) bytes\)$/.exec(row[file!] ?? '');
    rows.push({
      format: row[format!]!,
      size: sizeMatch?.[1] ?? row[file!]!,
      bytes: Number(sizeMatch?.[2] ?? NaN),
      case: row[kase!]!,
      seconds: numberOr(row[seconds!]),
      mibPerSecond: numberOr(row[speed!]),
      peakRssMB: numberOr(row[rss!]),
      note: row[note!] ?? '',
    });
  }
  const machine = (name: string): string | undefined => lines.map(cells).find((row) => row[0] === name)?.[1];
  const cap = /memory cap ([\d.]+) (GiB|MiB)/.exec(machine('limits') ?? '');
  return {
    rows,
    date: machine('date') ?? /\d{4}-\d\d-\d\dT[\d:.]+Z/.exec(markdown)?.[0] ?? '',
    cpu: machine('CPU') ?? '',
    memCap: cap ? { label: `${cap[1]} ${cap[2]}`, mb: (Number(cap[1]) * (cap[2] === 'GiB' ? 2 ** 30 : 2 ** 20)) / 1e6 } : undefined,
  };
}

/** The cases drawn: which table label, the legend's name, colour, and whether it is a peer (square markers). */
export const SERIES = [
  { match: (label: string) => label === 'bare sax', name: 'bare sax (the ceiling)', color: '#7f7f7f', peer: false, ceiling: true },
  { match: (label: string) => label === '`readUnits`', name: 'readUnits', color: '#1f77b4', peer: false, ceiling: false },
  { match: (label: string) => label.startsWith('identity pass'), name: 'identity pass (processXliff)', color: '#2ca02c', peer: false, ceiling: false },
  { match: (label: string) => label.startsWith('pseudo pass'), name: 'pseudo pass (concurrency 16)', color: '#9467bd', peer: false, ceiling: false },
  { match: (label: string) => label === 'Translate Toolkit `pocount`', name: 'Translate Toolkit pocount', color: '#d62728', peer: true, ceiling: false },
  { match: (label: string) => label.startsWith('npm `xliff`'), name: 'npm xliff (xliff12ToJs)', color: '#e67300', peer: true, ceiling: false },
] as const;

/** A short label for a failure note, or undefined when the row is not a failure (a result, or unsupported/skipped). */
export function failureLabel(note: string): string | undefined {
  const oom = /^out of memory \((.*?) cap\)/.exec(note);
  if (oom) return `out of memory at ${oom[1]}`;
  if (/ERR_STRING_TOO_LONG/.test(note)) return 'string too long';
  if (/^timeout/.test(note)) return note.replace(/\s*\(.*$/, '');
  if (/^(failed|killed)/.test(note)) return note.split(/[:;(]/)[0]!.trim();
  return undefined;
}

const escape = (text: string): string => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');
const fmt = (n: number): string => (Math.round(n * 10) / 10).toString();
const mbLabel = (mb: number): string => (mb >= 1000 ? `${+(mb / 1000).toFixed(1)} GB` : `${mb} MB`);

/** The SVG: left, MiB/s against file size; right, peak RSS against file size (both x log, RSS log). */
export function renderChart(results: BenchResults, format = '1.2'): string {
  const rows = results.rows.filter((row) => row.format === format);
  if (rows.length === 0) throw new Error(`No XLIFF ${format} rows to draw`);
  const sizes = [...new Map(rows.map((row) => [row.size, row.bytes])).entries()].sort((a, b) => a[1] - b[1]);
  const W = 1020, H = 490, top = 84, plotH = 260, plotW = 300, left = [70, 565];
  const [minB, maxB] = [Math.log10(sizes[0]?.[1] ?? 1), Math.log10(sizes.at(-1)?.[1] ?? 10)];
  const xOf = (panel: number, bytes: number): number => left[panel]! + (maxB > minB ? 20 + ((Math.log10(bytes) - minB) / (maxB - minB)) * (plotW - 40) : plotW / 2);
  // The cases with a result or a failure at some size (a peer not installed has neither).
  const series = SERIES.map((s) => ({ ...s, rows: sizes.map(([size]) => rows.find((row) => row.size === size && s.match(row.case))) })).filter((s) =>
    s.rows.some((row) => row && (row.seconds !== undefined || failureLabel(row.note))),
  );
  // The peers' memory cap, where one of them ran into it.
  const cap = rows.some((row) => row.note.startsWith('out of memory')) ? results.memCap : undefined;
  // Left y: linear from 0 to a multiple of 1, 2 or 5 × 10^k; right y: log, 1-2-5 ticks.
  const maxSpeed = Math.max(1, ...rows.map((row) => row.mibPerSecond ?? 0));
  const step = [1, 2, 5, 10].map((m) => m * 10 ** Math.floor(Math.log10(maxSpeed / 4))).find((s) => maxSpeed / s <= 5)!;
  const speedTop = Math.ceil(maxSpeed / step) * step;
  const rssValues = [...rows.map((row) => row.peakRssMB ?? NaN), cap?.mb ?? NaN].filter((v) => v > 0);
  const logTicks = [1, 2, 5].flatMap((m) => [1, 10, 100, 1000, 10000, 100000].map((p) => m * p)).sort((a, b) => a - b);
  const rssLow = logTicks.filter((t) => t <= Math.min(...rssValues)).at(-1) ?? 1;
  const rssHigh = logTicks.find((t) => t >= Math.max(...rssValues)) ?? 100000;
  const yOf = [(v: number) => top + plotH - (v / speedTop) * plotH, (v: number) => top + plotH - ((Math.log10(v) - Math.log10(rssLow)) / (Math.log10(rssHigh) - Math.log10(rssLow))) * plotH];
  const day = results.date.slice(0, 10);
  const cores = /(\d+) cores?/.exec(results.cpu)?.[0] ?? '? cores';
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12" fill="#222">`,
    `<rect width="${W}" height="${H}" rx="8" fill="#fff"/>`,
    `<text x="${W / 2}" y="28" text-anchor="middle" font-size="17" font-weight="bold">xliff-stream beside Translate Toolkit and npm xliff: XLIFF ${escape(format)}</text>`,
    `<text x="${W / 2}" y="50" text-anchor="middle" fill="#555">bench run of ${escape(day)}, ${escape(results.cpu || cores)}; one process per case (npm run bench, bench/RESULTS.md)</text>`,
  ];
  const panels = [
    { title: 'Throughput (MiB/s, higher is better)', value: (row: DetailRow) => row.mibPerSecond, ticks: Array.from({ length: speedTop / step + 1 }, (_, i) => i * step), tick: (v: number) => fmt(v) },
    { title: 'Peak RSS (MB, log scale, lower is better)', value: (row: DetailRow) => row.peakRssMB, ticks: logTicks.filter((t) => t >= rssLow && t <= rssHigh), tick: mbLabel },
  ];
  for (const [p, panel] of panels.entries()) {
    const x0 = left[p]!, y = yOf[p]!;
    out.push(`<g class="panel" data-panel="${p === 0 ? 'throughput' : 'rss'}">`, `<text x="${x0 + plotW / 2}" y="${top - 12}" text-anchor="middle" font-size="14" font-weight="bold">${panel.title}</text>`);
    for (const t of panel.ticks) out.push(`<line x1="${x0}" x2="${x0 + plotW}" y1="${fmt(y(t))}" y2="${fmt(y(t))}" stroke="#e3e3e3"/>`, `<text class="y-tick" x="${x0 - 6}" y="${fmt(y(t) + 4)}" text-anchor="end">${panel.tick(t)}</text>`);
    for (const [size, bytes] of sizes) out.push(`<line x1="${fmt(xOf(p, bytes))}" x2="${fmt(xOf(p, bytes))}" y1="${top}" y2="${top + plotH}" stroke="#e3e3e3"/>`, `<text class="x-tick" x="${fmt(xOf(p, bytes))}" y="${top + plotH + 18}" text-anchor="middle">${escape(size)}</text>`);
    out.push(`<rect x="${x0}" y="${top}" width="${plotW}" height="${plotH}" fill="none" stroke="#888"/>`, `<text x="${x0 + plotW / 2}" y="${top + plotH + 38}" text-anchor="middle" fill="#555">file size (log scale)</text>`);
    if (p === 1 && cap) {
      const capY = fmt(y(cap.mb));
      out.push(`<line x1="${x0}" x2="${x0 + plotW}" y1="${capY}" y2="${capY}" stroke="#d62728" stroke-dasharray="2 3" opacity="0.6"/>`, `<text x="${x0 + 6}" y="${Number(capY) + 14}" font-size="11" fill="#a33">memory cap of the peers: ${escape(cap.label)}</text>`);
    }
    // No throughput: a failure's × sits at 0 MiB/s; its peak RSS is the process's when it failed. Failures at one spot sit side by side.
    const failures = series.flatMap((s) => {
      const row = s.rows.find((r) => r && r.seconds === undefined && failureLabel(r.note));
      const value = p === 0 ? 0 : row?.peakRssMB;
      return row ? [{ s, row, x: xOf(p, row.bytes), y: value === undefined ? top + plotH : y(value), key: `${row.bytes} ${Math.round((value === undefined ? top + plotH : y(value)) / 12)}` }] : [];
    });
    for (const s of series) {
      const points = s.rows.flatMap((row) => (row && row.seconds !== undefined && panel.value(row) !== undefined ? [{ row, x: xOf(p, row.bytes), y: y(panel.value(row)!) }] : []));
      const dash = s.ceiling ? ' stroke-dasharray="6 4"' : '';
      out.push(`<g class="series" data-case="${escape(s.name)}">`, `<polyline points="${points.map((pt) => `${fmt(pt.x)},${fmt(pt.y)}`).join(' ')}" fill="none" stroke="${s.color}" stroke-width="2"${dash}/>`);
      for (const pt of points) {
        const tip = `<title>${escape(s.name)}, ${escape(pt.row.size)}: ${p === 0 ? `${pt.row.mibPerSecond!.toFixed(1)} MiB/s` : `${pt.row.peakRssMB} MB`}</title>`;
        out.push(s.peer ? `<rect x="${fmt(pt.x - 4)}" y="${fmt(pt.y - 4)}" width="8" height="8" fill="${s.color}">${tip}</rect>` : `<circle cx="${fmt(pt.x)}" cy="${fmt(pt.y)}" r="4" fill="${s.ceiling ? '#fff' : s.color}" stroke="${s.color}" stroke-width="2">${tip}</circle>`);
      }
      const failure = failures.find((f) => f.s === s);
      if (failure) {
        const group = failures.filter((f) => f.key === failure.key);
        const k = group.indexOf(failure), m = group.length;
        const fx = failure.x + (k - (m - 1) / 2) * 12, fy = failure.y;
        const last = points.at(-1);
        const rss = failure.row.peakRssMB === undefined ? '' : `, peak RSS ${failure.row.peakRssMB} MB`;
        if (last) out.push(`<line x1="${fmt(last.x)}" y1="${fmt(last.y)}" x2="${fmt(fx)}" y2="${fmt(fy)}" stroke="${s.color}" stroke-width="2" stroke-dasharray="3 4"/>`);
        out.push(
          `<g class="failure" data-case="${escape(s.name)}" stroke="${s.color}" stroke-width="3"><path d="M${fmt(fx - 6)},${fmt(fy - 6)}L${fmt(fx + 6)},${fmt(fy + 6)}M${fmt(fx - 6)},${fmt(fy + 6)}L${fmt(fx + 6)},${fmt(fy - 6)}"/><title>${escape(s.name)}, ${escape(failure.row.size)}: ${escape(failure.row.note.split(';')[0]!)}${rss}</title></g>`,
          `<text class="failure-label" x="${fmt(failure.x + (m - 1) * 6 + 10)}" y="${fmt(fy + 4 - (m - 1 - k) * 15 - (m > 1 ? 6 : 0))}" font-size="12" fill="${s.color}">${escape(failureLabel(failure.row.note)!)}</text>`,
        );
      }
      out.push('</g>');
    }
    out.push('</g>');
  }
  // The legend: three columns, two rows, under the panels.
  for (const [i, s] of series.entries()) {
    const lx = 110 + (i % 3) * 290, ly = top + plotH + 72 + Math.floor(i / 3) * 22;
    const marker = s.peer ? `<rect x="${lx + 11}" y="${ly - 4}" width="8" height="8" fill="${s.color}"/>` : `<circle cx="${lx + 15}" cy="${ly}" r="4" fill="${s.ceiling ? '#fff' : s.color}" stroke="${s.color}" stroke-width="2"/>`;
    out.push(`<line x1="${lx}" x2="${lx + 30}" y1="${ly}" y2="${ly}" stroke="${s.color}" stroke-width="2"${s.ceiling ? ' stroke-dasharray="6 4"' : ''}/>`, marker, `<text x="${lx + 38}" y="${ly + 4}">${escape(s.name)}</text>`);
  }
  const legendY = top + plotH + 72 + 44;
  const failed = series.some((s) => s.rows.some((row) => row && row.seconds === undefined && failureLabel(row.note)));
  if (failed) out.push(`<path d="M${110 - 6 + 15},${legendY - 6}l12,12m-12,0l12,-12" stroke="#444" stroke-width="3"/>`, `<text x="${110 + 38}" y="${legendY + 4}" fill="#555">no result at that size (the run failed: why, beside it)</text>`);
  out.push('</svg>', '');
  return out.join('\n');
}

// `node .bench-build/bench/chart.js bench/RESULTS.md bench/results.svg`
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [input = 'bench/RESULTS.md', output = 'bench/results.svg'] = process.argv.slice(2);
  writeFileSync(output, renderChart(parseResults(readFileSync(input, 'utf8'))));
  console.error(`wrote ${output} from ${input}`);
}
