import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

/** `test/corpus`: 400 real XLIFF files, with their provenance (SOURCES.tsv) and libxml2's verdicts (EXPECTED.tsv). */
export const CORPUS_DIR = fileURLToPath(new URL('../corpus/', import.meta.url));

export interface CorpusEntry {
  readonly path: string;
  readonly file: string;
  readonly wellFormed: boolean;
  readonly version: string;
  readonly transUnits: number;
  readonly units: number;
  readonly segments: number;
  readonly expect: 'read' | 'reject';
}

export function corpus(): CorpusEntry[] {
  const lines = readFileSync(join(CORPUS_DIR, 'EXPECTED.tsv'), 'utf8').trim().split('\n').slice(1);
  return lines.map((line) => {
    const [path, wf, , version, tu, u, s, expect] = line.split('\t') as string[];
    return {
      path: path!,
      file: join(CORPUS_DIR, path!),
      wellFormed: wf === 'yes',
      version: version!,
      transUnits: Number(tu),
      units: Number(u),
      segments: Number(s),
      expect: expect as 'read' | 'reject',
    };
  });
}

/** The unit count libxml2 gives: trans-units for 1.x, units for 2.x. */
export function expectedUnits(entry: CorpusEntry): number {
  return entry.version.startsWith('2') || entry.units > 0 ? entry.units : entry.transUnits;
}

export { dirname };
