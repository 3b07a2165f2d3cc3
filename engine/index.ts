/**
 * The drift engine's public surface, free of platform APIs: the Worker's queue consumer, the
 * gateway (imports, reports), storage, the CLI and the emulator import the engine only from here.
 */
export { analyze, type AnalyzeInput } from './analyze.js';
export { parseTerraformState, readTerraformState, type ReadStateOptions } from './state/parse.js';
export { hashSensitive, redactKnownSecrets, sensitiveKeyFrom, type SensitiveKey } from './state/sensitive.js';
export { decodeStateText } from './state/decode.js';
export { StateParseError, type StateErrorCode } from './state/errors.js';
export type { InstanceNotKept, ParsedState, StateInstance, StateReadReport } from './state/types.js';
export { coverageCheck, type CoverageScope } from './scope.js';
export { coverageOf, mergeSummaries } from './summary.js';
export { instanceAccounts } from './partition.js';
export { compileIgnore, parseDriftignore, type AttributeIgnoreRule, type IgnoreSpec } from './noise/ignore.js';
export { NOISE_RULES } from './noise/catalog.js';
export { RISK_RULES } from './risk/rules.js';
export { PRICE_SOURCE } from './cost/prices.js';
export { HTML_REPORT_CSP, renderReport, REPORT_CONTENT_TYPES } from './report/index.js';
export type * from './types.js';

// Mapping tables and the helpers that apply them: the emulator builds Terraform states from its
// estate with these, so a state it writes is read back by the same rules.
export { MAPPINGS, mappingForResource, mappingForTfType, mappingsForCloudType, type AttributeMap, type TypeMapping } from './mappings/index.js';
export { convert } from './mappings/converters.js';
export { importIdOf, matchKey, normaliseId } from './mappings/identity.js';
export { defaultResourceReason, defaultVpcIds } from './noise/default-resources.js';
export { implicitChildRules, parentIdsOf } from './noise/implicit-children.js';
export { normalise, type NormaliserName } from './noise/normalisers.js';
export { deepEqual, isEmpty, isRecord } from './util/json.js';
export { getPath, setPath } from './util/path.js';
