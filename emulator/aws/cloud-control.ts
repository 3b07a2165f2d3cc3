import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  AWS_CLOUD_CONTROL_PRIMARY_IDENTIFIERS,
  cloudControlParentOf,
  isCloudControlAttributeType,
} from '../../contract/aws-cloud-control.js';
import { isGlobalType } from '../../contract/existence/index.js';
import type { DiscoveredResource } from '../../contract/resource.js';
import { resourceTypesOf } from '../../contract/resource-types.js';
import type { EmulatorContext } from '../types.js';
import { accountFromAccessKeyId } from './env.js';

/**
 * Cloud Control API over the estate's AWS resources it lists: AWS JSON 1.0
 * (`X-Amz-Target: CloudApiService.ListResources`), `NextToken` paging, each description the
 * resource's identifier and its properties as a JSON string. Like the real list handlers,
 * attribute-level types list only their primary identifier; GetResource returns every property.
 * Global types (IAM, S3, CloudFront, Route 53) answer the same in every region. A type listed
 * per parent (ELBv2 listeners) needs a ResourceModel naming it and lists that parent's only.
 */

const TARGET_PREFIX = 'CloudApiService.';
const JSON_CONTENT_TYPE = 'application/x-amz-json-1.0';
const DEFAULT_PAGE_SIZE = 100;
/** Cloud Control's request budget per account and region (see agents/providers/aws-cloud-control.ts). */
export const CLOUD_CONTROL_QUOTA = { capacity: 10, refillPerSecond: 5 } as const;

const LISTED_TYPES = new Set(
  resourceTypesOf('aws')
    .filter((t) => t.inventory === 'cloud-control' || isCloudControlAttributeType(t.type))
    .map((t) => t.type),
);

type Description = { Identifier: string; Properties: string };

/** What ListResources says of a resource: attribute-level types give their primary identifier only. */
function listedDescription(type: string, full: Description): Description {
  const property = AWS_CLOUD_CONTROL_PRIMARY_IDENTIFIERS[type];
  return property ? { Identifier: full.Identifier, Properties: JSON.stringify({ [property]: full.Identifier }) } : full;
}

/** `AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/cloudcontrolapi/aws4_request, …` */
const CREDENTIAL_SCOPE = /Credential=([^/,\s]+)\/\d{8}\/([^/]+)\/cloudcontrolapi\/aws4_request/;

class CloudControlError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export function isCloudControlRequest(req: IncomingMessage): boolean {
  const target = req.headers['x-amz-target'];
  return typeof target === 'string' && target.startsWith(TARGET_PREFIX);
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': JSON_CONTENT_TYPE,
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': randomUUID(),
    ...headers,
  });
  res.end(text);
}

function sendError(res: ServerResponse, err: CloudControlError): void {
  send(res, err.status, { __type: err.code, Message: err.message }, { 'x-amzn-errortype': err.code });
}

const throttled = () => new CloudControlError(400, 'ThrottlingException', 'Rate exceeded');

/** NextToken is opaque; it binds the type so a token cannot be replayed on another listing. */
const encodeToken = (type: string, offset: number) => Buffer.from(`${type}|${offset}`).toString('base64url');

function decodeToken(type: string, token: string): number {
  const [tokenType, offset] = Buffer.from(token, 'base64url').toString().split('|');
  const n = Number(offset);
  if (tokenType !== type || !Number.isInteger(n) || n < 0)
    throw new CloudControlError(400, 'InvalidRequestException', 'Invalid NextToken');
  return n;
}

interface ListRequest {
  TypeName?: unknown;
  NextToken?: unknown;
  MaxResults?: unknown;
  /** ListResources: a JSON object naming the parent, for types listed per parent. */
  ResourceModel?: unknown;
  /** GetResource */
  Identifier?: unknown;
}

const ACTIONS = new Set(['ListResources', 'GetResource']);

export class CloudControl {
  /** Descriptions by account, region (`global` for global types) and type, in estate order. */
  private readonly index = new Map<string, Description[]>();
  /** The same descriptions by account, region, type and identifier, for GetResource. */
  private readonly byIdentifier = new Map<string, Description>();

  constructor(
    resources: readonly DiscoveredResource[],
    private readonly firstAccount: string,
  ) {
    for (const r of resources) {
      if (!LISTED_TYPES.has(r.type)) continue;
      const key = `${r.account}|${r.region}|${r.type}`;
      const description = { Identifier: r.id, Properties: JSON.stringify(r.attributes) };
      this.index.set(key, [...(this.index.get(key) ?? []), description]);
      this.byIdentifier.set(`${key}|${r.id}`, description);
    }
  }

  async serve(ctx: EmulatorContext, req: IncomingMessage, body: Buffer, res: ServerResponse): Promise<void> {
    await ctx.delay();
    const action = String(req.headers['x-amz-target']).slice(TARGET_PREFIX.length);
    ctx.record('aws', `cloudcontrol:${action}`);
    try {
      const fault = ctx.fault();
      if (fault === 'drop') {
        req.socket.destroy();
        return;
      }
      if (fault === 'throttle') throw throttled();
      if (fault === 'server-error') throw new CloudControlError(500, 'ServiceInternalErrorException', 'Internal error');
      if (!ACTIONS.has(action))
        throw new CloudControlError(400, 'UnknownOperationException', `Operation ${action} is not supported`);
      const caller = this.callerOf(req.headers.authorization);
      if (
        !ctx.takeToken(
          `aws|cloudcontrol|${caller.account}|${caller.region}`,
          CLOUD_CONTROL_QUOTA.capacity,
          CLOUD_CONTROL_QUOTA.refillPerSecond,
        )
      )
        throw throttled();
      const request = parse(body);
      send(res, 200, action === 'GetResource' ? this.get(caller, request) : this.list(caller, request));
    } catch (err) {
      if (!(err instanceof CloudControlError)) throw err;
      sendError(res, err);
    }
  }

  private callerOf(authorization: string | undefined): { account: string; region: string } {
    const match = authorization ? CREDENTIAL_SCOPE.exec(authorization) : null;
    if (!match)
      throw new CloudControlError(
        403,
        'UnrecognizedClientException',
        'The security token included in the request is invalid.',
      );
    return { account: accountFromAccessKeyId(match[1]!) ?? this.firstAccount, region: match[2]! };
  }

  private list(caller: { account: string; region: string }, request: ListRequest) {
    const type = request.TypeName;
    if (typeof type !== 'string' || !LISTED_TYPES.has(type))
      throw new CloudControlError(400, 'TypeNotFoundException', `Resource type ${String(type)} not found`);
    const size = request.MaxResults === undefined ? DEFAULT_PAGE_SIZE : Number(request.MaxResults);
    if (!Number.isInteger(size) || size < 1 || size > DEFAULT_PAGE_SIZE)
      throw new CloudControlError(
        400,
        'InvalidRequestException',
        `MaxResults must be between 1 and ${DEFAULT_PAGE_SIZE}`,
      );
    const parent = parentFilter(type, request.ResourceModel);
    // The token binds the parent too, so a token cannot be replayed on another parent's children.
    const scope = parent ? `${type}#${parent.value}` : type;
    const offset = typeof request.NextToken === 'string' ? decodeToken(scope, request.NextToken) : 0;
    const region = isGlobalType('aws', type) ? 'global' : caller.region;
    const every = this.index.get(`${caller.account}|${region}|${type}`) ?? [];
    const all = parent
      ? every.filter((d) => (JSON.parse(d.Properties) as Record<string, unknown>)[parent.property] === parent.value)
      : every;
    const end = Math.min(all.length, offset + size);
    return {
      TypeName: type,
      ResourceDescriptions: all.slice(offset, end).map((d) => listedDescription(type, d)),
      ...(end < all.length ? { NextToken: encodeToken(scope, end) } : {}),
    };
  }

  private get(caller: { account: string; region: string }, request: ListRequest) {
    const type = request.TypeName;
    if (typeof type !== 'string' || !LISTED_TYPES.has(type))
      throw new CloudControlError(400, 'TypeNotFoundException', `Resource type ${String(type)} not found`);
    if (typeof request.Identifier !== 'string' || request.Identifier === '')
      throw new CloudControlError(400, 'InvalidRequestException', 'Identifier is required');
    const region = isGlobalType('aws', type) ? 'global' : caller.region;
    const found = this.byIdentifier.get(`${caller.account}|${region}|${type}|${request.Identifier}`);
    if (!found)
      throw new CloudControlError(
        404,
        'ResourceNotFoundException',
        `Resource of type '${type}' with identifier '${request.Identifier}' was not found.`,
      );
    return { TypeName: type, ResourceDescription: found };
  }
}

/**
 * The parent a listing is asked for, for a type listed per parent; refused without one as the
 * real list handler does (its message names the required property).
 */
function parentFilter(type: string, model: unknown): { property: string; value: string } | undefined {
  const parent = cloudControlParentOf(type);
  if (!parent) return undefined;
  let value: unknown;
  try {
    value = typeof model === 'string' ? (JSON.parse(model) as Record<string, unknown>)?.[parent.property] : undefined;
  } catch {
    value = undefined;
  }
  if (typeof value !== 'string' || value === '')
    throw new CloudControlError(
      400,
      'InvalidRequestException',
      `Missing Or Invalid ResourceModel property in ${type} list handler request input. Required property: [${parent.property}]`,
    );
  return { property: parent.property, value };
}

function parse(body: Buffer): ListRequest {
  try {
    const value: unknown = JSON.parse(body.toString('utf8') || '{}');
    if (value && typeof value === 'object') return value as ListRequest;
  } catch {
    // answered below
  }
  throw new CloudControlError(400, 'SerializationException', 'The request body is not valid JSON');
}
