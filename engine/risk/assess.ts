import { Severity } from '../../contract/drift.js';
import { grantsAdmin } from '../mappings/iam-policy.js';
import { parseRule } from '../mappings/rule-string.js';
import type { DriftKind, FiredRisk } from '../types.js';
import { deepEqual, isEmpty } from '../util/json.js';
import { RISK_RULES, type RiskRule, type RiskTest } from './rules.js';

/** What risk rules look at: the item's kind and attribute values (expected from state, actual from the cloud). */
export interface RiskSubject {
  kind: DriftKind;
  tfType: string;
  values: { path: string; expected: unknown; actual: unknown }[];
}

export interface RiskAssessment {
  severity: Severity;
  score: number;
  rules: FiredRisk[];
}

/** 0 for the most severe level: the contract lists severities most severe first. */
export const severityRank = (s: Severity): number => Severity.options.indexOf(s);

/** Sources meaning "anyone": CIDRs as canonical ranges, NSG service tags and wildcards lowercased. */
const WORLD_SOURCES = new Set(['0.0.0.0/0', '::/0', '*', 'internet', 'any']);
const WORLD_RANGES = new Set(['0.0.0.0/0', '::/0']);

/** A bare range (GCP source_ranges) or a canonical rule letting traffic in from anyone; NSG sources may be comma-joined lists. */
function opensWorld(rule: unknown): boolean {
  if (typeof rule !== 'string') return false;
  if (WORLD_RANGES.has(rule)) return true;
  const r = parseRule(rule);
  if (r.direction === 'outbound' || r.access === 'deny') return false;
  return (r.source ?? '').split(',').some((s) => WORLD_SOURCES.has(s));
}

const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]);

function passes(test: RiskTest, expected: unknown, actual: unknown): boolean {
  if (test === 'any') return true;
  if (test === 'opens-world') {
    const before = asList(expected);
    return asList(actual).some((r) => opensWorld(r) && !before.some((b) => deepEqual(b, r)));
  }
  if (test === 'turned-off') return expected === true && actual !== true;
  if (test === 'turned-on') return expected !== true && actual === true;
  if (test === 'added') return isEmpty(expected) && !isEmpty(actual);
  if (test === 'removed') return !isEmpty(expected) && isEmpty(actual);
  if (test === 'grants-admin') {
    const before = asList(expected);
    return asList(actual).some((s) => grantsAdmin(s) && !before.some((b) => deepEqual(b, s)));
  }
  if ('grants' in test) {
    const before = asList(expected);
    return asList(actual).some((v) => typeof v === 'string' && test.grants.test(v) && !before.includes(v));
  }
  if ('right' in test) return deepEqual(actual, test.right) && !deepEqual(expected, test.right);
  return deepEqual(expected, test.left) && !deepEqual(actual, test.left);
}

function whereHolds(where: NonNullable<RiskRule['where']>, subject: RiskSubject): boolean {
  const v = subject.values.find((x) => x.path === where.path);
  const value = v?.actual ?? v?.expected;
  return typeof value === 'string' && where.pattern.test(value);
}

function fire(rule: RiskRule, subject: RiskSubject): FiredRisk | undefined {
  if (!rule.kinds.includes(subject.kind)) return undefined;
  const base = { id: rule.id, title: rule.title, severity: rule.severity, score: rule.score };
  if (!rule.targets) return rule.test === 'any' ? base : undefined;
  const paths = rule.targets[subject.tfType] ?? rule.targets['*'];
  if (!paths || (rule.where && !whereHolds(rule.where, subject))) return undefined;
  const hit = subject.values.find((v) => paths.includes(v.path) && passes(rule.test, v.expected, v.actual));
  return hit ? { ...base, path: hit.path } : undefined;
}

/** Severity and a 0–100 score: the strongest rule's score, plus 5 for each further rule that fired. */
export function assessRisk(subject: RiskSubject): RiskAssessment {
  const fired: FiredRisk[] = [];
  for (const rule of RISK_RULES) {
    if (rule.fallback) continue;
    const f = fire(rule, subject);
    if (f) fired.push(f);
  }
  if (fired.length === 0) {
    for (const rule of RISK_RULES) {
      const f = rule.fallback ? fire(rule, subject) : undefined;
      if (f) fired.push(f);
    }
  }
  if (fired.length === 0) return { severity: 'low', score: 0, rules: [] };
  fired.sort((a, b) => b.score - a.score);
  const severity = fired.reduce<Severity>(
    (s, f) => (severityRank(f.severity) < severityRank(s) ? f.severity : s),
    'low',
  );
  return { severity, score: Math.min(100, fired[0]!.score + 5 * (fired.length - 1)), rules: fired };
}
