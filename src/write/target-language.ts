/**
 * Sets the target language in skeleton text where it is missing: 1.2 `file/@target-language`,
 * 2.x `xliff/@trgLang`. The reader never cuts a tag across skeleton pieces, so a start
 * tag is whole in one piece. Comments, CDATA and processing instructions are skipped.
 */
const TAG_OR_SKIPPED = /<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>|<\?[\s\S]*?\?>|<((?:[A-Za-z_][\w.-]*:)?(?:file|xliff))(\s[^>]*?)?(\/?)>/g;

export function setTargetLanguage(skeleton: string, language: string): string {
  if (skeleton.indexOf('<') === -1) return skeleton;
  return skeleton.replace(TAG_OR_SKIPPED, (whole, name: string | undefined, attributes: string | undefined, slash: string) => {
    if (!name) return whole;
    const attrs = attributes ?? '';
    const local = name.slice(name.indexOf(':') + 1);
    const version = /\sversion\s*=\s*["']([^"']*)["']/.exec(attrs)?.[1];
    // The root says which attribute applies: 2.x names it on <xliff>, 1.x on each <file>.
    const wanted = local === 'xliff' ? (version?.startsWith('2') ? 'trgLang' : undefined) : 'target-language';
    if (!wanted || new RegExp(`\\s${wanted}\\s*=`).test(attrs)) return whole;
    if (local === 'file' && /\sxmlns(:\w+)?\s*=\s*["']urn:oasis:names:tc:xliff:document:2/.test(attrs)) return whole;
    return `<${name}${attrs} ${wanted}="${language}"${slash}>`;
  });
}
