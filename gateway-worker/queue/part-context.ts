import type { DiscoveredResource } from '../../contract/resource.js';
import { type AnalysisContext, MAPPINGS, OutsideParentFinder, parentRefs } from '../../engine/index.js';
import type { AccountContext } from '../../orchestrator-do/analysis-parts.js';
import type { SlotRange, Store } from '../../storage/store.js';

/**
 * What one data part of an account's analysis needs of the others: the account's context from
 * its plan, and which parents of its resources that other parts hold are discovered and
 * managed. Those parents are read by their slots only, a page at a time, keeping a verdict each.
 */
export async function partContext(
  store: Store,
  tenant: string,
  jobId: string,
  account: string,
  slots: SlotRange,
  inventory: readonly DiscoveredResource[],
  accountContext: AccountContext,
): Promise<AnalysisContext> {
  const wanted = parentRefs(inventory).filter((ref) => ref.slot < slots.from || ref.slot > slots.to);
  const finder = new OutsideParentFinder(new Set(wanted.map((ref) => ref.key)));
  if (wanted.length > 0) {
    const parentSlots = { in: [...new Set(wanted.map((ref) => ref.slot))] };
    const types = [...new Set(wanted.map((ref) => ref.cloudType))];
    const tfTypes = new Set(MAPPINGS.filter((m) => types.includes(m.cloudType)).map((m) => m.tfType));
    await store.scanInventory(jobId, account, { slots: parentSlots, types }, (page) => {
      for (const r of page) finder.addResource(r);
    });
    await store.scanActiveInstances({ tenant, tfTypes, account, slots: parentSlots }, (page) => {
      for (const { instance } of page) finder.addInstance(instance);
    });
  }
  return {
    defaultVpcIds: new Set(accountContext.default_vpc_ids),
    providerScopes: accountContext.provider_scopes,
    parents: finder.parents(),
  };
}
