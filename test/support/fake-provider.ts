import { setTimeout as sleep } from 'node:timers/promises';
import type { DiscoveryProvider, ListContext, ResourcePage } from '../../agents/providers/types.js';
import { BucketPool } from '../../agents/resilience.js';
import type { DiscoveredResource, Provider } from '../../contract/resource.js';

/** One listing call the fake provider received. */
export interface ListCall {
  type: string;
  region: string;
  cursor?: string;
}

export type Listing = (type: string, ctx: ListContext, cursor?: string) => AsyncIterable<ResourcePage>;

/** A DiscoveryProvider whose pages come from a test's listing function; records each call. */
export class FakeProvider implements DiscoveryProvider {
  readonly buckets = new BucketPool(() => ({ capacity: 1000, refillPerSecond: 1000 }));
  readonly calls: ListCall[] = [];

  constructor(
    private readonly listing: Listing,
    readonly name: Provider = 'aws',
  ) {}

  list(type: string, ctx: ListContext, cursor?: string): AsyncIterable<ResourcePage> {
    this.calls.push({ type, region: ctx.region, cursor });
    return this.listing(type, ctx, cursor);
  }
}

export function fakeResource(type: string, region: string, index: number, padding = 0): DiscoveredResource {
  const id = `${type.split('::').pop()?.toLowerCase()}-${index.toString(16).padStart(8, '0')}`;
  return {
    provider: 'aws',
    account: '123456789012',
    region,
    type,
    id,
    name: `r${index}`,
    attributes: { Id: id, Index: index, ...(padding > 0 ? { Padding: 'x'.repeat(padding) } : {}) },
    tags: { Name: `r${index}` },
  };
}

export interface PagedListingOptions {
  /** Resources per type. */
  total: number | ((type: string) => number);
  pageSize: number;
  delayMs?: number;
  padding?: number;
  /** Called before each page is produced, e.g. to measure what is in flight. */
  beforePage?: (type: string, offset: number) => void;
}

/** A listing of `total` resources per type in pages, where the cursor is the next offset. */
export function pagedListing(opts: PagedListingOptions): Listing {
  return async function* (type, ctx, cursor) {
    const total = typeof opts.total === 'number' ? opts.total : opts.total(type);
    for (let offset = cursor ? Number(cursor) : 0; offset < total; offset += opts.pageSize) {
      if (opts.delayMs) await sleep(opts.delayMs, undefined, { signal: ctx.signal });
      opts.beforePage?.(type, offset);
      const end = Math.min(total, offset + opts.pageSize);
      const resources: DiscoveredResource[] = [];
      for (let i = offset; i < end; i++) resources.push(fakeResource(type, ctx.region, i, opts.padding));
      yield end < total ? { resources, cursor: String(end) } : { resources };
    }
  };
}
