import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { throttleClassOf } from './aws/ec2-actions.js';
import { ec2ErrorXml } from './aws/ec2-xml.js';
import { accountFromAccessKeyId } from './aws/env.js';
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
 * - Cloud Control: the Cloud Control API User Guide publishes no ListResources figure; each call
 *   runs the type's list handler against the service behind it, which answers
 *   ThrottlingException well below EC2's rates, so a bucket of 10 refilled at 5/s.
 * STS (the agents' proof of account) is not discovery and is left unmetered.
 */
export const AWS_QUOTAS = {
  'ec2:describe': { capacity: 100, refillPerSecond: 20 },
  'ec2:describe-unfiltered-unpaginated': { capacity: 50, refillPerSecond: 10 },
  'cloudcontrol:ListResources': { capacity: 10, refillPerSecond: 5 },
} as const satisfies Record<string, Quota>;
export type AwsQuotaClass = keyof typeof AWS_QUOTAS;

/** One metered AWS call: whose bucket it draws from, and the listing (action and type) it pages through. */
export interface MeteredCall {
  account: string;
  region: string;
  action: string;
  quotaClass: AwsQuotaClass;
  /** Pages of one listing follow each other (NextToken), so their latencies add up. */
  listing: string;
}

/** `Credential=AKID/20260101/us-east-1/ec2/aws4_request` → key id, Region and service. */
const CREDENTIAL_SCOPE = /Credential=([^/,\s]+)\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/;
const CLOUD_CONTROL_TARGET = 'CloudApiService.';

function queryParams(req: IncomingMessage, body: Buffer): URLSearchParams {
  if (req.method === 'POST') return new URLSearchParams(body.toString('utf8'));
  return new URL(req.url ?? '/', 'http://ec2').searchParams;
}

function typeNameOf(body: Buffer): string {
  try {
    const value = JSON.parse(body.toString('utf8') || '{}') as { TypeName?: unknown };
    return typeof value.TypeName === 'string' ? value.TypeName : '';
  } catch {
    return '';
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
    if (action !== 'ListResources') return undefined;
    return { account, region, action, quotaClass: 'cloudcontrol:ListResources', listing: typeNameOf(body) };
  }
  if (service !== 'ec2') return undefined;
  const params = queryParams(req, body);
  const action = params.get('Action');
  if (!action?.startsWith('Describe')) return undefined;
  const pagedOrFiltered = params.has('MaxResults') || params.has('NextToken') || [...params.keys()].some(isIdOrFilter);
  const quotaClass =
    throttleClassOf(action, pagedOrFiltered) === 'describe' ? 'ec2:describe' : 'ec2:describe-unfiltered-unpaginated';
  return { account, region, action, quotaClass, listing: action };
}

const isIdOrFilter = (key: string) => /^(Filter|\w+Id)\.1(\.|$)/.test(key);

/** The bucket a metered call draws from: per account, Region and action. */
export const bucketKeyOf = (call: MeteredCall) => `quota|${call.account}|${call.region}|${call.action}`;

/** What one bucket has served: what the lower bound on wall time is computed from. */
export interface BucketUsage {
  account: string;
  region: string;
  action: string;
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
      const { account, region, action, quotaClass } = call;
      usage = { account, region, action, quotaClass, served: 0, longestListing: 0, listings: new Map() };
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

function sendThrottled(res: ServerResponse, call: MeteredCall): void {
  const requestId = randomUUID();
  const json = call.quotaClass.startsWith('cloudcontrol:');
  // EC2 (query protocol): 503 with an XML error; AWS JSON protocols: 400 ThrottlingException.
  const body = json
    ? JSON.stringify({ __type: 'ThrottlingException', Message: 'Rate exceeded' })
    : ec2ErrorXml('RequestLimitExceeded', 'Request limit exceeded.', requestId);
  res.writeHead(json ? 400 : 503, {
    'content-type': json ? 'application/x-amz-json-1.0' : 'text/xml;charset=UTF-8',
    'content-length': Buffer.byteLength(body),
    'x-amzn-requestid': requestId,
    ...(json ? { 'x-amzn-errortype': 'ThrottlingException' } : {}),
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
