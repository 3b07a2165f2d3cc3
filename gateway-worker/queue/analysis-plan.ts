import type { Provider } from '../../contract/resource.js';
import {
  defaultVpcIds,
  instanceSlot,
  MAPPINGS,
  ProviderScopeTally,
  providerIdentityTfTypes,
  SLOT_COUNT,
  splitChildTfTypes,
  VPC_TYPE,
} from '../../engine/index.js';
import type { AnalysisPlan } from '../../orchestrator-do/analysis-parts.js';
import type { SlotRange, Store } from '../../storage/store.js';

/**
 * Most resources plus state instances one data part of an account's analysis holds (give or
 * take what shares its bucket of slots), so that whatever the account's size no consumer run
 * holds more (see `npm run bench`); the wrangler var ANALYSIS_PART_LIMIT sets it.
 */
export const DEFAULT_PART_LIMIT = 25_000;

/** Instances the plan reads a page: it keeps none of them, so it reads large pages and makes few statements. */
const PLAN_PAGE = 5000;

/** Parts are cut between buckets of 2^19 slots: 4,096 of them, so an account is cut finely enough up to ~100M resources. */
export const BUCKET_SHIFT = 19;
const BUCKETS = SLOT_COUNT / 2 ** BUCKET_SHIFT;

/**
 * The Terraform types a provider's analysis reads: those it compares, separate rules and routes
 * with their parents, and the data sources that place a provider configuration in its account.
 */
export function providerTfTypes(provider: Provider): Set<string> {
  return new Set([
    ...MAPPINGS.filter((m) => m.provider === provider).map((m) => m.tfType),
    ...splitChildTfTypes(provider),
    ...providerIdentityTfTypes(provider),
  ]);
}

/**
 * Plans the analysis of one account: reads its state instances once, a page at a time, for
 * the provider scopes every part needs and the instances per bucket of slots; counts its
 * sightings per bucket in one query; finds its default VPCs; and cuts the slots into ranges of
 * at most `limit` resources and instances. Holds one page and the counts, never the account.
 */
export async function planAccount(
  store: Store,
  jobId: string,
  tenant: string,
  provider: Provider,
  account: string,
  limit: number,
): Promise<AnalysisPlan> {
  const tally = new ProviderScopeTally();
  const perBucket = new Float64Array(BUCKETS);
  await store.scanActiveInstances(
    { tenant, tfTypes: providerTfTypes(provider), account },
    (page) => {
      for (const { instance } of page) {
        tally.add(instance);
        perBucket[instanceSlot(instance) >> BUCKET_SHIFT]!++;
      }
    },
    PLAN_PAGE,
  );
  for (const { bucket, n } of await store.sightingsPerBucket(jobId, account, BUCKET_SHIFT)) {
    // Sightings written before slots are read by every part and kept by one: spread evenly.
    if (bucket === null) for (let b = 0; b < BUCKETS; b++) perBucket[b]! += n / BUCKETS;
    else perBucket[bucket]! += n;
  }
  const vpcs = await store.loadInventory(jobId, account, { types: [VPC_TYPE] });
  return {
    ranges: cutRanges(perBucket, limit),
    context: { default_vpc_ids: [...defaultVpcIds(vpcs)], provider_scopes: tally.scopes() },
  };
}

/**
 * Consecutive ranges of slots covering them all, each holding at most `limit` of the counts
 * per bucket unless one bucket alone holds more. Every slot is covered: a row whose slot is
 * only known once read (written before slots) always has a part to land in.
 */
export function cutRanges(perBucket: ArrayLike<number>, limit: number): SlotRange[] {
  const width = SLOT_COUNT / perBucket.length;
  const ranges: SlotRange[] = [];
  let from = 0;
  let held = 0;
  for (let b = 0; b < perBucket.length; b++) {
    const n = perBucket[b]!;
    if (held > 0 && held + n > limit) {
      ranges.push({ from: from * width, to: b * width - 1 });
      from = b;
      held = 0;
    }
    held += n;
  }
  ranges.push({ from: from * width, to: SLOT_COUNT - 1 });
  return ranges;
}
