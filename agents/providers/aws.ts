import type { CloudControlClient } from '@aws-sdk/client-cloudcontrol';
import {
  DescribeAddressesCommand,
  DescribeInstancesCommand,
  DescribeInternetGatewaysCommand,
  DescribeKeyPairsCommand,
  DescribeLaunchTemplatesCommand,
  DescribeNatGatewaysCommand,
  DescribeNetworkAclsCommand,
  DescribeNetworkInterfacesCommand,
  DescribeRouteTablesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVolumesCommand,
  DescribeVpcsCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import { cloudControlParentOf, isCloudControlAttributeType } from '../../contract/aws-cloud-control.js';
import type { DiscoveredResource } from '../../contract/resource.js';
import { resourceTypeInfo } from '../../contract/resource-types.js';
import { metrics } from '../metrics.js';
import { BucketPool, type ErrorClass, parseRetryAfter, withRetry } from '../resilience.js';
import {
  CLOUD_CONTROL_ACTION,
  CLOUD_CONTROL_LIMIT,
  cloudControlPlacement,
  cloudControlResource,
  createCloudControlClient,
  decodeParentWalk,
  describePage,
  encodeParentWalk,
  GET_RESOURCE_ACTION,
  getResourceDescription,
  listResourcesPage,
  type ParentWalkCursor,
} from './aws-cloud-control.js';
import { createIamLister, IAM_LIMITS, isIamType } from './aws-iam.js';
import { createS3Lister, isS3Type, S3_LIMITS } from './aws-s3.js';
import type { DiscoveryProvider, ListContext, ResourcePage } from './types.js';

type Attrs = Record<string, unknown>;
/** Any Describe output: the list member differs per action, paging is always `NextToken`. */
type Output = { NextToken?: string; $metadata: object };

/** One EC2 Describe action that lists one resource type. */
interface Ec2Listing {
  action: string;
  /** Sends the call; `page` is absent for the actions EC2 does not paginate. */
  send: (
    client: EC2Client,
    page: { MaxResults: number; NextToken?: string } | undefined,
    signal: AbortSignal,
  ) => Promise<Output>;
  /** Largest MaxResults the action accepts; `null` when it is not paginated. */
  maxResults: number | null;
  items: (output: Output) => Attrs[];
  id: string;
  /** Member holding the tags (`TagSet` on network interfaces, `Tags` elsewhere). */
  tags?: string;
}

const list = (member: string) => (output: Output) => ((output as Attrs)[member] as Attrs[] | undefined) ?? [];

const opts = (signal: AbortSignal) => ({ abortSignal: signal });

/** Per-type listing table; page maxima from the EC2 API Reference of each action. */
const LISTINGS: Record<string, Ec2Listing> = {
  'AWS::EC2::Instance': {
    action: 'DescribeInstances',
    send: (c, p, s) => c.send(new DescribeInstancesCommand({ ...p }), opts(s)),
    maxResults: 1000,
    // Reservations group instances launched together; discovery wants the instances.
    items: (o) =>
      (((o as Attrs).Reservations as { Instances?: Attrs[] }[] | undefined) ?? []).flatMap((r) => r.Instances ?? []),
    id: 'InstanceId',
  },
  'AWS::EC2::SecurityGroup': {
    action: 'DescribeSecurityGroups',
    send: (c, p, s) => c.send(new DescribeSecurityGroupsCommand({ ...p }), opts(s)),
    maxResults: 1000,
    items: list('SecurityGroups'),
    id: 'GroupId',
  },
  'AWS::EC2::VPC': {
    action: 'DescribeVpcs',
    send: (c, p, s) => c.send(new DescribeVpcsCommand({ ...p }), opts(s)),
    maxResults: 1000,
    items: list('Vpcs'),
    id: 'VpcId',
  },
  'AWS::EC2::Subnet': {
    action: 'DescribeSubnets',
    send: (c, p, s) => c.send(new DescribeSubnetsCommand({ ...p }), opts(s)),
    maxResults: 1000,
    items: list('Subnets'),
    id: 'SubnetId',
  },
  'AWS::EC2::Volume': {
    action: 'DescribeVolumes',
    send: (c, p, s) => c.send(new DescribeVolumesCommand({ ...p }), opts(s)),
    maxResults: 1000,
    items: list('Volumes'),
    id: 'VolumeId',
  },
  'AWS::EC2::NetworkInterface': {
    action: 'DescribeNetworkInterfaces',
    send: (c, p, s) => c.send(new DescribeNetworkInterfacesCommand({ ...p }), opts(s)),
    maxResults: 1000,
    items: list('NetworkInterfaces'),
    id: 'NetworkInterfaceId',
    tags: 'TagSet',
  },
  'AWS::EC2::RouteTable': {
    action: 'DescribeRouteTables',
    send: (c, p, s) => c.send(new DescribeRouteTablesCommand({ ...p }), opts(s)),
    maxResults: 100,
    items: list('RouteTables'),
    id: 'RouteTableId',
  },
  'AWS::EC2::InternetGateway': {
    action: 'DescribeInternetGateways',
    send: (c, p, s) => c.send(new DescribeInternetGatewaysCommand({ ...p }), opts(s)),
    maxResults: 1000,
    items: list('InternetGateways'),
    id: 'InternetGatewayId',
  },
  'AWS::EC2::NatGateway': {
    action: 'DescribeNatGateways',
    send: (c, p, s) => c.send(new DescribeNatGatewaysCommand({ ...p }), opts(s)),
    maxResults: 1000,
    items: list('NatGateways'),
    id: 'NatGatewayId',
  },
  'AWS::EC2::EIP': {
    action: 'DescribeAddresses',
    send: (c, _p, s) => c.send(new DescribeAddressesCommand({}), opts(s)),
    maxResults: null,
    items: list('Addresses'),
    id: 'AllocationId',
  },
  'AWS::EC2::KeyPair': {
    action: 'DescribeKeyPairs',
    send: (c, _p, s) => c.send(new DescribeKeyPairsCommand({ IncludePublicKey: true }), opts(s)),
    maxResults: null,
    items: list('KeyPairs'),
    id: 'KeyPairId',
  },
  'AWS::EC2::LaunchTemplate': {
    action: 'DescribeLaunchTemplates',
    send: (c, p, s) => c.send(new DescribeLaunchTemplatesCommand({ ...p }), opts(s)),
    maxResults: 200,
    items: list('LaunchTemplates'),
    id: 'LaunchTemplateId',
  },
  'AWS::EC2::NetworkAcl': {
    action: 'DescribeNetworkAcls',
    send: (c, p, s) => c.send(new DescribeNetworkAclsCommand({ ...p }), opts(s)),
    maxResults: 100,
    items: list('NetworkAcls'),
    id: 'NetworkAclId',
  },
};

/**
 * EC2's published request-rate limits for Describe calls: a bucket of 100 per account and
 * Region, refilled at 20/s. Every listing here paginates (or is a light unpaginated call), so
 * none falls in the smaller unfiltered-and-unpaginated class.
 */
const DESCRIBE_LIMIT = { capacity: 100, refillPerSecond: 20 };

/** Each API's request budget: EC2's Describe calls share one; Cloud Control, IAM and each S3 action have their own. */
const API_LIMITS: Record<string, { capacity: number; refillPerSecond: number }> = {
  [CLOUD_CONTROL_ACTION]: CLOUD_CONTROL_LIMIT,
  ...IAM_LIMITS,
  ...S3_LIMITS,
};

/** Actions paid for from another action's bucket: Cloud Control has one budget for all its calls. */
const BUDGET_OF: Record<string, string> = { [GET_RESOURCE_ACTION]: CLOUD_CONTROL_ACTION };

/** SDK v3 errors carry the EC2 error code as `name` and the HTTP status in `$metadata`. */
interface SdkError {
  name?: string;
  $metadata?: { httpStatusCode?: number };
  $response?: { headers?: Record<string, string | undefined> };
}

const THROTTLE_CODES = new Set(['RequestLimitExceeded', 'Throttling', 'ThrottlingException']);

export function classifyEc2Error(err: unknown): ErrorClass {
  const e = (err ?? {}) as SdkError;
  if (e.name === 'AbortError') return { kind: 'permanent' };
  const retryAfterMs = parseRetryAfter(e.$response?.headers?.['retry-after']);
  if (e.name && THROTTLE_CODES.has(e.name)) return { kind: 'throttle', retryAfterMs };
  const status = e.$metadata?.httpStatusCode;
  // No HTTP status: the request never got an answer (reset, refused, timeout).
  if (status === undefined || status >= 500) return { kind: 'transient', retryAfterMs };
  return { kind: 'permanent' };
}

/** Dates as ISO strings, undefined members dropped: the attribute contract's JSON form. */
function normalise(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(normalise);
  if (value && typeof value === 'object') {
    const out: Attrs = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = normalise(v);
    return out;
  }
  return value;
}

function toResource(listing: Ec2Listing, type: string, ctx: ListContext, raw: Attrs): DiscoveredResource {
  const attributes = normalise(raw) as Attrs;
  const tags: Record<string, string> = {};
  for (const t of (attributes[listing.tags ?? 'Tags'] as { Key?: string; Value?: string }[] | undefined) ?? []) {
    if (t.Key !== undefined) tags[t.Key] = t.Value ?? '';
  }
  return {
    provider: 'aws',
    account: ctx.account,
    region: ctx.region,
    type,
    id: String(attributes[listing.id]),
    name: tags.Name,
    attributes,
    tags,
  };
}

export interface AwsProviderOptions {
  /** Caps MaxResults below each action's maximum (tests use it to get many pages from a small estate). */
  pageSizeCap?: number;
  /** Overrides of the request budgets by action (tests pace against a faster emulator). */
  limits?: Partial<Record<string, { capacity: number; refillPerSecond: number }>>;
}

/**
 * Discovers EC2 resources, and existence-level types through Cloud Control, with the official
 * SDKs, one client per region. Endpoints and credentials come from the SDK's standard settings
 * (AWS_ENDPOINT_URL_EC2, AWS_ENDPOINT_URL_CLOUDCONTROL, the default credential chain); the
 * SDK's own retries are off so every retry is ours and counted.
 */
export function createAwsProvider(options: AwsProviderOptions = {}): DiscoveryProvider {
  const buckets = new BucketPool((action) => options.limits?.[action] ?? API_LIMITS[action] ?? DESCRIBE_LIMIT);
  const clients = new Map<string, EC2Client>();
  const clientFor = (region: string) => {
    let client = clients.get(region);
    if (!client) clients.set(region, (client = new EC2Client({ region, maxAttempts: 1 })));
    return client;
  };
  const cloudControlClients = new Map<string, Promise<CloudControlClient>>();
  const cloudControlFor = (region: string) => {
    let client = cloudControlClients.get(region);
    if (!client) cloudControlClients.set(region, (client = createCloudControlClient(region)));
    return client;
  };

  /** One API call paid for from its (account, region, action) bucket, retried on throttles and 5xx. */
  function send<T>(action: string, ctx: ListContext, region: string, request: () => Promise<T>): Promise<T> {
    const labels = { provider: 'aws', action };
    return withRetry(
      async () => {
        await buckets.get(ctx.account, region, BUDGET_OF[action] ?? action).take(ctx.signal);
        metrics.apiCalls.inc(labels);
        return request();
      },
      {
        classify: (err) => {
          const cls = classifyEc2Error(err);
          if (cls.kind === 'throttle') metrics.throttles.inc(labels);
          return cls;
        },
        signal: ctx.signal,
        onRetry: () => metrics.retries.inc(labels),
      },
    );
  }

  const s3 = createS3Lister(send, options.pageSizeCap);
  const iam = createIamLister(send, options.pageSizeCap);

  function call(
    listing: Ec2Listing,
    ctx: ListContext,
    page: { MaxResults: number; NextToken?: string } | undefined,
  ): Promise<Output> {
    return send(listing.action, ctx, ctx.region, () => listing.send(clientFor(ctx.region), page, ctx.signal));
  }

  /**
   * One page as resources. The SDK's output (parsed XML, several times the resources' size) is
   * unreachable once this returns, so it is not held while the page is uploaded.
   */
  async function fetchPage(
    listing: Ec2Listing,
    type: string,
    ctx: ListContext,
    pageSize: number | null,
    nextToken: string | undefined,
  ): Promise<ResourcePage> {
    const output = await call(
      listing,
      ctx,
      pageSize === null ? undefined : { MaxResults: pageSize, NextToken: nextToken },
    );
    const resources = listing.items(output).map((raw) => toResource(listing, type, ctx, raw));
    metrics.pages.inc({ provider: 'aws', action: listing.action });
    metrics.resources.inc({ provider: 'aws', type }, resources.length);
    return { resources, cursor: pageSize === null ? undefined : output.NextToken || undefined };
  }

  /** An existence-level type through Cloud Control, one ListResources page at a time. */
  async function* listCloudControl(type: string, ctx: ListContext, cursor?: string): AsyncGenerator<ResourcePage> {
    const { callRegion, region } = cloudControlPlacement(type, ctx.region);
    const client = await cloudControlFor(callRegion);
    let nextToken = cursor;
    do {
      const page = await send(CLOUD_CONTROL_ACTION, ctx, callRegion, () =>
        listResourcesPage(client, type, nextToken, options.pageSizeCap, ctx.signal),
      );
      const descriptions = await describePage(type, page.descriptions, (identifier) =>
        send(GET_RESOURCE_ACTION, ctx, callRegion, () => getResourceDescription(client, type, identifier, ctx.signal)),
      );
      const resources = descriptions.flatMap((d) => cloudControlResource(type, ctx, region, d) ?? []);
      metrics.pages.inc({ provider: 'aws', action: CLOUD_CONTROL_ACTION });
      metrics.resources.inc({ provider: 'aws', type }, resources.length);
      nextToken = page.nextToken;
      yield { resources, cursor: nextToken };
    } while (nextToken);
  }

  /**
   * A type listed per parent (an ELBv2 listener per load balancer): the parents' identifiers one
   * ListResources page at a time, then each parent's children with a ResourceModel naming it.
   * The cursor after each child page says where to go on from, so a split shard resumes there.
   */
  async function* listCloudControlByParent(
    type: string,
    parent: { type: string; property: string },
    ctx: ListContext,
    cursor?: string,
  ): AsyncGenerator<ResourcePage> {
    const { callRegion, region } = cloudControlPlacement(type, ctx.region);
    const client = await cloudControlFor(callRegion);
    let at = decodeParentWalk(cursor);
    for (;;) {
      const parents = await send(CLOUD_CONTROL_ACTION, ctx, callRegion, () =>
        listResourcesPage(client, parent.type, at.parentToken, options.pageSizeCap, ctx.signal),
      );
      const ids = parents.descriptions.flatMap((d) => (d.Identifier ? [d.Identifier] : []));
      for (let i = at.index; i < ids.length; i++) {
        let childToken = i === at.index ? at.childToken : undefined;
        do {
          const page = await send(CLOUD_CONTROL_ACTION, ctx, callRegion, () =>
            listResourcesPage(client, type, childToken, options.pageSizeCap, ctx.signal, {
              [parent.property]: ids[i]!,
            }),
          );
          const descriptions = await describePage(type, page.descriptions, (identifier) =>
            send(GET_RESOURCE_ACTION, ctx, callRegion, () =>
              getResourceDescription(client, type, identifier, ctx.signal),
            ),
          );
          const resources = descriptions.flatMap((d) => cloudControlResource(type, ctx, region, d) ?? []);
          metrics.pages.inc({ provider: 'aws', action: CLOUD_CONTROL_ACTION });
          metrics.resources.inc({ provider: 'aws', type }, resources.length);
          childToken = page.nextToken;
          const next: ParentWalkCursor | undefined = childToken
            ? { parentToken: at.parentToken, index: i, childToken }
            : i + 1 < ids.length
              ? { parentToken: at.parentToken, index: i + 1 }
              : parents.nextToken
                ? { parentToken: parents.nextToken, index: 0 }
                : undefined;
          yield { resources, cursor: next && encodeParentWalk(next) };
        } while (childToken);
      }
      if (!parents.nextToken) {
        // A region with no parents still answers with one (empty) page, as every listing does.
        if (ids.length === 0 && !cursor) yield { resources: [] };
        return;
      }
      at = { parentToken: parents.nextToken, index: 0 };
    }
  }

  async function* listType(type: string, ctx: ListContext, cursor?: string): AsyncGenerator<ResourcePage> {
    if (isS3Type(type)) return yield* s3.list(type, ctx, cursor);
    if (isIamType(type)) return yield* iam.list(type, ctx, cursor);
    const parent = cloudControlParentOf(type);
    if (parent) return yield* listCloudControlByParent(type, parent, ctx, cursor);
    if (resourceTypeInfo('aws', type)?.inventory === 'cloud-control' || isCloudControlAttributeType(type)) {
      yield* listCloudControl(type, ctx, cursor);
      return;
    }
    const listing = LISTINGS[type];
    if (!listing) throw new Error(`aws provider: unknown resource type ${type}`);
    const pageSize = listing.maxResults === null ? null : Math.min(listing.maxResults, options.pageSizeCap ?? Infinity);
    let nextToken = cursor;
    do {
      const page = await fetchPage(listing, type, ctx, pageSize, nextToken);
      nextToken = page.cursor;
      yield page;
    } while (nextToken);
  }

  return { name: 'aws', buckets, list: listType };
}
