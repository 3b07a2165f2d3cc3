import { round2 } from './cost/estimate.js';
import type { DriftSummary } from './types.js';

type NumericKey = { [K in keyof DriftSummary]: DriftSummary[K] extends number ? K : never }[keyof DriftSummary];

const SUMMED: NumericKey[] = [
  'state_resources',
  'discovered_resources',
  'managed',
  'in_sync',
  'changed',
  'missing',
  'unmanaged',
  'noise_filtered',
  'ignored',
  'default_resources_skipped',
  'implicitly_managed',
  'not_covered',
  'unchanged_skipped',
  'deposed',
  'tainted',
  'data_sources_skipped',
  'duplicates',
  'new',
  'resolved',
  'acknowledged',
];

const addInto = (into: Record<string, number>, from: Record<string, number>) => {
  for (const [k, v] of Object.entries(from)) into[k] = (into[k] ?? 0) + v;
};

/** managed / (managed + unmanaged + missing), resources managed through a parent counting as managed; 1 when there is nothing. */
export function coverageOf(s: Pick<DriftSummary, 'managed' | 'implicitly_managed' | 'unmanaged' | 'missing'>): number {
  const managed = s.managed + s.implicitly_managed;
  const denominator = managed + s.unmanaged + s.missing;
  return denominator === 0 ? 1 : Math.round((managed / denominator) * 10_000) / 10_000;
}

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
  merged.coverage = coverageOf(merged);
  return merged;
}
