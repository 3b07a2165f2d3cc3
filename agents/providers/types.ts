import type { DiscoveredResource, Provider } from '../../contract/resource.js';
import type { BucketPool } from '../resilience.js';

/** What a provider needs to list one resource type in one account and region. */
export interface ListContext {
  account: string;
  /** A cloud region, or `*` for account-wide listings (see contract/resource-types.ts). */
  region: string;
  /** For account-wide listings: keep only resources in these regions (and region `global`). */
  regions: string[];
  signal: AbortSignal;
}

/** One page of results; `cursor` resumes the listing right after this page. */
export interface ResourcePage {
  resources: DiscoveredResource[];
  cursor?: string;
}

/**
 * A cloud provider's discovery: lists one resource type page by page, with the largest
 * page size the API allows, through the official SDK client. Pages are yielded as they
 * arrive so a large listing is never held in memory.
 */
export interface DiscoveryProvider {
  readonly name: Provider;
  /** Token buckets for this cloud's published API limits. */
  readonly buckets: BucketPool;
  list(type: string, ctx: ListContext, cursor?: string): AsyncIterable<ResourcePage>;
  /**
   * Lists several existence-level types with one paged call (a Resource Graph query, a Cloud
   * Asset stream): pages hold resources of any of `types`, and a cursor resumes the whole call.
   * Present where the cloud's inventory lists its types together (contract `listedTogether`).
   */
  listTogether?(types: readonly string[], ctx: ListContext, cursor?: string): AsyncIterable<ResourcePage>;
}
