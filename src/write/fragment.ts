/**
 * Checks the XML a processor gives for a target (`{ xml }`, or what `{ parts }` make): it
 * is written into the output as it is, so it must be well-formed as element content, or
 * the output would not be XML. Checked as this library's reader checks its input (sax,
 * strict, XML's five entities).
 */
import type { SAXOptions, SAXParser } from 'sax';
import { sax } from '../cjs.js';

/** The element the fragment is parsed in; its name is one a fragment would not use. */
const WRAPPER = 'xliff-stream-fragment';

/** One parser, reused: sax starts over after `close()`. */
let reusable: SAXParser | undefined;
/** Elements open, the wrapper included; a close that gets back to 0 before the end is the fragment closing the wrapper. */
let depth = 0;
/** Whether the wrapper's own end tag is being read. */
let ending = false;
let problem: string | undefined;

/** Why `xml` is not well-formed element content, or `undefined` when it is. */
export function fragmentProblem(xml: string): string | undefined {
  // Text without markup or references is well-formed: its characters are checked elsewhere.
  if (xml.indexOf('<') === -1 && xml.indexOf('&') === -1) return undefined;
  const parser = (reusable ??= createParser());
  depth = 0;
  ending = false;
  problem = undefined;
  try {
    parser.write(`<${WRAPPER}>`);
    parser.write(xml);
    ending = true;
    if (problem === undefined) parser.write(`</${WRAPPER}>`).close();
  } catch (error) {
    // At the wrapper's end tag, the fragment left an element (or a tag, a comment...) open.
    problem ??= ending ? 'it leaves an element, a tag or a comment open' : lowerFirst((error as Error).message.split('\n')[0] ?? 'not well-formed');
  }
  // A parser that failed, or stopped midway, is not reused.
  if (problem !== undefined) reusable = undefined;
  return problem;
}

function createParser(): SAXParser {
  const parser = sax.parser(true, { strictEntities: true } as SAXOptions);
  parser.onopentag = () => void depth++;
  parser.onclosetag = () => {
    if (--depth === 0 && !ending) problem ??= 'it closes an element it did not open';
  };
  parser.onprocessinginstruction = ({ name }) => {
    if (name.toLowerCase() === 'xml') problem ??= 'an XML declaration is allowed only at the very start of a document';
  };
  parser.onerror = (error) => {
    throw error;
  };
  return parser;
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
