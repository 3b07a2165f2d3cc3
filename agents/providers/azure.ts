import { AsyncLocalStorage } from 'node:async_hooks';
import { ComputeManagementClient } from '@azure/arm-compute';
import { NetworkManagementClient } from '@azure/arm-network';
import type { ResourceGraphClient } from '@azure/arm-resourcegraph';
import { ResourceManagementClient } from '@azure/arm-resources';
import { StorageManagementClient } from '@azure/arm-storage';
import { DefaultAzureCredential, type TokenCredential } from '@azure/identity';
import type { DiscoveredResource } from '../../contract/resource.js';
import { resourceTypeInfo } from '../../contract/resource-types.js';
import { metrics } from '../metrics.js';
import { BucketPool, type ErrorClass, parseRetryAfter, withRetry } from '../resilience.js';
import {
  createResourceGraphClient,
  graphResource,
  queryPage,
  RESOURCE_GRAPH_ACTION,
  RESOURCE_GRAPH_LIMIT,
  RESOURCE_GRAPH_QUOTA_SCOPE,
} from './azure-resource-graph.js';
import type { DiscoveryProvider, ListContext, ResourcePage } from './types.js';

type ArmJson = Record<string, unknown>;

/** What every SDK list operation returns: pages resumable from a nextLink continuation token. */
interface Pager {
  byPage(settings?: { continuationToken?: string }): AsyncIterableIterator<unknown[]>;
}

interface ArmClients {
  compute: ComputeManagementClient;
  network: NetworkManagementClient;
  storage: StorageManagementClient;
  resources: ResourceManagementClient;
}

interface ArmListing {
  /** The SDK operation, for metrics. */
  action: string;
  list: (clients: ArmClients, signal: AbortSignal) => Pager;
}

const opts = (signal: AbortSignal) => ({ abortSignal: signal });

/** Subscription-wide list operations, one per type (subnets come inside their virtual networks). */
const LISTINGS: Record<string, ArmListing> = {
  'Microsoft.Compute/virtualMachines': {
    action: 'virtualMachines.listAll',
    list: (c, s) => c.compute.virtualMachines.listAll(opts(s)),
  },
  'Microsoft.Compute/disks': { action: 'disks.list', list: (c, s) => c.compute.disks.list(opts(s)) },
  'Microsoft.Network/virtualNetworks': {
    action: 'virtualNetworks.listAll',
    list: (c, s) => c.network.virtualNetworks.listAll(opts(s)),
  },
  'Microsoft.Network/networkSecurityGroups': {
    action: 'networkSecurityGroups.listAll',
    list: (c, s) => c.network.networkSecurityGroups.listAll(opts(s)),
  },
  'Microsoft.Network/publicIPAddresses': {
    action: 'publicIPAddresses.listAll',
    list: (c, s) => c.network.publicIPAddresses.listAll(opts(s)),
  },
  'Microsoft.Storage/storageAccounts': {
    action: 'storageAccounts.list',
    list: (c, s) => c.storage.storageAccounts.list(opts(s)),
  },
  'Microsoft.Resources/resourceGroups': {
    action: 'resourceGroups.list',
    list: (c, s) => c.resources.resourceGroups.list(opts(s)),
  },
};

const SUBNET_TYPE = 'Microsoft.Network/virtualNetworks/subnets';
const VNET_LISTING = LISTINGS['Microsoft.Network/virtualNetworks'] as ArmListing;

/**
 * ARM counts all reads of a subscription against one token bucket of 250, refilled at 25/s
 * (Azure Resource Manager throttling docs), whatever the resource type — so every call
 * spends from the same bucket rather than one per operation.
 */
const ARM_READ_LIMIT = { capacity: 250, refillPerSecond: 25 };
const ARM_READS = 'Microsoft.Resources/subscriptions/read';

/** Each API's request budget: ARM reads share one per subscription, Resource Graph has its own. */
const API_LIMITS: Record<string, { capacity: number; refillPerSecond: number }> = {
  [ARM_READS]: ARM_READ_LIMIT,
  [RESOURCE_GRAPH_ACTION]: RESOURCE_GRAPH_LIMIT,
};

const DEFAULT_ARM_ENDPOINT = 'https://management.azure.com';

/**
 * The raw JSON of the page a call received. The SDK deserialises pages into its own models
 * (renamed fields, Dates, unknown fields dropped); the attribute contract wants ARM's wire
 * JSON, so a pipeline policy hands the response text to the call that is waiting for it.
 * AsyncLocalStorage keeps concurrent listings on one client apart.
 */
const rawPageSink = new AsyncLocalStorage<{ body?: string }>();

type PipelinePolicy = Parameters<ComputeManagementClient['pipeline']['addPolicy']>[0];

const captureRawPage: PipelinePolicy = {
  name: 'driftmgrCaptureRawPage',
  async sendRequest(request, next) {
    const response = await next(request);
    const sink = rawPageSink.getStore();
    if (sink) sink.body = response.bodyAsText ?? undefined;
    return response;
  },
};

interface ArmPage {
  value: ArmJson[];
  nextLink?: string;
}

/** Fetches the one page at `link` (the first page when undefined) as ARM sent it. */
async function fetchRawPage(pager: Pager, link: string | undefined): Promise<ArmPage> {
  const sink: { body?: string } = {};
  await rawPageSink.run(sink, async () => {
    const pages = pager.byPage({ continuationToken: link });
    await pages.next();
    await pages.return?.();
  });
  if (sink.body === undefined) throw new Error('azure provider: the list response carried no body');
  const body = JSON.parse(sink.body) as { value?: ArmJson[]; nextLink?: string | null };
  return { value: body.value ?? [], nextLink: body.nextLink || undefined };
}

interface AzureSdkError {
  name?: string;
  code?: string;
  statusCode?: number;
  response?: { headers?: { get(name: string): string | undefined } };
}

/** Credential failures and aborts will not change on retry; throttles, 5xx and lost connections may. */
const PERMANENT_ERROR_NAMES = new Set([
  'AbortError',
  'AuthenticationError',
  'CredentialUnavailableError',
  'AggregateAuthenticationError',
]);

export function classifyAzureError(err: unknown): ErrorClass {
  const e = (err ?? {}) as AzureSdkError;
  if (e.name && PERMANENT_ERROR_NAMES.has(e.name)) return { kind: 'permanent' };
  const retryAfterMs = parseRetryAfter(e.response?.headers?.get('retry-after'));
  if (e.statusCode === 429) return { kind: 'throttle', retryAfterMs };
  // No status: the request never got an answer (reset, refused, timeout).
  if (e.statusCode === undefined || e.statusCode >= 500) return { kind: 'transient', retryAfterMs };
  return { kind: 'permanent' };
}

function toResource(type: string, ctx: ListContext, json: ArmJson, region: string): DiscoveredResource {
  return {
    provider: 'azure',
    account: ctx.account,
    region,
    type,
    id: String(json.id),
    ...(typeof json.name === 'string' ? { name: json.name } : {}),
    attributes: json,
    tags: (json.tags as Record<string, string> | undefined) ?? {},
  };
}

function subnetsOf(vnet: ArmJson): ArmJson[] {
  const properties = vnet.properties as { subnets?: ArmJson[] } | undefined;
  return properties?.subnets ?? [];
}

function inRegions(ctx: ListContext, location: unknown): boolean {
  return ctx.regions.length === 0 || location === 'global' || ctx.regions.includes(String(location));
}

/**
 * Discovers Azure resources with the official ARM clients, subscription-wide. Credentials
 * come from DefaultAzureCredential, the ARM endpoint from AZURE_RESOURCE_MANAGER_ENDPOINT;
 * the SDK's own retries are off so every retry is ours and counted.
 */
export function createAzureProvider(): DiscoveryProvider {
  const buckets = new BucketPool((action) => API_LIMITS[action] ?? ARM_READ_LIMIT);
  const endpoint = process.env.AZURE_RESOURCE_MANAGER_ENDPOINT || DEFAULT_ARM_ENDPOINT;
  let credential: TokenCredential | undefined;
  const clients = new Map<string, ArmClients>();
  let graph: Promise<ResourceGraphClient> | undefined;

  function clientsFor(subscription: string): ArmClients {
    let c = clients.get(subscription);
    if (!c) {
      credential ??= new DefaultAzureCredential();
      const options = { endpoint, retryOptions: { maxRetries: 0 } };
      c = {
        compute: new ComputeManagementClient(credential, subscription, options),
        network: new NetworkManagementClient(credential, subscription, options),
        storage: new StorageManagementClient(credential, subscription, options),
        resources: new ResourceManagementClient(credential, subscription, options),
      };
      for (const client of Object.values(c)) client.pipeline.addPolicy(captureRawPage);
      clients.set(subscription, c);
    }
    return c;
  }

  /** One API call: a token from the subscription's read bucket, then the page, retried on throttles and 5xx. */
  function call(action: string, ctx: ListContext, pager: () => Pager, link: string | undefined): Promise<ArmPage> {
    const labels = { provider: 'azure', action };
    return withRetry(
      async () => {
        await buckets.get(ctx.account, ctx.region, ARM_READS).take(ctx.signal);
        metrics.apiCalls.inc(labels);
        const page = await fetchRawPage(pager(), link);
        metrics.pages.inc(labels);
        return page;
      },
      {
        classify: (err) => {
          const cls = classifyAzureError(err);
          if (cls.kind === 'throttle') metrics.throttles.inc(labels);
          return cls;
        },
        signal: ctx.signal,
        onRetry: () => metrics.retries.inc(labels),
      },
    );
  }

  function page(
    type: string,
    ctx: ListContext,
    items: ArmJson[],
    cursor: string | undefined,
    region?: string,
  ): ResourcePage {
    const resources = items
      .filter((json) => inRegions(ctx, region ?? json.location))
      .map((json) => toResource(type, ctx, json, region ?? String(json.location)));
    metrics.resources.inc({ provider: 'azure', type }, resources.length);
    return { resources, cursor };
  }

  async function* listSubscriptionWide(
    type: string,
    listing: ArmListing,
    ctx: ListContext,
    cursor?: string,
  ): AsyncGenerator<ResourcePage> {
    const c = clientsFor(ctx.account);
    let link = cursor;
    do {
      const result = await call(listing.action, ctx, () => listing.list(c, ctx.signal), link);
      link = result.nextLink;
      yield page(type, ctx, result.value, link);
    } while (link);
  }

  /**
   * ARM has no subscription-wide subnet list, but every virtual network in the network list
   * carries its subnets in full (`properties.subnets`), so one walk of the network pages
   * lists them all instead of one call per network. Subnets take their network's location.
   */
  async function* listSubnets(ctx: ListContext, cursor?: string): AsyncGenerator<ResourcePage> {
    const c = clientsFor(ctx.account);
    let link = cursor;
    do {
      const vnets = await call(VNET_LISTING.action, ctx, () => VNET_LISTING.list(c, ctx.signal), link);
      link = vnets.nextLink;
      const subnets = vnets.value
        .filter((vnet) => inRegions(ctx, vnet.location))
        .flatMap((vnet) =>
          subnetsOf(vnet).map((subnet) => toResource(SUBNET_TYPE, ctx, subnet, String(vnet.location))),
        );
      metrics.resources.inc({ provider: 'azure', type: SUBNET_TYPE }, subnets.length);
      yield { resources: subnets, cursor: link };
    } while (link);
  }

  /**
   * Existence-level types through one Resource Graph query of the subscription, paged; rows
   * of other types and outside the listing's regions are dropped.
   */
  async function* listTogether(
    types: readonly string[],
    ctx: ListContext,
    cursor?: string,
  ): AsyncGenerator<ResourcePage> {
    credential ??= new DefaultAzureCredential();
    const client = await (graph ??= createResourceGraphClient(credential, endpoint));
    const wanted = new Set(types);
    const labels = { provider: 'azure', action: RESOURCE_GRAPH_ACTION };
    let skipToken = cursor;
    do {
      const result = await withRetry(
        async () => {
          await buckets.get(RESOURCE_GRAPH_QUOTA_SCOPE, '*', RESOURCE_GRAPH_ACTION).take(ctx.signal);
          metrics.apiCalls.inc(labels);
          return queryPage(client, ctx.account, skipToken, ctx.signal);
        },
        {
          classify: (err) => {
            const cls = classifyAzureError(err);
            if (cls.kind === 'throttle') metrics.throttles.inc(labels);
            return cls;
          },
          signal: ctx.signal,
          onRetry: () => metrics.retries.inc(labels),
        },
      );
      metrics.pages.inc(labels);
      skipToken = result.skipToken;
      const resources = result.rows.flatMap((row) => {
        const r = graphResource(row, ctx.account, wanted);
        return r && inRegions(ctx, r.region) ? [r] : [];
      });
      for (const r of resources) metrics.resources.inc({ provider: 'azure', type: r.type });
      yield { resources, cursor: skipToken };
    } while (skipToken);
  }

  async function* list(type: string, ctx: ListContext, cursor?: string): AsyncGenerator<ResourcePage> {
    if (resourceTypeInfo('azure', type)?.inventory) {
      yield* listTogether([type], ctx, cursor);
      return;
    }
    if (type === SUBNET_TYPE) {
      yield* listSubnets(ctx, cursor);
      return;
    }
    const listing = LISTINGS[type];
    if (!listing) throw Object.assign(new Error(`azure provider: unknown resource type ${type}`), { retryable: false });
    yield* listSubscriptionWide(type, listing, ctx, cursor);
  }

  return { name: 'azure', buckets, list, listTogether };
}
