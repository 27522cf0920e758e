/** The bench's pseudo-translation of a text: vowels and a few consonants accented, in brackets. */
const ACCENTS: Record<string, string> = { a: 'á', e: 'é', i: 'í', o: 'ó', u: 'ú', y: 'ý', c: 'ç', n: 'ñ', A: 'Á', E: 'É', I: 'Í', O: 'Ó', U: 'Ú', Y: 'Ý', C: 'Ç', N: 'Ñ' };

export const benchPseudo = (text: string): string => `[${text.replace(/[aeiouycnAEIOUYCN]/g, (c) => ACCENTS[c]!)}]`;
