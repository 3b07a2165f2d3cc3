import {
  GetBucketEncryptionCommand,
  GetBucketLocationCommand,
  GetBucketPolicyCommand,
  GetBucketTaggingCommand,
  GetBucketVersioningCommand,
  GetPublicAccessBlockCommand,
  ListBucketsCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import type { DiscoveredResource } from '../../contract/resource.js';
import { metrics } from '../metrics.js';
import type { ListContext, ResourcePage } from './types.js';

/**
 * S3 buckets and their configuration subresources through @aws-sdk/client-s3: ListBuckets once
 * per account (it answers for every region), then per bucket its region (from the listing, else
 * GetBucketLocation) and the one Get call of the type listed. A "NoSuch…" answer means the bucket
 * has no such configuration: no resource, not a failure.
 */

type Attrs = Record<string, unknown>;
type Limit = { capacity: number; refillPerSecond: number };

/** One S3 call paid for from its budget and retried by the provider (aws.ts `send`). */
export type Send = <T>(action: string, ctx: ListContext, region: string, request: () => Promise<T>) => Promise<T>;

/** A bucket as ListBuckets (and GetBucketLocation) place it. */
interface Bucket {
  Name: string;
  CreationDate?: string;
  Region: string;
}

/** Reads one bucket's part of a type; undefined when the bucket has none. */
interface BucketPart {
  action: string;
  /** Error codes meaning "this bucket has none of it". */
  absent: readonly string[];
  read: (client: S3Client, bucket: Bucket, signal: AbortSignal) => Promise<Attrs | undefined>;
  /** What a bucket without the part is (the bucket itself: a bucket without tags is still a bucket). */
  whenAbsent?: (bucket: Bucket) => Attrs;
}

const opts = (signal: AbortSignal) => ({ abortSignal: signal });

const bucketAttributes = (b: Bucket, tags: unknown[]): Attrs => ({
  Name: b.Name,
  ...(b.CreationDate ? { CreationDate: b.CreationDate } : {}),
  Region: b.Region,
  Arn: `arn:aws:s3:::${b.Name}`,
  Tags: tags,
});

const PARTS: Record<string, BucketPart> = {
  'AWS::S3::Bucket': {
    action: 'GetBucketTagging',
    absent: ['NoSuchTagSet'],
    read: async (c, b, s) => {
      const out = await c.send(new GetBucketTaggingCommand({ Bucket: b.Name }), opts(s));
      return bucketAttributes(
        b,
        (out.TagSet ?? []).map((t) => ({ Key: t.Key, Value: t.Value })),
      );
    },
    whenAbsent: (b) => bucketAttributes(b, []),
  },
  'AWS::S3::BucketPolicy': {
    action: 'GetBucketPolicy',
    absent: ['NoSuchBucketPolicy'],
    read: async (c, b, s) => {
      const out = await c.send(new GetBucketPolicyCommand({ Bucket: b.Name }), opts(s));
      return out.Policy ? { Bucket: b.Name, Policy: out.Policy } : undefined;
    },
  },
  'AWS::S3::BucketPublicAccessBlock': {
    action: 'GetPublicAccessBlock',
    absent: ['NoSuchPublicAccessBlockConfiguration'],
    read: async (c, b, s) => {
      const out = await c.send(new GetPublicAccessBlockCommand({ Bucket: b.Name }), opts(s));
      const p = out.PublicAccessBlockConfiguration ?? {};
      return {
        Bucket: b.Name,
        BlockPublicAcls: p.BlockPublicAcls ?? false,
        IgnorePublicAcls: p.IgnorePublicAcls ?? false,
        BlockPublicPolicy: p.BlockPublicPolicy ?? false,
        RestrictPublicBuckets: p.RestrictPublicBuckets ?? false,
      };
    },
  },
  'AWS::S3::BucketEncryption': {
    action: 'GetBucketEncryption',
    absent: ['ServerSideEncryptionConfigurationNotFoundError'],
    read: async (c, b, s) => {
      const out = await c.send(new GetBucketEncryptionCommand({ Bucket: b.Name }), opts(s));
      const rules = out.ServerSideEncryptionConfiguration?.Rules ?? [];
      return rules.length ? { Bucket: b.Name, Rules: dropUndefined(rules) } : undefined;
    },
  },
  'AWS::S3::BucketVersioning': {
    action: 'GetBucketVersioning',
    absent: [],
    // A bucket never versioned answers with no status at all.
    read: async (c, b, s) => {
      const out = await c.send(new GetBucketVersioningCommand({ Bucket: b.Name }), opts(s));
      if (!out.Status) return undefined;
      return { Bucket: b.Name, Status: out.Status, ...(out.MFADelete ? { MFADelete: out.MFADelete } : {}) };
    },
  },
};

const LIST_ACTION = 'ListBuckets';
const LOCATION_ACTION = 'GetBucketLocation';
/** ListBuckets' largest MaxBuckets. */
const MAX_BUCKETS = 10_000;
/** Buckets read at once: the per-bucket calls of a page overlap, within each action's budget. */
const PARALLEL = 8;

/**
 * S3's control-plane budget, per action: S3 publishes no per-account rate for bucket
 * configuration reads (its 5,500 GET/s are per prefix), so these keep a large account's
 * per-bucket calls from bursting.
 */
const S3_LIMIT: Limit = { capacity: 50, refillPerSecond: 25 };
export const S3_LIMITS: Record<string, Limit> = Object.fromEntries(
  [LIST_ACTION, LOCATION_ACTION, ...Object.values(PARTS).map((p) => p.action)].map((a) => [a, S3_LIMIT]),
);

export const isS3Type = (type: string): boolean => type in PARTS;

/** `null`/empty is us-east-1, `EU` the legacy name of eu-west-1. */
const regionOfConstraint = (c: string | undefined): string => (!c ? 'us-east-1' : c === 'EU' ? 'eu-west-1' : c);

function dropUndefined<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

const errorName = (err: unknown): string | undefined => (err as { name?: string } | undefined)?.name;

/** The S3 side of the AWS provider: clients per region, created on first use. */
export function createS3Lister(send: Send, pageSizeCap?: number) {
  const clients = new Map<string, S3Client>();
  const clientFor = (region: string) => {
    let client = clients.get(region);
    if (!client) clients.set(region, (client = new S3Client({ region, maxAttempts: 1 })));
    return client;
  };

  async function regionOf(ctx: ListContext, name: string, listed: string | undefined): Promise<string> {
    if (listed) return listed;
    const out = await send(LOCATION_ACTION, ctx, 'us-east-1', () =>
      clientFor('us-east-1').send(new GetBucketLocationCommand({ Bucket: name }), opts(ctx.signal)),
    );
    return regionOfConstraint(out.LocationConstraint);
  }

  async function resourceOf(type: string, part: BucketPart, ctx: ListContext, bucket: Bucket) {
    let attributes: Attrs | undefined;
    try {
      attributes = await send(part.action, ctx, bucket.Region, () =>
        part.read(clientFor(bucket.Region), bucket, ctx.signal),
      );
    } catch (err) {
      const name = errorName(err);
      // A bucket deleted since the listing is simply not there any more.
      if (name === 'NoSuchBucket') return undefined;
      if (!name || !part.absent.includes(name)) throw err;
      attributes = part.whenAbsent?.(bucket);
    }
    if (!attributes) return undefined;
    const tags = type === 'AWS::S3::Bucket' ? tagMap(attributes.Tags) : {};
    const resource: DiscoveredResource = {
      provider: 'aws',
      account: ctx.account,
      region: bucket.Region,
      type,
      id: bucket.Name,
      name: bucket.Name,
      attributes,
      tags,
    };
    return resource;
  }

  /** One page of buckets: each placed, kept when in the shard's regions, and read for the type's part. */
  async function* list(type: string, ctx: ListContext, cursor?: string): AsyncGenerator<ResourcePage> {
    const part = PARTS[type];
    if (!part) throw new Error(`aws provider: ${type} is not an S3 type`);
    const maxBuckets = Math.min(MAX_BUCKETS, pageSizeCap ?? MAX_BUCKETS);
    let token = cursor;
    do {
      const page = await send(LIST_ACTION, ctx, 'us-east-1', () =>
        clientFor('us-east-1').send(
          new ListBucketsCommand({ MaxBuckets: maxBuckets, ContinuationToken: token }),
          opts(ctx.signal),
        ),
      );
      const listed = (page.Buckets ?? []).filter((b): b is typeof b & { Name: string } => !!b.Name);
      const resources: DiscoveredResource[] = [];
      for (let i = 0; i < listed.length; i += PARALLEL) {
        const found = await Promise.all(
          listed.slice(i, i + PARALLEL).map(async (b) => {
            const region = await regionOf(ctx, b.Name, b.BucketRegion);
            if (ctx.regions.length > 0 && !ctx.regions.includes(region)) return undefined;
            const bucket = { Name: b.Name, CreationDate: b.CreationDate?.toISOString(), Region: region };
            return resourceOf(type, part, ctx, bucket);
          }),
        );
        for (const r of found) if (r) resources.push(r);
      }
      metrics.pages.inc({ provider: 'aws', action: LIST_ACTION });
      metrics.resources.inc({ provider: 'aws', type }, resources.length);
      token = page.ContinuationToken || undefined;
      yield { resources, cursor: token };
    } while (token);
  }

  return { list };
}

function tagMap(tags: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const t of (tags as { Key?: string; Value?: string }[] | undefined) ?? []) {
    if (t.Key !== undefined) out[t.Key] = t.Value ?? '';
  }
  return out;
}
