/**
 * One bench case in its own process, so that peak RSS is the case's own.
 * usage: node --import tsx bench/child.ts sax|readUnits|startup FILE
 * `startup` only loads the modules: the RSS floor of such a process (tsx's loader included).
 * Prints one JSON line: { seconds, units, chars, maxRssKiB }.
 */
import { createReadStream } from 'node:fs';
import sax from 'sax';
import { readUnits } from '../src/index.js';

const [kind, file] = process.argv.slice(2);
if (!file || (kind !== 'sax' && kind !== 'readUnits' && kind !== 'startup')) throw new Error('usage: child.ts sax|readUnits|startup FILE');

/** Bare sax: 64 KiB reads decoded as UTF-8, strict with positions, no-op handlers. */
async function bareSax(path: string): Promise<{ units: number; chars: number }> {
  const parser = sax.parser(true, { position: true });
  parser.onopentag = () => {};
  parser.onclosetag = () => {};
  parser.ontext = () => {};
  parser.onerror = (error) => {
    throw error;
  };
  const stream = createReadStream(path, { highWaterMark: 64 * 1024 });
  stream.setEncoding('utf8');
  for await (const text of stream) parser.write(text as string);
  parser.close();
  return { units: 0, chars: 0 };
}

/** `readUnits`, touching every unit's source text so that nothing is optimised away. */
async function units(path: string): Promise<{ units: number; chars: number }> {
  let count = 0;
  let chars = 0;
  for await (const unit of readUnits(path)) {
    count++;
    chars += unit.source.text.length;
  }
  return { units: count, chars };
}

const start = process.hrtime.bigint();
const result = kind === 'sax' ? await bareSax(file) : kind === 'readUnits' ? await units(file) : { units: 0, chars: 0 };
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
process.stdout.write(`${JSON.stringify({ seconds, ...result, maxRssKiB: process.resourceUsage().maxRSS })}\n`);
