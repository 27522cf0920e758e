/**
 * Finds the DOCTYPE in the prolog as the text arrives and blanks its internal subset for sax
 * (same length, line ends kept). sax follows `[`, `]` and quotes in a subset, but not
 * processing instructions (after one it reads the rest of the subset as text), and it opens an
 * element for a `<name` there: blanked, the subset is only spaces to sax. Pure; what the
 * DOCTYPE may hold is `doctypeProblem`'s to check (doctype.ts).
 */
import { isSpace } from './doctype.js';

const enum Scan {
  /** Between markup in the prolog. */
  Prolog,
  /** After a `<` in the prolog. */
  Open,
  /** After `<!` in the prolog: `pending` holds what follows, up to `--` or `DOCTYPE`. */
  Bang,
  Comment,
  Pi,
  /** In the DOCTYPE, out of its internal subset (`quote`: in a literal). */
  Doctype,
  /** In the internal subset, between markup (`quote`: in a declaration's literal, `inDeclaration`). */
  Subset,
  SubsetOpen,
  SubsetBang,
  SubsetComment,
  SubsetPi,
}

/**
 * Follows the prolog as the text arrives, until the DOCTYPE ends or something no DOCTYPE may
 * follow begins (the root element, text): then `done`, and the text goes to sax as it is.
 */
export class PrologScanner {
  /** Nothing more to do: the DOCTYPE ended, or none may come. */
  done = false;
  /** Character index of the `<` of the DOCTYPE being read; `undefined` when none is open. */
  doctypeStart: number | undefined;
  private state = Scan.Prolog;
  private pending = '';
  /** `-` read in a row in a comment, `?` just read in a PI. */
  private marks = 0;
  private quote: string | undefined;
  private inDeclaration = false;

  /** The text for sax: `text` (whose first character is at index `at` of the input), its internal subset blanked. */
  scan(text: string, at: number): string {
    let out = '';
    let copied = 0;
    /** Where the subset's characters being blanked start in `text`, or -1. */
    let blankFrom = this.state >= Scan.Subset ? 0 : -1;
    let i = 0;
    for (; i < text.length && !this.done; i++) {
      const c = text[i]!;
      const wasBlanking = blankFrom !== -1;
      this.step(c, at + i);
      const blanking = this.state >= Scan.Subset;
      if (blanking && !wasBlanking) blankFrom = i + 1;
      else if (!blanking && wasBlanking) {
        // The subset ended at this `]`, which sax sees.
        out += text.slice(copied, blankFrom) + blank(text.slice(blankFrom, i));
        copied = i;
        blankFrom = -1;
      }
    }
    if (blankFrom === -1) return copied === 0 ? text : out + text.slice(copied);
    return out + text.slice(copied, blankFrom) + blank(text.slice(blankFrom));
  }

  /** After a `<`: `?` goes to state `pi`, `!` to `bang`; false for anything else. */
  private openMarkup(c: string, pi: Scan, bang: Scan): boolean {
    if (c === '?') {
      this.state = pi;
      this.marks = 0;
    } else if (c === '!') {
      this.state = bang;
      this.pending = '';
    } else return false;
    return true;
  }

  /** Whether `c` is in a literal (`quote`), or opens or closes one. */
  private inLiteral(c: string): boolean {
    if (this.quote !== undefined) {
      if (c === this.quote) this.quote = undefined;
      return true;
    }
    if (c !== '"' && c !== "'") return false;
    this.quote = c;
    return true;
  }

  private step(c: string, index: number): void {
    switch (this.state) {
      case Scan.Prolog:
        if (c === '<') this.state = Scan.Open;
        else if (!isSpace(c) && !(c === '\uFEFF' && index === 0)) this.done = true;
        return;
      case Scan.Open:
        if (!this.openMarkup(c, Scan.Pi, Scan.Bang)) this.done = true;
        return;
      case Scan.Bang: {
        const pending = this.pending + c;
        if (pending === '--') {
          this.state = Scan.Comment;
          this.marks = 0;
        } else if (pending.toUpperCase() === 'DOCTYPE') {
          // sax takes `<!doctype` in any case for a DOCTYPE too (the checker refuses it).
          this.state = Scan.Doctype;
          this.quote = undefined;
          this.doctypeStart = index - 8;
        } else if ('--'.startsWith(pending) || 'DOCTYPE'.startsWith(pending.toUpperCase())) this.pending = pending;
        else this.done = true;
        return;
      }
      case Scan.Comment:
      case Scan.SubsetComment:
        if (c === '>' && this.marks >= 2) this.state = this.state === Scan.Comment ? Scan.Prolog : Scan.Subset;
        else this.marks = c === '-' ? this.marks + 1 : 0;
        return;
      case Scan.Pi:
      case Scan.SubsetPi:
        if (c === '>' && this.marks === 1) this.state = this.state === Scan.Pi ? Scan.Prolog : Scan.Subset;
        else this.marks = c === '?' ? 1 : 0;
        return;
      case Scan.Doctype:
        // As sax reads it: a `>` out of a literal ends it, a `[` opens the subset.
        if (this.inLiteral(c)) return;
        if (c === '[') {
          this.state = Scan.Subset;
          this.inDeclaration = false;
        } else if (c === '>') {
          this.done = true;
          this.doctypeStart = undefined;
        }
        return;
      case Scan.Subset:
        if (this.inDeclaration) {
          if (!this.inLiteral(c) && c === '>') this.inDeclaration = false;
        } else if (c === ']') this.state = Scan.Doctype;
        else if (c === '<') this.state = Scan.SubsetOpen;
        return;
      case Scan.SubsetOpen:
        if (!this.openMarkup(c, Scan.SubsetPi, Scan.SubsetBang)) {
          // Not markup (the checker refuses it): read on as the subset's text.
          this.state = Scan.Subset;
          this.step(c, index);
        }
        return;
      case Scan.SubsetBang:
        if (c === '-' && this.pending === '') this.pending = '-';
        else if (c === '-') {
          this.state = Scan.SubsetComment;
          this.marks = 0;
        } else {
          this.state = Scan.Subset;
          this.inDeclaration = true;
          this.quote = undefined;
          this.step(c, index);
        }
        return;
    }
  }
}

/** The same length, spaces for all but the line ends. */
function blank(text: string): string {
  return text.replace(/[^\n]/g, ' ');
}
