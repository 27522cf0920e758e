/**
 * Escaping of what the writer adds: text and attribute values for XML, and characters the
 * output encoding cannot hold as character references.
 */
import { XliffError } from '../errors.js';
import { skipPast } from './markup-lexer.js';

export function escapeText(text: string): string {
  return /[&<>]/.test(text) ? text.replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;')) : text;
}

const ATTRIBUTE_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;', '\t': '&#9;', '\n': '&#10;', '\r': '&#13;' };

/** A value for an attribute quoted with `quote`; white space as references, so that it survives attribute normalisation. */
export function escapeAttribute(value: string, quote: string): string {
  const pattern = quote === "'" ? /[&<>'\t\n\r]/g : /[&<>"\t\n\r]/g;
  return value.replace(pattern, (c) => ATTRIBUTE_ESCAPES[c]!);
}

/** `U+00E9`: a code point as messages name it. */
export function codePointName(cp: number): string {
  return `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
}

function charRef(cp: number): string {
  return `&#x${cp.toString(16).toUpperCase()};`;
}

/**
 * `xml` with the characters `canEncode` refuses written as character references: in text and
 * attribute values as `&#xHHHH;`, in CDATA by closing the section around the reference. A
 * refused character in a comment, processing instruction or name has no other spelling: an
 * `XliffError` `XLIFF_BAD_UPDATE`.
 */
export function escapeForEncoding(xml: string, canEncode: (codePoint: number) => boolean): string {
  const refused = (i: number): number => {
    const code = xml.charCodeAt(i);
    if (code < 0x80) return 0;
    const cp = xml.codePointAt(i)!;
    return canEncode(cp) ? 0 : cp;
  };
  let first = -1;
  for (let i = 0; i < xml.length; i++) {
    if (xml.charCodeAt(i) >= 0x80 && refused(i) !== 0) {
      first = i;
      break;
    }
  }
  if (first === -1) return xml;

  let out = '';
  let last = 0;
  const replace = (i: number, cp: number, before = '', after = ''): number => {
    const width = cp > 0xffff ? 2 : 1;
    out += xml.slice(last, i) + before + charRef(cp) + after;
    last = i + width;
    return i + width;
  };
  const unwritable = (cp: number, where: string): never => {
    throw new XliffError('XLIFF_BAD_UPDATE', `${codePointName(cp)} in ${where} cannot be written in the output encoding`);
  };
  /** Checks `[from, to)`, where no character reference can stand. */
  const checkRaw = (from: number, to: number, where: string): void => {
    for (let j = from; j < to; j++) {
      const cp = refused(j);
      if (cp !== 0) unwritable(cp, where);
    }
  };

  let i = 0;
  while (i < xml.length) {
    const code = xml.charCodeAt(i);
    if (code === 0x3c /* < */) {
      if (xml.startsWith('<!--', i)) {
        const end = skipPast(xml, '-->', i + 4);
        checkRaw(i, end, 'a comment');
        i = end;
      } else if (xml.startsWith('<![CDATA[', i)) {
        const close = xml.indexOf(']]>', i + 9);
        const end = close === -1 ? xml.length : close;
        let j = i + 9;
        while (j < end) {
          const cp = refused(j);
          j = cp === 0 ? j + 1 : replace(j, cp, ']]>', '<![CDATA[');
        }
        i = close === -1 ? end : end + 3;
      } else if (xml.startsWith('<?', i)) {
        const end = skipPast(xml, '?>', i + 2);
        checkRaw(i, end, 'a processing instruction');
        i = end;
      } else {
        // A tag: names outside quotes, attribute values inside.
        let quote = 0;
        let j = i + 1;
        for (; j < xml.length; j++) {
          const c = xml.charCodeAt(j);
          if (quote !== 0) {
            if (c === quote) quote = 0;
            else if (c >= 0x80) {
              const cp = refused(j);
              if (cp !== 0) j = replace(j, cp) - 1;
            }
          } else if (c === 0x22 || c === 0x27) quote = c;
          else if (c === 0x3e /* > */) break;
          else if (c >= 0x80) {
            const cp = refused(j);
            if (cp !== 0) unwritable(cp, 'a name');
          }
        }
        i = j + 1;
      }
    } else if (code >= 0x80) {
      const cp = refused(i);
      i = cp === 0 ? i + 1 : replace(i, cp);
    } else i++;
  }
  return out + xml.slice(last);
}
