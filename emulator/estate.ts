import type { DiscoveredResource, Provider } from '../contract/resource.js';
import { resourceTypesOf } from '../contract/resource-types.js';
import { generateAwsEstate } from './aws/estate.js';
import { generateAzureEstate } from './azure/estate.js';
import { generateExistenceEstate } from './existence-estate.js';
import { generateGcpEstate } from './gcp/estate.js';
import { INVENTORY_ESTATES } from './inventory-estate.js';
import { digits, forkRng, hex, uuid } from './rng.js';
import type { CloudEstateGenerator, Rng } from './types.js';

/** The whole emulated estate: every resource the agents should discover, and where it lives. */
export interface Estate {
  seed: number;
  accounts: Record<Provider, string[]>;
  regions: Record<Provider, string[]>;
  resources: DiscoveredResource[];
}

export interface EstateRequest {
  seed: number;
  /** About how many resources in total; each cloud gets its share, never below its minimum. */
  resources: number;
  /** One cloud alone, with all of `resources`; the others get no accounts and no resources. */
  only?: Provider;
  /** With `only`: that cloud's number of accounts and its regions, each instead of its usual ones. */
  layout?: { accounts?: number; regions?: string[] };
}

interface CloudPlan {
  /** Fraction of the requested total this cloud gets. */
  share: number;
  regions: string[];
  /** Account, subscription or project ids, drawn from the cloud's own fork of the seed. */
  accounts: (rng: Rng) => string[];
  generate: CloudEstateGenerator;
}

const CLOUD_PLANS: Record<Provider, CloudPlan> = {
  aws: {
    share: 0.5,
    regions: ['us-east-1', 'eu-west-1'],
    accounts: (rng) => [digits(rng, 12), digits(rng, 12)],
    generate: generateAwsEstate,
  },
  azure: {
    share: 0.25,
    regions: ['eastus', 'westeurope'],
    accounts: (rng) => [uuid(rng)],
    generate: generateAzureEstate,
  },
  gcp: {
    share: 0.25,
    regions: ['us-central1', 'europe-west1'],
    accounts: (rng) => [`driftmgr-${hex(rng, 8)}`],
    generate: generateGcpEstate,
  },
};

const PROVIDERS = Object.keys(CLOUD_PLANS) as Provider[];

/** Enough resources that every attribute-level type can appear in every account and region of the cloud. */
function minimumCount(provider: Provider, accounts: number, regions: number): number {
  const attributeLevel = resourceTypesOf(provider).filter((t) => t.level === 'attributes').length;
  return attributeLevel * accounts * regions;
}

/** `count` account ids: the plan's own first, then more drawn from the same fork of the seed. */
function accountIds(plan: CloudPlan, rng: Rng, count: number | undefined): string[] {
  const ids = plan.accounts(rng);
  while (count !== undefined && ids.length < count) ids.push(...plan.accounts(rng));
  return count === undefined ? ids : ids.slice(0, count);
}

/** Builds the estate for a seed and size; the same seed and size always give the same estate. */
export function generateEstate(req: EstateRequest): Estate {
  if (!Number.isInteger(req.seed)) throw new Error(`seed must be an integer, got ${req.seed}`);
  if (!Number.isInteger(req.resources) || req.resources < 1) {
    throw new Error(`resources must be a positive integer, got ${req.resources}`);
  }
  const estate: Estate = {
    seed: req.seed,
    accounts: { aws: [], azure: [], gcp: [] },
    regions: { aws: [], azure: [], gcp: [] },
    resources: [],
  };
  for (const provider of req.only ? [req.only] : PROVIDERS) {
    const plan = CLOUD_PLANS[provider];
    const layout = req.only ? req.layout : undefined;
    const accounts = accountIds(plan, forkRng(req.seed, `${provider}/accounts`), layout?.accounts);
    const regions = layout?.regions ?? plan.regions;
    const share = req.only ? 1 : plan.share;
    const count = Math.max(minimumCount(provider, accounts.length, regions.length), Math.round(req.resources * share));
    const resources = plan.generate({
      rng: forkRng(req.seed, `${provider}/estate`),
      count,
      accounts,
      regions: [...regions],
    });
    // Existence-level types come on top: one of each, from a fork of their own so adding a
    // type never reshuffles the attribute-level estate.
    const existence = generateExistenceEstate(provider, {
      rng: forkRng(req.seed, `${provider}/existence`),
      count: 0,
      accounts,
      regions: [...regions],
    });
    estate.accounts[provider] = accounts;
    estate.regions[provider] = [...regions];
    // Attribute-level types listed through the cloud's inventory, from a fork of their own too.
    const inventoried =
      INVENTORY_ESTATES[provider]?.({
        rng: forkRng(req.seed, `${provider}/inventory`),
        count,
        accounts,
        regions: [...estate.regions[provider]],
      }) ?? [];
    for (const resource of [...resources, ...existence, ...inventoried]) estate.resources.push(resource);
  }
  return estate;
}

/** How many resources of each type, keys sorted so the summary prints the same every time. */
export function countByType(resources: readonly DiscoveredResource[]): Record<string, number> {
  const counts = new Map<string, number>();
  for (const r of resources) counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
  return Object.fromEntries([...counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
