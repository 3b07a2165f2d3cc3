/**
 * The drift engine's public surface, free of platform APIs: the Worker's queue consumer, the
 * gateway (imports, reports) and the CLI all use these. Node-only helpers (cli-analyze, bench,
 * eval) are imported from their own modules.
 */
export { analyze, type AnalyzeInput } from './analyze.js';
export { parseTerraformState } from './state/parse.js';
export { StateParseError, type StateErrorCode } from './state/errors.js';
export type { ParsedState, StateInstance } from './state/types.js';
export type { CoverageScope } from './scope.js';
export { compileIgnore, parseDriftignore, type AttributeIgnoreRule, type IgnoreSpec } from './noise/ignore.js';
export { NOISE_RULES } from './noise/catalog.js';
export { RISK_RULES } from './risk/rules.js';
export { PRICE_SOURCE } from './cost/prices.js';
export { renderReport, REPORT_FORMATS, REPORT_CONTENT_TYPES, type ReportFormat } from './report/index.js';
export type * from './types.js';
