import { normaliseId, stateIdOf, stateScopeOf } from './mappings/identity.js';
import { mappingForTfType } from './mappings/index.js';
import type { TypeMapping } from './mappings/types.js';
import type { InventoryIndex } from './match.js';
import type { ParsedState, StateInstance } from './state/types.js';
import type { DuplicateFinding } from './types.js';

/** A state instance the engine can compare: its mapping, match key and scope. */
export interface ManagedInstance {
  instance: StateInstance;
  mapping: TypeMapping;
  /** The id as the hash index keys it (normalised per the mapping's id rule). */
  normalisedId: string;
  id: string;
}

export interface StateScope {
  account?: string;
  region?: string;
}

export interface ManagedSet {
  instances: ManagedInstance[];
  /** Deposed objects: real in the cloud until destroyed, so not unmanaged. */
  deposedObjects: { cloudType: string; normalisedId: string }[];
  duplicates: DuplicateFinding[];
  unsupported: Record<string, number>;
  stateResources: number;
  tainted: number;
  deposed: number;
  dataSourcesSkipped: number;
  /** Account and region of an instance; computed on demand (only resources not found need them). */
  scopeOf(m: ManagedInstance): StateScope;
}

/** The ARM resource an ARM child belongs to: a subnet `<network id>/subnets/x` of type `…/virtualNetworks/subnets` → the network. */
function armParent(m: ManagedInstance): { cloudType: string; normalisedId: string } {
  return {
    cloudType: m.mapping.cloudType.split('/').slice(0, -1).join('/'),
    normalisedId: m.normalisedId.split('/').slice(0, -2).join('/'),
  };
}

/**
 * A provider configuration (one alias) talks to one account and region, so instances whose
 * own attributes carry no ARN or zone inherit them from their siblings under the same provider.
 * An ARM child resource (a subnet) has no location of its own: it lives in its parent's, as
 * discovery files it — the parent as discovered, else as its state says.
 */
function scopeResolver(
  instances: readonly ManagedInstance[],
  discovered?: InventoryIndex,
): (m: ManagedInstance) => StateScope {
  const own = new Map<ManagedInstance, StateScope>();
  const ownScope = (m: ManagedInstance) => {
    let s = own.get(m);
    if (!s) own.set(m, (s = stateScopeOf(m.mapping, m.instance.attributes)));
    return s;
  };
  const providerKey = (m: ManagedInstance) => `${m.instance.source}|${m.instance.provider}`;
  let consensus: Map<string, StateScope> | undefined;
  const providerScope = (key: string): StateScope => {
    if (!consensus) {
      const seen = new Map<string, { accounts: Set<string>; regions: Set<string> }>();
      for (const m of instances) {
        const s = ownScope(m);
        const k = providerKey(m);
        const entry = seen.get(k) ?? { accounts: new Set<string>(), regions: new Set<string>() };
        if (s.account) entry.accounts.add(s.account);
        if (s.region && m.mapping.provider === 'aws') entry.regions.add(s.region);
        seen.set(k, entry);
      }
      consensus = new Map(
        [...seen].map(([k, e]) => [
          k,
          {
            account: e.accounts.size === 1 ? [...e.accounts][0] : undefined,
            region: e.regions.size === 1 ? [...e.regions][0] : undefined,
          },
        ]),
      );
    }
    return consensus.get(key) ?? {};
  };
  let armById: Map<string, ManagedInstance> | undefined;
  const armParentRegion = (m: ManagedInstance): string | undefined => {
    const parent = armParent(m);
    const found = discovered?.get(parent.cloudType, parent.normalisedId);
    if (found) return found.region;
    armById ??= new Map(instances.filter((i) => i.mapping.id.kind === 'azure').map((i) => [i.normalisedId, i]));
    const managed = armById.get(parent.normalisedId);
    // The parent's id is shorter, so following parents always ends.
    return managed && scopeOf(managed).region;
  };
  const scopeOf = (m: ManagedInstance): StateScope => {
    const s = ownScope(m);
    const region = s.region ?? (m.mapping.id.kind === 'azure' ? armParentRegion(m) : undefined);
    if (s.account && (region || m.mapping.provider !== 'aws')) return { account: s.account, region };
    const inherited = providerScope(providerKey(m));
    return {
      account: s.account ?? inherited.account,
      region: region ?? (m.mapping.provider === 'aws' ? inherited.region : undefined),
    };
  };
  return scopeOf;
}

/**
 * Every comparable instance of every state, each resource once; the rest counted by reason.
 * `discovered` places ARM children (subnets) where discovery filed their parent.
 */
export function collectManaged(states: readonly ParsedState[], discovered?: InventoryIndex): ManagedSet {
  const instances: ManagedInstance[] = [];
  const set: ManagedSet = {
    instances,
    deposedObjects: [],
    duplicates: [],
    unsupported: {},
    stateResources: 0,
    tainted: 0,
    deposed: 0,
    dataSourcesSkipped: 0,
    scopeOf: scopeResolver(instances, discovered),
  };
  const firstByType = new Map<string, Map<string, ManagedInstance>>();
  const duplicateOf = new Map<ManagedInstance, DuplicateFinding>();
  for (const state of states) {
    set.dataSourcesSkipped += state.dataSourcesSkipped;
    for (const instance of state.instances) {
      set.stateResources++;
      const mapping = mappingForTfType(instance.tfType);
      const id = mapping && stateIdOf(mapping, instance.attributes);
      if (!mapping || !id) {
        set.unsupported[instance.tfType] = (set.unsupported[instance.tfType] ?? 0) + 1;
        continue;
      }
      const normalisedId = normaliseId(mapping.id.kind, id);
      if (instance.deposed) {
        set.deposed++;
        set.deposedObjects.push({ cloudType: mapping.cloudType, normalisedId });
        continue;
      }
      let firstById = firstByType.get(mapping.cloudType);
      if (!firstById) firstByType.set(mapping.cloudType, (firstById = new Map()));
      const first = firstById.get(normalisedId);
      if (first) {
        let dup = duplicateOf.get(first);
        if (!dup) {
          dup = {
            tf_type: mapping.tfType,
            id,
            addresses: [{ source: first.instance.source, address: first.instance.address }],
          };
          duplicateOf.set(first, dup);
          set.duplicates.push(dup);
        }
        dup.addresses.push({ source: instance.source, address: instance.address });
        continue;
      }
      if (instance.tainted) set.tainted++;
      const managed: ManagedInstance = { instance, mapping, normalisedId, id };
      firstById.set(normalisedId, managed);
      instances.push(managed);
    }
  }
  return set;
}
