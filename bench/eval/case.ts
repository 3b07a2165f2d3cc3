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

/** One managed resource of a version 4 state with a single instance, as Terraform writes it. */
export function stateResource(
  provider: string,
  type: string,
  name: string,
  attributes: Record<string, unknown>,
  schemaVersion = 0,
) {
  return {
    mode: 'managed',
    type,
    name,
    provider,
    instances: [{ schema_version: schemaVersion, sensitive_attributes: [], attributes }],
  };
}
