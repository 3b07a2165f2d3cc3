/**
 * The drift engine's public surface, free of platform APIs: the Worker's queue consumer, the
 * gateway (imports, reports), storage, the CLI and the emulator import the engine only from here.
 */
export { type AnalyzeInput, analyze, emptySummary } from './analyze.js';
export { PRICE_SOURCE } from './cost/prices.js';
export { type ProviderScopes, ProviderScopeTally } from './managed.js';
export { convert } from './mappings/converters.js';
export { importIdOf, matchKey, normaliseId } from './mappings/identity.js';
// Mapping tables and the helpers that apply them: the emulator builds Terraform states from its
// estate with these, so a state it writes is read back by the same rules.
export {
  type AttributeMap,
  MAPPINGS,
  mappingForResource,
  mappingForTfType,
  mappingsForCloudType,
  type TypeMapping,
} from './mappings/index.js';
export { NOISE_RULES } from './noise/catalog.js';
export { defaultResourceReason, defaultVpcIds, VPC_TYPE } from './noise/default-resources.js';
export { type AttributeIgnoreRule, compileIgnore, type IgnoreSpec, parseDriftignore } from './noise/ignore.js';
export { implicitChildRules, parentIdsOf } from './noise/implicit-children.js';
export { type NormaliserName, normalise } from './noise/normalisers.js';
export {
  type AnalysisContext,
  fingerprintKeys,
  instanceAccounts,
  instanceSlot,
  type OutsideParent,
  OutsideParentFinder,
  PARENT_TYPES,
  type ParentRef,
  parentRefs,
  resourceSlot,
  SLOT_COUNT,
} from './partition.js';
export { fixSnippet } from './report/fix.js';
export { HTML_REPORT_CSP, REPORT_CONTENT_TYPES, renderReport } from './report/index.js';
export { RISK_RULES } from './risk/rules.js';
export { type CoverageScope, coverageCheck } from './scope.js';
export { placingMappingForTfType, splitChildTfTypes } from './split/children.js';
export { SPLIT_CHILD_TYPES } from './split/families.js';
export { decodeStateText, refuseForeignEncoding } from './state/decode.js';
export { type StateErrorCode, StateParseError } from './state/errors.js';
export { parseTerraformState, type ReadStateOptions, readTerraformState } from './state/parse.js';
export { providerIdentityTfTypes } from './state/provider-identity.js';
export { readStateHeader, type StateHeader, StateReader, stateEntries } from './state/reading.js';
export { hashSensitive, redactKnownSecrets, type SensitiveKey, sensitiveKeyFrom } from './state/sensitive.js';
export {
  type DigestedValue,
  type InstanceNotKept,
  isDigestedValue,
  type ParsedState,
  type StateInstance,
  type StateReadReport,
} from './state/types.js';
export { type SeqInstance, StreamedAccounts } from './streamed-accounts.js';
export { coverageOf, mergeSummaries } from './summary.js';
export type * from './types.js';
export { deepEqual, isEmpty, isRecord } from './util/json.js';
export { getPath, setPath } from './util/path.js';
