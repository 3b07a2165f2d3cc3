import type { WorkItem } from '../contract/agent-protocol.js';
import type { DiscoveryRequest } from '../contract/api.js';
import {
  ACCOUNT_WIDE_REGION,
  listedTogether,
  type ResourceTypeInfo,
  resourceTypeInfo,
} from '../contract/resource-types.js';

/** A shard before it has an id: whose account it lists and what. */
export interface ShardSeed {
  account: string;
  work: WorkItem[];
}

type Strategy = DiscoveryRequest['sharding']['type'];

/**
 * Cloud Control types one shard lists in one region under the `resource-type` strategy: each
 * is its own ListResources walk, so a batch keeps shards few without making one agent walk
 * every type of a region alone.
 */
export const CLOUD_CONTROL_TYPES_PER_SHARD = 25;

/** One (type, region) listing and the catalog entry of its type. */
interface Listing {
  item: WorkItem;
  info: ResourceTypeInfo;
}

/** Every (type, region) listing a job needs in one account: regional types per region, others once. */
function listingsFor(types: ResourceTypeInfo[], regions: string[]): Listing[] {
  return types.flatMap((info) =>
    info.listing === 'regional'
      ? regions.map((region) => ({ item: { type: info.type, region }, info }))
      : [{ item: { type: info.type, region: ACCOUNT_WIDE_REGION }, info }],
  );
}

/**
 * One shard per attribute-level listing; existence-level types by inventory: a Resource Graph
 * query or Cloud Asset stream lists every type of a subscription or project at once (one
 * shard), Cloud Control one type per walk (batches of CLOUD_CONTROL_TYPES_PER_SHARD per region).
 */
function byResourceType(listings: Listing[]): WorkItem[][] {
  const shards: WorkItem[][] = [];
  const open = new Map<string, WorkItem[]>();
  for (const { item, info } of listings) {
    if (!info.inventory) {
      shards.push([item]);
      continue;
    }
    const key = `${info.inventory}|${info.listing}|${item.region}`;
    let batch = open.get(key);
    if (!batch || (!listedTogether(info) && batch.length >= CLOUD_CONTROL_TYPES_PER_SHARD)) {
      open.set(key, (batch = []));
      shards.push(batch);
    }
    batch.push(item);
  }
  return shards;
}

/** How each strategy groups one account's listings into shards. */
const groupings: Record<Strategy, (listings: Listing[]) => WorkItem[][]> = {
  // One shard per region (account-wide listings share one more shard).
  region: (listings) => [...Map.groupBy(listings, (l) => l.item.region).values()].map(items),
  'resource-type': byResourceType,
  // One shard per account.
  account: (listings) => [items(listings)],
};

const items = (listings: Listing[]) => listings.map((l) => l.item);

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
    'resource-type': () => resourceTypeShards(spec.types, spec.regions.length),
    account: () => 1,
  };
  return spec.accounts.length * perAccount[spec.strategy]();
}

/** Shards of one account under the `resource-type` strategy, as byResourceType groups them. */
function resourceTypeShards(types: readonly ResourceTypeInfo[], regions: number): number {
  const perListing = (t: ResourceTypeInfo) => (t.listing === 'regional' ? regions : 1);
  const inventories = new Map<string, { info: ResourceTypeInfo; count: number }>();
  let shards = 0;
  for (const t of types) {
    if (!t.inventory) {
      shards += perListing(t);
      continue;
    }
    const key = `${t.inventory}|${t.listing}`;
    const entry = inventories.get(key) ?? { info: t, count: 0 };
    entry.count++;
    inventories.set(key, entry);
  }
  for (const { info, count } of inventories.values()) {
    const batches = listedTogether(info) ? 1 : Math.ceil(count / CLOUD_CONTROL_TYPES_PER_SHARD);
    shards += batches * perListing(info);
  }
  return shards;
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
