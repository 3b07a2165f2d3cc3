import type { DiscoveredResource } from '../../contract/resource.js';
import type { CoverageScope, IgnoreSpec, ParsedState } from '../../engine/index.js';
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
