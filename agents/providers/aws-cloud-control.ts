import type { CloudControlClient } from '@aws-sdk/client-cloudcontrol';
import { isGlobalType } from '../../contract/existence/index.js';
import { resourceLimitViolation } from '../../contract/limits.js';
import type { DiscoveredResource } from '../../contract/resource.js';
import type { ListContext } from './types.js';

/**
 * Existence-level AWS discovery through Cloud Control API's ListResources: one walk per
 * CloudFormation type and region, `NextToken` paging. Each description is the type's primary
 * identifier and, for most types, its properties as JSON; DriftMgr keeps the identifier for
 * matching and the properties as attributes when they fit a stored resource.
 */

export const CLOUD_CONTROL_ACTION = 'ListResources';

/**
 * Cloud Control's request budget per account and Region. AWS publishes no figure for
 * ListResources; every call also runs the type's list handler against the service behind it,
 * so the agent keeps to a modest 5 calls a second with bursts of 10.
 */
export const CLOUD_CONTROL_LIMIT = { capacity: 10, refillPerSecond: 5 };

/** Global types (IAM, CloudFront, Route 53, S3's bucket list) are asked of us-east-1. */
export const GLOBAL_API_REGION = 'us-east-1';

/** The region a type is listed in and the one its resources are filed under. */
export function cloudControlPlacement(type: string, listingRegion: string): { callRegion: string; region: string } {
  return isGlobalType('aws', type)
    ? { callRegion: GLOBAL_API_REGION, region: 'global' }
    : { callRegion: listingRegion, region: listingRegion };
}

/** Imported on first use, so an agent that lists only EC2 never loads the Cloud Control SDK. */
export async function createCloudControlClient(region: string): Promise<CloudControlClient> {
  const { CloudControlClient } = await import('@aws-sdk/client-cloudcontrol');
  return new CloudControlClient({ region, maxAttempts: 1 });
}

export interface ListResourcesPage {
  descriptions: { Identifier?: string; Properties?: string }[];
  nextToken?: string;
}

/** One ListResources page. */
export async function listResourcesPage(
  client: CloudControlClient,
  type: string,
  nextToken: string | undefined,
  maxResults: number | undefined,
  signal: AbortSignal,
): Promise<ListResourcesPage> {
  const { ListResourcesCommand } = await import('@aws-sdk/client-cloudcontrol');
  const out = await client.send(
    new ListResourcesCommand({ TypeName: type, NextToken: nextToken, MaxResults: maxResults }),
    { abortSignal: signal },
  );
  return { descriptions: out.ResourceDescriptions ?? [], nextToken: out.NextToken || undefined };
}

function parseProperties(json: string | undefined): Record<string, unknown> {
  if (!json) return {};
  try {
    const value: unknown = JSON.parse(json);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** CloudFormation tags are `[{Key, Value}]` on most types. */
function tagsOf(properties: Record<string, unknown>): Record<string, string> {
  const tags: Record<string, string> = {};
  const list = properties.Tags;
  if (!Array.isArray(list)) return tags;
  for (const t of list as { Key?: unknown; Value?: unknown }[]) {
    if (typeof t?.Key === 'string') tags[t.Key] = typeof t.Value === 'string' ? t.Value : '';
  }
  return tags;
}

/** A readable name: the last part of an ARN or path, or the identifier itself. */
function nameOf(identifier: string): string {
  const tail = identifier.slice(Math.max(identifier.lastIndexOf('/'), identifier.lastIndexOf(':')) + 1);
  return tail || identifier;
}

/** A description as a discovered resource; properties too big to store are left out. */
export function cloudControlResource(
  type: string,
  ctx: Pick<ListContext, 'account'>,
  region: string,
  description: { Identifier?: string; Properties?: string },
): DiscoveredResource | undefined {
  const id = description.Identifier;
  if (!id) return undefined;
  const attributes = parseProperties(description.Properties);
  const resource: DiscoveredResource = {
    provider: 'aws',
    account: ctx.account,
    region,
    type,
    id,
    name: nameOf(id),
    attributes,
    tags: tagsOf(attributes),
  };
  return resourceLimitViolation(resource) ? { ...resource, attributes: {}, tags: {} } : resource;
}
