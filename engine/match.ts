import type { DiscoveredResource, Provider } from '../contract/resource.js';
import { normaliseId } from './mappings/identity.js';
import { mappingsForCloudType } from './mappings/index.js';
import type { IdKind } from './mappings/types.js';

/**
 * Hash index of discovered resources on (cloud type, normalised id): every state instance is
 * matched with Map lookups, never by scanning the inventory. One inner map per cloud type keeps
 * keys short (no concatenated strings to build and hash per lookup).
 */
export class InventoryIndex {
  private readonly byType = new Map<string, Map<string, DiscoveredResource>>();
  /** Every indexed resource once, in inventory order. */
  readonly resources: DiscoveredResource[] = [];
  /** Discovered resources of types no mapping covers, by type. */
  readonly unsupported: Record<string, number> = {};

  constructor(inventory: readonly DiscoveredResource[]) {
    const kinds = new Map<string, IdKind | undefined>();
    for (const r of inventory) {
      let kind = kinds.get(r.type);
      if (kind === undefined && !kinds.has(r.type)) kinds.set(r.type, (kind = idKindOf(r.provider, r.type)));
      if (!kind) {
        this.unsupported[r.type] = (this.unsupported[r.type] ?? 0) + 1;
        continue;
      }
      let ids = this.byType.get(r.type);
      if (!ids) this.byType.set(r.type, (ids = new Map()));
      const id = normaliseId(kind, r.id);
      if (ids.has(id)) continue;
      ids.set(id, r);
      this.resources.push(r);
    }
  }

  /** The resource of this cloud type with this already-normalised id. */
  get(cloudType: string, normalisedId: string): DiscoveredResource | undefined {
    return this.byType.get(cloudType)?.get(normalisedId);
  }

  get size(): number {
    return this.resources.length;
  }
}

function idKindOf(provider: Provider, cloudType: string): IdKind | undefined {
  return mappingsForCloudType(provider, cloudType)[0]?.id.kind;
}
