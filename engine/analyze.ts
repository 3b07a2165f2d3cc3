import { GCP_IAM_POLICY_TYPES } from '../contract/gcp-iam-types.js';
import { type DiscoveredResource, resourceKey } from '../contract/resource.js';
import { round2 } from './cost/estimate.js';
import { PRICE_SOURCE } from './cost/prices.js';
import { diffResource } from './diff.js';
import { contentFingerprint } from './fingerprint.js';
import { changedItem, missingItem, splitChildItem, unmanagedItem } from './items.js';
import { collectManaged, type ManagedInstance, type ManagedSet, type StateScope } from './managed.js';
import { importIdOf, normaliseId } from './mappings/identity.js';
import { mappingForResource, mappingForTfType, mappingsForCloudType } from './mappings/index.js';
import { InventoryIndex } from './match.js';
import { defaultResourceReason, defaultVpcIds } from './noise/default-resources.js';
import { compileIgnore, type IgnoreMatcher, type IgnoreSpec } from './noise/ignore.js';
import { implicitChildRules, parentIdsOf } from './noise/implicit-children.js';
import { type AnalysisContext, matchKeyOf } from './partition.js';
import { severityRank } from './risk/assess.js';
import { type CoverageScope, coverageCheck } from './scope.js';
import { attributeToChildren, childrenByParent, expectedWithChildren, type SplitChild } from './split/children.js';
import { compareIamPolicies } from './split/iam-policy.js';
import { processSensitiveKey, type SensitiveKey } from './state/sensitive.js';
import type { ParsedState } from './state/types.js';
import { coverageOf } from './summary.js';
import type { AnalysisMode, AttributeChange, DriftItem, DriftReport, DriftSummary } from './types.js';
import { isEmpty } from './util/json.js';

export interface AnalyzeInput {
  states: readonly ParsedState[];
  inventory: readonly DiscoveredResource[];
  /** What discovery fully covered; without it the inventory is taken as complete. */
  scopes?: readonly CoverageScope[];
  /** `smart` (default) drops noise, `full` keeps it labelled, `incremental` skips unchanged resources. */
  mode?: AnalysisMode;
  ignore?: IgnoreSpec;
  /** Fingerprints from the previous completed analysis of the same scope (incremental mode). */
  previous?: Readonly<Record<string, string>>;
  /** Return content fingerprints (always on in incremental mode). */
  fingerprints?: boolean;
  /**
   * The key the states' sensitive values were hashed with, to hash cloud values the same way;
   * without one, this process's random key (right for states parsed in the same process).
   */
  sensitiveKey?: SensitiveKey;
  /**
   * When the states and inventory are one part of a larger analysis (engine/partition.ts):
   * what the rest of it holds that verdicts in this part depend on.
   */
  context?: AnalysisContext;
}

interface Run {
  input: AnalyzeInput;
  mode: AnalysisMode;
  ignore: IgnoreMatcher;
  sensitiveKey: SensitiveKey;
  fingerprints?: Record<string, string>;
  summary: DriftSummary;
  items: DriftItem[];
  /** Separate child resources (split/families.ts) by their parent's match key. */
  children: Map<string, SplitChild[]>;
}

/** A summary with every count at zero: the start of an analysis, and a base for fixtures. */
export function emptySummary(mode: AnalysisMode, discovered: number): DriftSummary {
  return {
    mode,
    state_resources: 0,
    discovered_resources: discovered,
    managed: 0,
    in_sync: 0,
    changed: 0,
    missing: 0,
    unmanaged: 0,
    coverage: 1,
    noise_filtered: 0,
    ignored: 0,
    default_resources_skipped: 0,
    implicitly_managed: 0,
    not_covered: 0,
    unchanged_skipped: 0,
    deposed: 0,
    tainted: 0,
    data_sources_skipped: 0,
    unsupported_types: {},
    duplicates: 0,
    by_severity: { critical: 0, high: 0, medium: 0, low: 0 },
    // The drift lifecycle is the store's: it sets these once it knows the account's history.
    new: 0,
    resolved: 0,
    acknowledged: 0,
    cost: {
      monthly_delta_usd: 0,
      currency: 'USD',
      source: PRICE_SOURCE.source,
      as_of: PRICE_SOURCE.as_of,
      estimate: true,
    },
  };
}

/** Incremental mode: true when this resource's content is what the previous run saw. */
function unchangedSinceLastRun(
  run: Run,
  keyOf: () => string,
  state?: Record<string, unknown>,
  cloud?: Record<string, unknown>,
): boolean {
  if (!run.fingerprints) return false;
  const key = keyOf();
  const fp = contentFingerprint(state, cloud);
  run.fingerprints[key] = fp;
  return run.mode === 'incremental' && run.input.previous?.[key] === fp;
}

function compareManaged(run: Run, m: ManagedInstance, found: DiscoveredResource): void {
  const { summary } = run;
  summary.managed++;
  if (run.ignore.ignoresResource(m.mapping.tfType, m.id)) {
    summary.ignored++;
    return;
  }
  const children = run.children.get(managedKey(m)) ?? [];
  const expected = children.length
    ? expectedWithChildren(m.mapping, m.instance.attributes, children)
    : m.instance.attributes;
  if (unchangedSinceLastRun(run, () => managedKey(m), expected, found.attributes)) {
    summary.unchanged_skipped++;
    return;
  }
  const diffs = diffResource(m.mapping, expected, found.attributes, run.sensitiveKey);
  const split = children.length
    ? attributeToChildren(m.mapping, expected, children, diffs)
    : { changes: diffs, verdicts: [] };
  const changes: AttributeChange[] = [];
  const real: AttributeChange[] = [];
  for (const c of split.changes) {
    if (run.ignore.ignoresAttribute(m.mapping.tfType, m.mapping.cloudType, m.id, c.path, found.attributes)) continue;
    if (c.noise_rule) {
      summary.noise_filtered++;
      if (run.mode === 'full') changes.push(c);
    } else {
      real.push(c);
      changes.push(c);
    }
  }
  if (real.length === 0) summary.in_sync++;
  else summary.changed++;
  if (changes.length > 0) run.items.push(changedItem(m, found, changes, real));
  for (const v of split.verdicts) {
    const { instance } = v.child;
    if (run.ignore.ignoresResource(instance.tfType, String(instance.attributes.id ?? ''))) {
      summary.ignored++;
      continue;
    }
    summary[v.kind]++;
    run.items.push(splitChildItem(v, m.mapping, found));
  }
}

function reportMissing(
  run: Run,
  m: ManagedInstance,
  scope: StateScope,
  covered: ReturnType<typeof coverageCheck>,
): void {
  const { summary } = run;
  if (!covered(m.mapping.provider, m.mapping.cloudType, scope.account, scope.region)) {
    summary.not_covered++;
    return;
  }
  if (run.ignore.ignoresResource(m.mapping.tfType, m.id)) {
    summary.ignored++;
    return;
  }
  if (unchangedSinceLastRun(run, () => managedKey(m), m.instance.attributes, undefined)) {
    summary.unchanged_skipped++;
    return;
  }
  summary.missing++;
  run.items.push(missingItem(m, scope));
}

/** The fingerprint key of a state resource: its cloud type and normalised id. */
const managedKey = (m: ManagedInstance) => matchKeyOf(m.mapping.cloudType, m.normalisedId);

/** What matching found: discovered resource → its state instance (undefined for deposed objects). */
type Matches = Map<DiscoveredResource, ManagedInstance | undefined>;

/** Whether a managed (or deposed) parent created this resource as part of itself. */
function implicitlyManaged(run: Run, r: DiscoveredResource, index: InventoryIndex, matches: Matches): boolean {
  for (const rule of implicitChildRules(r.type)) {
    const parentKind = mappingsForCloudType(r.provider, rule.parentType)[0]?.id.kind;
    if (!parentKind) continue;
    for (const pid of parentIdsOf(rule, r)) {
      const parentId = normaliseId(parentKind, pid);
      const parentResource = index.get(rule.parentType, parentId);
      if (!parentResource) {
        // A parent in another part of the analysis: that part's verdict, looked up beforehand.
        const outside = run.input.context?.parents.get(matchKeyOf(rule.parentType, parentId));
        if (outside && (!rule.parentStateHas || outside.stateHas.includes(rule.parentStateHas))) return true;
        continue;
      }
      if (!matches.has(parentResource)) continue;
      const parent = matches.get(parentResource);
      // A deposed parent (no instance) still exists, and so do the children it created.
      if (!rule.parentStateHas || (parent && !isEmpty(parent.instance.attributes[rule.parentStateHas]))) return true;
    }
  }
  return false;
}

function reportUnmanaged(run: Run, index: InventoryIndex, matches: Matches): void {
  const { summary } = run;
  const defaultVpcs = run.input.context?.defaultVpcIds ?? defaultVpcIds(run.input.inventory);
  for (const r of index.resources) {
    if (matches.has(r)) continue;
    if (defaultResourceReason(r, defaultVpcs)) {
      summary.default_resources_skipped++;
      continue;
    }
    if (implicitlyManaged(run, r, index, matches)) {
      summary.implicitly_managed++;
      continue;
    }
    const mapping = mappingForResource(r)!;
    if (
      run.ignore.ignoresResource(mapping.tfType, importIdOf(mapping, r)) ||
      run.ignore.ignoresResource(mapping.tfType, r.id)
    ) {
      summary.ignored++;
      continue;
    }
    if (unchangedSinceLastRun(run, () => resourceKey(r), undefined, r.attributes)) {
      summary.unchanged_skipped++;
      continue;
    }
    summary.unmanaged++;
    run.items.push(unmanagedItem(mapping, r));
  }
}

/** GCP IAM policies against the parts the states declare of them (split/iam-policy.ts); each policy judged there only. */
function compareIam(
  run: Run,
  index: InventoryIndex,
  managedSet: ManagedSet,
  covered: ReturnType<typeof coverageCheck>,
  matches: Matches,
): void {
  const policies = new Map<string, DiscoveredResource>();
  for (const r of index.resources) {
    if (r.provider !== 'gcp' || !Object.hasOwn(GCP_IAM_POLICY_TYPES, r.type)) continue;
    policies.set(`${r.type}|${r.id}`, r);
    matches.set(r, undefined);
  }
  if (policies.size === 0 && managedSet.iamPieces.length === 0) return;
  const { items, counts } = compareIamPolicies(managedSet.iamPieces, policies, {
    covered: (piece) => {
      const mapping = mappingForTfType(piece.family.tfType)!;
      const m = { instance: piece.instance, mapping, normalisedId: piece.targetId, id: piece.targetId };
      const { account } = managedSet.scopeOf(m);
      return { covered: covered('gcp', piece.family.cloudType, account, 'global'), account };
    },
    ignores: (tfType, id) => run.ignore.ignoresResource(tfType, id),
  });
  for (const [k, n] of Object.entries(counts)) run.summary[k as keyof typeof counts] += n;
  run.items.push(...items);
}

function finish(run: Run): void {
  const { summary, items } = run;
  summary.coverage = coverageOf(summary);
  let cost = 0;
  for (const item of items) {
    if (item.kind !== 'changed' || item.changes.some((c) => !c.noise_rule)) summary.by_severity[item.severity]++;
    cost += item.cost?.monthly_usd ?? 0;
  }
  summary.cost.monthly_delta_usd = round2(cost);
  items.sort(
    (a, b) =>
      b.score - a.score ||
      severityRank(a.severity) - severityRank(b.severity) ||
      (a.address < b.address ? -1 : a.address > b.address ? 1 : 0),
  );
}

/**
 * The drift engine's entry point: matches every state instance to the inventory through a hash
 * index, diffs mapped attributes, filters noise, scores risk and cost, and reports changed,
 * missing and unmanaged resources. Pure: no I/O, no clock, no platform APIs (a caller that
 * passes no sensitive key gets one random key per process).
 */
export function analyze(input: AnalyzeInput): DriftReport {
  const mode = input.mode ?? 'smart';
  const run: Run = {
    input,
    mode,
    ignore: compileIgnore(input.ignore),
    sensitiveKey: input.sensitiveKey ?? processSensitiveKey(),
    fingerprints: mode === 'incremental' || input.fingerprints ? {} : undefined,
    summary: emptySummary(mode, input.inventory.length),
    items: [],
    children: new Map(),
  };
  const index = new InventoryIndex(input.inventory);
  const managedSet = collectManaged(input.states, index, input.context?.providerScopes);
  run.children = childrenByParent(managedSet.splitChildren);
  const covered = coverageCheck(input.scopes);
  const matches: Matches = new Map();
  for (const d of managedSet.deposedObjects) {
    const found = index.get(d.cloudType, d.normalisedId);
    if (found) matches.set(found, undefined);
  }
  for (const m of managedSet.instances) {
    const found = index.get(m.mapping.cloudType, m.normalisedId);
    if (found) {
      matches.set(found, m);
      compareManaged(run, m, found);
    } else {
      reportMissing(run, m, managedSet.scopeOf(m), covered);
    }
  }
  compareIam(run, index, managedSet, covered, matches);
  reportUnmanaged(run, index, matches);
  Object.assign(run.summary, {
    state_resources: managedSet.stateResources,
    deposed: managedSet.deposed,
    tainted: managedSet.tainted,
    data_sources_skipped: managedSet.dataSourcesSkipped,
    unsupported_types: { ...managedSet.unsupported, ...index.unsupported },
    duplicates: managedSet.duplicates.length,
  });
  finish(run);
  return {
    summary: run.summary,
    items: run.items,
    duplicates: managedSet.duplicates,
    ...(run.fingerprints ? { fingerprints: run.fingerprints } : {}),
  };
}
