import type { DiscoveredResource } from '../../contract/resource.js';
import type { IgnoreSpec } from '../noise/ignore.js';
import type { CoverageScope } from '../scope.js';
import type { ParsedState } from '../state/types.js';
import type { Expected } from './score.js';

/** One labelled evaluation case: inputs to analyze() and what it must report. */
export interface EvalCase {
  name: string;
  states: ParsedState[];
  inventory: DiscoveredResource[];
  scopes?: CoverageScope[];
  ignore?: IgnoreSpec;
  expected: Expected;
}
