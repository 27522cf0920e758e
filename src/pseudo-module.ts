/**
 * Pseudo-translation as a processor module (`processModule`): what `xliff-stream pseudo`
 * runs on worker threads. `processModuleData` is its `PseudoOptions`.
 */
import type { Unit } from './model.js';
import { pseudoUpdate, type PseudoOptions } from './pseudo.js';
import type { UnitUpdate } from './write/update.js';

let options: PseudoOptions = {};

export function setup(data: PseudoOptions | undefined): void {
  options = data ?? {};
}

export function process(unit: Unit): UnitUpdate {
  return pseudoUpdate(unit, options);
}
