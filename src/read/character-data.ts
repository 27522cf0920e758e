/**
 * Text as XML reads it, from the text as written (the reader cuts it from its own copy of
 * the input, not from sax): line ends normalised, references replaced. Pure.
 */

/** Line ends as XML reads them: CRLF and a lone CR become LF. */
export function normalizeLineEnds(text: string): string {
  return text.indexOf('\r') === -1 ? text : text.replace(/\r\n?/g, '\n');
}

/**
 * Character data as XML reads it: literal line ends first, then references (which may
 * give a CR). sax has checked every `&` starts a well-formed reference to one of XML's
 * five entities or a character. A loop, not `replace` with a callback: a third of the
 * reader's own time went there on text with many references.
 */
export function decodeCharacterData(source: string): string {
  const text = normalizeLineEnds(source);
  let amp = text.indexOf('&');
  if (amp === -1) return text;
  let decoded = '';
  let from = 0;
  while (amp !== -1) {
    const semicolon = text.indexOf(';', amp + 2);
    if (semicolon === -1) break;
    decoded += text.slice(from, amp) + referenceValue(text, amp, semicolon);
    from = semicolon + 1;
    amp = text.indexOf('&', from);
  }
  return decoded + text.slice(from);
}

/** The text of the reference `text[amp..semicolon]` (`&name;`, `&#n;` or `&#xh;`). */
function referenceValue(text: string, amp: number, semicolon: number): string {
  if (text.charCodeAt(amp + 1) === 35) {
    const hex = text.charCodeAt(amp + 2) === 120;
    return String.fromCodePoint(parseInt(text.slice(amp + (hex ? 3 : 2), semicolon), hex ? 16 : 10));
  }
  // By first letter (and length): no string to make per reference.
  const length = semicolon - amp - 1;
  switch (text.charCodeAt(amp + 1)) {
    case 108: // lt
      if (length === 2) return '<';
      break;
    case 103: // gt
      if (length === 2) return '>';
      break;
    case 97: // amp, apos
      if (length === 3) return '&';
      if (length === 4) return "'";
      break;
    case 113: // quot
      if (length === 4) return '"';
      break;
  }
  return text.slice(amp, semicolon + 1);
}
