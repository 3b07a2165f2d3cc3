import type { WorkItem } from '../contract/agent-protocol.js';
import type { DiscoveryRequest } from '../contract/api.js';
import {
  ACCOUNT_WIDE_REGION,
  type ListingScope,
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
 * Listings one shard holds under the `resource-type` strategy, for types listed one walk each
 * (attribute-level APIs, Cloud Control): a shard costs the control plane about the same however
 * little it lists (a lease, its chunks, a completion), so small listings share shards, while a
 * region still has several for agents to take at once. A shard that reaches shard_size hands
 * its untouched listings back as a shard of their own (job-coordinator.ts), so a large type
 * never holds up the rest of its shard.
 */
export const LISTINGS_PER_SHARD = 25;

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
 * A Resource Graph query or Cloud Asset stream lists every type of a subscription or project at
 * once: one shard. Listings walked one by one share shards of up to LISTINGS_PER_SHARD per region
 * (account-wide ones apart), dealt out in turn so neighbouring types of the catalog (the large
 * EC2 ones) land in different shards.
 */
function byResourceType(listings: Listing[]): WorkItem[][] {
  const groups = Map.groupBy(
    listings,
    ({ item, info }) => `${listedTogether(info) ? info.inventory : ''}|${info.listing}|${item.region}`,
  );
  return [...groups.values()].flatMap((group) =>
    listedTogether(group[0]!.info) ? [items(group)] : dealOut(items(group)),
  );
}

/** Deals items out in turn to as few shards as hold them at LISTINGS_PER_SHARD each. */
function dealOut(work: WorkItem[]): WorkItem[][] {
  const shards: WorkItem[][] = Array.from({ length: Math.ceil(work.length / LISTINGS_PER_SHARD) }, () => []);
  for (const [i, item] of work.entries()) shards[i % shards.length]!.push(item);
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
  const perListing = (scope: ListingScope) => (scope === 'regional' ? regions : 1);
  const together = new Map<string, ListingScope>();
  const walked: Record<ListingScope, number> = { regional: 0, account: 0 };
  for (const t of types) {
    if (listedTogether(t)) together.set(`${t.inventory}|${t.listing}`, t.listing);
    else walked[t.listing]++;
  }
  const batches = (scope: ListingScope) => Math.ceil(walked[scope] / LISTINGS_PER_SHARD) * perListing(scope);
  return (
    [...together.values()].reduce((sum, scope) => sum + perListing(scope), 0) + batches('regional') + batches('account')
  );
}

/**
 * The shards a split shard's remaining work becomes: the listing it stopped in (resumed from its
 * cursor) and the listings it never began, apart, so another agent takes those up at once.
 */
export function continuationsOf(remaining: WorkItem[]): WorkItem[][] {
  const resumed = remaining.filter((w) => w.cursor !== undefined);
  const untouched = remaining.filter((w) => w.cursor === undefined);
  return [resumed, untouched].filter((work) => work.length > 0);
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
