import type { Unit, UnitUpdate } from '../../src/index.js';

/** A deterministic processor for the checkpoint tests: the source in brackets, translated. */
export function pseudoTarget(unit: Unit): UnitUpdate | undefined {
  if (unit.segments.length > 1) return { segments: unit.segments.flatMap((s, index) => (s.kind === 'segment' ? [{ index, target: `[${s.source.text}]`, state: 'translated' }] : [])) };
  return { target: `[${unit.source.text}]`, state: 'translated' };
}
