/** bench/child's pseudo processor as a module, for `processXliff` on worker threads (the same function both ways). */
import type { Unit, UnitUpdate } from '../src/index.js';
import { benchPseudo } from './pseudo-text.js';

/** A target per segment when the unit has several (one target for all of them is refused), else the unit's. */
export function process(unit: Unit): UnitUpdate {
  if (unit.segments.length < 2) return { target: benchPseudo(unit.source.text) };
  return { segments: unit.segments.flatMap((s, index) => (s.kind === 'segment' ? [{ index, target: benchPseudo(s.source.text) }] : [])) };
}
