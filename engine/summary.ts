import { round2 } from './cost/estimate.js';
import type { DriftSummary } from './types.js';

type NumericKey = { [K in keyof DriftSummary]: DriftSummary[K] extends number ? K : never }[keyof DriftSummary];

const SUMMED: NumericKey[] = [
  'state_resources', 'discovered_resources', 'managed', 'in_sync', 'changed', 'missing', 'unmanaged', 'noise_filtered', 'ignored',
  'default_resources_skipped', 'implicitly_managed', 'not_covered', 'unchanged_skipped', 'deposed', 'tainted', 'data_sources_skipped', 'duplicates',
];

const addInto = (into: Record<string, number>, from: Record<string, number>) => {
  for (const [k, v] of Object.entries(from)) into[k] = (into[k] ?? 0) + v;
};

/** One summary for an analysis done in parts (one per account): counts add up, coverage is recomputed. */
export function mergeSummaries(parts: readonly DriftSummary[]): DriftSummary {
  const [first, ...rest] = parts;
  if (!first) throw new Error('mergeSummaries needs at least one summary');
  const merged: DriftSummary = structuredClone(first);
  for (const part of rest) {
    for (const key of SUMMED) merged[key] += part[key];
    addInto(merged.by_severity, part.by_severity);
    addInto(merged.unsupported_types, part.unsupported_types);
    merged.cost.monthly_delta_usd = round2(merged.cost.monthly_delta_usd + part.cost.monthly_delta_usd);
  }
  const denominator = merged.managed + merged.unmanaged + merged.missing;
  merged.coverage = denominator === 0 ? 1 : merged.managed / denominator;
  return merged;
}
