import { regionOfZone } from '../contract/regions.js';
import type { Provider } from '../contract/resource.js';
import { ACCOUNT_WIDE_REGION } from '../contract/resource-types.js';

/** What one discovery fully covered: a provider account's type in these regions (`*`: all). */
export interface CoverageScope {
  provider: Provider;
  account: string;
  type: string;
  regions: string[];
}

export type CoverageCheck = (
  provider: Provider,
  cloudType: string,
  account: string | undefined,
  region: string | undefined,
) => boolean;

/**
 * Whether discovery covered where a state resource lives. A resource is only "missing" when it
 * is: a region whose listing failed must never turn its resources into false deletions.
 * Without scopes the inventory is taken as complete; an unknown account or region is not covered.
 */
export function coverageCheck(scopes: readonly CoverageScope[] | undefined): CoverageCheck {
  if (!scopes) return () => true;
  const index = new Map<string, Set<string>>();
  for (const s of scopes) {
    const k = `${s.provider}|${s.type}|${s.account.toLowerCase()}`;
    const regions = index.get(k) ?? new Set<string>();
    for (const r of s.regions) regions.add(r);
    index.set(k, regions);
  }
  return (provider, cloudType, account, region) => {
    if (!account) return false;
    const regions = index.get(`${provider}|${cloudType}|${account.toLowerCase()}`);
    if (!regions) return false;
    // A zonal resource is covered where its region was listed.
    return (
      regions.has(ACCOUNT_WIDE_REGION) ||
      (region !== undefined && (regions.has(region) || regions.has(regionOfZone(region))))
    );
  };
}
