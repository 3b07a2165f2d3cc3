import { normaliseId, stateIdOf, stateScopeOf } from './mappings/identity.js';
import { mappingForTfType } from './mappings/index.js';
import type { TypeMapping } from './mappings/types.js';
import type { InventoryIndex } from './match.js';
import { type SplitChild, splitChildOf } from './split/children.js';
import { type IamPiece, iamPieceOf, iamTargetOf } from './split/iam-parts.js';
import { providerIdentityAccount } from './state/provider-identity.js';
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
  /** Separate resources that are part of a parent (split/families.ts): compared with it, never alone. */
  splitChildren: SplitChild[];
  /** Parts of GCP IAM policies (split/iam-policy.ts): compared with the policy they declare, never alone. */
  iamPieces: IamPiece[];
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

/** The account and region each provider configuration talks to, by {@link providerKey}, where its instances agree. */
export type ProviderScopes = Readonly<Record<string, StateScope>>;

/** A provider configuration of one state: `<state source>|<provider address>`. */
export const providerKey = (instance: StateInstance) => `${instance.source}|${instance.provider}`;

/**
 * A provider configuration (one alias) talks to one account and region, so instances whose
 * own attributes carry no ARN or zone inherit them from their siblings under the same provider,
 * or the account from the identity data source the state read through it (provider-identity.ts).
 * The tally takes every instance the engine can key, deposed objects and duplicates too: then
 * it comes out the same whichever parts of an analysis, in whatever order, were added to it.
 */
export class ProviderScopeTally {
  private readonly seen = new Map<string, { accounts: Set<string>; regions: Set<string> }>();

  add(instance: StateInstance): void {
    const identity = providerIdentityAccount(instance);
    if (identity) {
      this.entry(instance).accounts.add(identity);
      return;
    }
    const mapping = mappingForTfType(instance.tfType);
    if (!mapping || !stateIdOf(mapping, instance.attributes)) return;
    const s = stateScopeOf(mapping, instance.attributes);
    const entry = this.entry(instance);
    if (s.account) entry.accounts.add(s.account);
    if (s.region && mapping.provider === 'aws') entry.regions.add(s.region);
  }

  private entry(instance: StateInstance): { accounts: Set<string>; regions: Set<string> } {
    const k = providerKey(instance);
    let entry = this.seen.get(k);
    if (!entry) this.seen.set(k, (entry = { accounts: new Set(), regions: new Set() }));
    return entry;
  }

  scopes(): ProviderScopes {
    const one = (values: Set<string>) => (values.size === 1 ? [...values][0] : undefined);
    const scopes: Record<string, StateScope> = {};
    for (const [k, e] of this.seen) {
      const account = one(e.accounts);
      const region = one(e.regions);
      scopes[k] = { ...(account ? { account } : {}), ...(region ? { region } : {}) };
    }
    return scopes;
  }
}

/**
 * Scope of an instance: its own, else its provider configuration's. An ARM child resource (a
 * subnet) has no location of its own: it lives in its parent's, as discovery files it — the
 * parent as discovered, else as its state says.
 */
function scopeResolver(
  instances: readonly ManagedInstance[],
  providerScopes: () => ProviderScopes,
  discovered?: InventoryIndex,
): (m: ManagedInstance) => StateScope {
  const own = new Map<ManagedInstance, StateScope>();
  const ownScope = (m: ManagedInstance) => {
    let s = own.get(m);
    if (!s) own.set(m, (s = stateScopeOf(m.mapping, m.instance.attributes)));
    return s;
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
    const inherited = providerScopes()[providerKey(m.instance)] ?? {};
    return {
      account: s.account ?? inherited.account,
      region: region ?? (m.mapping.provider === 'aws' ? inherited.region : undefined),
    };
  };
  return scopeOf;
}

/** The provider scopes of these states' instances, tallied on first use (only resources not found need them). */
function lazyProviderScopes(states: readonly ParsedState[]): () => ProviderScopes {
  let scopes: ProviderScopes | undefined;
  return () => {
    if (!scopes) {
      const tally = new ProviderScopeTally();
      for (const state of states) for (const instance of state.instances) tally.add(instance);
      scopes = tally.scopes();
    }
    return scopes;
  };
}

/**
 * Every comparable instance of every state, each resource once; the rest counted by reason.
 * `discovered` places ARM children (subnets) where discovery filed their parent; `providerScopes`,
 * when the states are one part of an analysis, are those tallied over all of it.
 */
export function collectManaged(
  states: readonly ParsedState[],
  discovered?: InventoryIndex,
  providerScopes?: ProviderScopes,
): ManagedSet {
  const instances: ManagedInstance[] = [];
  const set: ManagedSet = {
    instances,
    deposedObjects: [],
    duplicates: [],
    splitChildren: [],
    iamPieces: [],
    unsupported: {},
    stateResources: 0,
    tainted: 0,
    deposed: 0,
    dataSourcesSkipped: 0,
    scopeOf: scopeResolver(instances, providerScopes ? () => providerScopes : lazyProviderScopes(states), discovered),
  };
  const firstByType = new Map<string, Map<string, ManagedInstance>>();
  const duplicateOf = new Map<ManagedInstance, DuplicateFinding>();
  for (const state of states) {
    set.dataSourcesSkipped += state.dataSourcesSkipped;
    for (const instance of state.instances) {
      // A provider identity only places its siblings (ProviderScopeTally): the reader counted it as a data source.
      if (providerIdentityAccount(instance)) continue;
      set.stateResources++;
      const child = splitChildOf(instance);
      if (child) {
        if (instance.deposed) set.deposed++;
        else set.splitChildren.push(child);
        continue;
      }
      const piece = iamTargetOf(instance) && iamPieceOf(instance);
      if (piece) {
        if (instance.deposed) set.deposed++;
        else set.iamPieces.push(piece);
        continue;
      }
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
