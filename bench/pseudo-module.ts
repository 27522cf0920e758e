/** bench/child's pseudo processor as a module, for `processXliff` on worker threads (the same function both ways). */
import type { Unit, UnitUpdate } from '../src/index.js';
import { benchPseudo } from './pseudo-text.js';

export function process(unit: Unit): UnitUpdate {
  return { target: benchPseudo(unit.source.text) };
}
