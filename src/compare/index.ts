// Contract stub, to be implemented in src/compare (issue 2).
import type { Config } from '../config/schema.js';
import type { Comparison } from '../model/comparison.js';
import type { Run } from '../model/run.js';

export type CompareOptions = Pick<
  Config,
  'threshold' | 'thresholds' | 'failOn' | 'alpha' | 'profile' | 'queries' | 'memory'
>;

/** Compares head with the base history (newest first; empty when there is no baseline). Pure. */
export function compare(_bases: Run[], _head: Run, _options: CompareOptions): Comparison {
  throw new Error('compare: not implemented yet');
}
