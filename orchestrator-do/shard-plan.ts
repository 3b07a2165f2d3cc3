import type { WorkItem } from '../contract/agent-protocol.js';
import type { DiscoveryRequest } from '../contract/api.js';
import { ACCOUNT_WIDE_REGION, type ResourceTypeInfo, resourceTypeInfo } from '../contract/resource-types.js';

/** A shard before it has an id: whose account it lists and what. */
export interface ShardSeed {
  account: string;
  work: WorkItem[];
}

type Strategy = DiscoveryRequest['sharding']['type'];

/** Every (type, region) listing a job needs in one account: regional types per region, others once. */
function listingsFor(types: ResourceTypeInfo[], regions: string[]): WorkItem[] {
  return types.flatMap((t) =>
    t.listing === 'regional'
      ? regions.map((region) => ({ type: t.type, region }))
      : [{ type: t.type, region: ACCOUNT_WIDE_REGION }],
  );
}

/** How each strategy groups one account's listings into shards. */
const groupings: Record<Strategy, (items: WorkItem[]) => WorkItem[][]> = {
  // One shard per region (account-wide listings share one more shard).
  region: (items) => [...Map.groupBy(items, (i) => i.region).values()],
  // One shard per listing: a type in a region.
  'resource-type': (items) => items.map((i) => [i]),
  // One shard per account.
  account: (items) => [items],
};

/** What a job's shards are planned from. */
export interface PlanSpec {
  accounts: string[];
  regions: string[];
  types: ResourceTypeInfo[];
  strategy: Strategy;
}

/** Splits a discovery job into shards by its sharding strategy. */
export function planShards(spec: PlanSpec): ShardSeed[] {
  return spec.accounts.flatMap((account) =>
    groupings[spec.strategy](listingsFor(spec.types, spec.regions)).map((work) => ({ account, work })),
  );
}

/**
 * How many shards `planShards` makes of the same spec, worked out without planning any, so a
 * request too big to plan is refused at the cost of counting its accounts, regions and types.
 */
export function countShards(spec: PlanSpec): number {
  const regional = spec.types.filter((t) => t.listing === 'regional').length;
  const accountWide = spec.types.length - regional;
  const perAccount: Record<Strategy, () => number> = {
    // Account-wide listings share one more group, unless a requested region has the same name.
    region: () =>
      new Set([...(regional > 0 ? spec.regions : []), ...(accountWide > 0 ? [ACCOUNT_WIDE_REGION] : [])]).size,
    'resource-type': () => regional * spec.regions.length + accountWide,
    account: () => 1,
  };
  return spec.accounts.length * perAccount[spec.strategy]();
}

/** The region a shard shows: the one its items share, or `*`. */
export function shardRegion(work: WorkItem[]): string {
  const regions = new Set(work.map((w) => w.region));
  return regions.size === 1 ? [...regions][0]! : ACCOUNT_WIDE_REGION;
}

/** Resolves requested type names against the catalog; returns the unknown ones too. */
export function resolveTypes(
  provider: DiscoveryRequest['provider'],
  names: string[],
): { types: ResourceTypeInfo[]; unknown: string[] } {
  const types: ResourceTypeInfo[] = [];
  const unknown: string[] = [];
  for (const name of names) {
    const info = resourceTypeInfo(provider, name);
    if (info) types.push(info);
    else unknown.push(name);
  }
  return { types, unknown };
}
