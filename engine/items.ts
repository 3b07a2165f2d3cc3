import { type DiscoveredResource, resourceKey } from '../contract/resource.js';
import { affectsCost, monthlyCost, round2 } from './cost/estimate.js';
import { canonicalValue } from './diff.js';
import type { ManagedInstance, StateScope } from './managed.js';
import type { AttributeMap, TypeMapping } from './mappings/types.js';
import { assessRisk } from './risk/assess.js';
import type { ChildVerdict } from './split/children.js';
import type { AttributeChange, CostImpact, DriftItem } from './types.js';

/** Builds report items: risk and cost come from the same canonical values the diff compared. */

const byPathCache = new WeakMap<TypeMapping, Map<string, AttributeMap>>();
function attributeByPath(mapping: TypeMapping): Map<string, AttributeMap> {
  let m = byPathCache.get(mapping);
  if (!m) byPathCache.set(mapping, (m = new Map(mapping.attributes.map((a) => [a.tf, a]))));
  return m;
}

function valueReader(mapping: TypeMapping, side: 'tf' | 'cloud', attributes: Record<string, unknown>) {
  const byPath = attributeByPath(mapping);
  return (path: string) => {
    const a = byPath.get(path);
    return a ? canonicalValue(a, side, attributes) : undefined;
  };
}

function allValues(mapping: TypeMapping, side: 'tf' | 'cloud', attributes: Record<string, unknown>) {
  return mapping.attributes
    .filter((a) => !a.noise)
    .map((a) => {
      const v = canonicalValue(a, side, attributes);
      return side === 'tf'
        ? { path: a.tf, expected: v, actual: undefined }
        : { path: a.tf, expected: undefined, actual: v };
    });
}

function costImpact(usd: number, basis: string): CostImpact {
  return { monthly_usd: round2(usd), basis, estimate: true };
}

function changedCost(
  m: ManagedInstance,
  cloud: Record<string, unknown>,
  changes: AttributeChange[],
): CostImpact | null {
  if (!changes.some((c) => affectsCost(m.mapping.tfType, c.path))) return null;
  const before = monthlyCost(m.mapping.tfType, valueReader(m.mapping, 'tf', m.instance.attributes));
  const after = monthlyCost(m.mapping.tfType, valueReader(m.mapping, 'cloud', cloud));
  if (!before || !after) return null;
  return costImpact(after.usd - before.usd, `${before.basis} → ${after.basis}`);
}

export function changedItem(
  m: ManagedInstance,
  found: DiscoveredResource,
  changes: AttributeChange[],
  realChanges: AttributeChange[],
): DriftItem {
  const risk = assessRisk({ kind: 'changed', tfType: m.mapping.tfType, values: realChanges });
  return {
    kind: 'changed',
    address: m.instance.address,
    state_source: m.instance.source,
    tf_type: m.mapping.tfType,
    cloud_type: m.mapping.cloudType,
    provider: m.mapping.provider,
    account: found.account,
    region: found.region,
    id: found.id,
    resource_key: resourceKey(found),
    ...(m.instance.tainted ? { tainted: true } : {}),
    changes,
    ...risk,
    cost: changedCost(m, found.attributes, realChanges),
  };
}

export function missingItem(m: ManagedInstance, scope: StateScope): DriftItem {
  const values = allValues(m.mapping, 'tf', m.instance.attributes);
  const cost = monthlyCost(m.mapping.tfType, valueReader(m.mapping, 'tf', m.instance.attributes));
  return {
    kind: 'missing',
    address: m.instance.address,
    state_source: m.instance.source,
    tf_type: m.mapping.tfType,
    cloud_type: m.mapping.cloudType,
    provider: m.mapping.provider,
    account: scope.account,
    region: scope.region,
    id: m.id,
    ...(m.instance.tainted ? { tainted: true } : {}),
    changes: [],
    ...assessRisk({ kind: 'missing', tfType: m.mapping.tfType, values }),
    cost: cost ? costImpact(-cost.usd, `no longer billed: ${cost.basis}`) : null,
  };
}

/**
 * A separate child resource (split/families.ts) its parent's cloud state no longer holds as
 * declared: reported on the child's own address, where the parent's risk rules judge its
 * rules (a rule changed to let the world in is as critical as an inline one). Keyed by its
 * address: its parent's resource_key names the parent's own drift.
 */
export function splitChildItem(v: ChildVerdict, parent: TypeMapping, found: DiscoveredResource): DriftItem {
  const { instance } = v.child;
  const changes = v.change ? [v.change] : [];
  return {
    kind: v.kind,
    address: instance.address,
    state_source: instance.source,
    tf_type: instance.tfType,
    cloud_type: parent.cloudType,
    provider: parent.provider,
    account: found.account,
    region: found.region,
    id: String(instance.attributes.id ?? instance.address),
    ...(instance.tainted ? { tainted: true } : {}),
    changes,
    ...assessRisk({ kind: v.kind, tfType: parent.tfType, values: changes }),
    cost: null,
  };
}

/** A Terraform-safe resource name from the cloud name or id. */
export function codifyName(r: DiscoveredResource): string {
  const base = (r.name ?? r.id.slice(r.id.lastIndexOf('/') + 1))
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '_')
    .replace(/^[^a-z_]+/, '');
  return base === '' ? 'imported' : base;
}

export function unmanagedItem(mapping: TypeMapping, r: DiscoveredResource): DriftItem {
  const values = allValues(mapping, 'cloud', r.attributes);
  const cost = monthlyCost(mapping.tfType, valueReader(mapping, 'cloud', r.attributes));
  return {
    kind: 'unmanaged',
    address: `${mapping.tfType}.${codifyName(r)}`,
    tf_type: mapping.tfType,
    cloud_type: r.type,
    provider: r.provider,
    account: r.account,
    region: r.region,
    id: r.id,
    resource_key: resourceKey(r),
    changes: [],
    ...assessRisk({ kind: 'unmanaged', tfType: mapping.tfType, values }),
    cost: cost ? costImpact(cost.usd, cost.basis) : null,
  };
}
