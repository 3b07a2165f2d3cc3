import type { Provider } from '../contract/resource.js';

export type DriftKind = 'changed' | 'missing' | 'unmanaged';
export type Severity = 'critical' | 'high' | 'medium' | 'low';
export type AnalyzeMode = 'full' | 'smart' | 'incremental';

/** One attribute difference; values are canonical (normalised) and never sensitive in clear. */
export interface AttributeChange {
  path: string;
  expected: unknown;
  actual: unknown;
  /** Set when the difference is noise (full mode only shows these); names the catalog rule. */
  noise_rule?: string;
}

export interface FiredRisk {
  id: string;
  title: string;
  severity: Severity;
  score: number;
  /** The attribute that made the rule fire, when it is about one. */
  path?: string;
}

export interface CostImpact {
  /** Estimated change of the monthly bill in USD (negative: cheaper). */
  monthly_usd: number;
  basis: string;
  estimate: true;
}

export interface DriftItem {
  kind: DriftKind;
  /** Terraform address (`module.a.aws_instance.web[0]`); for unmanaged, the address codify would use. */
  address: string;
  state_source?: string;
  tf_type: string;
  cloud_type: string;
  provider: Provider;
  account?: string;
  region?: string;
  id: string;
  /** contract resourceKey() of the discovered resource (changed and unmanaged). */
  resource_key?: string;
  tainted?: boolean;
  changes: AttributeChange[];
  severity: Severity;
  score: number;
  rules: FiredRisk[];
  cost: CostImpact | null;
}

export interface DuplicateFinding {
  tf_type: string;
  id: string;
  /** Every place the resource is managed; the first one is the one analysed. */
  addresses: { source: string; address: string }[];
}

export interface DriftSummary {
  mode: AnalyzeMode;
  state_resources: number;
  discovered_resources: number;
  managed: number;
  in_sync: number;
  changed: number;
  missing: number;
  unmanaged: number;
  /** managed / (managed + unmanaged + missing); 1 when there is nothing at all. */
  coverage: number;
  /** Noise differences dropped by the smart filter (or labelled, in full mode). */
  noise_filtered: number;
  ignored: number;
  default_resources_skipped: number;
  implicitly_managed: number;
  /** State resources outside the scopes discovery fully covered: neither missing nor in sync. */
  not_covered: number;
  /** Incremental mode: resources whose fingerprint did not change. */
  unchanged_skipped: number;
  deposed: number;
  tainted: number;
  data_sources_skipped: number;
  unsupported_types: Record<string, number>;
  duplicates: number;
  by_severity: Record<Severity, number>;
  cost: { monthly_delta_usd: number; currency: 'USD'; source: string; as_of: string; estimate: true };
}

export interface DriftReport {
  summary: DriftSummary;
  items: DriftItem[];
  duplicates: DuplicateFinding[];
  /** Content fingerprints by address / resource key, for the next incremental run. */
  fingerprints?: Record<string, string>;
}
