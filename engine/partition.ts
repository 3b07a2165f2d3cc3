import { type DiscoveredResource, resourceKey } from '../contract/resource.js';
import { collectManaged, type ManagedInstance, type ProviderScopes } from './managed.js';
import { normaliseId, stateIdOf, stateScopeOf } from './mappings/identity.js';
import { mappingForTfType, mappingsForCloudType } from './mappings/index.js';
import { IMPLICIT_CHILD_RULES, implicitChildRules, parentIdsOf } from './noise/implicit-children.js';
import { splitChildOf } from './split/children.js';
import { iamTargetOf } from './split/iam-parts.js';
import { providerIdentityAccount } from './state/provider-identity.js';
import type { ParsedState, StateInstance } from './state/types.js';
import { isEmpty } from './util/json.js';

/**
 * The cloud account of every instance of a state, in instance order (lower case; null when it
 * cannot be told). Resources never depend on one another across accounts, so an analysis can be
 * split by account and each part needs only its account's instances (plus the unknown ones).
 */
export function instanceAccounts(state: ParsedState): (string | null)[] {
  const managed = collectManaged([state]);
  const byInstance = new Map<StateInstance, ManagedInstance>(managed.instances.map((m) => [m.instance, m]));
  return state.instances.map((instance) => {
    const m = byInstance.get(instance);
    if (m) return managed.scopeOf(m).account?.toLowerCase() ?? null;
    // A separate rule or route lives where its parent does: read as the parent, placed by its provider when it has no ARN or ARM id.
    const child = splitChildOf(instance);
    const parentMapping = child && mappingForTfType(child.family.parentTfType);
    if (child && parentMapping) {
      const asParent = { instance, mapping: parentMapping, normalisedId: child.parent.normalisedId, id: '' };
      return managed.scopeOf(asParent).account?.toLowerCase() ?? null;
    }
    // A part of an IAM policy lives where the policy's holder does.
    const iam = iamTargetOf(instance);
    const iamMapping = iam && mappingForTfType(instance.tfType);
    if (iam && iamMapping) {
      const asPolicy = { instance, mapping: iamMapping, normalisedId: iam.targetId, id: iam.targetId };
      return managed.scopeOf(asPolicy).account?.toLowerCase() ?? null;
    }
    // Deposed objects, duplicates and provider identities are not in the managed list; their own attributes decide.
    return ownAccount(instance);
  });
}

/** The account an instance's own attributes name (lower case), a provider identity's included; null when they name none. */
export function ownAccount(instance: StateInstance): string | null {
  const mapping = mappingForTfType(instance.tfType);
  const account = mapping ? stateScopeOf(mapping, instance.attributes).account : providerIdentityAccount(instance);
  return account?.toLowerCase() ?? null;
}

/*
 * An account too big for one analysis is analysed in parts, each a range of slots. A slot is a
 * hash of what matching compares, so whatever a verdict needs lands in the verdict's part: a
 * cloud resource with every state instance that may match it, duplicates and deposed objects
 * of it included; an ARM resource with the resources nested under its id (a subnet's region is
 * its network's); a parent with its separate rules and routes (split/families.ts). What crosses
 * parts is handed in as an AnalysisContext: default VPCs, the provider scopes tallied over
 * every instance, and the parents of implicit children.
 */

/** Slots run from 0 to SLOT_COUNT - 1: 31 bits, so SQLite and Postgres integers hold them unsigned. */
export const SLOT_COUNT = 2 ** 31;

/** The key the engine matches on: cloud type and normalised id. */
export const matchKeyOf = (cloudType: string, normalisedId: string) => `${cloudType}|${normalisedId}`;

/** FNV-1a over the string's UTF-16 code units, folded to 31 bits. */
function hash31(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 1;
}

/** An ARM id cut to the top-level resource: /subscriptions/s/resourcegroups/g/providers/ns/type/name. */
function armRoot(id: string): string {
  const segments = id.split('/');
  return segments.length > 9 ? segments.slice(0, 9).join('/') : id;
}

/** The slot of a match key (ARM ids are normalised to lower case, so `/subscriptions/` tells them). */
export function slotOf(cloudType: string, normalisedId: string): number {
  return hash31(
    normalisedId.startsWith('/subscriptions/') ? armRoot(normalisedId) : matchKeyOf(cloudType, normalisedId),
  );
}

/** A discovered resource's match key, or undefined for a type no mapping covers. */
function resourceMatchKey(r: DiscoveredResource): { cloudType: string; normalisedId: string } | undefined {
  const kind = mappingsForCloudType(r.provider, r.type)[0]?.id.kind;
  return kind ? { cloudType: r.type, normalisedId: normaliseId(kind, r.id) } : undefined;
}

/** A state instance's match key, or undefined when its type has no mapping or it has no id. */
function instanceMatchKey(instance: StateInstance): { cloudType: string; normalisedId: string } | undefined {
  const mapping = mappingForTfType(instance.tfType);
  const id = mapping && stateIdOf(mapping, instance.attributes);
  return mapping && id ? { cloudType: mapping.cloudType, normalisedId: normaliseId(mapping.id.kind, id) } : undefined;
}

export function resourceSlot(r: DiscoveredResource): number {
  const key = resourceMatchKey(r);
  // A type nothing maps is only counted: any fixed slot will do.
  return key ? slotOf(key.cloudType, key.normalisedId) : hash31(`${r.type}|${r.id}`);
}

/** A part of an IAM policy is compared in its policy's part. */
function iamPolicyKey(instance: StateInstance): { cloudType: string; normalisedId: string } | undefined {
  const iam = iamTargetOf(instance);
  return iam && { cloudType: iam.family.cloudType, normalisedId: iam.targetId };
}

/** A split family's child (split/families.ts) takes its parent's slot: it is compared in its parent's part. */
export function instanceSlot(instance: StateInstance): number {
  const key = splitChildOf(instance)?.parent ?? iamPolicyKey(instance) ?? instanceMatchKey(instance);
  return key ? slotOf(key.cloudType, key.normalisedId) : hash31(`${instance.tfType}|${instance.address}`);
}

/** A parent in another part, discovered and in a state: which attributes child rules ask of it its state defines (none when only deposed). */
export interface OutsideParent {
  stateHas: string[];
}

/** What verdicts in one part of an analysis depend on in the others. */
export interface AnalysisContext {
  /** The default VPCs of the whole inventory (resources inside them may be defaults too). */
  defaultVpcIds: ReadonlySet<string>;
  /** Tallied over every instance of the analysis (ProviderScopeTally). */
  providerScopes: ProviderScopes;
  /** Parents in other parts of this part's resources, by match key (OutsideParentFinder). */
  parents: ReadonlyMap<string, OutsideParent>;
}

/** A parent an implicit-child rule names for a resource. */
export interface ParentRef {
  cloudType: string;
  key: string;
  slot: number;
}

/** The parents the resources may have been created with (engine/noise/implicit-children.ts), each once. */
export function parentRefs(inventory: Iterable<DiscoveredResource>): ParentRef[] {
  const refs = new Map<string, ParentRef>();
  for (const r of inventory) {
    for (const rule of implicitChildRules(r.type)) {
      const kind = mappingsForCloudType(r.provider, rule.parentType)[0]?.id.kind;
      if (!kind) continue;
      for (const pid of parentIdsOf(rule, r)) {
        const normalisedId = normaliseId(kind, pid);
        const key = matchKeyOf(rule.parentType, normalisedId);
        if (!refs.has(key))
          refs.set(key, { cloudType: rule.parentType, key, slot: slotOf(rule.parentType, normalisedId) });
      }
    }
  }
  return [...refs.values()];
}

/** Cloud types an implicit-child rule names as parents: a part may look them up in the others. */
export const PARENT_TYPES: readonly string[] = [...new Set(IMPLICIT_CHILD_RULES.map((r) => r.parentType))];

/** Attributes some child rule needs a parent's state to define. */
const PARENT_STATE_ATTRIBUTES = [...new Set(IMPLICIT_CHILD_RULES.flatMap((r) => r.parentStateHas ?? []))];

/**
 * Finds which wanted parents are discovered and managed, from the inventory and the states'
 * instances of the parts that hold them, fed a page at a time. Instances must come in state
 * order: as in matching, the first live instance of a resource manages it (later ones are
 * duplicates), and a deposed object stands in until one comes.
 */
export class OutsideParentFinder {
  private readonly discovered = new Set<string>();
  private readonly managed = new Map<string, OutsideParent & { live: boolean }>();

  constructor(private readonly wanted: ReadonlySet<string>) {}

  addResource(r: DiscoveredResource): void {
    const k = resourceMatchKey(r);
    const key = k && matchKeyOf(k.cloudType, k.normalisedId);
    if (key && this.wanted.has(key)) this.discovered.add(key);
  }

  addInstance(instance: StateInstance): void {
    const k = instanceMatchKey(instance);
    const key = k && matchKeyOf(k.cloudType, k.normalisedId);
    if (!key || !this.wanted.has(key)) return;
    const known = this.managed.get(key);
    if (instance.deposed) {
      if (!known) this.managed.set(key, { live: false, stateHas: [] });
    } else if (!known?.live) {
      const stateHas = PARENT_STATE_ATTRIBUTES.filter((a) => !isEmpty(instance.attributes[a]));
      this.managed.set(key, { live: true, stateHas });
    }
  }

  parents(): Map<string, OutsideParent> {
    const found = new Map<string, OutsideParent>();
    for (const [key, m] of this.managed) if (this.discovered.has(key)) found.set(key, { stateHas: m.stateHas });
    return found;
  }
}

/** The keys incremental mode looks earlier fingerprints up by, for these states and inventory. */
export function fingerprintKeys(states: readonly ParsedState[], inventory: Iterable<DiscoveredResource>): string[] {
  const keys = new Set<string>();
  for (const state of states) {
    for (const instance of state.instances) {
      const k = instance.deposed ? undefined : instanceMatchKey(instance);
      if (k) keys.add(matchKeyOf(k.cloudType, k.normalisedId));
    }
  }
  for (const r of inventory) keys.add(resourceKey(r));
  return [...keys];
}
