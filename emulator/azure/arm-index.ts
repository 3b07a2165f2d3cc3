import type { DiscoveredResource } from '../../contract/resource.js';

/**
 * The estate indexed the way ARM addresses it. ARM paths are case-insensitive, so keys are
 * lower-cased paths: a resource by its id, and each list ("collection") by the path that
 * lists it — its parent id plus the type segment, and for top-level resource types also the
 * subscription-wide `/subscriptions/{id}/providers/{namespace}/{type}`.
 */
export class ArmIndex {
  private readonly byId = new Map<string, DiscoveredResource>();
  private readonly collections = new Map<string, DiscoveredResource[]>();
  private readonly subscriptions = new Set<string>();

  constructor(resources: readonly DiscoveredResource[]) {
    for (const r of resources) {
      const id = r.id.toLowerCase();
      this.byId.set(id, r);
      this.subscriptions.add(r.account.toLowerCase());
      for (const key of collectionKeys(id)) {
        let members = this.collections.get(key);
        if (!members) this.collections.set(key, (members = []));
        members.push(r);
      }
    }
  }

  hasSubscription(subscription: string): boolean {
    return this.subscriptions.has(subscription.toLowerCase());
  }

  resource(id: string): DiscoveredResource | undefined {
    return this.byId.get(id.toLowerCase());
  }

  /** The members of a collection path; empty when nothing of that type exists there. */
  collection(path: string): readonly DiscoveredResource[] {
    return this.collections.get(path.toLowerCase()) ?? [];
  }
}

const RESOURCE_IN_GROUP = /^(\/subscriptions\/[^/]+)\/resourcegroups\/[^/]+\/providers\/([^/]+\/[^/]+)\/[^/]+$/;

function collectionKeys(lowerId: string): string[] {
  const keys = [lowerId.slice(0, lowerId.lastIndexOf('/'))];
  const topLevel = RESOURCE_IN_GROUP.exec(lowerId);
  if (topLevel) keys.push(`${topLevel[1]}/providers/${topLevel[2]}`);
  return keys;
}
