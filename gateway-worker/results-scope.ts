import type { WorkItem } from '../contract/agent-protocol.js';
import { regionOfZone } from '../contract/regions.js';
import type { DiscoveredResource } from '../contract/resource.js';
import { ACCOUNT_WIDE_REGION } from '../contract/resource-types.js';
import type { ChunkScope } from '../orchestrator-do/job-coordinator.js';

/** GCP multi- and dual-region locations (`US`, `EU`, `ASIA`, `NAM4`, `EUR4`): no region's, any job's. */
const MULTI_REGION = /^[A-Z]+\d*$/;

/**
 * Whether an account-wide listing may return a resource in `location`: one of the job's
 * regions, a zone of one, or a location that is not a region (`global`, multi-regions).
 */
function inJobRegions(location: string, regions: readonly string[]): boolean {
  return (
    location === 'global' ||
    MULTI_REGION.test(location) ||
    regions.includes(location) ||
    regions.includes(regionOfZone(location))
  );
}

/** Whether a work item of the shard lists this resource: its type, in its region. */
function listedBy(item: WorkItem, r: DiscoveredResource, regions: readonly string[]): boolean {
  if (item.type !== r.type) return false;
  return item.region === ACCOUNT_WIDE_REGION ? inJobRegions(r.region, regions) : item.region === r.region;
}

/**
 * Why a resource does not belong to the shard it was sent under, or null when it does: another
 * provider or account, a type the shard does not list, or a region outside its work.
 */
export function outsideShard(r: DiscoveredResource, shard: ChunkScope): string | null {
  if (r.provider !== shard.provider || r.account !== shard.account) {
    return `not ${shard.provider} account ${shard.account}`;
  }
  if (!shard.work.some((w) => w.type === r.type)) return `type ${r.type} is not listed by this shard`;
  if (!shard.work.some((w) => listedBy(w, r, shard.regions)))
    return `region ${r.region} is outside this shard's ${r.type} work`;
  return null;
}

/** What a shard covers, for messages: `AWS::EC2::Instance in us-east-1, …`. */
export function shardWorkText(shard: ChunkScope): string {
  return shard.work
    .map((w) => `${w.type} in ${w.region === ACCOUNT_WIDE_REGION ? shard.regions.join('/') : w.region}`)
    .join(', ');
}
