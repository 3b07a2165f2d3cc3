import type { CloudControlClient } from '@aws-sdk/client-cloudcontrol';
import { isCloudControlAttributeType } from '../../contract/aws-cloud-control.js';
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
/** Per resource of an attribute-level type: its full property document. */
export const GET_RESOURCE_ACTION = 'GetResource';
/** GetResource calls in flight per listing; the shared Cloud Control budget paces them anyway. */
const GET_RESOURCE_CONCURRENCY = 4;

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

/** One ListResources page; `resourceModel` names the parent of a type listed per parent. */
export async function listResourcesPage(
  client: CloudControlClient,
  type: string,
  nextToken: string | undefined,
  maxResults: number | undefined,
  signal: AbortSignal,
  resourceModel?: Record<string, string>,
): Promise<ListResourcesPage> {
  const { ListResourcesCommand } = await import('@aws-sdk/client-cloudcontrol');
  const out = await client.send(
    new ListResourcesCommand({
      TypeName: type,
      NextToken: nextToken,
      MaxResults: maxResults,
      ResourceModel: resourceModel && JSON.stringify(resourceModel),
    }),
    { abortSignal: signal },
  );
  return { descriptions: out.ResourceDescriptions ?? [], nextToken: out.NextToken || undefined };
}

type Description = { Identifier?: string; Properties?: string };

/**
 * Where a walk over a type listed per parent stands: the parent page being worked through (its
 * NextToken, absent for the first), the parent reached on it, and that parent's children's
 * NextToken. Opaque to everyone else; a cursor that does not parse starts the walk over.
 */
export interface ParentWalkCursor {
  parentToken?: string;
  index: number;
  childToken?: string;
}

export const encodeParentWalk = (c: ParentWalkCursor): string => Buffer.from(JSON.stringify(c)).toString('base64url');

export function decodeParentWalk(cursor: string | undefined): ParentWalkCursor {
  if (!cursor) return { index: 0 };
  try {
    const c = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as Partial<ParentWalkCursor>;
    if (Number.isInteger(c.index) && (c.index ?? -1) >= 0)
      return {
        index: c.index!,
        ...(typeof c.parentToken === 'string' ? { parentToken: c.parentToken } : {}),
        ...(typeof c.childToken === 'string' ? { childToken: c.childToken } : {}),
      };
  } catch {
    // starts over, below
  }
  return { index: 0 };
}

/** One GetResource; undefined when the resource went away since it was listed. */
export async function getResourceDescription(
  client: CloudControlClient,
  type: string,
  identifier: string,
  signal: AbortSignal,
): Promise<Description | undefined> {
  const { GetResourceCommand } = await import('@aws-sdk/client-cloudcontrol');
  try {
    const out = await client.send(new GetResourceCommand({ TypeName: type, Identifier: identifier }), {
      abortSignal: signal,
    });
    return out.ResourceDescription;
  } catch (err) {
    if ((err as { name?: string }).name === 'ResourceNotFoundException') return undefined;
    throw err;
  }
}

/**
 * A listed page as full descriptions: attribute-level types are read one GetResource each
 * (their list handlers return little more than the identifier), a few at a time, in page order.
 */
export async function describePage(
  type: string,
  listed: readonly Description[],
  read: (identifier: string) => Promise<Description | undefined>,
): Promise<Description[]> {
  if (!isCloudControlAttributeType(type)) return [...listed];
  const identifiers = listed.flatMap((d) => (d.Identifier ? [d.Identifier] : []));
  const out: (Description | undefined)[] = new Array(identifiers.length);
  let next = 0;
  const worker = async () => {
    while (next < identifiers.length) {
      const i = next++;
      out[i] = await read(identifiers[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(GET_RESOURCE_CONCURRENCY, identifiers.length) }, worker));
  return out.filter((d): d is Description => d !== undefined);
}

/**
 * Properties whose values the agent never keeps: secret material (write-only, but dropped should
 * a handler ever return it), and Lambda environment variables, compared by name only.
 */
const WITHHELD: Record<string, { drop?: string[]; keysOnly?: string[] }> = {
  'AWS::SecretsManager::Secret': { drop: ['SecretString', 'GenerateSecretString'] },
  'AWS::Lambda::Function': { keysOnly: ['Environment.Variables'] },
};

function withhold(type: string, properties: Record<string, unknown>): Record<string, unknown> {
  const rule = WITHHELD[type];
  if (!rule) return properties;
  for (const key of rule.drop ?? []) delete properties[key];
  for (const path of rule.keysOnly ?? []) {
    const parts = path.split('.');
    const parent = parts
      .slice(0, -1)
      .reduce<unknown>(
        (o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined),
        properties,
      );
    const leaf = parts.at(-1)!;
    const map = parent && typeof parent === 'object' ? (parent as Record<string, unknown>)[leaf] : undefined;
    if (map && typeof map === 'object')
      (parent as Record<string, unknown>)[leaf] = Object.fromEntries(Object.keys(map).map((k) => [k, '']));
  }
  return properties;
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

/** Types whose `[{Key, Value}]` tags are under another property than `Tags`. */
const TAG_PROPERTY: Record<string, string> = { 'AWS::Route53::HostedZone': 'HostedZoneTags' };

/** CloudFormation tags are `[{Key, Value}]` on most types. */
function tagsOf(type: string, properties: Record<string, unknown>): Record<string, string> {
  const tags: Record<string, string> = {};
  const list = properties[TAG_PROPERTY[type] ?? 'Tags'];
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
  const attributes = withhold(type, parseProperties(description.Properties));
  const resource: DiscoveredResource = {
    provider: 'aws',
    account: ctx.account,
    region,
    type,
    id,
    name: nameOf(id),
    attributes,
    tags: tagsOf(type, attributes),
  };
  return resourceLimitViolation(resource) ? { ...resource, attributes: {}, tags: {} } : resource;
}
