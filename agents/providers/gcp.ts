import { AssetServiceClient, type protos } from '@google-cloud/asset';
import { GoogleAuth } from 'google-auth-library';
import { iamPolicyAssetType, iamPolicyId } from '../../contract/gcp-iam-types.js';
import { regionOfZone } from '../../contract/regions.js';
import type { DiscoveredResource } from '../../contract/resource.js';
import { ACCOUNT_WIDE_REGION, resourceTypesOf } from '../../contract/resource-types.js';
import { metrics } from '../metrics.js';
import { BucketPool, type ErrorClass, parseRetryAfter, type RetryOptions, withRetry } from '../resilience.js';
import type { DiscoveryProvider, ListContext, ResourcePage } from './types.js';

/**
 * GCP discovery through Cloud Asset Inventory: one ListAssets listing per project and type
 * (`contentType: RESOURCE`), whose `resource.data` is the Compute / Storage API object; IAM
 * policy types with `contentType: IAM_POLICY` (contract/gcp-iam-types.ts).
 *
 * Settings are the standard ones: Application Default Credentials (GOOGLE_APPLICATION_CREDENTIALS,
 * gcloud's ADC file, or the metadata server), and gcloud's endpoint override variable
 * CLOUDSDK_API_ENDPOINT_OVERRIDES_CLOUDASSET (e.g. `http://127.0.0.1:4566/`) for a private
 * or emulated endpoint. The client speaks REST (`fallback: true`), so no gRPC channel is needed.
 */

export const ENDPOINT_OVERRIDE_ENV = 'CLOUDSDK_API_ENDPOINT_OVERRIDES_CLOUDASSET';
const CLOUD_PLATFORM_SCOPE = 'https://www.googleapis.com/auth/cloud-platform';
const LIST_ASSETS = 'ListAssets';
/** ListAssets allows at most 1,000 assets a page. */
const PAGE_SIZE = 1000;
/** Cloud Asset quotas are per project, whichever region a shard covers. */
const QUOTA_REGION = 'global';

interface Limit {
  capacity: number;
  refillPerSecond: number;
}

/** Published Cloud Asset quotas, per project and method. */
const PUBLISHED_LIMITS: Record<string, Limit> = {
  [LIST_ASSETS]: { capacity: 100, refillPerSecond: 100 / 60 },
};

/** Only our withRetry retries: the generated client's default retries ListAssets on UNAVAILABLE. */
const NO_SDK_RETRIES = {
  interfaces: {
    'google.cloud.asset.v1.AssetService': { methods: { ListAssets: { retry_codes_name: 'non_idempotent' } } },
  },
};

/** gRPC status codes (on a GoogleError, which gax raises for errors it decodes itself) and what a retry can do about each. */
const GRPC_CODE_CLASS: Record<number, ErrorClass['kind']> = {
  2: 'transient', // UNKNOWN
  4: 'transient', // DEADLINE_EXCEEDED
  8: 'throttle', // RESOURCE_EXHAUSTED
  10: 'transient', // ABORTED
  13: 'transient', // INTERNAL
  14: 'transient', // UNAVAILABLE
};

/** Socket-level failures: the request may not have reached Google at all, so it is safe to resend. */
const NETWORK_ERROR_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
]);

const GCP_TYPES = new Set(resourceTypesOf('gcp').map((t) => t.type));
/** Types listed from the unfiltered stream: Cloud Asset's whole inventory of a project. */
const EXISTENCE_TYPES = new Set(
  resourceTypesOf('gcp')
    .filter((t) => t.inventory === 'cloud-asset')
    .map((t) => t.type),
);

export interface GcpProviderOptions {
  /** Overrides of the published quotas (tests pace against a faster emulator). */
  limits?: Partial<Record<string, Limit>>;
  retry?: Pick<RetryOptions, 'maxAttempts' | 'baseDelayMs' | 'maxDelayMs'>;
  env?: NodeJS.ProcessEnv;
}

type ClientOptions = NonNullable<ConstructorParameters<typeof AssetServiceClient>[0]>;
type Asset = protos.google.cloud.asset.v1.IAsset;

/** A request a retry cannot fix, marked for the shard runner (agents/provider-errors.ts). */
class PermanentListingError extends Error {
  override readonly name = 'PermanentListingError';
  readonly retryable = false;
}

/** Client options from the standard settings: ADC with the cloud-platform scope, and the endpoint override. */
function clientOptions(env: NodeJS.ProcessEnv, auth: GoogleAuth): ClientOptions {
  const options: ClientOptions = {
    fallback: true,
    // google-gax declares its own (older) google-auth-library; the runtime interface is the same.
    authClient: auth as unknown as ClientOptions['authClient'],
    clientConfig: NO_SDK_RETRIES,
  };
  const override = env[ENDPOINT_OVERRIDE_ENV];
  if (!override) return options;
  const url = new URL(override);
  const protocol = url.protocol.replace(/:$/, '');
  return {
    ...options,
    apiEndpoint: url.hostname,
    port: Number(url.port) || (protocol === 'http' ? 80 : 443),
    protocol,
  };
}

/**
 * Errors from the REST client: gaxios throws for any HTTP error status (its `status` is that
 * status, and `code` too), a GoogleError carries a gRPC `code` only, and socket failures carry
 * a string `code` (here or on their `cause`).
 */
interface GcpErrorShape {
  code?: unknown;
  status?: unknown;
  response?: { status?: unknown; headers?: { get?(name: string): string | null } };
  message?: unknown;
  cause?: { code?: unknown };
}

export function classifyGcpError(err: unknown): ErrorClass {
  if (typeof err !== 'object' || err === null) return { kind: 'permanent' };
  const e = err as GcpErrorShape;
  const httpStatus = [e.response?.status, e.status].find((s): s is number => typeof s === 'number');
  if (httpStatus !== undefined) {
    const retryAfterMs = parseRetryAfter(e.response?.headers?.get?.('retry-after'));
    if (httpStatus === 429) return { kind: 'throttle', retryAfterMs };
    return httpStatus >= 500 ? { kind: 'transient', retryAfterMs } : { kind: 'permanent' };
  }
  if (typeof e.code === 'number') return { kind: GRPC_CODE_CLASS[e.code] ?? 'permanent' };
  const networkCode = [e.code, e.cause?.code].find((c): c is string => typeof c === 'string');
  const dropped =
    networkCode !== undefined
      ? NETWORK_ERROR_CODES.has(networkCode)
      : /socket hang up|fetch failed|other side closed/i.test(String(e.message));
  return { kind: dropped ? 'transient' : 'permanent' };
}

/** google.protobuf.Value as gax decodes it (`oneofs: true` names the set member in `kind`). */
interface DecodedValue {
  kind?: string;
  nullValue?: unknown;
  numberValue?: number;
  stringValue?: string;
  boolValue?: boolean;
  structValue?: protos.google.protobuf.IStruct;
  listValue?: { values?: DecodedValue[] };
}

function valueToJson(value: DecodedValue): unknown {
  switch (value.kind) {
    case 'numberValue':
      return value.numberValue;
    case 'stringValue':
      return value.stringValue;
    case 'boolValue':
      return value.boolValue;
    case 'structValue':
      return structToJson(value.structValue ?? {});
    case 'listValue':
      return (value.listValue?.values ?? []).map(valueToJson);
    default:
      return null;
  }
}

/** The JSON object a google.protobuf.Struct carries (resource.data is one). */
export function structToJson(struct: protos.google.protobuf.IStruct): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(struct.fields ?? {})) out[key] = valueToJson(value as DecodedValue);
  return out;
}

/** Keeps assets in the listing's regions (by their zone's region) and `global` ones. */
function locationFilter(ctx: ListContext): (location: string) => boolean {
  const wanted = new Set(ctx.region === ACCOUNT_WIDE_REGION ? ctx.regions : [ctx.region]);
  if (wanted.size === 0) return () => true;
  return (location) => location === 'global' || wanted.has(location) || wanted.has(regionOfZone(location));
}

function stringMap(value: unknown): Record<string, string> {
  if (typeof value !== 'object' || value === null) return {};
  return Object.fromEntries(Object.entries(value).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

function toDiscovered(asset: Asset, account: string): DiscoveredResource | undefined {
  const data = asset.resource?.data;
  if (!data || !asset.name || !asset.assetType) return undefined;
  const attributes = structToJson(data);
  const resource: DiscoveredResource = {
    provider: 'gcp',
    account,
    region: asset.resource?.location || 'global',
    type: asset.assetType,
    id: asset.name,
    attributes,
    tags: stringMap(attributes.labels),
  };
  if (typeof attributes.name === 'string') resource.name = attributes.name;
  return resource;
}

/** A policy asset (contentType IAM_POLICY) as the policy type's resource: its bindings, conditions left out. */
function toPolicy(asset: Asset, type: string, account: string): DiscoveredResource | undefined {
  if (!asset.name || !asset.assetType) return undefined;
  const bindings = (asset.iamPolicy?.bindings ?? []).map((b) => ({
    role: b.role ?? '',
    members: [...(b.members ?? [])],
  }));
  return {
    provider: 'gcp',
    account,
    region: 'global',
    type,
    id: iamPolicyId(asset.assetType, asset.name, account),
    attributes: { bindings },
    tags: {},
  };
}

export function createGcpProvider(opts: GcpProviderOptions = {}): DiscoveryProvider {
  const auth = new GoogleAuth({ scopes: [CLOUD_PLATFORM_SCOPE] });
  const client = new AssetServiceClient(clientOptions(opts.env ?? process.env, auth));
  let credentials: Promise<unknown> | undefined;
  const buckets = new BucketPool(
    (action) => opts.limits?.[action] ?? PUBLISHED_LIMITS[action] ?? PUBLISHED_LIMITS[LIST_ASSETS]!,
  );
  const labels = { provider: 'gcp', action: LIST_ASSETS };

  /** One ListAssets call per attempt, each paid for with a quota token. */
  async function listAssetsPage(request: protos.google.cloud.asset.v1.IListAssetsRequest, ctx: ListContext) {
    return withRetry(
      async () => {
        await buckets.get(ctx.account, QUOTA_REGION, LIST_ASSETS).take(ctx.signal);
        metrics.apiCalls.inc(labels);
        try {
          const [, , response] = await client.listAssets(request, { autoPaginate: false });
          return response;
        } catch (err) {
          if (classifyGcpError(err).kind === 'throttle') metrics.throttles.inc(labels);
          throw err;
        }
      },
      { ...opts.retry, classify: classifyGcpError, signal: ctx.signal, onRetry: () => metrics.retries.inc(labels) },
    );
  }

  /** Resolves ADC once, before the client does (see list). */
  async function ensureCredentials(): Promise<void> {
    // Resolve ADC before the client does: when there are none, the client's own attempt
    // also leaves a rejection nobody handles, which would end the agent process.
    credentials ??= auth.getClient();
    await credentials.catch((err: unknown) => {
      throw new PermanentListingError(
        `no usable GCP credentials: ${err instanceof Error ? err.message : String(err)}`,
        {
          cause: err,
        },
      );
    });
  }

  /**
   * One ListAssets stream of the project, page by page: `assetTypes` narrows it (none lists
   * every asset), `keep` picks what the listing reports.
   */
  async function* streamAssets(
    assetTypes: string[],
    keepType: (type: string) => boolean,
    ctx: ListContext,
    cursor?: string,
    policiesAs?: string,
  ): AsyncGenerator<ResourcePage> {
    await ensureCredentials();
    const keep = locationFilter(ctx);
    const contentType = policiesAs ? 'IAM_POLICY' : 'RESOURCE';
    let pageToken = cursor;
    do {
      ctx.signal.throwIfAborted();
      const response = await listAssetsPage(
        { parent: `projects/${ctx.account}`, assetTypes, contentType, pageSize: PAGE_SIZE, pageToken },
        ctx,
      );
      metrics.pages.inc(labels);
      const resources: DiscoveredResource[] = [];
      for (const asset of response.assets ?? []) {
        if (!asset.assetType || !keepType(asset.assetType)) continue;
        const resource = policiesAs ? toPolicy(asset, policiesAs, ctx.account) : toDiscovered(asset, ctx.account);
        if (resource && keep(resource.region)) resources.push(resource);
      }
      for (const r of resources) metrics.resources.inc({ provider: 'gcp', type: r.type });
      pageToken = response.nextPageToken || undefined;
      yield pageToken ? { resources, cursor: pageToken } : { resources };
    } while (pageToken);
  }

  return {
    name: 'gcp',
    buckets,
    async *list(type: string, ctx: ListContext, cursor?: string): AsyncIterable<ResourcePage> {
      if (!GCP_TYPES.has(type)) throw new PermanentListingError(`gcp provider does not list ${type}`);
      const policyOf = iamPolicyAssetType(type);
      // An IAM policy type: the policies of the assets that hold them (a project, its buckets).
      if (policyOf) return yield* streamAssets([policyOf], (t) => t === policyOf, ctx, cursor, type);
      yield* streamAssets(EXISTENCE_TYPES.has(type) ? [] : [type], (t) => t === type, ctx, cursor);
    },
    /** Existence-level types: one ListAssets stream of the whole project, no type filter. */
    listTogether(types: readonly string[], ctx: ListContext, cursor?: string): AsyncIterable<ResourcePage> {
      const wanted = new Set(types);
      return streamAssets([], (t) => wanted.has(t) && EXISTENCE_TYPES.has(t), ctx, cursor);
    },
  };
}
