import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { throttleClassOf } from './aws/ec2-actions.js';
import { ec2ErrorXml } from './aws/ec2-xml.js';
import { accountFromAccessKeyId } from './aws/env.js';
import { iamErrorXml } from './aws/iam.js';
import type { CloudHandler, EmulatorContext } from './types.js';

/** A request token bucket: `capacity` calls at once, refilled at `refillPerSecond`. */
export interface Quota {
  capacity: number;
  refillPerSecond: number;
}

/** The request-rate profiles `--quotas` can switch on. */
export const QUOTA_PROFILES = ['aws'] as const;
export type QuotaProfile = (typeof QUOTA_PROFILES)[number];

/**
 * AWS's request quotas for the APIs the agents call, each a token bucket per account, Region
 * and action. Sources:
 * - EC2: Amazon EC2 API Reference, "Request throttling for the Amazon EC2 API", table "Request
 *   token bucket sizes and refill rates": non-mutating actions (Describe*) bucket 100, refill
 *   20/s; unfiltered and unpaginated non-mutating actions bucket 50, refill 10/s.
 * - Cloud Control: the Cloud Control API User Guide publishes no figure; every ListResources and
 *   GetResource runs the type's handler against the service behind it, which answers
 *   ThrottlingException well below EC2's rates, so its reads share one bucket of 10 refilled at
 *   5/s (as the agents budget them).
 * - IAM: "IAM and AWS STS quotas" publishes no request rate; IAM's control plane is global and
 *   lower still: GetAccountAuthorizationDetails, a bucket of 10 refilled at 5/s in us-east-1.
 * STS (the agents' proof of account) is not discovery and is left unmetered; S3 is served by the
 * state backends' listener, outside these buckets.
 */
export const AWS_QUOTAS = {
  'ec2:describe': { capacity: 100, refillPerSecond: 20 },
  'ec2:describe-unfiltered-unpaginated': { capacity: 50, refillPerSecond: 10 },
  'cloudcontrol:read': { capacity: 10, refillPerSecond: 5 },
  'iam:GetAccountAuthorizationDetails': { capacity: 10, refillPerSecond: 5 },
} as const satisfies Record<string, Quota>;
export type AwsQuotaClass = keyof typeof AWS_QUOTAS;

/** One metered AWS call: whose bucket it draws from, and the listing (action and type) it pages through. */
export interface MeteredCall {
  account: string;
  region: string;
  /** The bucket's name within the account and Region: the action, or the API whose reads share one. */
  bucket: string;
  quotaClass: AwsQuotaClass;
  /** Pages of one listing follow each other (NextToken), so their latencies add up. */
  listing: string;
}

/** `Credential=AKID/20260101/us-east-1/ec2/aws4_request` → key id, Region and service. */
const CREDENTIAL_SCOPE = /Credential=([^/,\s]+)\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/;
const CLOUD_CONTROL_TARGET = 'CloudApiService.';
const CLOUD_CONTROL_READS = new Set(['ListResources', 'GetResource']);

function queryParams(req: IncomingMessage, body: Buffer): URLSearchParams {
  if (req.method === 'POST') return new URLSearchParams(body.toString('utf8'));
  return new URL(req.url ?? '/', 'http://ec2').searchParams;
}

/** A JSON request's TypeName and Identifier, empty when absent. */
function jsonRequestOf(body: Buffer): { type: string; identifier: string } {
  try {
    const value = JSON.parse(body.toString('utf8') || '{}') as { TypeName?: unknown; Identifier?: unknown };
    const text = (v: unknown) => (typeof v === 'string' ? v : '');
    return { type: text(value.TypeName), identifier: text(value.Identifier) };
  } catch {
    return { type: '', identifier: '' };
  }
}

/**
 * Which bucket an AWS request draws from; undefined for calls no quota applies to (STS,
 * unsigned requests the handler refuses anyway). The account falls back to `defaultAccount` as
 * the handlers' own does.
 */
export function meterAwsCall(req: IncomingMessage, body: Buffer, defaultAccount: string): MeteredCall | undefined {
  const scope = CREDENTIAL_SCOPE.exec(req.headers.authorization ?? '');
  if (!scope) return undefined;
  const [, keyId, region, service] = scope as unknown as [string, string, string, string];
  const account = accountFromAccessKeyId(keyId) ?? defaultAccount;
  const target = req.headers['x-amz-target'];
  if (service === 'cloudcontrolapi' && typeof target === 'string' && target.startsWith(CLOUD_CONTROL_TARGET)) {
    const action = target.slice(CLOUD_CONTROL_TARGET.length);
    if (!CLOUD_CONTROL_READS.has(action)) return undefined;
    const { type, identifier } = jsonRequestOf(body);
    // A listing's pages follow one another; each GetResource stands alone.
    const listing = action === 'ListResources' ? `${action} ${type}` : `${action} ${type} ${identifier}`;
    return { account, region, bucket: 'CloudControl', quotaClass: 'cloudcontrol:read', listing };
  }
  if (service !== 'ec2' && service !== 'iam') return undefined;
  const params = queryParams(req, body);
  const action = params.get('Action') ?? '';
  if (service === 'iam') {
    if (action !== 'GetAccountAuthorizationDetails') return undefined;
    return { account, region, bucket: action, quotaClass: 'iam:GetAccountAuthorizationDetails', listing: action };
  }
  if (!action.startsWith('Describe')) return undefined;
  const pagedOrFiltered = params.has('MaxResults') || params.has('NextToken') || [...params.keys()].some(isIdOrFilter);
  const quotaClass =
    throttleClassOf(action, pagedOrFiltered) === 'describe' ? 'ec2:describe' : 'ec2:describe-unfiltered-unpaginated';
  return { account, region, bucket: action, quotaClass, listing: action };
}

const isIdOrFilter = (key: string) => /^(Filter|\w+Id)\.1(\.|$)/.test(key);

/** The bucket a metered call draws from: per account, Region and action (or API). */
export const bucketKeyOf = (call: MeteredCall) => `quota|${call.account}|${call.region}|${call.bucket}`;

/** What one bucket has served: what the lower bound on wall time is computed from. */
export interface BucketUsage {
  account: string;
  region: string;
  bucket: string;
  quotaClass: AwsQuotaClass;
  /** Calls answered without error (throttled ones not counted: a retry is not a call the work needs). */
  served: number;
  /** Pages of the longest listing served from this bucket. */
  longestListing: number;
}

/** Counts served calls per bucket and per listing, for `GET /__emulator/stats`. */
export class QuotaLedger {
  private readonly buckets = new Map<string, BucketUsage & { listings: Map<string, number> }>();

  served(call: MeteredCall): void {
    const key = bucketKeyOf(call);
    let usage = this.buckets.get(key);
    if (!usage) {
      const { account, region, bucket, quotaClass } = call;
      usage = { account, region, bucket, quotaClass, served: 0, longestListing: 0, listings: new Map() };
      this.buckets.set(key, usage);
    }
    usage.served += 1;
    const pages = (usage.listings.get(call.listing) ?? 0) + 1;
    usage.listings.set(call.listing, pages);
    usage.longestListing = Math.max(usage.longestListing, pages);
  }

  usage(): BucketUsage[] {
    return [...this.buckets.values()].map(({ listings: _listings, ...usage }) => usage);
  }
}

/** Each API's throttling answer on its own wire format. */
const THROTTLED: Record<string, (requestId: string) => { status: number; type: string; body: string }> = {
  // AWS JSON 1.0: 400 with the error type in the body and a header.
  cloudcontrol: () => ({
    status: 400,
    type: 'application/x-amz-json-1.0',
    body: JSON.stringify({ __type: 'ThrottlingException', Message: 'Rate exceeded' }),
  }),
  // EC2's query protocol: 503 RequestLimitExceeded.
  ec2: (id) => ({
    status: 503,
    type: 'text/xml;charset=UTF-8',
    body: ec2ErrorXml('RequestLimitExceeded', 'Request limit exceeded.', id),
  }),
  // IAM's query protocol: 400 Throttling.
  iam: (id) => ({ status: 400, type: 'text/xml', body: iamErrorXml('Throttling', 'Rate exceeded', id) }),
};

function sendThrottled(res: ServerResponse, call: MeteredCall): void {
  const requestId = randomUUID();
  const api = call.quotaClass.slice(0, call.quotaClass.indexOf(':'));
  const { status, type, body } = THROTTLED[api]!(requestId);
  res.writeHead(status, {
    'content-type': type,
    'content-length': Buffer.byteLength(body),
    'x-amzn-requestid': requestId,
    ...(api === 'cloudcontrol' ? { 'x-amzn-errortype': 'ThrottlingException' } : {}),
  });
  res.end(body);
}

/**
 * `--quotas aws`: the AWS handler behind AWS's request quotas (AWS_QUOTAS), one token bucket
 * per account, Region and action. A call over quota is answered after the usual latency with
 * the service's own throttling error, so SDK retries and the agents' buckets react as they
 * would in production; calls let through go on to the handler, and those it answers are counted in `ledger`.
 */
export function withAwsQuotas(
  handler: CloudHandler,
  ctx: EmulatorContext,
  ledger: QuotaLedger,
  defaultAccount: string,
): CloudHandler {
  return async (req, body, res) => {
    const call = meterAwsCall(req, body, defaultAccount);
    if (!call) return handler(req, body, res);
    const quota = AWS_QUOTAS[call.quotaClass];
    if (!ctx.takeToken(bucketKeyOf(call), quota.capacity, quota.refillPerSecond)) {
      await ctx.delay();
      sendThrottled(res, call);
      return;
    }
    await handler(req, body, res);
    if (res.statusCode < 400) ledger.served(call);
  };
}
