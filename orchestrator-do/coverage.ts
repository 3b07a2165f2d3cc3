import type { WorkItem } from '../contract/agent-protocol.js';
import type { ShardStatus } from '../contract/api.js';
import type { Provider } from '../contract/resource.js';
import { ACCOUNT_WIDE_REGION } from '../contract/resource-types.js';
import type { CoverageScope } from '../engine/index.js';

export interface ShardOutcome {
  account: string;
  work: WorkItem[];
  status: ShardStatus;
}

/**
 * The scopes a job's discovery fully covered. A (type, region) listing counts only when no
 * shard holding it failed or was cancelled — a split shard's continuation included — so a
 * failed listing never turns its resources into false "missing" drift. Account-wide listings
 * cover the job's regions and global resources, as the agents filter them.
 */
export function coveredScopes(
  provider: Provider,
  jobRegions: readonly string[],
  shards: readonly ShardOutcome[],
): CoverageScope[] {
  const listings = (s: ShardOutcome) => s.work.map((w) => `${s.account}|${w.type}|${w.region}`);
  const lost = new Set(shards.filter((s) => s.status !== 'succeeded').flatMap(listings));
  const covered = new Map<string, CoverageScope>();
  for (const listing of new Set(shards.filter((s) => s.status === 'succeeded').flatMap(listings))) {
    if (lost.has(listing)) continue;
    const [account, type, region] = listing.split('|') as [string, string, string];
    const scope = covered.get(`${account}|${type}`) ?? { provider, account, type, regions: [] };
    scope.regions.push(...(region === ACCOUNT_WIDE_REGION ? [...jobRegions, 'global'] : [region]));
    covered.set(`${account}|${type}`, scope);
  }
  return [...covered.values()];
}
