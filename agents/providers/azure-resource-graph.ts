import type { ResourceGraphClient } from '@azure/arm-resourcegraph';
import type { TokenCredential } from '@azure/identity';
import { isGlobalType } from '../../contract/existence/index.js';
import { resourceLimitViolation } from '../../contract/limits.js';
import type { DiscoveredResource } from '../../contract/resource.js';
import { resourceTypesOf } from '../../contract/resource-types.js';

/**
 * Azure discovery through Resource Graph: one query of the `Resources` table (and role
 * assignments from `AuthorizationResources`) per subscription, paged with `$skipToken`, every type at once. Rows of types DriftMgr does
 * not map, or lists through ARM's own list operations, are dropped here.
 */

export const RESOURCE_GRAPH_ACTION = 'ResourceGraph.resources';

/**
 * Resource Graph's per-user quota: 15 queries every 5 seconds (x-ms-user-quota-remaining),
 * whatever the subscription, so the agent spends it as a bucket of 15 refilled at 3/s.
 */
export const RESOURCE_GRAPH_LIMIT = { capacity: 15, refillPerSecond: 3 };

/** The quota is the caller's, not a subscription's: one bucket for every query. */
export const RESOURCE_GRAPH_QUOTA_SCOPE = 'tenant';

/** The most rows a page may hold. */
const PAGE_SIZE = 1000;

/**
 * The same query text on every page (a `$skipToken` belongs to its query): identity, place
 * and tags of every resource, and its property document and managed identity, which the
 * attribute-level types among them are diffed on (contract/inventory-attribute-types.ts).
 * Role assignments are not in the `Resources` table but in `AuthorizationResources`: one
 * union keeps them in the same paged query.
 */
export const INVENTORY_QUERY =
  "Resources | union (AuthorizationResources | where type =~ 'microsoft.authorization/roleassignments') | project id, name, type, kind, location, resourceGroup, subscriptionId, tags, sku, zones, managedBy, identity, properties";

/** Resource Graph reports types in lower case; the catalog's spelling of each existence-level type. */
const EXISTENCE_TYPES = new Map(
  resourceTypesOf('azure')
    .filter((t) => t.inventory === 'resource-graph')
    .map((t) => [t.type.toLowerCase(), t.type]),
);

export async function createResourceGraphClient(
  credential: TokenCredential,
  endpoint: string,
): Promise<ResourceGraphClient> {
  const { ResourceGraphClient } = await import('@azure/arm-resourcegraph');
  return new ResourceGraphClient(credential, { endpoint, retryOptions: { maxRetries: 0 } });
}

export interface GraphPage {
  rows: Record<string, unknown>[];
  skipToken?: string;
}

export async function queryPage(
  client: ResourceGraphClient,
  subscription: string,
  skipToken: string | undefined,
  signal: AbortSignal,
): Promise<GraphPage> {
  const res = await client.resources(
    {
      subscriptions: [subscription],
      query: INVENTORY_QUERY,
      options: { top: PAGE_SIZE, skipToken, resultFormat: 'objectArray' },
    },
    { abortSignal: signal },
  );
  const rows = Array.isArray(res.data) ? (res.data as Record<string, unknown>[]) : [];
  return { rows, skipToken: res.skipToken || undefined };
}

function stringMap(value: unknown): Record<string, string> {
  if (typeof value !== 'object' || value === null) return {};
  return Object.fromEntries(Object.entries(value).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

/**
 * A row as a discovered resource of one of `wanted` (catalog spellings), or undefined for rows
 * of other types. Global types are filed under `global` whatever location a row names.
 */
export function graphResource(
  row: Record<string, unknown>,
  account: string,
  wanted: ReadonlySet<string>,
): DiscoveredResource | undefined {
  const type = EXISTENCE_TYPES.get(String(row.type).toLowerCase());
  if (!type || !wanted.has(type) || typeof row.id !== 'string') return undefined;
  const location = typeof row.location === 'string' && row.location !== '' ? row.location : 'global';
  const resource: DiscoveredResource = {
    provider: 'azure',
    account,
    region: isGlobalType('azure', type) ? 'global' : location,
    type,
    id: row.id,
    ...(typeof row.name === 'string' ? { name: row.name } : {}),
    attributes: row,
    tags: stringMap(row.tags),
  };
  return resourceLimitViolation(resource) ? { ...resource, attributes: {}, tags: {} } : resource;
}
