import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { DiscoveredResource } from '../../contract/resource.js';
import type { CloudHandlerFactory, EmulatorContext } from '../types.js';
import { CloudControl, isCloudControlRequest } from './cloud-control.js';
import { EC2_LIST_ACTION_BY_NAME, EC2_THROTTLE_CLASSES, type Ec2ListAction, throttleClassOf } from './ec2-actions.js';
import { ec2ErrorXml, ec2ResponseXml } from './ec2-xml.js';
import { accountFromAccessKeyId } from './env.js';
import { createIamHandler, isIamRequest } from './iam.js';
import { isStsRequest, serveSts } from './sts.js';

const API_VERSION = '2016-11-15';

/** An EC2 error reply: HTTP status, EC2 error code and message. */
class Ec2Error extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const throttled = () => new Ec2Error(503, 'RequestLimitExceeded', 'Request limit exceeded.');

/** Server faults as EC2 reports them, alternated so clients see both. */
const SERVER_FAULTS = [
  () => new Ec2Error(500, 'InternalError', 'An internal error has occurred'),
  () => new Ec2Error(503, 'Unavailable', 'The server is overloaded and cannot handle the request.'),
];

/** Who is calling and where: region from the SigV4 credential scope, account from the key id. */
interface Caller {
  account: string;
  region: string;
}

/** `AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/ec2/aws4_request, SignedHeaders=…, Signature=…` */
const CREDENTIAL_SCOPE = /Credential=([^/,\s]+)\/\d{8}\/([^/]+)\/ec2\/aws4_request/;

function callerOf(authorization: string | undefined, defaultAccount: string): Caller {
  const match = authorization ? CREDENTIAL_SCOPE.exec(authorization) : null;
  if (!match) throw new Ec2Error(401, 'AuthFailure', 'AWS was not able to validate the provided access credentials');
  return { account: accountFromAccessKeyId(match[1]!) ?? defaultAccount, region: match[2]! };
}

/** The estate's AWS resources by (account, region, type), in estate order. */
type Index = Map<string, Record<string, unknown>[]>;

const indexKey = (account: string, region: string, type: string) => `${account}|${region}|${type}`;

function buildIndex(resources: DiscoveredResource[]): { index: Index; firstAccount: string } {
  const index: Index = new Map();
  let firstAccount = '';
  for (const r of resources) {
    if (r.provider !== 'aws') continue;
    firstAccount ||= r.account;
    const key = indexKey(r.account, r.region, r.type);
    let list = index.get(key);
    if (!list) index.set(key, (list = []));
    list.push(r.attributes);
  }
  return { index, firstAccount };
}

/** Numbered query list `Prefix.1=a&Prefix.2=b` → [a, b]. */
function numberedList(params: URLSearchParams, prefix: string): string[] {
  const values: string[] = [];
  for (let n = 1; params.has(`${prefix}.${n}`); n++) values.push(params.get(`${prefix}.${n}`)!);
  return values;
}

const hasFilters = (params: URLSearchParams) => params.has('Filter.1.Name');

/** NextToken is opaque to clients; it binds the action so a token cannot be replayed elsewhere. */
const encodeToken = (action: string, offset: number) => Buffer.from(`${action}:${offset}`).toString('base64url');

function decodeToken(action: string, token: string): number {
  const [tokenAction, offset] = Buffer.from(token, 'base64url').toString().split(':');
  const n = Number(offset);
  if (tokenAction !== action || !Number.isInteger(n) || n < 0) {
    throw new Ec2Error(400, 'InvalidPaginationToken', `The pagination token is not valid: ${token}`);
  }
  return n;
}

interface PageRequest {
  maxResults?: number;
  offset: number;
}

function pageRequestOf(spec: Ec2ListAction, params: URLSearchParams, ids: string[]): PageRequest {
  const rawMax = params.get('MaxResults');
  const token = params.get('NextToken');
  if (!spec.page) return { offset: 0 };
  if (rawMax !== null && ids.length > 0) {
    throw new Ec2Error(
      400,
      'InvalidParameterCombination',
      `The parameter ${spec.idParam}s cannot be used with the parameter MaxResults`,
    );
  }
  const offset = token ? decodeToken(spec.action, token) : 0;
  if (rawMax === null) return { offset };
  const maxResults = Number(rawMax);
  if (!Number.isInteger(maxResults) || maxResults < spec.page.min || maxResults > spec.page.max) {
    throw new Ec2Error(
      400,
      'InvalidParameterValue',
      `Value ( ${rawMax} ) for parameter maxResults is invalid. Expecting a value between ${spec.page.min} and ${spec.page.max}.`,
    );
  }
  return { maxResults, offset };
}

function idOf(spec: Ec2ListAction, attributes: Record<string, unknown>): unknown {
  return attributes[spec.idParam];
}

function selectPage(spec: Ec2ListAction, all: Record<string, unknown>[], ids: string[], page: PageRequest) {
  if (ids.length > 0) {
    const wanted = new Set(ids);
    const found = all.filter((a) => wanted.has(String(idOf(spec, a))));
    const foundIds = new Set(found.map((a) => String(idOf(spec, a))));
    const missing = ids.find((id) => !foundIds.has(id));
    if (missing)
      throw new Ec2Error(
        400,
        notFoundCode[spec.action] ?? 'InvalidParameterValue',
        `The ID '${missing}' does not exist`,
      );
    return { items: found };
  }
  const end = page.maxResults === undefined ? all.length : Math.min(all.length, page.offset + page.maxResults);
  return {
    items: all.slice(page.offset, end),
    nextToken: end < all.length ? encodeToken(spec.action, end) : undefined,
  };
}

/** EC2's "does not exist" error code per action, for ID lookups that miss. */
const notFoundCode: Record<string, string> = {
  DescribeInstances: 'InvalidInstanceID.NotFound',
  DescribeSecurityGroups: 'InvalidGroup.NotFound',
  DescribeVpcs: 'InvalidVpcID.NotFound',
  DescribeSubnets: 'InvalidSubnetID.NotFound',
  DescribeVolumes: 'InvalidVolume.NotFound',
  DescribeNetworkInterfaces: 'InvalidNetworkInterfaceID.NotFound',
  DescribeRouteTables: 'InvalidRouteTableID.NotFound',
  DescribeInternetGateways: 'InvalidInternetGatewayID.NotFound',
  DescribeNatGateways: 'NatGatewayNotFound',
  DescribeAddresses: 'InvalidAllocationID.NotFound',
  DescribeKeyPairs: 'InvalidKeyPair.NotFound',
  DescribeLaunchTemplates: 'InvalidLaunchTemplateId.NotFound',
  DescribeNetworkAcls: 'InvalidNetworkAclID.NotFound',
};

function send(res: ServerResponse, status: number, xml: string, requestId: string): void {
  res.writeHead(status, {
    'content-type': 'text/xml;charset=UTF-8',
    'content-length': Buffer.byteLength(xml),
    'x-amzn-requestid': requestId,
  });
  res.end(xml);
}

function requestParams(method: string | undefined, url: string | undefined, body: Buffer): URLSearchParams {
  if (method === 'POST') return new URLSearchParams(body.toString('utf8'));
  return new URL(url ?? '/', 'http://ec2').searchParams;
}

/**
 * The EC2 Query API over the estate's AWS resources: `Action=Describe…&Version=2016-11-15`
 * (form POST or GET), XML replies, `MaxResults`/`NextToken` paging with each action's limits,
 * `RequestLimitExceeded` (HTTP 503) when the caller's per-account, per-Region bucket is empty.
 * Cloud Control (cloud-control.ts), IAM (iam.ts) and STS answer on the same origin.
 */
export const createAwsHandler: CloudHandlerFactory = (resources, ctx: EmulatorContext) => {
  const { index, firstAccount } = buildIndex(resources);
  const cloudControl = new CloudControl(resources, firstAccount);
  const iam = createIamHandler(resources, firstAccount);

  return async (req, body, res) => {
    if (isStsRequest(req)) return serveSts(req, body, res, firstAccount);
    if (isCloudControlRequest(req)) return cloudControl.serve(ctx, req, body, res);
    if (isIamRequest(req)) return iam(ctx, req, body, res);
    const requestId = randomUUID();
    await ctx.delay();
    try {
      const params = requestParams(req.method, req.url, body);
      const action = params.get('Action');
      if (!action) throw new Ec2Error(400, 'MissingAction', 'The request must contain the parameter Action');
      const caller = callerOf(req.headers.authorization, firstAccount);
      ctx.record('aws', action);

      const fault = ctx.fault();
      if (fault === 'drop') {
        req.socket.destroy();
        return;
      }
      if (fault === 'throttle') throw throttled();
      if (fault === 'server-error') throw SERVER_FAULTS[Math.floor(Math.random() * SERVER_FAULTS.length)]!();

      const spec = EC2_LIST_ACTION_BY_NAME.get(action);
      if (!spec) throw new Ec2Error(400, 'InvalidAction', `The action ${action} is not valid for this web service.`);
      if (params.get('Version') !== API_VERSION) {
        throw new Ec2Error(
          400,
          'InvalidParameterValue',
          `Version ${params.get('Version') ?? '(missing)'} is not supported; use ${API_VERSION}`,
        );
      }
      if (hasFilters(params))
        throw new Ec2Error(400, 'InvalidParameterValue', 'Filters are not supported by this emulator');

      const ids = numberedList(params, spec.idParam);
      const paginated = params.has('MaxResults') || params.has('NextToken');
      const throttleClass = throttleClassOf(action, paginated || ids.length > 0);
      const limit = EC2_THROTTLE_CLASSES[throttleClass];
      if (
        !ctx.takeToken(
          `aws|${caller.account}|${caller.region}|${action}|${throttleClass}`,
          limit.capacity,
          limit.refillPerSecond,
        )
      ) {
        throw throttled();
      }

      const page = pageRequestOf(spec, params, ids);
      const all = index.get(indexKey(caller.account, caller.region, spec.type)) ?? [];
      const { items, nextToken } = selectPage(spec, all, ids, page);
      const listed = spec.toItems ? spec.toItems(items, caller.account, params) : items;
      send(
        res,
        200,
        ec2ResponseXml(action, spec.outputSchema, { [spec.listMember]: listed, NextToken: nextToken }, requestId),
        requestId,
      );
    } catch (err) {
      if (!(err instanceof Ec2Error)) throw err;
      send(res, err.status, ec2ErrorXml(err.code, err.message, requestId), requestId);
    }
  };
};
