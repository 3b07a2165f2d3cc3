import { describe, expect, it } from 'vitest';
import { analyze } from './analyze.js';
import { coverageOf, mergeSummaries } from './summary.js';
import type { DriftSummary } from './types.js';

const EMPTY = analyze({ states: [], inventory: [] }).summary;

/** A part of an analysis with these counts on top of an empty one. */
const part = (counts: Partial<DriftSummary>): DriftSummary => ({ ...structuredClone(EMPTY), ...counts });

describe('coverageOf', () => {
  it('is managed over managed, unmanaged and missing, rounded to four places', () => {
    expect(coverageOf({ managed: 2, implicitly_managed: 0, unmanaged: 1, missing: 0 })).toBe(0.6667);
    expect(coverageOf({ managed: 1, implicitly_managed: 0, unmanaged: 1, missing: 2 })).toBe(0.25);
  });

  it('counts resources managed through a parent as managed', () => {
    expect(coverageOf({ managed: 1, implicitly_managed: 3, unmanaged: 4, missing: 0 })).toBe(0.5);
  });

  it('is 1 when there is nothing to cover, and 0 when nothing is managed', () => {
    expect(coverageOf({ managed: 0, implicitly_managed: 0, unmanaged: 0, missing: 0 })).toBe(1);
    expect(coverageOf({ managed: 0, implicitly_managed: 0, unmanaged: 3, missing: 1 })).toBe(0);
  });
});

describe('mergeSummaries', () => {
  const a = part({
    managed: 3,
    implicitly_managed: 1,
    unmanaged: 2,
    missing: 0,
    changed: 1,
    not_covered: 4,
    by_severity: { critical: 1, high: 0, medium: 0, low: 2 },
    unsupported_types: { null_resource: 1 },
    cost: { ...EMPTY.cost, monthly_delta_usd: 10.105 },
  });
  const b = part({
    managed: 1,
    unmanaged: 0,
    missing: 4,
    changed: 2,
    not_covered: 1,
    by_severity: { critical: 0, high: 3, medium: 0, low: 1 },
    unsupported_types: { null_resource: 2, aws_mystery: 1 },
    cost: { ...EMPTY.cost, monthly_delta_usd: -2.5 },
  });

  it('adds every count of the parts, severities and unsupported types by key', () => {
    const merged = mergeSummaries([a, b]);
    expect(merged).toMatchObject({
      managed: 4,
      implicitly_managed: 1,
      unmanaged: 2,
      missing: 4,
      changed: 3,
      not_covered: 5,
    });
    expect(merged.by_severity).toEqual({ critical: 1, high: 3, medium: 0, low: 3 });
    expect(merged.unsupported_types).toEqual({ null_resource: 3, aws_mystery: 1 });
  });

  it('adds the drift lifecycle counts of the parts', () => {
    const merged = mergeSummaries([
      part({ new: 2, resolved: 1, acknowledged: 0 }),
      part({ new: 1, resolved: 0, acknowledged: 3 }),
    ]);
    expect(merged).toMatchObject({ new: 3, resolved: 1, acknowledged: 3 });
  });

  it('adds the cost deltas in cents and recomputes coverage from the merged counts', () => {
    const merged = mergeSummaries([a, b]);
    expect(merged.cost.monthly_delta_usd).toBe(7.61);
    expect(merged.coverage).toBe(coverageOf(merged));
    expect(merged.coverage).toBe(0.4545);
  });

  it('leaves its parts as they were', () => {
    mergeSummaries([a, b]);
    expect(a.managed).toBe(3);
    expect(a.by_severity.high).toBe(0);
  });

  it('refuses to merge nothing', () => {
    expect(() => mergeSummaries([])).toThrow('at least one summary');
  });
});
