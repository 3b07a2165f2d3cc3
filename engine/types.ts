/**
 * The engine's report types are the contract's: the API, the CLI and storage read what the
 * engine writes through the same zod schemas (contract/drift.ts).
 */
export type {
  AnalysisMode,
  AttributeChange,
  CostImpact,
  DriftItem,
  DriftKind,
  DriftReport,
  DriftSummary,
  DuplicateFinding,
  FiredRisk,
  ReportFormat,
  Severity,
} from '../contract/drift.js';
