/**
 * Pseudo-translation as a processor module of segments (`processModule`, `per: 'segment'`):
 * the built-in module `'xliff-stream:pseudo'`, what `xliff-stream pseudo` runs on worker threads
 * and on a queue's workers. `processModuleData` is its `PseudoOptions`.
 */
import type { Segment } from './model.js';
import { pseudoSegment, type PseudoOptions } from './pseudo.js';
import type { SegmentResult } from './write/update.js';

let options: PseudoOptions = {};

export function setup(data: PseudoOptions | undefined): void {
  options = data ?? {};
}

export function process(segment: Segment): SegmentResult {
  return pseudoSegment(segment, options);
}
