import { DriftKind } from '../../contract/drift.js';
import type { DriftReport } from '../../engine/index.js';

/** What a labelled case says the engine must find (same shape as the state writer's truth). */
export interface ExpectedDrift {
  kind: DriftKind;
  address?: string;
  id: string;
  paths?: string[];
}

export interface ExpectedNoise {
  address: string;
  path: string;
  rule?: string;
}

export interface Expected {
  drift: ExpectedDrift[];
  noise: ExpectedNoise[];
}

export interface Counts {
  tp: number;
  fp: number;
  fn: number;
}

export interface CaseScore {
  name: string;
  kinds: Record<DriftKind, Counts>;
  noise: { injected: number; filtered: number; raw_visible: number; labelled_as_injected: number };
  /** Keys of the mistakes, so a failing evaluation says what went wrong. */
  errors: string[];
}

const KINDS = DriftKind.options;

/**
 * Drift is scored per unit: an (address, attribute) pair for changed, an address for missing,
 * a cloud id for unmanaged. Injected noise counts as filtered when no real change is reported
 * on its (address, attribute).
 */
function predictedKeys(report: DriftReport): Record<DriftKind, Set<string>> {
  const out: Record<DriftKind, Set<string>> = { changed: new Set(), missing: new Set(), unmanaged: new Set() };
  for (const item of report.items) {
    if (item.kind === 'changed')
      for (const c of item.changes) if (!c.noise_rule) out.changed.add(`${item.address}#${c.path}`);
    if (item.kind === 'missing') out.missing.add(item.address);
    if (item.kind === 'unmanaged') out.unmanaged.add(item.id);
  }
  return out;
}

function expectedKeys(expected: Expected): Record<DriftKind, Set<string>> {
  const out: Record<DriftKind, Set<string>> = { changed: new Set(), missing: new Set(), unmanaged: new Set() };
  for (const d of expected.drift) {
    if (d.kind === 'changed') for (const p of d.paths ?? []) out.changed.add(`${d.address}#${p}`);
    if (d.kind === 'missing') out.missing.add(d.address ?? d.id);
    if (d.kind === 'unmanaged') out.unmanaged.add(d.id);
  }
  return out;
}

/**
 * Checks on the injected noise itself, from a full-mode report: that it is a raw difference a
 * naive comparison would flag, and that the engine explains it with the injected rule.
 */
function noiseLabels(full: DriftReport | undefined): Map<string, string> {
  const labels = new Map<string, string>();
  for (const item of full?.items ?? [])
    for (const c of item.changes) if (c.noise_rule) labels.set(`${item.address}#${c.path}`, c.noise_rule);
  return labels;
}

export function scoreCase(name: string, report: DriftReport, expected: Expected, full?: DriftReport): CaseScore {
  const predicted = predictedKeys(report);
  const wanted = expectedKeys(expected);
  const score: CaseScore = {
    name,
    kinds: { changed: { tp: 0, fp: 0, fn: 0 }, missing: { tp: 0, fp: 0, fn: 0 }, unmanaged: { tp: 0, fp: 0, fn: 0 } },
    noise: { injected: 0, filtered: 0, raw_visible: 0, labelled_as_injected: 0 },
    errors: [],
  };
  const labels = noiseLabels(full);
  for (const kind of KINDS) {
    for (const k of predicted[kind]) {
      if (wanted[kind].has(k)) score.kinds[kind].tp++;
      else {
        score.kinds[kind].fp++;
        score.errors.push(`false ${kind}: ${k}`);
      }
    }
    for (const k of wanted[kind]) {
      if (!predicted[kind].has(k)) {
        score.kinds[kind].fn++;
        score.errors.push(`missed ${kind}: ${k}`);
      }
    }
  }
  for (const n of expected.noise) {
    score.noise.injected++;
    const label = labels.get(`${n.address}#${n.path}`);
    if (label) score.noise.raw_visible++;
    if (label && label === n.rule) score.noise.labelled_as_injected++;
    if (!predicted.changed.has(`${n.address}#${n.path}`)) score.noise.filtered++;
    else score.errors.push(`noise reported as drift: ${n.address}#${n.path} (${n.rule ?? 'noise'})`);
  }
  return score;
}

export interface EvalSummary {
  cases: number;
  per_kind: Record<DriftKind, Counts & { precision: number; recall: number }>;
  overall: Counts & { precision: number; recall: number };
  noise: {
    injected: number;
    filtered: number;
    share_filtered: number;
    share_raw_visible: number;
    share_labelled_as_injected: number;
  };
}

const ratio = (a: number, b: number) => (b === 0 ? 1 : Math.round((a / b) * 10_000) / 10_000);

export function summarise(scores: readonly CaseScore[]): EvalSummary {
  const total = (kind: DriftKind) =>
    scores.reduce(
      (acc, s) => ({ tp: acc.tp + s.kinds[kind].tp, fp: acc.fp + s.kinds[kind].fp, fn: acc.fn + s.kinds[kind].fn }),
      { tp: 0, fp: 0, fn: 0 },
    );
  const withRates = (c: Counts) => ({ ...c, precision: ratio(c.tp, c.tp + c.fp), recall: ratio(c.tp, c.tp + c.fn) });
  const per_kind = {
    changed: withRates(total('changed')),
    missing: withRates(total('missing')),
    unmanaged: withRates(total('unmanaged')),
  };
  const all = KINDS.reduce(
    (acc, k) => ({ tp: acc.tp + per_kind[k].tp, fp: acc.fp + per_kind[k].fp, fn: acc.fn + per_kind[k].fn }),
    { tp: 0, fp: 0, fn: 0 },
  );
  const injected = scores.reduce((a, s) => a + s.noise.injected, 0);
  const sum = (f: (s: CaseScore) => number) => scores.reduce((a, s) => a + f(s), 0);
  const filtered = sum((s) => s.noise.filtered);
  return {
    cases: scores.length,
    per_kind,
    overall: withRates(all),
    noise: {
      injected,
      filtered,
      share_filtered: ratio(filtered, injected),
      share_raw_visible: ratio(
        sum((s) => s.noise.raw_visible),
        injected,
      ),
      share_labelled_as_injected: ratio(
        sum((s) => s.noise.labelled_as_injected),
        injected,
      ),
    },
  };
}
