/**
 * Checks the XML a processor gives for a target (`{ xml }`, or what `{ parts }` make): it
 * is written into the output as it is, so it must be well-formed as element content, or
 * the output would not be XML. Checked as this library's reader checks its input (sax,
 * strict, XML's five entities).
 */
import type { SAXOptions, SAXParser } from 'sax';
import { sax } from '../cjs.js';
import { lowerFirst } from '../errors.js';

/** The element the fragment is parsed in; its name is one a fragment would not use. */
const WRAPPER = 'xliff-stream-fragment';

/** Checks fragments one after another with one sax parser, which starts over after `close()`. */
export class FragmentChecker {
  private parser: SAXParser | undefined;
  /** Elements open, the wrapper included; a close that gets back to 0 before the end is the fragment closing the wrapper. */
  private depth = 0;
  /** Whether the wrapper's own end tag is being read. */
  private ending = false;
  private problem: string | undefined;

  /** Why `xml` is not well-formed element content, or `undefined` when it is. */
  check(xml: string): string | undefined {
    // Text without markup or references is well-formed: its characters are checked elsewhere.
    if (xml.indexOf('<') === -1 && xml.indexOf('&') === -1) return undefined;
    const parser = (this.parser ??= this.createParser());
    this.depth = 0;
    this.ending = false;
    this.problem = undefined;
    try {
      parser.write(`<${WRAPPER}>`);
      parser.write(xml);
      this.ending = true;
      if (this.problem === undefined) parser.write(`</${WRAPPER}>`).close();
    } catch (error) {
      // At the wrapper's end tag, the fragment left an element (or a tag, a comment...) open.
      this.problem ??= this.ending ? 'it leaves an element, a tag or a comment open' : lowerFirst((error as Error).message.split('\n')[0] ?? 'not well-formed');
    }
    // A parser that failed, or stopped midway, is not reused.
    if (this.problem !== undefined) this.parser = undefined;
    return this.problem;
  }

  private createParser(): SAXParser {
    const parser = sax.parser(true, { strictEntities: true } as SAXOptions);
    parser.onopentag = () => void this.depth++;
    parser.onclosetag = () => {
      if (--this.depth === 0 && !this.ending) this.problem ??= 'it closes an element it did not open';
    };
    parser.onprocessinginstruction = ({ name }) => {
      if (name.toLowerCase() === 'xml') this.problem ??= 'an XML declaration is allowed only at the very start of a document';
    };
    parser.onerror = (error) => {
      throw error;
    };
    return parser;
  }
}

/** Shared by every caller: checks run one at a time (they are synchronous), so one parser serves them all. */
const shared = new FragmentChecker();

/** Why `xml` is not well-formed element content, or `undefined` when it is. */
export function fragmentProblem(xml: string): string | undefined {
  return shared.check(xml);
}
